"""When the oracle misses a deadline, the page lets the player act on it: a Dice bet whose
request is past its deadline offers `coordinator.expire`, and the oracle's bond pays the player the
win payout; a Jackpot draw past its deadline offers "Expire the draw". A bet the bankroll's
exposure cap or the oracle's bond cannot back is refused in words next to the Place-bet button.

The oracle daemon is paused while a request is made, and the chain is moved past the request's
deadline (blocks and time), so the request is left unanswered as if the oracle had withheld it."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Locator, Page, expect
from web3.logs import DISCARD
from web_page import (
    ETH,
    ETHER,
    chain_time,
    connect,
    dice_log,
    eth_short,
    eth_text,
    expect_tx,
    fill_bet,
    mine_blocks,
    place_bet,
    screenshot,
    selling_round,
    shown_bet_ids,
    submit_vault,
    travel_to,
    vault_balance,
)
from web_stack import Stack
from web_wallet import TestWallet

from fairstake.rules import dice
from oracle import ecvrf
from oracle.daemon.work import commitment_from_event


def request_of(stack: Stack, request_id: int) -> dict[str, Any]:
    coordinator = stack.contract("RandomnessCoordinator")
    start = stack.manifest["contracts"]["RandomnessCoordinator"]["block"]
    logs = coordinator.events.RandomnessRequested().get_logs(
        from_block=start, argument_filters={"requestId": request_id}
    )
    assert len(logs) == 1
    return {**logs[0]["args"], "block": int(logs[0]["blockNumber"])}


def past_deadline(stack: Stack, request: dict[str, Any]) -> None:
    """Move the chain past both of the request's deadlines."""
    blocks = request["deadlineBlock"] - stack.web3.eth.block_number + 1
    if blocks > 0:
        mine_blocks(stack, blocks)
    travel_to(stack, max(chain_time(stack), request["deadlineTime"]) + 1)
    coordinator = stack.contract("RandomnessCoordinator")
    rc = list(commitment_from_event(request, request["block"]))
    assert coordinator.functions.isExpired(rc).call()


def test_overdue_bet_is_expired_in_the_page_and_paid_by_the_bond(
    page: Page, stack: Stack, player: str, wallet: TestWallet
) -> None:
    stake, target = ETHER // 10, 50
    edge = stack.contract("Dice").functions.tokenConfig(ETH).call()[3]
    win = dice.payout_if_win(stake, target, edge)
    coordinator = stack.contract("RandomnessCoordinator")
    connect(page, stack, player)
    submit_vault(page, "ETH", "1", "Deposit")
    expect_tx(page, "Deposit 1 ETH")

    with stack.oracle_paused():
        before_bets = shown_bet_ids(page)
        place_bet(page, "0.1", target)
        expect_tx(page, "Dice: 0.1 ETH")
        page.wait_for_function(
            "before => [...document.querySelectorAll('#dice-bets li')].some((i) => !before.includes(i.dataset.betId))",
            arg=before_bets,
        )
        [bet_id] = [int(b) for b in shown_bet_ids(page) if b not in before_bets]
        bet = page.locator(f'#dice-bets li[data-bet-id="{bet_id}"]')
        assert dice_log(stack, "BetPlaced", bet_id)["maxPayout"] == win
        expect(bet).to_contain_text("waiting for the random number")
        expire = bet.get_by_role("button", name=f"Expire and get {eth_text(win)} ETH")
        expect(expire).to_have_count(0)  # not before the deadline

        past_deadline(stack, request_of(stack, bet_id))
        after_placing = vault_balance(stack, player, ETH)
        expect(expire).to_be_visible(timeout=20_000)
        expect(bet.locator(".bet-status")).to_contain_text("the oracle missed its deadline")
        expect(bet.locator(".bet-status")).to_contain_text(
            f"the oracle's bond pays you the win payout, {eth_text(win)} ETH"
        )
        screenshot(page, bet, "dice-expire-offer")

        expire.click()
        expect_tx(page, "Expire bet")
        expect(bet).to_have_attribute("data-outcome", "bond-paid", timeout=20_000)
        expect(bet.locator(".bet-status")).to_have_text(
            f"the oracle missed its deadline — paid {eth_text(win)} ETH by the oracle's bond"
        )
        expect(bet).to_have_attribute("data-payout", str(win))
        screenshot(page, bet, "dice-expire-paid")

    assert dice_log(stack, "BetTimedOut", bet_id)["payout"] == win
    assert not coordinator.functions.isPending(bet_id).call()
    # the stake refunded and W - stake from the oracle's bond: the player ends with W
    assert vault_balance(stack, player, ETH) == after_placing + win
    # the player's wallet sent the expiry to the coordinator
    assert [tx["to"].lower() for tx in wallet.sent_transactions()][-1] == coordinator.address.lower()
    expect(page.locator('[data-vault-balance="ETH"]')).to_have_text(eth_text(after_placing + win))


