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

import importlib
from typing import Any

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


class MissingPart(LookupError):
    """A tier has no part for a registered game at the conventional place."""


def part(game: Game, package: str, attribute: str) -> Any:
    """`attribute` of the module `<package>.<game's name>`: how a tier finds its part of a game.

    The tier calls this from the function that builds its registry, reading GAMES; the module
    is imported here, explicitly, so nothing registers itself by being imported."""
    module_name = f"{package}.{game.name}"
    where = f"{module_name.replace('.', '/')}.py {attribute}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as missing:
        if missing.name != module_name:
            raise
        raise MissingPart(f"game {game.name!r} has no {where}") from None
    if not hasattr(module, attribute):
        raise MissingPart(f"game {game.name!r} has no {where}")
    return getattr(module, attribute)


__all__ = ["GAMES", "Game", "GameKind", "MissingPart", "by_name", "names", "of_kind", "part"]
