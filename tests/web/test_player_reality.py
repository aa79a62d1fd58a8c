"""The reality check counts the player's real time: the browser's clock, even when the chain's
clock (which dates the API's session) runs days ahead, as on a development chain that travelled."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from web_page import DESKTOP, PHONE, chain_time, connect, expect_tx, place_bet, screenshot, travel_to
from web_stack import Stack
from web_wallet import TestWallet

DAY = 86_400
PLAYERS = {"desktop": 4, "phone": 2}  # dev accounts without bets elsewhere in the web tests


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_reality_check_counts_real_time_with_the_chain_clock_ahead(
    open_page: Callable[[TestWallet], Page], stack: Stack, size: str
) -> None:
    travel_to(stack, chain_time(stack) + 2 * DAY)  # the chain's clock two days ahead of the browser's
    player = stack.dev_account(PLAYERS[size])
    page = open_page(TestWallet(rpc_url=stack.rpc_url, account=player))
    page.clock.install()  # the browser's clock runs as usual, and can be moved on below
    page.set_viewport_size(DESKTOP if size == "desktop" else PHONE)
    connect(page, stack, player)
    place_bet(page, "0.01", 50, source="wallet")
    expect_tx(page, "Dice: 0.01 ETH")
    figures = page.locator("#reality-figures")
    expect(figures).to_contain_text("0.01 ETH staked")
    # a minute and five seconds of the player's time later
    page.clock.fast_forward("01:05")
    expect(figures).to_have_text(re.compile(r"^1 min \d\d s playing · 0\.01 ETH staked"))
    screenshot(page, page.locator("#reality-check"), f"reality-{size}")
