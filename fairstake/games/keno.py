"""Keno: pick 1..10 of 40 numbers, ten drawn (contracts/games/keno/, rules fairstake.rules.keno)."""

from fairstake.games.base import Game
from fairstake.rules import keno

GAME = Game(name="keno", contract="Keno", kind="chance", placing_event="BetPlaced", rules=keno)
