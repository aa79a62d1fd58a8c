"""WeightedRules and PlinkoRules (Solidity) equal fairstake.rules.weighted and plinko: every
default wheel and board and random configurations packed on chain through WeightedRulesHarness,
thousands of random words landed and paid in a few eth_calls, the terms of random stakes, and
each bad configuration refused with its custom error."""

from __future__ import annotations

import random
from typing import Any

import pytest
from brownie import WeightedRulesHarness
from contract_support import ganache_share
from weighted_support import BAD_CONFIGURATIONS, enabled_header

from fairstake.rules import plinko, weighted, wheel

WORDS = ganache_share(600)
MANY_WORDS = ganache_share(3_000)


@pytest.fixture(scope="module")
def harness(module_isolation: None, owner: Any) -> Any:
    return WeightedRulesHarness.deploy({"from": owner})


def random_config(rng: random.Random) -> weighted.WeightedConfig:
    """A valid configuration with random weights: one segment's multiplier set to bring the RTP
    into the caps."""
    while True:
        count = rng.randint(2, weighted.MAX_SEGMENTS)
        weights = [rng.randint(1, 2**16 - 1) for _ in range(count)]
        multipliers = [rng.randint(0, 20_000) for _ in range(count)]
        total = sum(weights)
        rest = sum(w * m for w, m in zip(weights[1:], multipliers[1:], strict=True))
        target = rng.randint(9_500 * total, 9_800 * total)
        if target > rest and (target - rest) // weights[0] > 10_000:
            multipliers[0] = (target - rest) // weights[0] + 1
            try:
                return weighted.WeightedConfig(tuple(weights), tuple(multipliers), rng.randint(0, 2))
            except ValueError:
                continue


def check_agreement(harness: Any, owner: Any, config: weighted.WeightedConfig, rng: random.Random, words: int) -> None:
    harness.setConfig(config.weights, config.multipliers, config.risk, {"from": owner})
    assert tuple(harness.config()) == enabled_header(config)
    stake = rng.choice([1, 10**6 + 3, 10**18, 2**112 - 1, rng.randrange(1, 2**112)])
    sample = [rng.getrandbits(256) for _ in range(words)]
    # words on every segment boundary: the last cell of each segment and the first of the next
    top = (2**256 // config.total_weight - 1) * config.total_weight  # a high multiple of the total
    for end in (sum(config.weights[: i + 1]) for i in range(len(config.weights))):
        sample += [end - 1, end % config.total_weight, top + end - 1]
    segments_hit, payouts = harness.outcomes(sample, stake)
    choice = weighted.encode_choice(1)
    for word, landed, paid in zip(sample, segments_hit, payouts, strict=True):
        assert (landed, paid) == (weighted.segment(config, word), weighted.roll_payout(stake, choice, 0, word, config))
    stakes = [rng.randrange(1, 2**112) for _ in range(200)] + [1, 99, 10**18]
    max_payouts, edges = harness.terms(stakes)
    for stake_, max_payout, edge in zip(stakes, max_payouts, edges, strict=True):
        assert (max_payout, edge) == weighted.roll_terms(stake_, choice, 0, config)


@pytest.mark.parametrize("segments", wheel.DEFAULT_SEGMENTS)
def test_default_wheels_agree(harness: Any, owner: Any, segments: int) -> None:
    rng = random.Random(f"wheel-{segments}")
    for risk in range(3):
        check_agreement(harness, owner, wheel.default_wheel(segments, risk), rng, WORDS)


@pytest.mark.parametrize("rows", range(plinko.MIN_ROWS, plinko.MAX_ROWS + 1))
def test_default_boards_agree(harness: Any, owner: Any, rows: int) -> None:
    assert tuple(harness.plinkoWeights(rows)) == plinko.slot_weights(rows)
    rng = random.Random(f"plinko-{rows}")
    for risk in range(3):
        board = plinko.default_board(rows, risk)
        harness.plinkoCheckSymmetric(board.multipliers)
        check_agreement(harness, owner, board, rng, WORDS)


def test_random_configurations_agree(harness: Any, owner: Any) -> None:
    rng = random.Random(1515)
    for _ in range(6):
        check_agreement(harness, owner, random_config(rng), rng, MANY_WORDS)


@pytest.mark.parametrize(("weights", "multipliers", "risk", "error"), BAD_CONFIGURATIONS)
def test_bad_configurations_are_refused(
    harness: Any, owner: Any, reverts_with: Any, weights: Any, multipliers: Any, risk: int, error: str
) -> None:
    with pytest.raises(ValueError):
        weighted.WeightedConfig(weights, multipliers, risk)
    with reverts_with(error):
        harness.setConfig(weights, multipliers, risk, {"from": owner})


def test_the_rtp_caps_are_inclusive_on_chain(harness: Any, owner: Any) -> None:
    for multipliers in ((19_600, 0), (19_000, 0)):
        harness.setConfig((1, 1), multipliers, 0, {"from": owner})
        assert harness.config()[2] == multipliers[0]


def test_bad_boards_are_refused(harness: Any, reverts_with: Any) -> None:
    for rows in (7, 17, 0, 255):
        with reverts_with("BadRows"):
            harness.plinkoWeights(rows)
    table = list(plinko.default_board(9, 2).multipliers)
    table[3] += 1
    with reverts_with("NotSymmetric"):
        harness.plinkoCheckSymmetric(table)
