"""fairstake.rules.keno equals KenoRules: thousands of random words, masks, rows and stakes
evaluated in a few eth_calls through KenoRulesHarness."""

from __future__ import annotations

import random
from typing import Any

import pytest
from brownie import KenoRulesHarness
from contract_support import ganache_share

from fairstake.rules import keno

WORDS = ganache_share(2_000)
CHUNK = 250  # words per eth_call: every draw allocates memory, whose cost grows quadratically


@pytest.fixture(scope="module")
def harness(module_isolation: None, owner: Any) -> Any:
    return KenoRulesHarness.deploy({"from": owner})


def _random_mask(rng: random.Random) -> int:
    return keno.mask_of(rng.sample(range(1, keno.NUMBERS + 1), rng.randint(1, keno.MAX_PICKS)))


@pytest.mark.parametrize("seed", range(3))
def test_draws_and_hits_agree_for_random_words(harness: Any, seed: int) -> None:
    rng = random.Random(seed)
    mask = _random_mask(rng)
    words = [rng.getrandbits(256) for _ in range(WORDS)]
    words[:4] = [0, 1, 40 * 39 * 38 - 1, 2**256 - 1]
    for start in range(0, WORDS, CHUNK):
        chunk = words[start : start + CHUNK]
        numbers, masks, hits = harness.draws(chunk, mask)
        for i, word in enumerate(chunk):
            assert tuple(numbers[i]) == keno.draw(word), word
            assert masks[i] == keno.drawn_mask(word)
            assert hits[i] == keno.hits(mask, word)


def test_pick_validation_agrees(harness: Any) -> None:
    rng = random.Random(5)
    masks = [_random_mask(rng) for _ in range(500)]
    masks += [rng.getrandbits(rng.choice([40, 41, 64, 256])) for _ in range(500)]
    masks += [0, 1, 1 << 39, 1 << 40, (1 << 10) - 1, (1 << 11) - 1, 2**256 - 1]
    valid, counts = harness.picks(masks)
    for mask, ok, count in zip(masks, valid, counts, strict=True):
        try:
            expected = keno.pick_count(mask)
        except ValueError:
            assert not ok, hex(mask)
        else:
            assert ok and count == expected, hex(mask)


def test_hypergeometric_weights_agree(harness: Any) -> None:
    assert [tuple(w) for w in harness.allWeights()] == [keno.weights(k) for k in range(1, keno.MAX_PICKS + 1)]


@pytest.mark.parametrize("picks", range(1, keno.MAX_PICKS + 1))
def test_rows_agree_for_random_multipliers_and_stakes(harness: Any, picks: int) -> None:
    rng = random.Random(picks)
    for _ in range(ganache_share(5)):
        row = [rng.choice([0, rng.randrange(keno.MAX_MULTIPLIER_BPS + 1)]) for _ in range(picks + 1)]
        stakes = [rng.randrange(1, 2**112) if i % 2 else rng.randrange(1, 10**20) for i in range(200)]
        stakes[:3] = [1, 9_999, 10_001]
        numerator, highest, expected, payouts = harness.row(row, stakes)
        assert numerator == keno.rtp_numerator(row)
        assert highest == max(row)
        assert list(expected) == [keno.expected_payout_up(stake, row) for stake in stakes]
        assert [list(p) for p in payouts] == [[keno.payout(stake, m) for m in row] for stake in stakes]
