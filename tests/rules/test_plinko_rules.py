"""fairstake.rules.plinko against a model written here: a board of n rows is every one of its 2^n
left/right paths, equally likely, a path ending in the slot numbered by its count of right turns.
The 27 default boards' RTPs come from enumerating those paths; a long seeded run per risk lies
inside its confidence interval around them."""

from __future__ import annotations

import math
import random
from collections import Counter
from fractions import Fraction

import pytest

from fairstake.rules import plinko, weighted

ONE_X = 10_000
BOARDS = [(rows, risk) for rows in range(8, 17) for risk in range(3)]


def path_counts(rows: int) -> list[int]:
    """How many of the 2^rows paths end in each slot."""
    ends = Counter(bin(path).count("1") for path in range(2**rows))
    return [ends[k] for k in range(rows + 1)]


def path_rtp(rows: int, multipliers: tuple[int, ...]) -> Fraction:
    return sum(
        (Fraction(count * multipliers[k], 2**rows * ONE_X) for k, count in enumerate(path_counts(rows))), Fraction(0)
    )


@pytest.mark.parametrize("rows", range(8, 17))
def test_slot_weights_count_the_paths(rows: int) -> None:
    assert list(plinko.slot_weights(rows)) == path_counts(rows)


@pytest.mark.parametrize(("rows", "risk"), BOARDS)
def test_default_boards(rows: int, risk: int) -> None:
    board = plinko.default_board(rows, risk)
    assert len(board.multipliers) == rows + 1
    assert board.multipliers == board.multipliers[::-1]
    assert weighted.rtp(board) == path_rtp(rows, board.multipliers)
    assert Fraction(95, 100) <= weighted.rtp(board) <= Fraction(97, 100)
    # the edge slots pay the most, the middle the least, more so the higher the risk
    assert board.max_multiplier == board.multipliers[0] > board.multipliers[rows // 2]
    if risk:
        lower = plinko.default_board(rows, risk - 1)
        assert board.multipliers[0] > lower.multipliers[0]
        assert board.multipliers[rows // 2] < lower.multipliers[rows // 2]


def test_bad_boards_are_refused() -> None:
    with pytest.raises(ValueError, match="rows"):
        plinko.slot_weights(7)
    with pytest.raises(ValueError, match="rows"):
        plinko.slot_weights(17)
    table = plinko.default_board(8, 1).multipliers
    with pytest.raises(ValueError, match="slots"):
        plinko.board(8, 1, table[:-1])
    with pytest.raises(ValueError, match="mirror"):
        plinko.board(8, 1, (table[0] + 1,) + table[1:])


@pytest.mark.parametrize("risk", [0, 1, 2])
def test_long_seeded_run_lies_inside_its_confidence_interval(risk: int) -> None:
    """100,000 seeded rolls of the 12-row board: the observed RTP lies within 4 standard errors
    of the path model's (a fair implementation falls outside with probability below 1e-4)."""
    rows = 12
    board = plinko.default_board(rows, risk)
    rolls, stake = 100_000, 10**18
    rng = random.Random(f"plinko-{risk}")
    choice = weighted.encode_choice(1)
    paid = sum(weighted.roll_payout(stake, choice, 0, rng.getrandbits(256), board) for _ in range(rolls))
    mean = float(path_rtp(rows, board.multipliers))
    second = sum(c * (board.multipliers[k] / ONE_X) ** 2 for k, c in enumerate(path_counts(rows))) / 2**rows
    sigma = math.sqrt(second - mean**2)
    assert abs(paid / (stake * rolls) - mean) < 4 * sigma / math.sqrt(rolls)
    assert math.isclose(float(weighted.return_variance(board)), sigma**2)
