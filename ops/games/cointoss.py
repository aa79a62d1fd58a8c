"""CoinToss in the operator tooling: its deployment and the simulated players' tosses."""

from __future__ import annotations

import random
from collections.abc import Callable

from fairstake.rules import cointoss as rules
from ops.deploy import chance_game_deploy
from ops.simulation import chance_play

# the settle row (cointoss_settle_callback, ~68,000) plus the registry's afterSettle with every
# limit of a person, as Dice's
CALLBACK_GAS = 200_000
EDGE_BPS = 100


def choose_side(rng: random.Random) -> Callable[[int], bytes]:
    choice = rules.encode_choice(rng.random() < 0.5)
    return lambda stake: choice


DEPLOY = chance_game_deploy(CALLBACK_GAS, EDGE_BPS)
PLAY = chance_play("CoinToss", "coin toss", choose_side)
