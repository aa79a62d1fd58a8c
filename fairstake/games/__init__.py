"""The game registry: every game the platform runs, declared once.

`GAMES` is the one list a game is added to: one name. Each tier finds its own part of a game by
that name at a conventional place, one module (or web folder) per game, imported explicitly by
`part` from the function that builds the tier's registry out of GAMES; nothing registers itself
by being imported:

    fairstake/games/<name>.py            GAME: the facts (contract, kind, placing event, rules)
    backend/store/projections/<name>.py  PROJECTIONS: the indexer's projections and bet key
    backend/api/audit/games/<name>.py    BET_AUDIT, THEORY: the audit API's bet audit and RTP
    ops/auditor/games/<name>.py          AUDIT: the chain-only auditor's reader
    ops/games/<name>.py                  DEPLOY, PLAY: deployment and the simulated players
    web/src/games/<name>/index.js        the client's panel, title and rules (the client's list
                                         is written from GAMES by tools/build-web.sh)

`ops.games.missing_parts` names every part a registered game lacks, with the path it looked for;
tests/tooling/test_game_registry.py runs it. docs/adding-a-game.md walks a new game through all
of them.
"""

from __future__ import annotations

import importlib
from typing import Any

from fairstake.games.base import Game, GameKind


def _declared(name: str) -> Game:
    """The facts of the game `name`: `GAME` of fairstake.games.<name>."""
    game = getattr(importlib.import_module(f"{__name__}.{name}"), "GAME", None)
    if not isinstance(game, Game) or game.name != name:
        raise TypeError(f"fairstake/games/{name}.py must declare GAME = Game(name={name!r}, ...)")
    return game


# The one line a new game adds (its order is the deployment's and the API's enum order).
GAMES: tuple[Game, ...] = tuple(
    _declared(name)
    for name in ("dice", "jackpot", "match", "tournament", "cointoss", "roulette", "keno", "wheel", "plinko")
)


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
