"""CoinToss in the operator tooling: its deployment and the simulated players' tosses."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from fairstake.manifest import ETH
from fairstake.rules import cointoss as rules
from ops.deploy import USD, GameDeploy, Wiring
from ops.simulation import chance_play

# the settle row (cointoss_settle_callback, ~100,000) plus the registry's afterSettle for a player
# with limits, with a margin (as Dice's)
CALLBACK_GAS = 160_000
LOCK_DURATION = 24 * 3600
EDGE_BPS = 100


def deploy_cointoss(deployer: Any, w: Wiring, contract: str) -> Any:
    return w.chance_game(deployer, contract, CALLBACK_GAS, LOCK_DURATION)


def configure_cointoss(deployer: Any, game: Any, usds: Any, referee: Any) -> None:
    game.configureToken(ETH, True, 10**15, 10 * 10**18, EDGE_BPS, {"from": deployer})
    game.configureToken(usds, True, 1 * USD, 10_000 * USD, EDGE_BPS, {"from": deployer})


def choose_side(rng: random.Random) -> Callable[[int], bytes]:
    choice = rules.encode_choice(rng.random() < 0.5)
    return lambda stake: choice


DEPLOY = GameDeploy(deploy_cointoss, configure_cointoss)
PLAY = chance_play("CoinToss", "coin toss", choose_side)
