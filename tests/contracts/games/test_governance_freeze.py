"""Governance stops new business, never money (audit "Trust model part 2", finding 4).

Unregistering a chance game in the Vault, or disallowing its token, must leave every bet, ticket,
prize and rolled-in pot it already holds settleable, claimable or refundable.
"""

from __future__ import annotations

from typing import Any

import pytest
from brownie import chain
from chance_support import (
    CLAIM_PERIOD,
    RAKE_BPS,
    TICKET_PRICE,
    assert_vault_solvent,
    deliver,
    dice_choice,
    expire_past_deadline,
    word_for_roll,
)
from contract_support import ETHER, lock_terms

from fairstake.manifest import ETH

DRAWN, CLAIMED, ROLLED_OVER, REFUNDABLE, SHARING_ROLLED_IN = 3, 4, 5, 6, 8


@pytest.fixture(scope="module", autouse=True)
def _bankroll_first(bankroll: None) -> None:
    """Fund the bankroll before the Jackpot opens its first round: funding moves the clock a day
    (the Vault's bankroll delay), which would leave an earlier round's sales long closed."""


def _advance_to(timestamp: int) -> None:
    while chain[-1].timestamp < timestamp:
        chain.sleep(timestamp - chain[-1].timestamp)
        chain.mine()


def _buy(jackpot: Any, player: Any, count: int, round_id: int) -> Any:
    return jackpot.buyTickets(round_id, count, 0, {"from": player})


def _draw(jackpot: Any, round_id: int, sender: Any) -> Any:
    _advance_to(jackpot.roundOf(round_id)["end"])
    return jackpot.draw(round_id, {"from": sender})


def _lengthen_rounds(jackpot: Any, owner: Any) -> None:
    """Rounds sell for 14 days, longer than the 7-day claim period."""
    jackpot.configureToken(ETH, True, TICKET_PRICE, 14 * 86_400, RAKE_BPS, {"from": owner})


def _drawn_round(jackpot: Any, coordinator: Any, player: Any, count: int) -> int:
    round_id = jackpot.currentRound(ETH)
    _buy(jackpot, player, count, round_id)
    tx = _draw(jackpot, round_id, player)
    deliver(coordinator, tx.events["DrawRequested"]["requestId"], 0)
    assert jackpot.roundOf(round_id)["status"] == DRAWN
    return round_id


# ------------------------------------------------------------------ unregistering the game


def test_unregistered_jackpot_still_pays_a_drawn_prize(
    jackpot: Any, vault: Any, coordinator: Any, owner: Any, alice: Any, outsider: Any, funded: int
) -> None:
    round_id = _drawn_round(jackpot, coordinator, alice, 3)
    prize = jackpot.roundOf(round_id)["prize"]
    vault.setGame(jackpot, False, {"from": owner})
    before = vault.balanceOf(alice, ETH)
    jackpot.claim(round_id, {"from": outsider})
    assert vault.balanceOf(alice, ETH) == before + prize
    assert jackpot.roundOf(round_id)["status"] == CLAIMED
    assert_vault_solvent(vault, ETH)


def test_unregistered_jackpot_rolls_an_unclaimed_prize_over_and_draws_it(
    jackpot: Any, vault: Any, coordinator: Any, owner: Any, alice: Any, bob: Any, outsider: Any, funded: int
) -> None:
    _lengthen_rounds(jackpot, owner)
    first = _drawn_round(jackpot, coordinator, alice, 2)
    prize = jackpot.roundOf(first)["prize"]
    second = jackpot.currentRound(ETH)
    _buy(jackpot, bob, 1, second)
    vault.setGame(jackpot, False, {"from": owner})

    _advance_to(chain[-1].timestamp + CLAIM_PERIOD + 1)
    jackpot.rollOver(first, {"from": outsider})
    assert jackpot.roundOf(first)["status"] == ROLLED_OVER
    assert jackpot.roundOf(second)["rolledIn"] == prize

    tx = _draw(jackpot, second, outsider)  # the next round cannot open: the draw still runs
    assert "NextRoundNotOpened" in tx.events and jackpot.currentRound(ETH) == 0
    deliver(coordinator, tx.events["DrawRequested"]["requestId"], 0)
    won = jackpot.roundOf(second)["prize"]
    assert won > prize
    before = vault.balanceOf(bob, ETH)
    jackpot.claim(second, {"from": outsider})
    assert vault.balanceOf(bob, ETH) == before + won
    assert_vault_solvent(vault, ETH)


