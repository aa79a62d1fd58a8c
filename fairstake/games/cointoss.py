"""CoinToss: heads or tails (contracts/games/cointoss/, rules fairstake.rules.cointoss)."""

from fairstake.games.base import Game
from fairstake.rules import cointoss

GAME = Game(name="cointoss", contract="CoinToss", kind="chance", placing_event="BetPlaced", rules=cointoss)
