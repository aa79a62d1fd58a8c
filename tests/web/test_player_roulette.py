"""A roulette spin end to end in the page: chips on red and on a split built from tapped numbers,
the stake, the pockets that pay and the most the bet pays shown before betting, the spin, the
result arriving, and what the page shows equal to what the chain settled and to the rules
module's payout for the delivered word; the board fits a phone."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect
from web_page import (
    ETH,
    ETHER,
    assert_fits_phone,
    eth_text,
    expect_tx,
    fresh_player_page,
    game_log,
    screenshot,
)
from web_stack import Stack
from web_wallet import TestWallet

from fairstake.rules import roulette

SETTLED = re.compile(r"\b(won|lost)\b")


def test_a_roulette_spin_from_the_vault_end_to_end(open_page: Callable[[TestWallet], Page], stack: Stack) -> None:
    page, _ = fresh_player_page(open_page, stack, "roulette")
    game = stack.contract("Roulette")
    edge = game.functions.tokenConfig(ETH).call()[3]

    card = page.locator("#roulette")
    page.fill("#roulette-chip", "0.05")
    card.locator('[data-set="red"]').click()
    page.fill("#roulette-chip", "0.01")
    card.locator('[data-number="17"]').click()
    card.locator('[data-number="20"]').click()
    page.click("#roulette-add")
    sets = card.locator("#roulette-sets li")
    expect(sets).to_have_count(2)
    expect(sets.nth(1)).to_contain_text("Split 17/20")
    masks, parts = [roulette.red(), roulette.split(17, 20)], [5 * ETHER // 100, ETHER // 100]
    choice, stake = roulette.encode_choice(masks, parts), sum(parts)
    most, _ = roulette.roll_terms(stake, choice, edge)
    expect(page.locator("#roulette-total")).to_have_text(f"{eth_text(stake)} ETH")
    expect(page.locator("#roulette-chance")).to_contain_text("20 of 37 pockets")  # 18 reds, 17 and 20
    expect(page.locator("#roulette-max-payout")).to_have_text(f"{eth_text(most)} ETH")
    expect(page.locator("#roulette-max-stake")).to_contain_text("per spin")
    screenshot(page, card, "roulette-before")

    page.click("#roulette-bet")
    expect_tx(page, "Roulette: 0.06 ETH on Red + Split 17/20")
    bet = page.locator("#roulette-bets li").first
    expect(bet).to_have_class(SETTLED, timeout=60_000)
    bet_id = int(bet.get_attribute("data-bet-id") or "0")
    placed = game_log(stack, "Roulette", "BetPlaced", bet_id)
    settled = game_log(stack, "Roulette", "BetSettled", bet_id)
    assert (placed["stake"], bytes(placed["choice"]), placed["maxPayout"]) == (stake, choice, most)
    assert int(bet.get_attribute("data-payout") or "-1") == settled["payout"]
    assert settled["payout"] == roulette.roll_payout(stake, choice, edge, settled["word"])
    assert (bet.get_attribute("data-result") or "").split()[0] == str(settled["word"] % 37)
    screenshot(page, card, "roulette-settled")
    assert_fits_phone(page, card)