def test_unregistered_jackpot_refunds_a_round_whose_draw_was_missed(
    jackpot: Any, vault: Any, owner: Any, alice: Any, bob: Any, outsider: Any, funded: int
) -> None:
    round_id = jackpot.currentRound(ETH)
    _buy(jackpot, alice, 2, round_id)
    _buy(jackpot, bob, 3, round_id)
    vault.setGame(jackpot, False, {"from": owner})
    _advance_to(jackpot.roundOf(round_id)["drawBy"] + 1)
    jackpot.markRefundable(round_id, {"from": outsider})
    assert jackpot.roundOf(round_id)["status"] == REFUNDABLE
    jackpot.refundTickets(round_id, [0, 1], {"from": outsider})
    assert vault.balanceOf(alice, ETH) == funded and vault.balanceOf(bob, ETH) == funded
    assert_vault_solvent(vault, ETH)


def test_unregistered_dice_settles_a_bet_with_its_delivered_result(
    dice: Any, vault: Any, coordinator: Any, owner: Any, alice: Any, outsider: Any, funded: int
) -> None:
    stake = ETHER
    placed = dice.placeBet(ETH, stake, dice_choice(50), 0, {"from": alice})
    bet_id, win = placed.return_value, placed.events["Locked"]["maxPayout"]
    vault.setGame(dice, False, {"from": owner})
    tx = coordinator.deliver(bet_id, [word_for_roll(10)], {"from": outsider})
    assert tx.events["Delivered"]["callbackSuccess"]
    settled = tx.events["BetSettled"]
    assert settled["payout"] == win
    assert vault.balanceOf(alice, ETH) == funded - stake + win
    assert vault.lockedTotal(ETH) == 0 and vault.bankrollReserved(ETH) == 0
    assert_vault_solvent(vault, ETH)


# ------------------------------------------------------------------ a game that never pays

PAYOUT_WINDOW = 30 * 86_400  # the Vault's payout window of a closed pool (README)


def test_unclaimed_prize_of_an_unregistered_jackpot_unwinds_to_the_tickets(
    jackpot: Any,
    vault: Any,
    coordinator: Any,
    owner: Any,
    alice: Any,
    bob: Any,
    outsider: Any,
    funded: int,
    reverts_with: Any,
) -> None:
    """A drawn prize nobody claims or rolls over (the game unregistered, no round to roll into)
    is not stuck: after the payout window anyone returns the pool to the round's tickets pro
    rata, and the winner's late claim then reverts with the Vault's PoolUnwinding instead of
    paying a second time."""
    round_id = jackpot.currentRound(ETH)
    locks = {
        alice: _buy(jackpot, alice, 3, round_id).events["TicketsBought"]["lockId"],
        bob: _buy(jackpot, bob, 1, round_id).events["TicketsBought"]["lockId"],
    }
    vault.setGame(jackpot, False, {"from": owner})
    tx = _draw(jackpot, round_id, outsider)
    deliver(coordinator, tx.events["DrawRequested"]["requestId"], 0)
    drawn = jackpot.roundOf(round_id)
    assert drawn["status"] == DRAWN
    pool_id, prize = drawn["poolId"], drawn["prize"]
    assert vault.getPool(pool_id)["balance"] == prize
    _advance_to(vault.getPool(pool_id)["payBy"] + 1)

    before = {who: vault.balanceOf(who, ETH) for who in locks}
    for lock_id in locks.values():
        vault.refundClosedPool(lock_id, lock_terms(vault, lock_id), {"from": outsider})
    # the prize (4 tickets' stakes less the rake) shared 3:1 by stake
    assert vault.balanceOf(alice, ETH) - before[alice] == prize * 3 // 4
    assert vault.balanceOf(bob, ETH) - before[bob] == prize - prize * 3 // 4
    assert vault.getPool(pool_id)["balance"] == 0
    with reverts_with("PoolUnwinding"):
        jackpot.claim(round_id, {"from": outsider})
    # governance registers the game again and a round opens: the prize cannot roll over either
    vault.setGame(jackpot, True, {"from": owner})
    _lengthen_rounds(jackpot, owner)
    assert jackpot.currentRound(ETH) != 0
    with reverts_with("PoolUnwinding"):
        jackpot.rollOver(round_id, {"from": outsider})
    assert jackpot.roundOf(round_id)["status"] == DRAWN
    assert_vault_solvent(vault, ETH)


