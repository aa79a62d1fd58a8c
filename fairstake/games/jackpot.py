"""Jackpot: rounds of tickets, one drawn winner (contracts/games/jackpot/, rules fairstake.rules.jackpot)."""

from fairstake.games.base import Game
from fairstake.rules import jackpot

GAME = Game(name="jackpot", contract="Jackpot", kind="chance", placing_event="TicketsBought", rules=jackpot)
