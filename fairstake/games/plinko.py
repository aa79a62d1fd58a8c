"""Plinko: a ball through 8..16 rows of pins (contracts/games/plinko/, rules fairstake.rules.plinko
on fairstake.rules.weighted)."""

from fairstake.games.base import Game
from fairstake.rules import plinko

GAME = Game(name="plinko", contract="Plinko", kind="chance", placing_event="BetPlaced", rules=plinko)
