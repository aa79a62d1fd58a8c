"""The game registry: every game the platform runs, declared once.

`GAMES` is the one list. Each entry is a `Game` (its facts: contract, kind, the event that
places a bet, its rules module) defined in a module of this package named after the game. Every
tier finds its own part of a game by the game's name, in a registry of its own that imports
downward only: the indexer's projections (`backend.store.projections.<name>`), the API's bet
audit and theoretical RTP (`backend.api.audit.bets.BET_AUDITS`,
`backend.api.audit.statistics.THEORIES`), the chain-only auditor (`ops.auditor.games.AUDITS`),
the deployment (`ops.deploy.GAME_DEPLOYS`), the simulated players (`ops.simulation.PLAYS`) and
the web client (`web/src/player/games.js`).
`ops.games.missing_parts` names every part a registered game lacks;
tests/tooling/test_game_registry.py runs it. docs/adding-a-game.md walks a new game through all
of them.
"""

from __future__ import annotations

from fairstake.games.base import Game, GameKind
from fairstake.games.dice import GAME as DICE
from fairstake.games.jackpot import GAME as JACKPOT
from fairstake.games.match import GAME as MATCH
from fairstake.games.tournament import GAME as TOURNAMENT

# The one line a new game adds (its order is the deployment's and the API's enum order).
GAMES: tuple[Game, ...] = (DICE, JACKPOT, MATCH, TOURNAMENT)


def names() -> tuple[str, ...]:
    return tuple(game.name for game in GAMES)


def by_name(name: str) -> Game:
    for game in GAMES:
        if game.name == name:
            return game
    raise KeyError(f"no game {name!r}; registered: {', '.join(names())}")


def of_kind(kind: GameKind) -> tuple[Game, ...]:
    return tuple(game for game in GAMES if game.kind == kind)


__all__ = ["GAMES", "Game", "GameKind", "by_name", "names", "of_kind"]
