"""The operator tooling's part of each registered game, and the one check of the game registry.

`ops.games.<name>` declares `DEPLOY` (ops.deploy.GameDeploy: create and configure the contract)
and `PLAY` (ops.simulation.GamePlay: what the simulated players of `up` do with it); ops.deploy
and ops.simulation find them from fairstake.games.GAMES by the game's name.

`missing_parts` looks into every tier (this package sits in the top one, so it may) and names
each part a registered game lacks at its conventional place, and each per-game module of a tier
whose game nobody registered, so a half-added game fails tests/tooling/test_game_registry.py
with what is missing and where it goes. docs/adding-a-game.md lists the same parts in order.
`write_web_registry` (`python -m ops.games`, run by tools/build-web.sh) hands GAMES to the web
client, which cannot import Python.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from fairstake.games import GAMES, Game, MissingPart, part

REPOSITORY = Path(__file__).resolve().parents[2]


# Each tier's part of a game: (package holding one module per game, what the module declares,
# what it is). The tiers read them with fairstake.games.part, as these names say.
PARTS: tuple[tuple[str, str, str], ...] = (
    ("backend.api.audit.games", "BET_AUDIT", "the audit API's bet audit"),
    ("backend.api.audit.games", "THEORY", "the theoretical RTP"),
    ("ops.auditor.games", "AUDIT", "the chain-only auditor"),
    ("ops.games", "DEPLOY", "deploy and configure"),
    ("ops.games", "PLAY", "the simulated players of up"),
)


def _folder(package: str) -> str:
    return package.replace(".", "/")


def _projection_problem(game: Game) -> str | None:
    from backend.store.projections import game_projections

    where = f"backend/store/projections/{game.name}.py PROJECTIONS (the indexer's projections)"
    try:
        projections = game_projections(game)
    except (ImportError, LookupError):
        return where
    if projections.bet_key is None:
        return f"{where}: no bet_key (which bet an event concerns, for the live feed)"
    if (game.contract, game.placing_event) not in projections.events():
        return f"{where}: no projection of {game.contract}.{game.placing_event}, the event that places a bet"
    return None


WEB_GAMES = "web/src/games"


def _web_folders(root: Path) -> set[str]:
    """The games with a folder of their own in the web client (web/src/games/<name>/index.js)."""
    return {path.parent.name for path in (root / WEB_GAMES).glob("*/index.js")}


def web_registry(games: Iterable[Game] = GAMES) -> dict[str, str]:
    """The web client's list of games, as files under web/src/games: `index.js` imports each
    game's folder in GAMES order, `names.js` holds the names alone (for the bet-id pattern, so the
    auditor page does not load the panels). The client cannot import Python: tools/build-web.sh
    writes these (git-ignored) before bundling, so GAMES stays the one list."""
    names = [game.name for game in games]
    header = "// Written by tools/build-web.sh (python -m ops.games) from fairstake/games GAMES: do not edit.\n"
    imports = "".join(f'import {name} from "./{name}/index.js";\n' for name in names)
    return {
        "index.js": f"{header}{imports}\nexport const GAMES = {{ {', '.join(names)} }};\n",
        "names.js": f"{header}export const GAME_NAMES = {json.dumps(names)};\n",
    }


def write_web_registry(root: Path = REPOSITORY) -> None:
    """Write web_registry() under web/src/games, leaving unchanged files untouched."""
    for name, text in web_registry().items():
        path = root / WEB_GAMES / name
        if not path.exists() or path.read_text() != text:
            path.write_text(text)


def missing_parts(games: Iterable[Game] = GAMES, root: Path = REPOSITORY) -> list[str]:
    """Every part a game of `games` lacks, as "<game>: <where it goes> (<what it is>)", and every
    per-game module or web entry for a game not in `games`. Empty when complete."""
    games = tuple(games)
    problems: list[str] = []
    panels = _web_folders(root)
    for game in games:
        if not list((root / "contracts/games").rglob(f"{game.contract}.sol")):
            problems.append(f"{game.name}: contracts/games/{game.name}/{game.contract}.sol (the contract)")
        if not (root / f"tests/rules/test_{game.name}_rules.py").exists():
            problems.append(f"{game.name}: tests/rules/test_{game.name}_rules.py (the rules' tests)")
        projection = _projection_problem(game)
        if projection is not None:
            problems.append(f"{game.name}: {projection}")
        for package, attribute, what in PARTS:
            try:
                part(game, package, attribute)
            except MissingPart:
                problems.append(f"{game.name}: {_folder(package)}/{game.name}.py {attribute} ({what})")
        if game.name not in panels:
            problems.append(f"{game.name}: {WEB_GAMES}/{game.name}/index.js (the client panel)")
    names = {game.name for game in games}
    for package in dict.fromkeys(package for package, _, _ in PARTS):
        folder = root / _folder(package)
        modules = {path.stem for path in folder.glob("*.py") if not path.stem.startswith("_")}
        problems += [
            f"{_folder(package)}/{name}.py is a part of {name}, which is not registered"
            for name in sorted(modules - names)
        ]
    problems += [
        f"{WEB_GAMES}/{name}/index.js is a part of {name}, which is not registered" for name in sorted(panels - names)
    ]
    return problems
