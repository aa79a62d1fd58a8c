"""The activity panel: everyone's bets arriving live over the feed, the leaderboard as the API
ranks it, and the player's own history across every game (with its empty state), each bet named
by its readable id (the block and log index that placed it, read from the chain here)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from web3.logs import DISCARD
from web_page import DESKTOP, ETH, ETHER, PHONE, connect, eth_text, expect_tx, place_bet, screenshot
from web_stack import Stack, fetch_json
from web_wallet import TestWallet

from fairstake.rules.dice import encode_choice as dice_choice

NEWCOMER = {"desktop": 15, "phone": 16}  # dev accounts no other test uses: no bets before this test
BYSTANDER = 17  # bets straight on chain, seen live by the page


def placing_id(game: str, log: Any) -> str:
    return f"{game}-{log['blockNumber']}-{log['logIndex']}"


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_live_bets_leaderboard_and_history(open_page: Callable[[TestWallet], Page], stack: Stack, size: str) -> None:
    player = stack.dev_account(NEWCOMER[size])
    page = open_page(TestWallet(rpc_url=stack.rpc_url, account=player))
    page.set_viewport_size(DESKTOP if size == "desktop" else PHONE)
    connect(page, stack, player)
    history = page.locator("#history li")
    expect(history).to_have_count(1)
    expect(history.first).to_have_text(
        "You have not placed a bet yet. "
        "Your Dice bets, Jackpot tickets, matches and tournaments will all be listed here."
    )
    screenshot(page, page.locator("#activity"), f"activity-empty-{size}")

    # Someone else bets, not through this page: it arrives in the live list over the feed.
    w3, dice = stack.web3, stack.contract("Dice")
    bystander = stack.dev_account(BYSTANDER)
    stake = ETHER // 100
    tx = dice.functions.placeBet(ETH, stake, dice_choice(60), stake).transact({"from": bystander, "value": stake})
    receipt = w3.eth.wait_for_transaction_receipt(tx)
    placed = dice.events.BetPlaced().process_receipt(receipt, errors=DISCARD)[0]
    theirs = page.locator(f'#live-bets li[data-readable-id="{placing_id("dice", placed)}"]')
    expect(theirs).to_contain_text("Dice")
    expect(theirs).to_contain_text(f"{eth_text(stake)} ETH")
    expect(theirs.locator(".who")).to_have_attribute("title", bystander)
    # ... and its result too, once the oracle settled it
    expect(theirs).to_have_attribute("data-status", re.compile(r"^(won|lost)$"), timeout=60_000)

    # The player bets on Dice and joins a Match from the page: both in their history, newest first.
    # (A Match, not Jackpot tickets: the Jackpot tests after this one expect a round to themselves.)
    place_bet(page, "0.02", 50, source="wallet")
    expect_tx(page, "Dice: 0.02 ETH")
    match = stack.contract("Match")
    deadline = stack.web3.eth.get_block("latest")["timestamp"] + 3600
    w3.eth.wait_for_transaction_receipt(
        match.functions.create(ETH, ETHER // 40, 2, [10_000], deadline).transact({"from": stack.dev_account(0)})
    )
    match_id = match.functions.matchCount().call()
    page.locator(f'#matches-list tr[data-id="{match_id}"]').get_by_role("button", name="Join").click()
    expect_tx(page, f"Join match {match_id}")

    start = stack.manifest["contracts"]
    # BetPlaced names only the bet: the player's Dice bets are the Vault locks Dice took for them,
    # each named by the BetPlaced of its placing transaction
    vault = stack.contract("Vault")
    my_locks = vault.events.Locked().get_logs(
        from_block=start["Dice"]["block"], argument_filters={"player": player, "game": dice.address}
    )
    my_dice = [
        placing
        for lock in my_locks
        for placing in dice.events.BetPlaced().process_receipt(
            w3.eth.get_transaction_receipt(lock["transactionHash"]), errors=DISCARD
        )
    ]
    my_seats = match.events.PlayerJoined().get_logs(
        from_block=start["Match"]["block"], argument_filters={"player": player}
    )
    assert len(my_dice) == 1 and len(my_seats) == 1
    expected = [placing_id("match", my_seats[0]), placing_id("dice", my_dice[0])]  # newest first
    expect(history).to_have_count(2)
    assert history.evaluate_all("items => items.map((i) => i.dataset.readableId)") == expected
    expect(history.first).to_contain_text("Match")
    expect(history.first).to_contain_text(f"{eth_text(ETHER // 40)} ETH")
    expect(history.nth(1)).to_contain_text("Dice")
    expect(history.nth(1)).to_contain_text("0.02 ETH")

    # The leaderboard is the API's, in token units.
    board = fetch_json(f"{stack.api_url}/leaderboard?token={ETH}&by=wagered&limit=10")
    page.select_option("#leaderboard-by", value="wagered")
    rows = page.locator("#leaderboard li")
    expect(rows).to_have_count(len(board["entries"]))
    first = board["entries"][0]
    expect(rows.first).to_contain_text(f"wagered {eth_text(int(first['wagered']))} ETH")
    expect(rows.first.locator(".who")).to_have_attribute("title", first["player"])
    # nothing in the panel is wider than the screen, at this test's size
    overflow = page.evaluate(
        "() => [...document.querySelectorAll('#activity *')].filter((e) => e.getBoundingClientRect().right"
        " > document.documentElement.clientWidth + 1).length"
    )
    assert overflow == 0
    screenshot(page, page.locator("#activity"), f"activity-{size}")
