"""Dice: roll under a target (contracts/games/dice/, rules fairstake.rules.dice)."""

from fairstake.games.base import Game
from fairstake.rules import dice

GAME = Game(name="dice", contract="Dice", kind="chance", placing_event="BetPlaced", rules=dice)
