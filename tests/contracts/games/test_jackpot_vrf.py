"""Jackpot end to end with real randomness: the RandomnessCoordinator verifies an ECVRF proof
made by oracle.ecvrf, the winner is the one the Python rules pick from the proven output, and
the real PlayerRegistry is consulted (an excluded player cannot buy)."""

from __future__ import annotations

from itertools import accumulate
from typing import Any

import pytest
from brownie import Jackpot, accounts, chain
from chance_support import (
    JACKPOT_CALLBACK_GAS,
    RAKE_BPS,
    ROUND_DURATION,
    TICKET_PRICE,
    TIMING,
    commitments_of,
    deploy_on_real_randomness,
    fulfil_all,
)

from fairstake.manifest import ETH
from fairstake.rules import jackpot as rules


@pytest.fixture(scope="module")
def real_jackpot(owner: Any, vault: Any, real_coordinator: Any, real_registry: Any, real_key_hash: str) -> Any:
    jackpot = deploy_on_real_randomness(
        Jackpot, owner, vault, real_coordinator, real_registry, real_key_hash, JACKPOT_CALLBACK_GAS, TIMING
    )
    jackpot.configureToken(ETH, True, TICKET_PRICE, ROUND_DURATION, RAKE_BPS, {"from": owner})
    return jackpot


def test_rounds_drawn_with_real_proofs_follow_the_rules(real_jackpot: Any, real_coordinator: Any, vault: Any) -> None:
    from oracle import ecvrf

    players = list(accounts[10:16])
    for draw in range(3):
        round_id = real_jackpot.currentRound(ETH)
        counts = [1 + (draw * 7 + i * 3) % 11 for i in range(len(players))]
        for player, count in zip(players, counts, strict=True):
            stake = count * TICKET_PRICE
            real_jackpot.buyTickets(round_id, count, stake, {"from": player, "value": stake})
        end = real_jackpot.roundOf(round_id)["end"]
        chain.sleep(end - chain[-1].timestamp + 1)
        chain.mine()
        requested = real_jackpot.draw(round_id, {"from": players[0]})
        tx, (output,) = fulfil_all(real_coordinator, commitments_of(requested), accounts[7])
        assert tx.events["RandomnessFulfilled"][0]["callbackSuccess"]
        word = ecvrf.random_words(output, 1)[0]
        ticket, index = rules.draw(word, list(accumulate(counts)))
        prize, rake = rules.prize_and_rake(sum(counts) * TICKET_PRICE, RAKE_BPS)
        drawn = tx.events["RoundDrawn"]
        assert (drawn["word"], drawn["winningTicket"], drawn["winner"]) == (word, ticket, players[index])
        assert (drawn["prize"], drawn["rake"]) == (prize, rake)
        before = vault.balanceOf(players[index], ETH)
        real_jackpot.claim(round_id, {"from": players[index]})
        assert vault.balanceOf(players[index], ETH) == before + prize


def test_real_registry_exclusion_blocks_tickets(real_jackpot: Any, real_registry: Any, reverts_with: Any) -> None:
    player = accounts[8]
    real_registry.selfExcludePermanently({"from": player})
    with reverts_with("SelfExcluded"):
        real_jackpot.buyTickets(
            real_jackpot.currentRound(ETH), 1, TICKET_PRICE, {"from": player, "value": TICKET_PRICE}
        )
