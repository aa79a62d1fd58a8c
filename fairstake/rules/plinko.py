"""Plinko: a weighted-multiplier game (fairstake.rules.weighted). Mirrors
contracts/games/plinko/PlinkoRules.sol.

A ball falls through `rows` (8..16) rows of pins, left or right at each with even odds, into one
of rows + 1 slots: slot k is reached by C(rows, k) of the 2^rows paths, so a board is the weighted
configuration with weights C(rows, 0..rows) and a symmetric table of multipliers (slot k pays as
slot rows - k). The roll, its payout and terms are the weighted game's.

DEFAULT_TABLES are the 27 boards ops/games/plinko.py deploys (rows 8..16, risk low, medium,
high), given as the multipliers of slots 0..rows/2 (the rest mirror them). They were drawn once
from a geometric shape (slot k pays c * b^|k - rows/2|, b set by the risk's ratio of the edge
slot to the middle one: 2^(rows/4+1), 2^(rows/2+1), 2^(3*rows/4+2)), each multiplier rounded down
to two significant digits and c the largest scale with an RTP of at most 97 %; they are kept as
constants so the deployed tables never depend on a platform's floating point.
"""

from __future__ import annotations

from math import comb

from fairstake.rules.weighted import WeightedConfig

# the indexer's record of a choice (backend.store.projections.chance reads it from the game's rules)
from fairstake.rules.weighted import choice_details as choice_details

MIN_ROWS = 8
MAX_ROWS = 16

DEFAULT_TABLES: dict[int, tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]] = {
    8: ((39000, 23000, 13000, 8300, 4900), (86000, 36000, 15000, 6300, 2600), (210000, 54000, 13000, 3400, 850)),
    9: ((45000, 27000, 16000, 10000, 6100), (110000, 48000, 20000, 8800, 3800), (320000, 84000, 21000, 5600, 1400)),
    10: (
        (54000, 33000, 20000, 12000, 7700, 4800),
        (150000, 66000, 28000, 12000, 5400, 2300),
        (480000, 120000, 34000, 9300, 2500, 670),
    ),
    11: (
        (61000, 38000, 24000, 14000, 9300, 5800),
        (190000, 87000, 38000, 16000, 7400, 3300),
        (710000, 190000, 54000, 14000, 4000, 1100),
    ),
    12: (
        (74000, 46000, 29000, 18000, 11000, 7300, 4600),
        (260000, 110000, 53000, 23000, 10000, 4700, 2100),
        (1000000, 290000, 82000, 23000, 6500, 1800, 510),
    ),
    13: (
        (85000, 54000, 34000, 21000, 13000, 8800, 5600),
        (350000, 150000, 70000, 31000, 14000, 6400, 2800),
        (1500000, 450000, 120000, 36000, 10000, 3000, 860),
    ),
    14: (
        (100000, 64000, 41000, 26000, 16000, 10000, 6900, 4400),
        (460000, 210000, 95000, 43000, 19000, 8800, 4000, 1800),
        (2300000, 670000, 190000, 56000, 16000, 4700, 1300, 400),
    ),
    15: (
        (110000, 74000, 48000, 31000, 19000, 12000, 8300, 5300),
        (610000, 270000, 120000, 58000, 26000, 12000, 5500, 2500),
        (3400000, 990000, 290000, 86000, 25000, 7400, 2100, 640),
    ),
    16: (
        (130000, 88000, 57000, 36000, 23000, 15000, 10000, 6500, 4200),
        (820000, 370000, 170000, 79000, 36000, 16000, 7600, 3400, 1600),
        (5100000, 1500000, 450000, 130000, 39000, 11000, 3500, 1000, 310),
    ),
}


def slot_weights(rows: int) -> tuple[int, ...]:
    """C(rows, k) for the slots k = 0..rows (PlinkoRules.weights)."""
    if not MIN_ROWS <= rows <= MAX_ROWS:
        raise ValueError(f"a board has {MIN_ROWS}..{MAX_ROWS} rows, got {rows}")
    return tuple(comb(rows, k) for k in range(rows + 1))


def board(rows: int, risk: int, multipliers: tuple[int, ...]) -> WeightedConfig:
    """The weighted configuration of a board (Plinko.addConfig checks the same)."""
    weights = slot_weights(rows)
    if len(multipliers) != len(weights):
        raise ValueError(f"a board of {rows} rows has {len(weights)} slots, got {len(multipliers)} multipliers")
    for k in range(len(multipliers) // 2):
        if multipliers[k] != multipliers[-1 - k]:
            raise ValueError(f"slot {k} and its mirror pay differently")
    return WeightedConfig(weights, tuple(multipliers), risk)


def default_board(rows: int, risk: int) -> WeightedConfig:
    """One of the 27 boards deployed by default."""
    half = DEFAULT_TABLES[rows][risk]
    return board(rows, risk, half + half[: rows // 2 + rows % 2][::-1])
