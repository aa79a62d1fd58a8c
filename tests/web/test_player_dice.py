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

from fairstake.rules import dice

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


def assert_shows_chain_result(stack: Stack, bet: Locator, stake: int, target: int) -> dict[str, Any]:
    bet_id = int(bet.get_attribute("data-bet-id") or "0")
    placed = dice_log(stack, "BetPlaced", bet_id)
    settled = dice_log(stack, "BetSettled", bet_id)
    assert (placed["stake"], placed["target"]) == (stake, target)
    shown = (
        int(bet.get_attribute("data-roll") or "-1"),
        bet.get_attribute("data-won") == "true",
        int(bet.get_attribute("data-payout") or "-1"),
    )
    assert shown == (settled["roll"], settled["won"], settled["payout"])
    edge = stack.contract("Dice").functions.tokenConfig(ETH).call()[3]
    expected = dice.outcome(settled["word"], stake, target, edge)
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
    stake, target = ETHER // 20, 90
    connect(page, stack, player)
    before_vault = vault_balance(stack, player, ETH)
    before_bets = shown_bet_ids(page)
    place_bet(page, "0.05", target, source="wallet")
    bet = settled_new_bet(page, before_bets)
    settled = assert_shows_chain_result(stack, bet, stake, target)
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
