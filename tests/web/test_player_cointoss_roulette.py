"""A coin toss and a roulette spin end to end in the page.

The coin toss: the payout, the most the bet pays and the largest stake
shown before betting, the bet, the result arriving, and what the page shows equal to what the
chain settled and to the rules module's outcome for the delivered word; the card fits a phone.

The roulette spin: chips on red and on a split built from tapped numbers,
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
    bet_in_page,
    eth_text,
    fresh_player_page,
    screenshot,
)
from web_stack import Stack
from web_wallet import TestWallet

from fairstake.rules import cointoss, roulette


def test_a_coin_toss_from_the_vault_end_to_end(open_page: Callable[[TestWallet], Page], stack: Stack) -> None:
    page, _ = fresh_player_page(open_page, stack, "cointoss")
    stake = ETHER // 10
    game = stack.contract("CoinToss")
    edge = game.functions.tokenConfig(ETH).call()[3]

    card = page.locator("#cointoss")
    page.fill("#cointoss-stake", "0.1")
    card.get_by_label("Tails").check()
    pays = f"{eth_text(cointoss.payout_if_win(stake, edge))} ETH"
    shown = {"payout": pays, "max-payout": pays, "edge": f"{edge / 100:.2f} %", "max-stake": re.compile("per toss")}
    bet, placed, settled = bet_in_page(page, stack, "cointoss", "CoinToss", "Coin toss: 0.1 ETH on tails", shown)
    assert (placed["stake"], bytes(placed["choice"]), placed["rolls"]) == (stake, cointoss.encode_choice(False), 1)
    expected = cointoss.roll_payout(stake, cointoss.encode_choice(False), edge, settled["word"])
    assert int(bet.get_attribute("data-payout") or "-1") == settled["payout"] == expected
    face = "heads" if cointoss.shows_heads(settled["word"]) else "tails"
    assert bet.get_attribute("data-result") == face
    expect(bet).to_contain_text(face)
    screenshot(page, card, "cointoss-settled")
    assert_fits_phone(page, card)


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
    shown = {
        "total": f"{eth_text(stake)} ETH",
        "chance": re.compile("20 of 37 pockets"),  # 18 reds, 17 and 20
        "max-payout": f"{eth_text(most)} ETH",
        "max-stake": re.compile("per spin"),
    }
    label = "Roulette: 0.06 ETH on Red + Split 17/20"
    bet, placed, settled = bet_in_page(page, stack, "roulette", "Roulette", label, shown)
    assert (placed["stake"], bytes(placed["choice"]), placed["maxPayout"]) == (stake, choice, most)
    assert int(bet.get_attribute("data-payout") or "-1") == settled["payout"]
    assert settled["payout"] == roulette.roll_payout(stake, choice, edge, settled["word"])
    assert (bet.get_attribute("data-result") or "").split()[0] == str(settled["word"] % 37)
    screenshot(page, card, "roulette-settled")
    assert_fits_phone(page, card)