def _prize_rolled_into_a_last_round(
    jackpot: Any, vault: Any, coordinator: Any, owner: Any, player: Any, keeper: Any
) -> tuple[int, int]:
    """`player`'s unclaimed prize (2 tickets, long rounds) rolled by `keeper` into the next round,
    which sells no ticket, and governance disallowing ETH so no round opens after it. Returns
    that round and the prize."""
    _lengthen_rounds(jackpot, owner)
    first = _drawn_round(jackpot, coordinator, player, 2)
    prize = jackpot.roundOf(first)["prize"]
    second = jackpot.currentRound(ETH)
    _advance_to(chain[-1].timestamp + CLAIM_PERIOD + 1)
    jackpot.rollOver(first, {"from": keeper})
    vault.setToken(ETH, False, {"from": owner})
    return second, prize


def test_winnerless_rolled_in_money_goes_to_the_bankroll_when_no_round_opens(
    jackpot: Any,
    vault: Any,
    coordinator: Any,
    owner: Any,
    alice: Any,
    outsider: Any,
    funded: int,
    reverts_with: Any,
) -> None:
    """An unclaimed prize rolled into a round that sells no ticket, with governance keeping any
    next round from opening: after the payout window its pool gives the money to the bankroll."""
    second, prize = _prize_rolled_into_a_last_round(jackpot, vault, coordinator, owner, alice, outsider)
    tx = _draw(jackpot, second, outsider)  # no ticket: closes with the rolled-in prize, no next round
    assert "NextRoundNotOpened" in tx.events
    pool_id = jackpot.roundOf(second)["poolId"]
    assert vault.getPool(pool_id)["balance"] == prize and vault.getPool(pool_id)["stakes"] == 0
    bankroll_before = vault.bankrollAssets(ETH)
    _advance_to(vault.getPool(pool_id)["payBy"] + 1)
    vault.releaseClosedPool(pool_id, {"from": outsider})
    assert vault.bankrollAssets(ETH) == bankroll_before + prize
    vault.setToken(ETH, True, {"from": owner})
    _lengthen_rounds(jackpot, owner)
    assert jackpot.currentRound(ETH) != 0
    with reverts_with("PoolUnwinding"):
        jackpot.rollOver(second, {"from": outsider})
    assert_vault_solvent(vault, ETH)


def test_rolled_in_money_of_a_round_without_tickets_reaches_the_bankroll(
    jackpot: Any,
    vault: Any,
    coordinator: Any,
    owner: Any,
    alice: Any,
    outsider: Any,
    funded: int,
    reverts_with: Any,
) -> None:
    """A prize rolled into a round that sells no ticket and misses its draw, with no round left to
    roll on into: nothing can share it, so shareRolledIn closes the pool and the Vault's backstop
    gives the money to the bankroll after the payout window (it was stuck in an open pool)."""
    second, prize = _prize_rolled_into_a_last_round(jackpot, vault, coordinator, owner, alice, outsider)
    _advance_to(jackpot.roundOf(second)["drawBy"] + 1)
    jackpot.markRefundable(second, {"from": outsider})
    assert jackpot.roundOf(second)["status"] == REFUNDABLE and jackpot.currentRound(ETH) == 0
    with reverts_with("NoOpenRound"):
        jackpot.rollOver(second, {"from": outsider})

    jackpot.shareRolledIn(second, 1, {"from": outsider})
    pool_id = jackpot.roundOf(second)["poolId"]
    assert jackpot.roundOf(second)["status"] == SHARING_ROLLED_IN
    assert vault.getPool(pool_id)["state"] == 2 and vault.getPool(pool_id)["balance"] == prize
    with reverts_with("NothingToShare"):
        jackpot.shareRolledIn(second, 1, {"from": outsider})
    bankroll_before = vault.bankrollAssets(ETH)
    _advance_to(vault.getPool(pool_id)["payBy"] + 1)
    vault.releaseClosedPool(pool_id, {"from": outsider})
    assert vault.bankrollAssets(ETH) == bankroll_before + prize
    assert vault.getPool(pool_id)["balance"] == 0
    assert_vault_solvent(vault, ETH)


# ------------------------------------------------------------------ disallowing the token


def test_disallowed_token_round_is_still_drawn_and_claimed(
    jackpot: Any, vault: Any, coordinator: Any, owner: Any, alice: Any, outsider: Any, funded: int
) -> None:
    round_id = jackpot.currentRound(ETH)
    _buy(jackpot, alice, 4, round_id)
    vault.setToken(ETH, False, {"from": owner})
    tx = _draw(jackpot, round_id, outsider)
    assert "NextRoundNotOpened" in tx.events and jackpot.currentRound(ETH) == 0
    deliver(coordinator, tx.events["DrawRequested"]["requestId"], 0)
    prize = jackpot.roundOf(round_id)["prize"]
    jackpot.claim(round_id, {"from": outsider})
    assert vault.balanceOf(alice, ETH) == funded - 4 * TICKET_PRICE + prize
    assert_vault_solvent(vault, ETH)


