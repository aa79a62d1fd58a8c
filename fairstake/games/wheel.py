"""Wheel: a wheel of weighted segments (contracts/games/wheel/, rules fairstake.rules.wheel on
fairstake.rules.weighted)."""

from fairstake.games.base import Game
from fairstake.rules import wheel

GAME = Game(name="wheel", contract="Wheel", kind="chance", placing_event="BetPlaced", rules=wheel)
