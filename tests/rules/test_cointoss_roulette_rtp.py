"""A long seeded simulation of CoinToss and Roulette through their rules modules: the observed
return to player lies within 4 standard deviations of the theory, which the test computes on its
own by enumerating every outcome (two faces, 37 pockets), and the rules' RTP formulas agree with
that enumeration exactly.

Bound: over N independent rolls of one bet with payout mean mu and standard deviation sigma (both
per unit staked, from the enumeration), the observed mean falls outside mu +- 4 sigma / sqrt(N)
with probability below 1e-4."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest

from fairstake.rules import cointoss, roulette

ROLLS = 60_000
STAKE = 10**18


def enumerate_moments(payouts: list[int], stake: int) -> tuple[Fraction, float]:
    """Mean and standard deviation of the return per unit staked, outcomes equally likely."""
    mean = Fraction(sum(payouts), len(payouts) * stake)
    variance = sum((Fraction(p, stake) - mean) ** 2 for p in payouts) / len(payouts)
    return mean, math.sqrt(variance)


def observed_rtp(seed: str, play) -> float:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    return sum(play(rng.getrandbits(256)) for _ in range(ROLLS)) / (ROLLS * STAKE)


@pytest.mark.parametrize(("heads", "edge"), [(True, 100), (False, 500)])
def test_cointoss_observed_rtp_within_its_confidence_interval(heads: bool, edge: int) -> None:
    choice = cointoss.encode_choice(heads)
    faces = [cointoss.roll_payout(STAKE, choice, edge, word) for word in (0, 1)]  # even, odd word
    mean, sd = enumerate_moments(faces, STAKE)
    assert mean == cointoss.exact_rtp(STAKE, edge) == Fraction(10_000 - edge, 10_000)
    assert sd == pytest.approx(cointoss.return_std_dev(edge))
    seen = observed_rtp(f"cointoss-{heads}-{edge}", lambda word: cointoss.roll_payout(STAKE, choice, edge, word))
    assert abs(seen - float(mean)) <= 4 * sd / math.sqrt(ROLLS), (seen, float(mean))


@pytest.mark.parametrize(
    ("sets", "edge"),
    [
        ([(roulette.red(), 1)], 0),
        ([(roulette.straight(17), 1)], 100),
        ([(roulette.dozen(2), 2), (roulette.corner(14), 1), (roulette.straight(0), 1)], 200),
        ([(roulette.split(0, 3), 3), (roulette.column(1), 5), (roulette.odd(), 7), (roulette.street(12), 1)], 50),
    ],
)
def test_roulette_observed_rtp_within_its_confidence_interval(sets: list[tuple[int, int]], edge: int) -> None:
    weights = sum(w for _, w in sets)
    masks = [m for m, _ in sets]
    parts = [STAKE * w // weights for _, w in sets]
    parts[0] += STAKE - sum(parts)
    choice = roulette.encode_choice(masks, parts)
    pockets = [roulette.roll_payout(STAKE, choice, edge, n) for n in range(37)]
    mean, sd = enumerate_moments(pockets, STAKE)
    assert mean == roulette.exact_rtp(STAKE, choice, edge)
    assert float(mean) == pytest.approx(roulette.theoretical_rtp(edge), rel=1e-12)  # rounding is < 1 wei per set
    seen = observed_rtp(f"roulette-{sets}-{edge}", lambda word: roulette.roll_payout(STAKE, choice, edge, word))
    assert abs(seen - float(mean)) <= 4 * sd / math.sqrt(ROLLS), (seen, float(mean))


def test_distributions_are_the_enumerated_outcomes() -> None:
    choice = cointoss.encode_choice(False)
    toss = cointoss.roll_distribution(STAKE, choice, 100)
    assert sorted(toss) == sorted([(Fraction(1, 2), cointoss.roll_payout(STAKE, choice, 100, w)) for w in (0, 1)])
    assert cointoss.choice_details(choice) == {"heads": False}
    masks, parts = [roulette.red(), roulette.straight(0)], [STAKE - 5, 5]
    bet = roulette.encode_choice(masks, parts)
    spin = roulette.roll_distribution(STAKE, bet, 30)
    assert spin == [(Fraction(1, 37), roulette.roll_payout(STAKE, bet, 30, n)) for n in range(37)]
    assert roulette.choice_details(bet) == {
        "sets": [sorted(roulette.RED_NUMBERS), [0]],
        "parts": [str(STAKE - 5), "5"],
    }
