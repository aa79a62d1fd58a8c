"""Jackpot tickets, a Match joined and settled, and responsible gaming, all through the page and
the player's wallet; the page shows what the chain holds."""

from __future__ import annotations

import time
from collections.abc import Callable

from playwright.sync_api import Dialog, Page, expect
from web_page import (
    ETH,
    ETHER,
    chain_time,
    connect,
    eth_text,
    expect_tx,
    place_bet,
    screenshot,
    selling_round,
    submit_vault,
    travel_to,
    vault_balance,
)
from web_platform import REFEREE_INDEX
from web_stack import Stack
from web_wallet import TestWallet

from fairstake import signing

DAY = 86_400


def test_jackpot_round_bought_drawn_and_claimed_in_the_page(page: Page, stack: Stack, player: str) -> None:
    jackpot = stack.contract("Jackpot")
    round_id = selling_round(stack)
    connect(page, stack, player)
    form = page.locator(f'.jackpot-buy[data-round="{round_id}"]')
    form.locator('input[name="count"]').fill("3")
    form.locator('select[name="source"]').select_option("wallet")
    form.get_by_role("button", name="Buy tickets").click()
    expect_tx(page, f"Jackpot: 3 ticket(s) in round {round_id}")

    round_box = page.locator(f'.round[data-round="{round_id}"]')
    expect(round_box.locator(".my-tickets")).to_have_text(" · your tickets: 3")
    info = jackpot.functions.roundOf(round_id).call()
    pot = info[3] * info[8] + info[11]  # ticketPrice × totalTickets + rolledIn
    expect(round_box.locator(".pot")).to_have_text(f"{eth_text(pot)} ETH")
    start = stack.manifest["contracts"]["Jackpot"]["block"]
    bought = jackpot.events.TicketsBought().get_logs(from_block=start, argument_filters={"roundId": round_id})
    assert [(log["args"]["player"], log["args"]["count"]) for log in bought] == [(player, 3)]

    # Sales end; anyone may draw: the player does it from the page, the oracle delivers.
    travel_to(stack, info[5] + 1)
    page.reload()
    connect(page, stack, player)
    page.locator(f'.round[data-round="{round_id}"]').get_by_role("button", name="Draw").click()
    expect_tx(page, f"Draw round {round_id}")
    deadline = time.monotonic() + 60
    while not (drawn := jackpot.events.RoundDrawn().get_logs(from_block=start, argument_filters={"roundId": round_id})):
        assert time.monotonic() < deadline, "the oracle did not draw the round"
        time.sleep(0.2)
    assert drawn[0]["args"]["winner"] == player  # the only buyer

    before = vault_balance(stack, player, ETH)
    row = page.locator(f'#jackpot-history tr[data-round="{round_id}"]')
    expect(row).to_contain_text("drawn")
    row.get_by_role("button", name="Claim prize").click()
    expect_tx(page, f"Claim round {round_id}")
    expect(row).to_contain_text("claimed")
    assert vault_balance(stack, player, ETH) == before + drawn[0]["args"]["prize"]


def test_match_joined_in_the_page_and_settled_by_the_referee(page: Page, stack: Stack, player: str) -> None:
    match = stack.contract("Match")
    w3 = stack.web3
    creator, rival = stack.dev_account(0), stack.dev_account(6)
    entry = ETHER // 100
    deadline = w3.eth.get_block("latest")["timestamp"] + 3600
    w3.eth.wait_for_transaction_receipt(
        match.functions.create(ETH, entry, 2, [7000, 3000], deadline).transact({"from": creator})
    )
    match_id = match.functions.matchCount().call()

    connect(page, stack, player)
    row = page.locator(f'#matches-list tr[data-id="{match_id}"]')
    row.get_by_role("button", name="Join").click()
    expect_tx(page, f"Join match {match_id}")
    expect(row).to_contain_text("joined")
    assert match.functions.playersOf(match_id).call() == [player]

    w3.eth.wait_for_transaction_receipt(match.functions.join(match_id).transact({"from": rival, "value": entry}))
    nonce = match.functions.resultNonce(match_id).call()
    typed = signing.match_result(match.address, w3.eth.chain_id, match_id, nonce, [rival, player])
    signed = signing.sign(typed, signing.dev_private_key(REFEREE_INDEX))
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
    expect(places.nth(1)).to_have_text(f"you {settled['payouts'][1] / ETHER:g} ETH")