def test_a_bet_whose_settlement_failed_is_refunded_in_the_page(
    page: Page, stack: Stack, player: str, wallet: TestWallet
) -> None:
    """Governance's callback gas too small to settle: the oracle answers, the callback fails, the
    request is gone and the bet stays open. The page offers the refund, which hands the game the
    bet's Vault lock terms (it keeps only their hash in the Vault): the stake comes back."""
    w3, game = stack.web3, stack.contract("Dice")
    owner = game.functions.owner().call()  # the timelock; the dev node acts for it here
    w3.provider.make_request("anvil_impersonateAccount", [owner])  # type: ignore[arg-type]
    w3.provider.make_request("anvil_setBalance", [owner, hex(ETHER)])  # type: ignore[arg-type]
    callback_gas = game.functions.callbackGasLimit().call()

    def set_callback_gas(gas: int) -> None:
        w3.eth.wait_for_transaction_receipt(game.functions.setCallbackGasLimit(gas).transact({"from": owner}))

    connect(page, stack, player)
    submit_vault(page, "ETH", "1", "Deposit")
    expect_tx(page, "Deposit 1 ETH")
    before_bets = shown_bet_ids(page)
    set_callback_gas(5_000)
    try:
        with stack.oracle_paused():  # the bet is shown before its result arrives
            place_bet(page, "0.1", 50)
            expect_tx(page, "Dice: 0.1 ETH")
            page.wait_for_function(
                "before => [...document.querySelectorAll('#dice-bets li')]"
                ".some((i) => !before.includes(i.dataset.betId))",
                arg=before_bets,
            )
    finally:
        set_callback_gas(callback_gas)
    [bet_id] = [int(b) for b in shown_bet_ids(page) if b not in before_bets]
    bet = page.locator(f'#dice-bets li[data-bet-id="{bet_id}"]')
    after_placing = vault_balance(stack, player, ETH)

    refund = bet.get_by_role("button", name="Refund my stake")
    expect(refund).to_be_visible(timeout=60_000)
    assert not stack.contract("RandomnessCoordinator").functions.isPending(bet_id).call()
    # the game keeps no record of the bet: its Vault lock is open and names the (gone) request
    lock_id = dice_log(stack, "BetPlaced", bet_id)["lockId"]
    assert ecvrf.request_id(game.address, lock_id) == bet_id
    assert game.functions.betStatusOf(lock_id).call() == [bet_id, 2]  # AwaitingRefund
    expect(bet.locator(".bet-status")).to_contain_text("could not be settled")
    screenshot(page, bet, "dice-refund-offer")
    refund.click()
    expect_tx(page, "Refund bet")
    expect(bet).to_have_attribute("data-outcome", "refunded", timeout=20_000)
    assert dice_log(stack, "BetTimedOut", bet_id)["payout"] == ETHER // 10
    assert vault_balance(stack, player, ETH) == after_placing + ETHER // 10
    assert [tx["to"].lower() for tx in wallet.sent_transactions()][-1] == game.address.lower()
    assert game.functions.betStatusOf(lock_id).call() == [bet_id, 0]  # Closed: the lock is refunded
    screenshot(page, bet, "dice-refunded")


def test_bets_the_bankroll_or_the_bond_cannot_back_are_explained(
    page: Page, stack: Stack, player: str, wallet: TestWallet
) -> None:
    """Both caps are checked before sending: the refusal names the cap, the figures and what fits."""
    vault, coordinator = stack.contract("Vault"), stack.contract("RandomnessCoordinator")
    connect(page, stack, player)
    refusal, button = page.locator("#dice-refusal"), page.get_by_role("button", name="Place bet")
    sent = len(wallet.sent_transactions())

    # 10 ETH on "roll under 1" would pay about 990 ETH: beyond what the bankroll may reserve.
    room = vault.functions.maxReserve(ETH).call()
    fill_bet(page, "10", 1, source="wallet")
    expect(refusal).to_have_attribute("data-error", "ExposureTooHigh")
    expect(refusal).to_contain_text("The bankroll cannot back a stake of 10 ETH now")
    expect(refusal).to_contain_text(f"only {eth_text(room)} ETH is left of it")
    expect(button).to_be_disabled()
    screenshot(page, page.locator("#dice"), "dice-refusal-exposure")
    page.fill("#dice-stake", "0.1")
    expect(refusal).to_be_hidden()  # a changed bet clears the old refusal

    # The key's operator starts unbonding all but 0.05 ETH of the free bond: a 0.1 ETH bet at
    # even odds (win ~0.198 ETH) no longer fits. A new deposit restores it for the other tests.
    key_hash = stack.manifest["oracle"]["keyHash"]
    operator = coordinator.functions.operatorOf(key_hash).call()
    free = coordinator.functions.bondOf(key_hash, ETH).call()[4]
    left = ETHER // 20
    coordinator.functions.requestUnbond(key_hash, ETH, free - left).transact({"from": operator})
    try:
        fill_bet(page, "0.1", 50, source="wallet")
        expect(refusal).to_have_attribute("data-error", "BondTooSmall")
        expect(refusal).to_contain_text("The oracle's bond cannot back a stake of 0.1 ETH now")
        expect(refusal).to_contain_text(re.compile(rf"only {re.escape(eth_text(left))} ETH of it is free"))
        expect(button).to_be_disabled()
        screenshot(page, page.locator("#dice"), "dice-refusal-bond")
        assert len(wallet.sent_transactions()) == sent  # refused before sending, both times
    finally:
        coordinator.functions.depositBond(key_hash, ETH, free - left).transact({"from": operator, "value": free - left})


