"""fairstake.rules.weighted against an independent model written here: a configuration unrolled
into one cell per unit of weight (segment i filling w_i consecutive cells, so a word lands on
cell word % total), expectations as Fractions over the segments, and a long seeded run whose
observed RTP must fall inside its confidence interval around the theory."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairstake.rules import weighted

SMALL = weighted.WeightedConfig((1, 3, 2, 4), (0, 5_000, 25_000, 8_000), risk=1)
ONE_X = 10_000


def cells(config: weighted.WeightedConfig) -> list[int]:
    """The segment of each unit of weight, in order."""
    return [index for index, weight in enumerate(config.weights) for _ in range(weight)]


def model_rtp(config: weighted.WeightedConfig) -> Fraction:
    """The expected multiplier: each segment's with its probability w_i / total."""
    total = sum(config.weights)
    return sum(
        (Fraction(w, total) * Fraction(m, ONE_X) for w, m in zip(config.weights, config.multipliers, strict=True)),
        Fraction(0),
    )


@st.composite
def configs(draw: st.DrawFn) -> weighted.WeightedConfig:
    """Random valid configurations: random weights, multipliers scaled into the RTP caps."""
    count = draw(st.integers(min_value=2, max_value=weighted.MAX_SEGMENTS))
    weights = [draw(st.integers(min_value=1, max_value=2**16 - 1)) for _ in range(count)]
    raw = [draw(st.integers(min_value=0, max_value=1_000)) for _ in range(count)]
    raw[draw(st.integers(min_value=0, max_value=count - 1))] += 1
    target = Fraction(draw(st.integers(min_value=9_500, max_value=9_800)), 10_000)
    scale = target * sum(weights) * ONE_X / sum(w * r for w, r in zip(weights, raw, strict=True))
    multipliers = [math.floor(r * scale) for r in raw]
    # rounding down may have left the RTP under the floor: top up the heaviest paying segment
    total = sum(weights)
    while sum(w * m for w, m in zip(weights, multipliers, strict=True)) < 9_500 * total:
        multipliers[max(range(count), key=lambda i: (multipliers[i] > 0, weights[i]))] += 1
    if max(multipliers) <= ONE_X:
        return SMALL
    return weighted.WeightedConfig(tuple(weights), tuple(multipliers), draw(st.integers(min_value=0, max_value=2)))


def test_a_word_lands_on_the_cell_it_names() -> None:
    unrolled = cells(SMALL)
    for word in [*range(40), 2**256 - 1, 2**255, 10**70]:
        assert weighted.segment(SMALL, word) == unrolled[word % len(unrolled)]


@given(configs(), st.integers(min_value=0, max_value=2**256 - 1))
def test_segment_equals_the_unrolled_model(config: weighted.WeightedConfig, word: int) -> None:
    drawn = word % config.total_weight
    landed = weighted.segment(config, word)
    assert sum(config.weights[:landed]) <= drawn < sum(config.weights[: landed + 1])


@given(configs(), st.integers(min_value=1, max_value=2**112 - 1), st.integers(min_value=0, max_value=2**256 - 1))
def test_payout_and_terms(config: weighted.WeightedConfig, stake: int, word: int) -> None:
    choice = weighted.encode_choice(7)
    paid = weighted.roll_payout(stake, choice, 0, word, config)
    assert paid == math.floor(Fraction(stake * config.multipliers[weighted.segment(config, word)], ONE_X))
    max_payout, house_edge = weighted.roll_terms(stake, choice, 0, config)
    assert max_payout == max(math.floor(Fraction(stake * m, ONE_X)) for m in config.multipliers)
    assert paid <= max_payout
    assert house_edge == stake - math.ceil(stake * model_rtp(config))
    # never overstated: the true edge (each payout rounded down) is at least the declared one
    assert house_edge <= stake * (1 - weighted.exact_rtp(stake, config))
    assert stake * Fraction(2, 100) - 1 <= house_edge <= stake * Fraction(5, 100)


