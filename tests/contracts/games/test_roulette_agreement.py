"""fairstake.rules.roulette equals RouletteRules: random bets of 1..16 number sets, thousands
of random words evaluated in a few eth_calls through CoinTossRouletteHarness, and the same
refusals for bad bets."""

from __future__ import annotations

import random
from typing import Any

import brownie
import pytest
from brownie import CoinTossRouletteHarness
from eth_abi import encode

from fairstake.rules import roulette as rules

WORDS_PER_CASE = 1_000


@pytest.fixture(scope="module")
def harness(module_isolation: None, owner: Any) -> Any:
    return CoinTossRouletteHarness.deploy({"from": owner})


def random_bet(rng: random.Random, count: int, big: bool) -> tuple[list[int], list[int]]:
    named = [rules.red(), rules.black(), rules.dozen(2), rules.column(3), rules.corner(14), rules.split(0, 2)]
    masks = [rng.choice(named) if rng.random() < 0.4 else rng.randrange(1, 2**37) for _ in range(count)]
    parts = [rng.randrange(1, 2**120 if big else 10**19) for _ in range(count)]
    return masks, parts


@pytest.mark.parametrize("seed", range(8))
def test_spins_agree_for_random_bets_and_words(harness: Any, seed: int) -> None:
    rng = random.Random(seed)
    masks, parts = random_bet(rng, rng.randint(1, 16), big=seed % 2 == 1)
    edge = rng.randint(0, rules.MAX_EDGE_BPS)
    stake, choice = sum(parts), rules.encode_choice(masks, parts)
    words = [rng.getrandbits(256) for _ in range(WORDS_PER_CASE)]
    words[:37] = range(37)  # every pocket once
    max_payout, house_edge, payouts = harness.roulettePayouts(words, stake, choice, edge)
    assert (max_payout, house_edge) == rules.roll_terms(stake, choice, edge)
    assert list(payouts) == [rules.roll_payout(stake, choice, edge, word) for word in words]


def test_terms_agree_for_many_bets(harness: Any) -> None:
    rng = random.Random(99)
    for _ in range(150):
        masks, parts = random_bet(rng, rng.randint(1, 16), big=rng.random() < 0.5)
        edge = rng.randint(0, rules.MAX_EDGE_BPS)
        choice = rules.encode_choice(masks, parts)
        assert tuple(harness.roulettePayouts([], sum(parts), choice, edge)[:2]) == rules.roll_terms(
            sum(parts), choice, edge
        )


@pytest.mark.parametrize(
    ("choice", "stake", "error"),
    [
        (b"", 1, "BadRouletteChoice: "),
        (encode(["uint64[]", "uint256[]"], [[1, 2], [1]]) + bytes(32), 1, "BadRouletteChoice: "),
        (encode(["uint256[]", "uint256[]"], [[2**64], [1]]), 1, "BadRouletteChoice: "),
        (rules.encode_choice([], []), 0, "BadSetCount: 0, 16"),
        (rules.encode_choice([1] * 17, [1] * 17), 17, "BadSetCount: 17, 16"),
        (rules.encode_choice([1, 0], [1, 1]), 2, "BadNumberSet: 1, 0"),
        (rules.encode_choice([1 << 37], [1]), 1, f"BadNumberSet: 0, {1 << 37}"),
        (rules.encode_choice([1, 2], [1, 0]), 1, "ZeroPart: 1"),
        (rules.encode_choice([1, 2], [1, 1]), 3, "PartsNotStake: 2, 3"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_bad_bets_are_refused_by_both(harness: Any, choice: bytes, stake: int, error: str) -> None:
    with brownie.reverts(error):
        harness.roulettePayouts([], stake, choice, 0)
    with pytest.raises(ValueError):
        rules.roll_terms(stake, choice, 0)
