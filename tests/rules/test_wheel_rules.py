"""fairstake.rules.wheel: the 15 default wheels against a model written here (each wheel's
segments counted by hand, expectations as Fractions), and a long seeded run per risk level whose
observed RTP falls inside its confidence interval around the model's."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest

from fairstake.rules import weighted, wheel

ONE_X = 10_000


@pytest.mark.parametrize("segments", wheel.DEFAULT_SEGMENTS)
@pytest.mark.parametrize("risk", [0, 1, 2])
def test_default_wheels(segments: int, risk: int) -> None:
    config = wheel.default_wheel(segments, risk)
    assert config.weights == (1,) * segments
    assert config.risk == risk
    paying = [m for m in config.multipliers if m > 0]
    # low: 1.5x, 1.0x and six 1.2x per ten; medium: 1.9x, 1.5x, 2.0x, 1.5x, 2.8x per ten; high: one winner
    expected_paying = {0: 8 * segments // 10, 1: 5 * segments // 10, 2: 1}[risk]
    assert len(paying) == expected_paying
    mean = Fraction(sum(config.multipliers), segments * ONE_X)
    assert mean == Fraction(97, 100) == weighted.rtp(config)
    if risk == 2:
        assert max(config.multipliers) == segments * 9_700


def test_the_wheel_segment_is_word_mod_segments() -> None:
    config = wheel.default_wheel(50, 1)
    rng = random.Random(1)
    for word in [rng.getrandbits(256) for _ in range(2_000)] + [0, 49, 50, 2**256 - 1]:
        assert weighted.segment(config, word) == word % 50


def test_an_uneven_wheel_is_refused() -> None:
    with pytest.raises(ValueError, match="RTP"):
        wheel.wheel((20_000, 0, 0), 2)


@pytest.mark.parametrize("risk", [0, 1, 2])
def test_long_seeded_run_lies_inside_its_confidence_interval(risk: int) -> None:
    """100,000 seeded rolls of the 20-segment wheel: the observed RTP lies within 4 standard
    errors of the model's (a fair implementation falls outside with probability below 1e-4)."""
    config = wheel.default_wheel(20, risk)
    rolls, stake = 100_000, 10**18
    rng = random.Random(f"wheel-{risk}")
    choice = weighted.encode_choice(risk + 1)
    paid = sum(weighted.roll_payout(stake, choice, 0, rng.getrandbits(256), config) for _ in range(rolls))
    multipliers = [m / ONE_X for m in config.multipliers]
    mean = sum(multipliers) / len(multipliers)
    sigma = math.sqrt(sum((m - mean) ** 2 for m in multipliers) / len(multipliers))
    assert abs(paid / (stake * rolls) - mean) < 4 * sigma / math.sqrt(rolls)
    assert weighted.return_variance(config) == Fraction(
        sum((Fraction(m, ONE_X) - Fraction(97, 100)) ** 2 for m in config.multipliers), len(multipliers)
    )