def test_rtp_and_variance_equal_the_model() -> None:
    unrolled = cells(SMALL)
    assert weighted.rtp(SMALL) == Fraction(sum(SMALL.multipliers[c] for c in unrolled), len(unrolled) * ONE_X)
    assert weighted.rtp(SMALL) == model_rtp(SMALL) == Fraction(97, 100)
    mean = model_rtp(SMALL)
    variance = sum(((Fraction(SMALL.multipliers[c], ONE_X) - mean) ** 2 for c in unrolled), Fraction(0)) / len(unrolled)
    assert weighted.return_variance(SMALL) == variance


@pytest.mark.parametrize(
    ("weights", "multipliers", "risk", "reason"),
    [
        ((1, 1), (19_400,), 0, "weights but"),
        ((10,), (9_700,), 0, "segments"),
        ((1,) * 65, (9_700,) * 64 + (10_001,), 0, "segments"),
        ((1, 0), (19_400, 0), 0, "weight must be"),
        ((1, 2**16), (19_400, 0), 0, "weight must be"),
        ((1, 1), (19_400, 0), 3, "risk"),
        ((1, 1), (9_700, 9_700), 0, "more than the stake"),
        ((1, 1), (19_601, 0), 0, "RTP"),
        ((1, 1), (18_999, 0), 0, "RTP"),
        ((1, 1), (2**32, 0), 0, "multiplier must be"),
    ],
)
def test_bad_configurations_are_refused(
    weights: tuple[int, ...], multipliers: tuple[int, ...], risk: int, reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        weighted.WeightedConfig(weights, multipliers, risk)


def test_the_rtp_caps_are_inclusive() -> None:
    assert weighted.rtp(weighted.WeightedConfig((1, 1), (19_600, 0))) == Fraction(98, 100)
    assert weighted.rtp(weighted.WeightedConfig((1, 1), (19_000, 0))) == Fraction(95, 100)


def test_choice_encoding() -> None:
    assert weighted.encode_choice(0x01020304) == bytes(28) + b"\x01\x02\x03\x04"
    assert weighted.decode_choice(weighted.encode_choice(2**32 - 1)) == 2**32 - 1
    for bad in (bytes(31), bytes(33), b"\x01" + bytes(31)):
        with pytest.raises(ValueError):
            weighted.decode_choice(bad)
    with pytest.raises(ValueError):
        weighted.encode_choice(2**32)


def test_long_seeded_run_lies_inside_its_confidence_interval() -> None:
    """200,000 seeded rolls: the observed RTP lies within 4 standard errors of the model's
    (a fair implementation falls outside with probability below 1e-4)."""
    rolls = 200_000
    stake = 10**18
    rng = random.Random(15)
    choice = weighted.encode_choice(1)
    paid = sum(weighted.roll_payout(stake, choice, 0, rng.getrandbits(256), SMALL) for _ in range(rolls))
    mean = model_rtp(SMALL)
    unrolled = cells(SMALL)
    sigma = math.sqrt(sum((SMALL.multipliers[c] / ONE_X - mean) ** 2 for c in unrolled) / len(unrolled))
    assert abs(paid / (stake * rolls) - float(mean)) < 4 * sigma / math.sqrt(rolls)


def test_tables_bind_the_hooks_to_the_configuration_a_choice_names() -> None:
    other = weighted.WeightedConfig((1, 1), (19_400, 0))
    rules = weighted.Tables({3: SMALL, 4: other})
    choice = weighted.encode_choice(3)
    word = 5  # cell 5 of SMALL's 10 lies in segment 2 (cells 4..5), which pays 2.5x
    assert rules.roll_payout(1_000, choice, 0, word) == 2_500
    assert rules.roll_payout(1_000, weighted.encode_choice(4), 0, word) == 0  # 5 % 2 = 1: segment 1
    assert rules.roll_terms(1_000, choice, 0) == (2_500, 1_000 - 970)
    assert rules.choice_details(choice) == {"configId": 3}
    distribution = rules.roll_distribution(1_000, choice, 0)
    assert distribution == [
        (Fraction(1, 10), 0),
        (Fraction(3, 10), 500),
        (Fraction(2, 10), 2_500),
        (Fraction(4, 10), 800),
    ]
    with pytest.raises(ValueError, match="no configuration 5"):
        rules.roll_payout(1_000, weighted.encode_choice(5), 0, word)