def test_limits_time_out_and_self_exclusion(open_page: Callable[[TestWallet], Page], stack: Stack) -> None:
    player = stack.dev_account(9)  # excluded for good measure: no other test uses it
    page = open_page(TestWallet(rpc_url=stack.rpc_url, account=player))
    registry = stack.contract("PlayerRegistry")
    connect(page, stack, player)
    submit_vault(page, "ETH", "0.5", "Deposit")
    expect_tx(page, "Deposit 0.5 ETH")

    page.select_option("#limit-token", label="ETH")
    page.select_option("#limit-kind", label="Wager limit")
    page.select_option("#limit-window", label="7 days")
    page.fill("#limit-amount", "0.25")
    page.get_by_role("button", name="Set limit").click()
    expect_tx(page, "Set wager limit 0.25 ETH per 7 days")
    assert registry.functions.limitOf(player, ETH, 1, 1).call()[0] == ETHER // 4
    expect(page.locator("#protection-status tbody tr").first).to_contain_text("Wager per 7 days")

    # A stake above the limit just set is refused by the page before anything is sent, in words.
    refusal, bet = page.locator("#dice-refusal"), page.get_by_role("button", name="Place bet")
    page.select_option("#dice-source", value="vault")
    page.fill("#dice-stake", "0.3")
    expect(bet).to_be_disabled()
    expect(refusal).to_have_attribute("data-error", "WagerLimitExceeded")
    expect(refusal).to_have_text(
        "This would take your wagers to 0.3 ETH in 7 days, above your wager limit of 0.25 ETH."
    )
    screenshot(page, page.locator("#dice"), "dice-check-wager-limit")

    # A deposit limit counts deposits from when it is set: 0.2 ETH fits a 0.3 ETH cap, 0.2 more does not.
    page.select_option("#limit-kind", label="Deposit limit")
    page.select_option("#limit-window", label="24 hours")
    page.fill("#limit-amount", "0.3")
    page.get_by_role("button", name="Set limit").click()
    expect_tx(page, "Set deposit limit 0.3 ETH per 24 hours")
    assert registry.functions.limitOf(player, ETH, 2, 0).call()[0] == 3 * ETHER // 10
    expect(page.locator("#protection-status")).to_contain_text("Deposit per 24 hours")
    submit_vault(page, "ETH", "0.2", "Deposit")
    expect_tx(page, "Deposit 0.2 ETH")
    submit_vault(page, "ETH", "0.2", "Deposit")
    expect(expect_tx(page, "Deposit 0.2 ETH", "failed")).to_contain_text("DepositLimitExceeded")

    def accept(dialog: Dialog) -> None:
        assert "nobody can shorten it" in dialog.message.lower()
        dialog.accept()

    # A time-out, then self-exclusion: each starts at once for its whole length, and the page knows
    # it: Place bet is off, with the reason next to it, in words.
    breaks = [
        (
            "#timeout-period",
            "1 week",
            "Take a time-out",
            {"#timeout-status": "on a time-out until", "#exclusion-status": "not self-excluded"},
            "timeOutEnd",
            "isTimedOut",
            7 * DAY,
            "TimedOut",
            "You are on a time-out until",
        ),
        (
            "#exclude-duration",
            "6 months",
            "Self-exclude",
            {"#exclusion-status": "self-excluded until"},
            "exclusionEnd",
            "isExcluded",
            184 * DAY,
            "SelfExcluded",
            "You are self-excluded until",
        ),
    ]
    for select, label, button, shown, end, active, length, error, words in breaks:
        page.once("dialog", accept)
        page.select_option(select, label=label)
        page.get_by_role("button", name=button).click()
        for where, text in shown.items():
            expect(page.locator(where)).to_contain_text(text)
        until = getattr(registry.functions, end)(player).call()
        assert abs(until - (chain_time(stack) + length)) < 60 and getattr(registry.functions, active)(player).call()
        page.fill("#dice-stake", "0.01")
        expect(bet).to_be_disabled()
        expect(refusal).to_have_attribute("data-error", error)
        expect(refusal).to_contain_text(words)
    screenshot(page, page.locator("#dice"), "dice-check-self-excluded")
    # Excluded players can always take their money out.
    submit_vault(page, "ETH", "0.7", "Withdraw")
    expect_tx(page, "Withdraw 0.7 ETH")
    assert vault_balance(stack, player, ETH) == 0


def test_tournament_entered_in_the_page(page: Page, stack: Stack, player: str) -> None:
    tournament = stack.contract("Tournament")
    w3 = stack.web3
    now = chain_time(stack)
    entry = ETHER // 50
    w3.eth.wait_for_transaction_receipt(
        tournament.functions.create(ETH, entry, 8, [6000, 4000], now + 600, now + 3600).transact(
            {"from": stack.dev_account(0)}
        )
    )
    tournament_id = tournament.functions.tournamentCount().call()
    connect(page, stack, player)
    row = page.locator(f'#tournaments-list tr[data-id="{tournament_id}"]')
    expect(row).to_contain_text("0 / 8")
    row.get_by_role("button", name="Enter").click()
    expect_tx(page, f"Enter tournament {tournament_id}")
    expect(row).to_contain_text("1 / 8")
    expect(row).to_contain_text("joined")
    assert tournament.functions.entrantsOf(tournament_id, 0, 8).call() == [player]


def test_reality_check_reminds_the_player(page: Page, stack: Stack, player: str) -> None:
    page.goto(f"{stack.api_url}/?reality=3")  # a reminder every 3 s instead of every 30 min
    page.get_by_role("button", name="Fairstake Test Wallet").click()
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    place_bet(page, "0.01", 50, source="wallet")
    expect_tx(page, "Dice: 0.01 ETH")
    dialog = page.locator("#reality-dialog")
    expect(dialog).to_be_visible(timeout=10_000)
    expect(dialog).to_contain_text("This session:")
    expect(dialog).to_contain_text("ETH staked")
    dialog.get_by_role("button", name="Keep playing").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#reality-figures")).to_contain_text("ETH staked")
