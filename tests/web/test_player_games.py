"""Jackpot tickets, a Match joined and settled, and responsible gaming, all through the page and
the player's wallet; the page shows what the chain holds."""

from __future__ import annotations

import time
from collections.abc import Callable

from playwright.sync_api import Dialog, Page, expect
from test_player_dice import place_bet
from test_player_vault import connect, submit_vault, vault_balance
from web_stack import Stack
from web_wallet import TestWallet

from fairstake import signing

ETH = "0x0000000000000000000000000000000000000000"
ETHER = 10**18
DAY = 86_400


def test_jackpot_tickets_bought_from_the_wallet(page: Page, stack: Stack, player: str) -> None:
    jackpot = stack.contract("Jackpot")
    round_id = jackpot.functions.currentRound(ETH).call()
    connect(page, stack, player)
    form = page.locator(f'.jackpot-buy[data-round="{round_id}"]')
    form.locator('input[name="count"]').fill("3")
    form.locator('select[name="source"]').select_option("wallet")
    form.get_by_role("button", name="Buy tickets").click()
    expect(page.locator("#tx-log li").first).to_have_class("tx ok")

    round_box = page.locator(f'.round[data-round="{round_id}"]')
    expect(round_box.locator(".my-tickets")).to_have_text(" · your tickets: 3")
    info = jackpot.functions.roundOf(round_id).call()
    pot = info[3] * info[8] + info[11]  # ticketPrice × totalTickets + rolledIn
    expect(round_box.locator(".pot")).to_have_text(f"{pot / ETHER:g} ETH")
    bought = jackpot.events.TicketsBought().get_logs(
        from_block=stack.manifest["contracts"]["Jackpot"]["block"], argument_filters={"player": player}
    )
    assert sum(log["args"]["count"] for log in bought) == 3


def test_match_joined_in_the_page_and_settled_by_the_referee(page: Page, stack: Stack, player: str) -> None:
    match = stack.contract("Match")
    w3 = stack.web3
    creator, rival = w3.eth.accounts[0], w3.eth.accounts[6]
    entry = ETHER // 100
    deadline = w3.eth.get_block("latest")["timestamp"] + 3600
    w3.eth.wait_for_transaction_receipt(
        match.functions.create(ETH, entry, 2, [7000, 3000], deadline).transact({"from": creator})
    )
    match_id = match.functions.matchCount().call()

    connect(page, stack, player)
    row = page.locator(f'#matches-list tr[data-id="{match_id}"]')
    row.get_by_role("button", name="Join").click()
    expect(page.locator("#tx-log li").first).to_have_class("tx ok")
    expect(row).to_contain_text("joined")
    assert match.functions.playersOf(match_id).call() == [player]

    w3.eth.wait_for_transaction_receipt(
        match.functions.join(match_id).transact({"from": rival, "value": entry})
    )
    nonce = match.functions.resultNonce(match_id).call()
    typed = signing.match_result(match.address, w3.eth.chain_id, match_id, nonce, [rival, player])
    signed = signing.sign(typed, signing.dev_private_key(0))
    w3.eth.wait_for_transaction_receipt(
        match.functions.submitResult(match_id, [rival, player], signed.signature).transact({"from": creator})
    )
    settled = match.events.MatchSettled().get_logs(
        from_block=stack.manifest["contracts"]["Match"]["block"], argument_filters={"matchId": match_id}
    )[0]["args"]

    page.reload()
    connect(page, stack, player)
    row = page.locator(f'#matches-list tr[data-id="{match_id}"]')
    expect(row).to_contain_text("settled")
    places = row.locator(".ranking li")
    expect(places).to_have_count(2)
    expect(places.nth(1)).to_have_class("me")
    expect(places.nth(1)).to_have_text(f"you {settled['payouts'][1] / ETHER:g}")


def test_limits_and_self_exclusion(open_page: Callable[[TestWallet], Page], stack: Stack) -> None:
    player = stack.web3.eth.accounts[9]  # excluded for good measure: no other test uses it
    page = open_page(TestWallet(rpc_url=stack.rpc_url, account=player))
    registry = stack.contract("PlayerRegistry")
    connect(page, stack, player)
    submit_vault(page, "ETH", "0.5", "Deposit")
    expect(page.locator("#tx-log li").first).to_have_class("tx ok")

    page.select_option("#limit-token", label="ETH")
    page.select_option("#limit-kind", label="Wager limit")
    page.select_option("#limit-window", label="7 days")
    page.fill("#limit-amount", "0.25")
    page.get_by_role("button", name="Set limit").click()
    expect(page.locator("#tx-log li").first).to_have_class("tx ok")
    assert registry.functions.limitOf(player, ETH, 1, 1).call()[0] == ETHER // 4
    expect(page.locator("#protection-status tbody tr").first).to_contain_text("Wager per 7 days")

    place_bet(page, "0.3", 50)  # above the limit just set
    expect(page.locator("#tx-log li").first).to_contain_text("WagerLimitExceeded")

    def accept(dialog: Dialog) -> None:
        assert "Nobody can shorten it" in dialog.message
        dialog.accept()

    page.once("dialog", accept)
    page.select_option("#exclude-duration", label="1 week")
    page.get_by_role("button", name="Self-exclude").click()
    expect(page.locator("#exclusion-status")).to_contain_text("self-excluded until")
    until = registry.functions.exclusionEnd(player).call()
    assert abs(until - (time.time() + 7 * DAY)) < DAY and registry.functions.isExcluded(player).call()

    place_bet(page, "0.01", 50)
    expect(page.locator("#tx-log li").first).to_contain_text("SelfExcluded")
    # Excluded players can always take their money out.
    submit_vault(page, "ETH", "0.5", "Withdraw")
    expect(page.locator("#tx-log li").first).to_have_class("tx ok")
    assert vault_balance(stack, player, ETH) == 0