def _buy_form(page: Page, stack: Stack, player: str, round_id: int) -> Locator:
    """The round's buy form. The panel renders once per chain event, so a page that loaded while
    the round was being opened is reloaded (at most three times) until the form is there."""
    form = page.locator(f'.jackpot-buy[data-round="{round_id}"]')
    for _ in range(3):
        if _visible_within(form.locator('input[name="count"]'), 10_000):
            return form
        page.reload()
        connect(page, stack, player)
    return form


def _visible_within(locator: Locator, timeout_ms: int) -> bool:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        locator.wait_for(state="visible", timeout=timeout_ms)
    except PlaywrightTimeoutError:
        return False
    return True


def test_overdue_jackpot_draw_is_expired_in_the_page(page: Page, stack: Stack, player: str) -> None:
    jackpot, coordinator = stack.contract("Jackpot"), stack.contract("RandomnessCoordinator")
    start = stack.manifest["contracts"]["Jackpot"]["block"]
    round_id = selling_round(stack)
    connect(page, stack, player)
    form = _buy_form(page, stack, player, round_id)
    form.locator('input[name="count"]').fill("2")
    form.locator('select[name="source"]').select_option("wallet")
    form.get_by_role("button", name="Buy tickets").click()
    expect_tx(page, f"Jackpot: 2 ticket(s) in round {round_id}")
    tickets = jackpot.functions.roundOf(round_id).call()[3] * 2

    with stack.oracle_paused():
        travel_to(stack, jackpot.functions.roundOf(round_id).call()[5] + 1)
        # the request from the draw's own receipt: a log query sent before the draw is mined finds
        # nothing (it did, once, on a loaded machine)
        drawn = stack.web3.eth.wait_for_transaction_receipt(
            jackpot.functions.draw(round_id).transact({"from": stack.dev_account(0)})
        )
        [requested] = jackpot.events.DrawRequested().process_receipt(drawn, errors=DISCARD)  # the Vault's logs too
        assert requested["args"]["roundId"] == round_id
        request_id = requested["args"]["requestId"]
        [committed] = coordinator.events.RandomnessRequested().process_receipt(drawn, errors=DISCARD)
        assert committed["args"]["requestId"] == request_id
        compensation = committed["args"]["beneficiaryAmount"]
        assert compensation > 0

        page.reload()
        connect(page, stack, player)
        row = page.locator(f'#jackpot-history tr[data-round="{round_id}"]')
        note = page.locator(f'#jackpot-history .draw-overdue[data-round="{round_id}"]')
        expect(row).to_contain_text("drawing")
        expire = note.get_by_role("button", name="Expire the draw")
        expect(note).to_have_count(0)  # not before the deadline
        expect(row.get_by_role("button", name="Make refundable")).to_have_count(0)

        past_deadline(stack, request_of(stack, request_id))
        page.reload()
        connect(page, stack, player)
        expect(expire).to_be_visible()
        expect(note).to_contain_text("the oracle missed the draw's deadline")
        expect(note).to_contain_text(f"plus {eth_short(compensation)} ETH from the oracle's bond")
        screenshot(page, page.locator("#jackpot"), "jackpot-expire-draw")
        expire.click()
        expect_tx(page, f"Expire the draw of round {round_id}")
        expect(row).to_contain_text("refundable")
        expect(note).to_have_count(0)
        assert not coordinator.functions.isPending(request_id).call()

    before = vault_balance(stack, player, ETH)
    row.get_by_role("button", name="Refund my tickets").click()
    expect_tx(page, f"Refund round {round_id}")
    # the only buyer: the whole compensation comes with the refund
    paid = jackpot.events.CompensationPaid().get_logs(from_block=start, argument_filters={"roundId": round_id})
    assert [log["args"]["amount"] for log in paid] == [compensation]
    assert vault_balance(stack, player, ETH) == before + tickets + compensation
