"""A Dice bet end to end in the page: deposit, see odds and payout before betting, bet, see the
result arrive, and check that what the page shows is exactly what the chain settled (and what
the rules module computes from the delivered random word)."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Locator, Page, expect
from web_page import (
    ETH,
    ETHER,
    connect,
    dice_log,
    eth_text,
    expect_tx,
    place_bet,
    shown_bet_ids,
    submit_vault,
    vault_balance,
)
from web_stack import Stack
from web_wallet import TestWallet

from fairstake.rules import dice, multiroll

SETTLED = re.compile(r"\b(won|lost)\b")


def settled_new_bet(page: Page, before: list[str]) -> Locator:
    """The bet the page started tracking since `before` (its bet ids), once settled."""
    page.wait_for_function(
        "before => [...document.querySelectorAll('#dice-bets li')].some((i) => !before.includes(i.dataset.betId))",
        arg=before,
    )
    new = [bet_id for bet_id in shown_bet_ids(page) if bet_id not in before]
    assert len(new) == 1, f"expected one new bet, the page shows {new}"
    bet = page.locator(f'#dice-bets li[data-bet-id="{new[0]}"]')
    expect(bet).to_have_class(SETTLED, timeout=60_000)
    return bet


def assert_shows_chain_result(
    stack: Stack, bet: Locator, stake: int, target: int, over: bool = False
) -> dict[str, Any]:
    bet_id = int(bet.get_attribute("data-bet-id") or "0")
    placed = dice_log(stack, "BetPlaced", bet_id)
    settled = dice_log(stack, "BetSettled", bet_id)
    assert (placed["stake"], bytes(placed["choice"]), placed["rolls"]) == (stake, dice.encode_choice(target, over), 1)
    shown = (
        int(bet.get_attribute("data-roll") or "-1"),
        bet.get_attribute("data-won") == "true",
        int(bet.get_attribute("data-payout") or "-1"),
    )
    assert shown == (settled["word"] % 100, settled["payout"] > stake, settled["payout"])
    edge = stack.contract("Dice").functions.tokenConfig(ETH).call()[3]
    expected = dice.outcome(settled["word"], stake, target, edge, over)
    assert shown == (expected.roll, expected.won, expected.payout)
    return settled


def test_dice_bet_from_the_vault_end_to_end(page: Page, stack: Stack, player: str, wallet: TestWallet) -> None:
    stake, target = ETHER // 10, 50
    connect(page, stack, player)
    submit_vault(page, "ETH", "1", "Deposit")
    expect_tx(page, "Deposit 1 ETH")
    before = vault_balance(stack, player, ETH)

    # The odds and payout are shown before betting, by the rules module's formula.
    page.fill("#dice-stake", "0.1")
    page.locator("#dice-target").fill(str(target))
    edge = stack.contract("Dice").functions.tokenConfig(ETH).call()[3]
    expect(page.locator("#dice-chance")).to_have_text(f"{target} %")
    expect(page.locator("#dice-payout")).to_have_text(f"{eth_text(dice.payout_if_win(stake, target, edge))} ETH")
    expect(page.locator("#dice-edge")).to_have_text(f"{edge / 100:.2f} %")

    before_bets = shown_bet_ids(page)
    place_bet(page, "0.1", target)
    bet = settled_new_bet(page, before_bets)
    settled = assert_shows_chain_result(stack, bet, stake, target)
    assert vault_balance(stack, player, ETH) == before - stake + settled["payout"]
    expect(page.locator('[data-vault-balance="ETH"]')).to_have_text(eth_text(before - stake + settled["payout"]))
    expect(page.locator("#reality-figures")).to_contain_text("0.1 ETH staked")

    # The bet was one transaction the player's wallet sent to the Dice contract.
    dice_address = stack.manifest["contracts"]["Dice"]["address"].lower()
    assert [tx["to"].lower() for tx in wallet.sent_transactions()][-1] == dice_address

    # The indexer re-verified the proof: the badge opens the bet's audit record.
    badge = bet.locator(".badge")
    expect(badge).to_have_text("✓ proof verified", timeout=30_000)
    # Its id to read and type: where it was placed on chain (block, log index), not the 77 digits.
    dice_contract = stack.contract("Dice")
    [placing] = dice_contract.events.BetPlaced().get_logs(
        from_block=stack.manifest["contracts"]["Dice"]["block"], argument_filters={"betId": settled["betId"]}
    )
    readable = f"dice-{placing['blockNumber']}-{placing['logIndex']}"
    expect(bet.locator(".readable-id")).to_have_text(readable)
    badge.click()
    expect(page).to_have_url(f"{stack.api_url}/audit.html?bet={readable}")
    expect(page.locator("#bet-verdict")).to_have_attribute("data-verified", "true")
    expect(page.locator("#bet-record .readable-id")).to_have_text(readable)


def test_dice_bet_paid_from_the_wallet(page: Page, stack: Stack, player: str) -> None:
    """A roll-over bet: win if the roll is above 10."""
    stake, target = ETHER // 20, 10
    connect(page, stack, player)
    before_vault = vault_balance(stack, player, ETH)
    before_bets = shown_bet_ids(page)
    place_bet(page, "0.05", target, source="wallet", over=True)
    bet = settled_new_bet(page, before_bets)
    settled = assert_shows_chain_result(stack, bet, stake, target, over=True)
    # The stake came in with the bet (msg.value → Vault deposit), so the Vault keeps only the payout.
    assert vault_balance(stack, player, ETH) == before_vault + settled["payout"]

    # After a reload the bet comes back from the indexer's history, with the same result.
    shown = {name: bet.get_attribute(name) for name in ("data-bet-id", "data-roll", "data-won", "data-payout")}
    page.reload()
    connect(page, stack, player)
    again = page.locator(f'#dice-bets li[data-bet-id="{shown["data-bet-id"]}"]')
    expect(again).to_have_class(SETTLED)
    assert {name: again.get_attribute(name) for name in shown} == shown
    expect(again.locator(".badge")).to_have_text("✓ proof verified")


def test_stake_out_of_range_is_refused_before_sending(
    page: Page, stack: Stack, player: str, wallet: TestWallet
) -> None:
    _, low, high, _ = stack.contract("Dice").functions.tokenConfig(ETH).call()
    connect(page, stack, player)
    sent = len(wallet.sent_transactions())
    page.select_option("#dice-source", value="wallet")
    page.fill("#dice-stake", "1000")  # above the configured max stake
    refusal = page.locator("#dice-refusal")
    expect(page.get_by_role("button", name="Place bet")).to_be_disabled()
    expect(refusal).to_have_attribute("data-error", "StakeOutOfRange")
    expect(refusal).to_have_text(
        f"A stake of 1000 ETH is outside this game's range: stake {eth_text(low)} ETH to {eth_text(high)} ETH."
    )
    page.fill("#dice-stake", "0.05")
    expect(refusal).to_be_hidden()
    expect(page.get_by_role("button", name="Place bet")).to_be_enabled()
    assert len(wallet.sent_transactions()) == sent  # nothing was sent


def test_multi_roll_bet_shows_its_maximum_and_its_result(page: Page, stack: Stack, player: str) -> None:
    """Ten rolls of 0.01 ETH on roll-over 49 with a stop-loss of 0.03 ETH: the page shows the most
    the bet pays before sending, and afterwards the rolls played and the payout the chain settled,
    which the Python model of the engine's loop recomputes from the delivered word."""
    stake, target, rolls, stop_loss = ETHER // 100, 49, 10, 3 * ETHER // 100
    connect(page, stack, player)
    submit_vault(page, "ETH", "1", "Deposit")
    expect_tx(page, "Deposit 1 ETH")
    edge = stack.contract("Dice").functions.tokenConfig(ETH).call()[3]
    page.fill("#dice-stake", "0.01")
    page.select_option("#dice-direction", value="over")
    page.locator("#dice-target").fill(str(target))
    page.fill("#dice-rolls", str(rolls))
    most = dice.payout_if_win(stake, target, edge, over=True) * rolls
    expect(page.locator("#dice-max-payout")).to_have_text(f"{eth_text(most)} ETH ({rolls} rolls)")
    before = vault_balance(stack, player, ETH)
    before_bets = shown_bet_ids(page)
    place_bet(page, "0.01", target, over=True, rolls=rolls, stop_loss="0.03")
    bet = settled_new_bet(page, before_bets)
    bet_id = int(bet.get_attribute("data-bet-id") or "0")
    placed = dice_log(stack, "BetPlaced", bet_id)
    assert (placed["rolls"], placed["stopLoss"], placed["maxPayout"]) == (rolls, stop_loss, most)
    settled = dice_log(stack, "BetSettled", bet_id)
    choice = dice.encode_choice(target, True)
    expected = multiroll.play(dice, settled["word"], stake, choice, edge, rolls, 0, stop_loss)
    assert (settled["rollsPlayed"], settled["payout"]) == (expected.rolls_played, expected.payout)
    assert bet.get_attribute("data-rolls-played") == str(expected.rolls_played)
    assert int(bet.get_attribute("data-payout") or "-1") == expected.payout
    expect(bet.locator(".bet-status")).to_contain_text(f"played {expected.rolls_played} of {rolls} rolls")
    assert vault_balance(stack, player, ETH) == before - stake * rolls + expected.payout


def test_a_multi_roll_bet_the_caps_cannot_back_is_refused_before_sending(
    page: Page, stack: Stack, player: str, wallet: TestWallet
) -> None:
    """100 rolls of a long shot reserve far more than one roll: the page names the cap that refuses
    the bet and the largest stake it would take, before anything is sent."""
    connect(page, stack, player)
    sent = len(wallet.sent_transactions())
    page.select_option("#dice-source", value="wallet")
    page.fill("#dice-stake", "1")
    page.select_option("#dice-direction", value="under")
    page.locator("#dice-target").fill("2")
    page.fill("#dice-rolls", "100")
    refusal = page.locator("#dice-refusal")
    expect(refusal).to_have_attribute("data-error", re.compile("ExposureTooHigh|BondTooSmall"))
    expect(refusal).to_contain_text("100 rolls of 1 ETH")
    expect(page.get_by_role("button", name="Place bet")).to_be_disabled()
    expect(page.locator("#dice-max-stake")).to_contain_text("per roll")
    page.fill("#dice-rolls", "1")
    page.fill("#dice-stake", "0.01")
    expect(refusal).to_be_hidden()
    assert len(wallet.sent_transactions()) == sent  # nothing was sent
