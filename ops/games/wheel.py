"""Wheel in the operator tooling: deployed with the 15 default wheels (fairstake.rules.wheel:
10 to 50 segments at three risk levels) and played by the simulated players (ops.games._weighted)."""

from __future__ import annotations

from typing import Any

from fairstake.rules import weighted, wheel
from ops.games._weighted import weighted_deploy, weighted_play


def _defaults() -> list[weighted.WeightedConfig]:
    return [wheel.default_wheel(segments, risk) for segments in wheel.DEFAULT_SEGMENTS for risk in range(3)]


def _add(game: Any, config: weighted.WeightedConfig, deployer: Any) -> None:
    game.addConfig(config.weights, config.multipliers, config.risk, {"from": deployer})


DEPLOY = weighted_deploy(_defaults, _add)
PLAY = weighted_play("Wheel")
