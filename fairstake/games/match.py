"""Match: a pot split by a signed ranking (contracts/games/match/, rules fairstake.rules.match)."""

from fairstake.games.base import Game
from fairstake.rules import match

GAME = Game(name="match", contract="Match", kind="skill", placing_event="PlayerJoined", rules=match)