def test_disallowed_token_round_is_still_refundable(
    jackpot: Any, vault: Any, owner: Any, alice: Any, outsider: Any, funded: int
) -> None:
    round_id = jackpot.currentRound(ETH)
    _buy(jackpot, alice, 4, round_id)
    vault.setToken(ETH, False, {"from": owner})
    _advance_to(jackpot.roundOf(round_id)["drawBy"] + 1)
    jackpot.markRefundable(round_id, {"from": outsider})
    assert jackpot.currentRound(ETH) == 0
    jackpot.refundTickets(round_id, [0], {"from": outsider})
    assert vault.balanceOf(alice, ETH) == funded
    assert_vault_solvent(vault, ETH)


def test_disallowed_token_rolled_in_money_goes_to_the_refunded_tickets(
    jackpot: Any,
    vault: Any,
    coordinator: Any,
    owner: Any,
    alice: Any,
    bob: Any,
    carol: Any,
    outsider: Any,
    funded: int,
    reverts_with: Any,
) -> None:
    """A prize rolled into a round whose draw then fails, with no round left to roll on into:
    the round's own tickets share it pro rata (on top of their refunds and the bond's compensation)."""
    _lengthen_rounds(jackpot, owner)
    first = _drawn_round(jackpot, coordinator, alice, 2)
    prize = jackpot.roundOf(first)["prize"]
    second = jackpot.currentRound(ETH)
    _buy(jackpot, bob, 1, second)
    _buy(jackpot, carol, 2, second)
    _advance_to(chain[-1].timestamp + CLAIM_PERIOD + 1)
    jackpot.rollOver(first, {"from": outsider})
    vault.setToken(ETH, False, {"from": owner})

    tx = _draw(jackpot, second, outsider)
    assert jackpot.currentRound(ETH) == 0
    expire_past_deadline(coordinator, tx.events["DrawRequested"]["requestId"])
    assert jackpot.roundOf(second)["status"] == REFUNDABLE
    with reverts_with("RefundsPending"):
        jackpot.shareRolledIn(second, 10, {"from": outsider})
    jackpot.refundTickets(second, [0, 1], {"from": outsider})
    with reverts_with("NoOpenRound"):
        jackpot.rollOver(second, {"from": outsider})
    bob_before, carol_before = vault.balanceOf(bob, ETH), vault.balanceOf(carol, ETH)

    shared = jackpot.shareRolledIn(second, 1, {"from": outsider})
    assert shared.events["RolledInShared"]["amount"] == prize // 3
    assert jackpot.roundOf(second)["status"] == SHARING_ROLLED_IN
    jackpot.shareRolledIn(second, 5, {"from": outsider})
    with reverts_with("NothingToShare"):
        jackpot.shareRolledIn(second, 1, {"from": outsider})
    assert vault.balanceOf(bob, ETH) == bob_before + prize // 3
    assert vault.balanceOf(carol, ETH) == carol_before + prize - prize // 3
    assert vault.getPool(jackpot.roundOf(second)["poolId"])["balance"] == 0
    assert_vault_solvent(vault, ETH)


def test_shared_rolled_in_money_waits_while_a_round_sells(
    jackpot: Any, coordinator: Any, owner: Any, alice: Any, bob: Any, outsider: Any, funded: int, reverts_with: Any
) -> None:
    _lengthen_rounds(jackpot, owner)
    first = _drawn_round(jackpot, coordinator, alice, 2)
    second = jackpot.currentRound(ETH)
    _buy(jackpot, bob, 1, second)
    _advance_to(chain[-1].timestamp + CLAIM_PERIOD + 1)
    jackpot.rollOver(first, {"from": outsider})
    tx = _draw(jackpot, second, outsider)
    expire_past_deadline(coordinator, tx.events["DrawRequested"]["requestId"])
    jackpot.refundTickets(second, [0], {"from": outsider})
    with reverts_with("RoundSelling"):
        jackpot.shareRolledIn(second, 1, {"from": outsider})
    jackpot.rollOver(second, {"from": outsider})
    with reverts_with("NothingToShare"):
        jackpot.shareRolledIn(second, 1, {"from": outsider})
