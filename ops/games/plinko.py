"""Plinko in the operator tooling: deployed with the 27 default boards (fairstake.rules.plinko:
rows 8..16 at low, medium and high risk; the contract computes each board's weights) and played
by the simulated players (ops.games._weighted)."""

from __future__ import annotations

from typing import Any

from fairstake.rules import plinko, weighted
from ops.games._weighted import weighted_deploy, weighted_play


def _defaults() -> list[weighted.WeightedConfig]:
    return [
        plinko.default_board(rows, risk) for rows in range(plinko.MIN_ROWS, plinko.MAX_ROWS + 1) for risk in range(3)
    ]


def _add(game: Any, config: weighted.WeightedConfig, deployer: Any) -> None:
    game.addConfig(len(config.weights) - 1, config.risk, config.multipliers, {"from": deployer})


DEPLOY = weighted_deploy(_defaults, _add)
PLAY = weighted_play("Plinko")
