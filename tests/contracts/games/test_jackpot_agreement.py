"""fairstake.rules.jackpot equals the Solidity rule: winners for many random words and purchase
layouts (binary search over cumulative ends), prize and rake, and real draws through Jackpot."""

from __future__ import annotations

import random
from itertools import accumulate
from typing import Any

import pytest
from brownie import ChanceRulesHarness, accounts, chain
from chance_support import RAKE_BPS, TICKET_PRICE, deliver

from fairstake.manifest import ETH
from fairstake.rules import jackpot as rules


@pytest.fixture(scope="module")
def harness(module_isolation: None, owner: Any) -> Any:
    return ChanceRulesHarness.deploy({"from": owner})


@pytest.mark.parametrize("layout", ["single", "ones", "mixed", "huge"])
def test_winners_agree_for_random_words(harness: Any, layout: str) -> None:
    rng = random.Random(layout)
    counts = {
        "single": [5],
        "ones": [1] * 64,
        "mixed": [rng.randint(1, 40) for _ in range(150)],
        "huge": [rng.randint(1, 2**40) for _ in range(33)],
    }[layout]
    harness.setPurchases(counts, {"from": accounts[0]})
    ends = list(accumulate(counts))
    words = [rng.getrandbits(256) for _ in range(1_000)]
    tickets, indexes = harness.winners(words)
    for i, word in enumerate(words):
        assert (tickets[i], indexes[i]) == rules.draw(word, ends), word


def test_every_ticket_boundary_agrees(harness: Any) -> None:
    counts = [3, 1, 4, 1, 5, 9, 2, 6]
    harness.setPurchases(counts, {"from": accounts[0]})
    ends = list(accumulate(counts))
    words = list(range(ends[-1]))  # word % total == word: every ticket once
    _, indexes = harness.winners(words)
    assert list(indexes) == [rules.winner_index(ends, t) for t in words]


def test_prize_and_rake_agree(harness: Any) -> None:
    rng = random.Random(3)
    for _ in range(200):
        total = rng.randrange(0, 2**128)
        rolled = rng.randrange(0, total + 1)
        rake_bps = rng.randint(0, 500)
        assert tuple(harness.prizeAndRake(total, rake_bps, rolled)) == rules.prize_and_rake(total, rake_bps, rolled)


def test_draws_agree_with_the_rules(jackpot: Any, coordinator: Any) -> None:
    """End to end: random purchases by several players; the game's auditor view and its draw
    pick the same ticket and winner as the Python rule."""
    rng = random.Random(5)
    players = list(accounts[1:7])
    round_id = jackpot.currentRound(ETH)
    buyers, counts = [], []
    for _ in range(25):
        player, count = rng.choice(players), rng.randint(1, 20)
        jackpot.buyTickets(round_id, count, count * TICKET_PRICE, {"from": player, "value": count * TICKET_PRICE})
        buyers.append(player)
        counts.append(count)
    ends = list(accumulate(counts))
    words = [rng.getrandbits(256) for _ in range(300)]
    tickets, indexes, winners = jackpot.drawOutcomes(round_id, words)
    for i, word in enumerate(words):
        ticket, index = rules.draw(word, ends)
        assert (tickets[i], indexes[i], winners[i]) == (ticket, index, buyers[index])

    end = jackpot.roundOf(round_id)["end"]
    chain.sleep(end - chain[-1].timestamp + 1)
    chain.mine()
    request_id = jackpot.draw(round_id, {"from": players[0]}).events["DrawRequested"]["requestId"]
    word = words[0]
    drawn = deliver(coordinator, request_id, word).events["RoundDrawn"]
    ticket, index = rules.draw(word, ends)
    prize, rake = rules.prize_and_rake(ends[-1] * TICKET_PRICE, RAKE_BPS)
    assert (drawn["winningTicket"], drawn["winner"], drawn["prize"], drawn["rake"]) == (
        ticket,
        buyers[index],
        prize,
        rake,
    )
