"""fairstake.rules.cointoss equals CoinTossRules: thousands of random words evaluated in a few
eth_calls through CoinTossRouletteHarness."""

from __future__ import annotations

import random
from typing import Any

import pytest
from brownie import CoinTossRouletteHarness

from fairstake.rules import cointoss as rules

WORDS_PER_CASE = 1_000


@pytest.fixture(scope="module")
def harness(module_isolation: None, owner: Any) -> Any:
    return CoinTossRouletteHarness.deploy({"from": owner})


@pytest.mark.parametrize(
    ("stake", "heads", "edge_bps"),
    [(10**18, True, 100), (10**6 + 7, False, 500), (2**128 - 1, True, 0), (123_456_789, False, 250), (3, True, 1)],
)
def test_tosses_agree_for_random_words(harness: Any, stake: int, heads: bool, edge_bps: int) -> None:
    rng = random.Random(f"{stake}-{heads}-{edge_bps}")
    words = [rng.getrandbits(256) for _ in range(WORDS_PER_CASE)]
    words[:4] = [0, 1, 2, 2**256 - 1]
    choice = rules.encode_choice(heads)
    valid, payout_if_win, house_edge, payouts = harness.coinPayouts(words, stake, choice, edge_bps)
    assert valid
    assert (payout_if_win, house_edge) == rules.roll_terms(stake, choice, edge_bps)
    assert list(payouts) == [rules.roll_payout(stake, choice, edge_bps, word) for word in words]


def test_terms_agree_for_random_stakes(harness: Any) -> None:
    rng = random.Random(9)
    for _ in range(200):
        stake, edge = rng.randrange(1, 2**128), rng.randint(0, rules.MAX_EDGE_BPS)
        _, payout_if_win, house_edge, _ = harness.coinPayouts([], stake, rules.encode_choice(True), edge)
        assert (payout_if_win, house_edge) == (rules.payout_if_win(stake, edge), rules.house_edge(stake, edge))


@pytest.mark.parametrize(
    "choice",
    [b"", bytes(31), (2).to_bytes(32, "big"), bytes(33), b"\x01" + bytes(31)],
    ids=["empty", "short", "two", "long", "high-byte"],
)
def test_malformed_choices_are_invalid_in_both(harness: Any, choice: bytes) -> None:
    assert not harness.coinPayouts([], 1, choice, 0)[0]
    with pytest.raises(ValueError):
        rules.decode_choice(choice)
