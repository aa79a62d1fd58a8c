"""Every game playable from the page as `./run up` leaves the platform: a Jackpot round on sale per
token (a stopped round explained in words, with the step that starts the next one), an open Match
and Tournament to join, and matches and tournaments created by players from the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from web_page import (
    DESKTOP,
    ETH,
    PHONE,
    assert_fits_phone,
    chain_time,
    connect,
    expect_tx,
    screenshot,
    selling_round,
    travel_to,
)
from web_platform import LIQUIDITY_PROVIDER
from web_stack import Stack
from web_wallet import TestWallet

ROUND_END, ROUND_DRAW_BY, ROUND_TICKETS = 5, 6, 8  # Jackpot.roundOf fields
CLOSED = 7  # Jackpot.Status.Closed
BUYER = 17  # a dev account that buys a ticket on chain
CREATOR = 18  # creates and joins games from the page; its stakes count in no other test's session


def round_status(stack: Stack, round_id: int) -> int:
    jackpot = stack.contract("Jackpot")
    outputs = next(f for f in jackpot.abi if f.get("name") == "roundOf")["outputs"][0]["components"]
    index = [c["name"] for c in outputs].index("status")
    return int(jackpot.functions.roundOf(round_id).call()[index])


def brownie_contracts(stack: Stack) -> dict[str, Any]:
    """The deployment as brownie contracts, for the code `up` runs (ops.simulation)."""
    from brownie import Contract

    return {
        name: Contract.from_abi(name, info["address"], info["abi"])
        for name, info in stack.manifest["contracts"].items()
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_stopped_round_is_explained_and_the_next_one_started(
    page: Page, stack: Stack, player: str, viewport: Any
) -> None:
    jackpot, w3 = stack.contract("Jackpot"), stack.web3
    page.set_viewport_size(viewport)
    round_id = selling_round(stack)
    info = jackpot.functions.roundOf(round_id).call()
    price, end = info[3], info[ROUND_END]
    # someone else's ticket, so the round has something to draw
    buyer = stack.dev_account(BUYER)
    w3.eth.wait_for_transaction_receipt(
        jackpot.functions.buyTickets(round_id, 1, price).transact({"from": buyer, "value": price})
    )
    tickets = jackpot.functions.roundOf(round_id).call()[ROUND_TICKETS]
    connect(page, stack, player)
    box = page.locator(f'.round[data-round="{round_id}"]')
    expect(box.locator(".round-state")).to_have_attribute("data-state", "selling")
    expect(box.locator(".round-state")).to_contain_text("Tickets on sale until")

    # Sales over with tickets: anyone may draw, and the page says so.
    travel_to(stack, end + 1)
    page.reload()
    connect(page, stack, player)
    state = box.locator(".round-state")
    expect(state).to_have_attribute("data-state", "drawable")
    expect(state).to_contain_text(f"with {tickets} ticket(s). Anyone may now draw the winner")
    screenshot(page, page.locator("#jackpot"), f"jackpot-drawable-{viewport['width']}")
    box.get_by_role("button", name="Draw").click()
    expect_tx(page, f"Draw round {round_id}")

    # The next round opened at once; once its sales end with nothing sold, the page offers to
    # start the one after (a round without tickets is closed, not drawn).
    empty_id = jackpot.functions.currentRound(ETH).call()
    assert empty_id > round_id
    empty_end = jackpot.functions.roundOf(empty_id).call()[ROUND_END]
    travel_to(stack, empty_end + 1)
    page.reload()
    connect(page, stack, player)
    box = page.locator(f'.round[data-round="{empty_id}"]')
    state = box.locator(".round-state")
    expect(state).to_have_attribute("data-state", "empty")
    expect(state).to_contain_text("with no tickets sold. Start the next round")
    expect(box.get_by_role("button", name="Draw")).to_have_count(0)
    screenshot(page, page.locator("#jackpot"), f"jackpot-stopped-{viewport['width']}")
    box.get_by_role("button", name="Start the next round").click()
    expect_tx(page, f"Round {empty_id}: start the next round")
    following = jackpot.functions.currentRound(ETH).call()
    assert following > empty_id
    assert round_status(stack, empty_id) == CLOSED  # no tickets: closed, nothing drawn
    fresh = page.locator(f'.round[data-round="{following}"]')
    expect(fresh.locator(".round-state")).to_have_attribute("data-state", "selling")
    expect(fresh.get_by_role("button", name="Buy tickets")).to_be_visible()

    # A round nobody drew in time: the page says it can no longer be drawn.
    late_draw_by = jackpot.functions.roundOf(following).call()[ROUND_DRAW_BY]
    travel_to(stack, late_draw_by + 1)
    page.reload()
    connect(page, stack, player)
    state = page.locator(f'.round[data-round="{following}"] .round-state')
    expect(state).to_have_attribute("data-state", "missed")
    expect(state).to_contain_text("Nobody drew this round by")
    missed = page.locator(f'.round[data-round="{following}"]')
    expect(missed.get_by_role("button", name="Start the next round")).to_be_visible()


def test_up_leaves_every_game_playable(page: Page, stack: Stack, player: str) -> None:
    """What `up` runs after its simulation, on a chain whose clock went past every round's sales."""
    from ops.simulation import open_for_play

    jackpot, match, tournament = stack.contract("Jackpot"), stack.contract("Match"), stack.contract("Tournament")
    tokens = [ETH, stack.token("USDS")["address"]]
    current = [jackpot.functions.currentRound(t).call() for t in tokens]
    latest_end = max(jackpot.functions.roundOf(r).call()[ROUND_END] for r in current)
    travel_to(stack, max(latest_end, chain_time(stack)) + 1)
    matches, tournaments = match.functions.matchCount().call(), tournament.functions.tournamentCount().call()
    from brownie import accounts

    open_for_play(brownie_contracts(stack), accounts[LIQUIDITY_PROVIDER])

    now = chain_time(stack)
    for token in tokens:
        assert jackpot.functions.roundOf(jackpot.functions.currentRound(token).call()).call()[ROUND_END] > now
    assert match.functions.matchCount().call() == matches + 1
    assert tournament.functions.tournamentCount().call() == tournaments + 1

    connect(page, stack, player)
    for token in tokens:
        round_id = jackpot.functions.currentRound(token).call()
        box = page.locator(f'.round[data-round="{round_id}"]')
        expect(box.get_by_role("button", name="Buy tickets")).to_be_visible()
    match_row = page.locator(f'#matches-list tr[data-id="{matches + 1}"]')
    tournament_row = page.locator(f'#tournaments-list tr[data-id="{tournaments + 1}"]')
    expect(match_row.get_by_role("button", name="Join")).to_be_visible()
    expect(tournament_row.get_by_role("button", name="Enter")).to_be_visible()
    screenshot(page, page.locator("#jackpot"), "jackpot-after-up")
    screenshot(page, page.locator("#matches"), "matches-after-up")
    # On a phone every column of the game tables is on screen, the Join button included.
    for card in ("#jackpot", "#matches", "#tournaments"):
        assert_fits_phone(page, page.locator(card))
    join = match_row.get_by_role("button", name="Join")
    join.scroll_into_view_if_needed()
    expect(join).to_be_in_viewport()  # no sideways swipe needed to reach it


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_match_and_tournament_created_and_joined_from_the_page(
    open_page: Callable[[TestWallet], Page], stack: Stack, viewport: Any
) -> None:
    match, tournament = stack.contract("Match"), stack.contract("Tournament")
    player = stack.dev_account(CREATOR)
    page = open_page(TestWallet(rpc_url=stack.rpc_url, account=player))
    page.set_viewport_size(viewport)
    connect(page, stack, player)

    section = page.locator("#matches")
    section.get_by_text("Create a match").click()
    form = section.locator("form.create-game")
    form.locator('select[name="token"]').select_option(label="ETH")
    form.locator('input[name="entry"]').fill("0.02")
    form.locator('input[name="players"]').fill("3")
    form.locator('input[name="split"]').fill("60/30")  # 90 %: refused beside the form, nothing sent
    form.get_by_role("button", name="Create match").click()
    refusal = form.locator(".refusal")
    expect(refusal).to_have_text("The prize split is percentages by place that add up to 100, e.g. 70/30.")
    form.locator('input[name="split"]').fill("70/30")
    expect(refusal).to_be_hidden()
    count = match.functions.matchCount().call()
    form.get_by_role("button", name="Create match").click()
    expect_tx(page, "Create match: 0.02 ETH entry, 3 players, split 70% / 30%")
    match_id = count + 1
    info = match.functions.matchInfo(match_id).call()
    assert match.functions.creatorOf(match_id).call() == player
    assert (info[0], info[1], info[2], list(info[4])) == (ETH, 2 * 10**16, 3, [7000, 3000])
    deadline = info[6]
    assert abs(deadline - (chain_time(stack) + 24 * 3600)) < 120  # the form's default: results within 24 h

    row = page.locator(f'#matches-list tr[data-id="{match_id}"]')
    expect(row).to_contain_text("0 / 3")
    row.get_by_role("button", name="Join").click()
    expect_tx(page, f"Join match {match_id}")
    expect(row).to_contain_text("joined")
    assert match.functions.playersOf(match_id).call() == [player]
    screenshot(page, page.locator("#matches"), f"matches-created-{viewport['width']}")

    section = page.locator("#tournaments")
    section.get_by_text("Create a tournament").click()
    form = section.locator("form.create-game")
    form.locator('input[name="entry"]').fill("0.01")
    form.locator('input[name="players"]').fill("4")
    form.locator('input[name="split"]').fill("50/30/20")
    form.locator('input[name="registration"]').fill("100")
    form.locator('input[name="result"]').fill("48")  # registration would close after the results
    form.get_by_role("button", name="Create tournament").click()
    expect(form.locator(".refusal")).to_contain_text("Registration must close")
    form.locator('input[name="registration"]').fill("2")
    count = tournament.functions.tournamentCount().call()
    form.get_by_role("button", name="Create tournament").click()
    expect_tx(page, "Create tournament: 0.01 ETH entry, 4 players, split 50% / 30% / 20%")
    tournament_id = count + 1
    assert tournament.functions.creatorOf(tournament_id).call() == player
    row = page.locator(f'#tournaments-list tr[data-id="{tournament_id}"]')
    row.get_by_role("button", name="Enter").click()
    expect_tx(page, f"Enter tournament {tournament_id}")
    expect(row).to_contain_text("1 / 4")
    screenshot(page, page.locator("#tournaments"), f"tournaments-created-{viewport['width']}")
