"""A coin toss end to end in the page: the payout, the most the bet pays and the largest stake
shown before betting, the bet, the result arriving, and what the page shows equal to what the
chain settled and to the rules module's outcome for the delivered word; the card fits a phone."""

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

from fairstake.rules import cointoss

SETTLED = re.compile(r"\b(won|lost)\b")


def test_a_coin_toss_from_the_vault_end_to_end(open_page: Callable[[TestWallet], Page], stack: Stack) -> None:
    page, _ = fresh_player_page(open_page, stack, "cointoss")
    stake = ETHER // 10
    game = stack.contract("CoinToss")
    edge = game.functions.tokenConfig(ETH).call()[3]

    card = page.locator("#cointoss")
    page.fill("#cointoss-stake", "0.1")
    card.get_by_label("Tails").check()
    expect(page.locator("#cointoss-payout")).to_have_text(f"{eth_text(cointoss.payout_if_win(stake, edge))} ETH")
    expect(page.locator("#cointoss-max-payout")).to_have_text(f"{eth_text(cointoss.payout_if_win(stake, edge))} ETH")
    expect(page.locator("#cointoss-edge")).to_have_text(f"{edge / 100:.2f} %")
    expect(page.locator("#cointoss-max-stake")).to_contain_text("per toss")
    screenshot(page, card, "cointoss-before")

    page.click("#cointoss-bet")
    expect_tx(page, "Coin toss: 0.1 ETH on tails")
    bet = page.locator("#cointoss-bets li").first
    expect(bet).to_have_class(SETTLED, timeout=60_000)
    bet_id = int(bet.get_attribute("data-bet-id") or "0")
    placed = game_log(stack, "CoinToss", "BetPlaced", bet_id)
    settled = game_log(stack, "CoinToss", "BetSettled", bet_id)
    assert (placed["stake"], bytes(placed["choice"]), placed["rolls"]) == (stake, cointoss.encode_choice(False), 1)
    expected = cointoss.roll_payout(stake, cointoss.encode_choice(False), edge, settled["word"])
    assert int(bet.get_attribute("data-payout") or "-1") == settled["payout"] == expected
    face = "heads" if cointoss.shows_heads(settled["word"]) else "tails"
    assert bet.get_attribute("data-result") == face
    expect(bet).to_contain_text(face)
    screenshot(page, card, "cointoss-settled")
    assert_fits_phone(page, card)
