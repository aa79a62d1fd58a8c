"""Does every registered game have every part? The one check of the game registry.

fairstake.games.GAMES declares the games; each tier finds its part of a game by the game's name
in a registry of its own (see fairstake/games/__init__.py). This module sits in the top tier so
it may look into all of them, and names each part a game lacks (and each tier entry naming a
game nobody registered), so a half-added game fails tests/tooling/test_game_registry.py with
what is missing and where it goes. docs/adding-a-game.md lists the same parts in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from fairstake.games import GAMES, Game

REPOSITORY = Path(__file__).resolve().parents[1]


def _registries() -> dict[str, Mapping[str, Any]]:
    # imported here: the deployment needs brownie, which only this check and the tooling load
    from backend.api.audit.bets import BET_AUDITS
    from backend.api.audit.statistics import THEORIES
    from ops.auditor.games import AUDITS
    from ops.deploy import GAME_DEPLOYS
    from ops.simulation import PLAYS

    return {
        "backend/api/audit/bets.py BET_AUDITS (the audit API's bet audit)": BET_AUDITS,
        "backend/api/audit/statistics.py THEORIES (the theoretical RTP)": THEORIES,
        "ops/auditor/games.py AUDITS (the chain-only auditor)": AUDITS,
        "ops/deploy.py GAME_DEPLOYS (deploy and configure)": GAME_DEPLOYS,
        "ops/simulation.py PLAYS (the simulated players of up)": PLAYS,
    }


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


def _web_names(root: Path) -> tuple[set[str], set[str]]:
    """(games with a panel in web/src/player/games.js, games the bet-id pattern of
    web/src/lib/betIds.js accepts)."""
    panels_js = root / "web/src/player/games.js"
    ids_js = root / "web/src/lib/betIds.js"
    panels = set(re.findall(r"^  ([a-z]+): \{", panels_js.read_text(), re.M)) if panels_js.exists() else set()
    pattern = re.search(r'const GAME = "\(([a-z|]+)\)"', ids_js.read_text()) if ids_js.exists() else None
    return panels, set(pattern.group(1).split("|")) if pattern else set()


def missing_parts(games: Iterable[Game] = GAMES, root: Path = REPOSITORY) -> list[str]:
    """Every part a game of `games` lacks, as "<game>: <part>", and every tier entry for a game
    not in `games`, as "<part> names <game>, which is not registered". Empty when complete."""
    games = tuple(games)
    problems: list[str] = []
    registries = _registries()
    panels, bet_id_games = _web_names(root)
    for game in games:
        if not list((root / "contracts/games").rglob(f"{game.contract}.sol")):
            problems.append(f"{game.name}: contracts/games/{game.name}/{game.contract}.sol (the contract)")
        if not (root / f"tests/rules/test_{game.name}_rules.py").exists():
            problems.append(f"{game.name}: tests/rules/test_{game.name}_rules.py (the rules' tests)")
        projection = _projection_problem(game)
        if projection is not None:
            problems.append(f"{game.name}: {projection}")
        for where, registry in registries.items():
            if game.name not in registry:
                problems.append(f"{game.name}: {where}")
        if game.name not in panels:
            problems.append(f"{game.name}: web/src/player/games.js GAMES (the client panel)")
        if game.name not in bet_id_games:
            problems.append(f"{game.name}: web/src/lib/betIds.js GAME (readable bet ids in the client)")
    names = {game.name for game in games}
    stale = [(where, set(registry)) for where, registry in registries.items()]
    stale += [("web/src/player/games.js GAMES", panels), ("web/src/lib/betIds.js GAME", bet_id_games)]
    for where, listed in stale:
        problems += [f"{where} names {name}, which is not registered" for name in sorted(listed - names)]
    return problems
