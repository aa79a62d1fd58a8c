"""A Keno bet in the page: pick numbers on the grid (usable at phone width), see the payout table
for that many picks with each hit count's chance before betting, bet, and see the ten numbers the
chain's word drew with the hits marked: exactly what the chain settled and what the rules module
computes from the delivered word. A stake above the table's range is refused next to the button
in token units."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from playwright.sync_api import Page, expect
from web_page import (
    assert_fits_phone,
    connect,
    eth_text,
    expect_tx,
    fresh_player,
    screenshot,
    settled_bet,
    submit_vault,
)
from web_stack import Stack
from web_wallet import TestWallet

from fairstake.rules import keno

PICKS = [3, 7, 12, 30, 40]
STAKE = 10**15  # 0.001 ETH


def test_keno_bet_end_to_end(open_page: Callable[[TestWallet], Page], stack: Stack) -> None:
    # an account of its own: its stakes count in no other test's session figures (Dice's checks them)
    player = fresh_player(stack, "keno")
    page = open_page(TestWallet(rpc_url=stack.rpc_url, account=player))
    connect(page, stack, player)
    submit_vault(page, "ETH", "0.1", "Deposit")
    expect_tx(page, "Deposit 0.1 ETH")
    card = page.locator("#keno")
    for number in PICKS:
        card.get_by_role("button", name=f"Number {number}", exact=True).click()
    expect(page.locator("#keno-count")).to_have_text(f"{len(PICKS)} picked")
    expect(card.get_by_role("button", name="Number 3", exact=True)).to_have_attribute("aria-pressed", "true")

    # The table for five picks, before betting: every hit count with its chance (hypergeometric,
    # computed here) and what it pays at this stake.
    page.fill("#keno-stake", "0.001")
    table_id = int(page.locator("#keno-table-id").input_value())
    _, _, multipliers = stack.contract("Keno").functions.tableOf(table_id).call()
    row = multipliers[len(PICKS) - 1]
    rows = page.locator("#keno-rows tr")
    expect(rows).to_have_count(len(PICKS) + 1)
    for index, hits in enumerate(range(len(PICKS), -1, -1)):
        chance = math.comb(5, hits) * math.comb(35, 10 - hits) / math.comb(40, 10)
        cells = rows.nth(index).locator("td")
        expect(cells.nth(0)).to_have_text(f"{hits} of 5")
        if row[hits]:
            expect(cells.nth(2)).to_have_text(f"{eth_text(STAKE * row[hits] // 10_000)} ETH")
        expect(cells.nth(3)).to_have_text(f"{chance * 100:.2f} %" if chance >= 0.01 else re.compile(r"%|1 in"))
    paying = sum(math.comb(5, h) * math.comb(35, 10 - h) for h in range(6) if row[h]) / math.comb(40, 10)
    expect(page.locator("#keno-chance")).to_have_text(f"{paying * 100:.2f} %")
    expect(page.locator("#keno-max-payout")).to_have_text(f"{eth_text(STAKE * max(row) // 10_000)} ETH")
    assert_fits_phone(page, card)
    page.set_viewport_size({"width": 1280, "height": 1600})
    screenshot(page, card, "keno-picked")

    # A stake above the range is refused before sending, in ETH.
    page.fill("#keno-stake", "5")
    refusal = page.locator("#keno-refusal")
    expect(refusal).to_have_attribute("data-error", "StakeOutOfRange")
    expect(refusal).to_contain_text("A stake of 5 ETH is outside this game's range")
    page.fill("#keno-stake", "0.001")
    expect(refusal).to_be_hidden()

    page.locator("#keno-bet").click()
    expect_tx(page, f"Keno: 0.001 ETH on 5 numbers: {' '.join(str(n) for n in PICKS)}")
    bet, placed, settled = settled_bet(page, stack, "keno", "Keno")
    assert bytes(placed["choice"]) == keno.encode_choice(table_id, keno.mask_of(PICKS))
    word = int(settled["word"])
    drawn = keno.draw(word)
    table = keno.check_table([list(r) for r in multipliers])
    assert bet.get_attribute("data-drawn") == ",".join(str(n) for n in drawn)
    assert int(bet.get_attribute("data-hits") or "-1") == len(set(drawn) & set(PICKS))
    paid = keno.roll_payout(STAKE, bytes(placed["choice"]), 0, word, table)
    assert int(bet.get_attribute("data-payout") or "-1") == paid == int(settled["payout"])
    expect(bet.locator(".keno-drawn .hit")).to_have_count(len(set(drawn) & set(PICKS)))
    expect(bet.locator(".badge")).to_have_text("✓ proof verified", timeout=30_000)
    screenshot(page, card, "keno-settled")
