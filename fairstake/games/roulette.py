"""Roulette: single zero, bets over up to 16 number sets (contracts/games/roulette/, rules
fairstake.rules.roulette)."""

from fairstake.games.base import Game
from fairstake.rules import roulette

GAME = Game(name="roulette", contract="Roulette", kind="chance", placing_event="BetPlaced", rules=roulette)
