"""CoinToss in the operator tooling: its deployment and the simulated players' tosses."""

from __future__ import annotations

import random
from collections.abc import Callable

from fairstake.rules import cointoss as rules
from ops.deploy import chance_game_deploy
from ops.simulation import chance_play

# the settle row (cointoss_settle_callback, ~40,000) plus the Vault's report of it to the registry
# for a person with every limit, as Dice's
CALLBACK_GAS = 200_000
EDGE_BPS = 100


def choose_side(rng: random.Random) -> Callable[[int], bytes]:
    choice = rules.encode_choice(rng.random() < 0.5)
    return lambda stake: choice


DEPLOY = chance_game_deploy(CALLBACK_GAS, EDGE_BPS)
PLAY = chance_play("CoinToss", "coin toss", choose_side)
