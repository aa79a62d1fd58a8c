"""Governance stops new business, never money (audit "Trust model part 2", finding 4).

Unregistering a chance game in the Vault, or disallowing its token, must leave every bet, ticket,
prize and rolled-in pot it already holds settleable, claimable or refundable.
"""

# Fixtures are imported from chance_support, so test arguments shadow the imported names.
# ruff: noqa: F811

from __future__ import annotations

from typing import Any

import pytest
from brownie import chain
from chance_support import (  # noqa: F401  (fixtures)
    CLAIM_PERIOD,
    ETHER,
    RAKE_BPS,
    TICKET_PRICE,
    assert_vault_solvent,
    bankroll,
    coordinator,
    deliver,
    dice,
    expire_past_deadline,
    funded,
    jackpot,
    registry,
    usds,
    vault,
    word_for_roll,
)

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
    bet_id = dice.placeBet(ETH, stake, 50, 0, {"from": alice}).return_value
    win = dice.betOf(bet_id)["payoutIfWin"]
    vault.setGame(dice, False, {"from": owner})
    tx = coordinator.deliver(bet_id, [word_for_roll(10)], {"from": outsider})
    assert tx.events["Delivered"]["callbackSuccess"]
    settled = tx.events["BetSettled"]
    assert settled["won"] is True and settled["payout"] == win
    assert vault.balanceOf(alice, ETH) == funded - stake + win
    assert vault.lockedTotal(ETH) == 0 and vault.bankrollReserved(ETH) == 0
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
