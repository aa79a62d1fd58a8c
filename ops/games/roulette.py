"""Roulette in the operator tooling: its deployment and the simulated players' spins."""

from __future__ import annotations

import random
from collections.abc import Callable

from fairstake.rules import roulette as rules
from ops.deploy import chance_game_deploy
from ops.simulation import chance_play

# a 16-set bet settles in about 340,000 gas (tests/contracts/games/test_roulette.py), with a margin
CALLBACK_GAS = 450_000
EDGE_BPS = 100

# what the simulated players bet on: the table's standard sets
SETS: tuple[Callable[[], int], ...] = (
    rules.red,
    rules.black,
    rules.odd,
    rules.even,
    rules.low,
    rules.high,
    *(lambda n=n: rules.dozen(n) for n in (1, 2, 3)),
    *(lambda n=n: rules.column(n) for n in (1, 2, 3)),
    *(lambda n=n: rules.straight(n) for n in (0, 7, 17, 32)),
    lambda: rules.split(0, 3),
    lambda: rules.corner(14),
    lambda: rules.street(5),
)


def choose_sets(rng: random.Random) -> Callable[[int], bytes]:
    """One to four standard sets with random weights; the stake is split by the weights."""
    masks = [rng.choice(SETS)() for _ in range(rng.randint(1, 4))]
    weights = [rng.randint(1, 5) for _ in masks]

    def choice(stake: int) -> bytes:
        parts = [stake * w // sum(weights) for w in weights]
        parts[0] += stake - sum(parts)
        return rules.encode_choice(masks, parts)

    return choice


DEPLOY = chance_game_deploy(CALLBACK_GAS, EDGE_BPS)
PLAY = chance_play("Roulette", "roulette", choose_sets)
