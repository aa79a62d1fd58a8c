"""Tournament: prizes by signed places (contracts/games/tournament/, rules fairstake.rules.tournament)."""

from fairstake.games.base import Game
from fairstake.rules import tournament

GAME = Game(name="tournament", contract="Tournament", kind="skill", placing_event="Entered", rules=tournament)
