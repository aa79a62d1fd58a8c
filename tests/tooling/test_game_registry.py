"""A game is declared in one place (fairstake.games.GAMES) and every tier finds its part by the
game's name: the check of that (ops.games.missing_parts) passes on the tree and names exactly
what is missing when a part is absent, and the indexer's projections come only from the
registrations it names, never from whatever happened to be imported."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import get_args

import pytest

from backend.api import bet_ids, deps
from backend.api.audit.games import jackpot as api_jackpot
from backend.store import projections
from fairstake import PROJECT_ROOT
from fairstake.games import GAMES, Game, names
from fairstake.rules import dice as dice_rules
from ops.games import missing_parts, write_web_registry

# What adding a game without any of its parts leaves missing, written out from
# docs/adding-a-game.md (not from the checker), for a game named "coinflip".
COINFLIP_PARTS = [
    "coinflip: contracts/games/coinflip/CoinFlip.sol (the contract)",
    "coinflip: tests/rules/test_coinflip_rules.py (the rules' tests)",
    "coinflip: backend/store/projections/coinflip.py PROJECTIONS (the indexer's projections)",
    "coinflip: backend/api/audit/games/coinflip.py BET_AUDIT (the audit API's bet audit)",
    "coinflip: backend/api/audit/games/coinflip.py THEORY (the theoretical RTP)",
    "coinflip: ops/auditor/games/coinflip.py AUDIT (the chain-only auditor)",
    "coinflip: ops/games/coinflip.py DEPLOY (deploy and configure)",
    "coinflip: ops/games/coinflip.py PLAY (the simulated players of up)",
    "coinflip: web/src/games/coinflip/index.js (the client panel)",
]
# The registered games in their order, written out (not read from GAMES).
GAME_NAMES = ("dice", "jackpot", "match", "tournament", "cointoss", "roulette", "keno", "wheel", "plinko")
COINFLIP = Game(name="coinflip", contract="CoinFlip", kind="chance", placing_event="BetPlaced", rules=dice_rules)


def test_every_registered_game_has_every_part() -> None:
    assert [game.name for game in GAMES] == list(GAME_NAMES)
    assert missing_parts() == []


def test_a_registered_game_without_its_parts_is_reported_part_by_part() -> None:
    assert missing_parts((*GAMES, COINFLIP)) == COINFLIP_PARTS


def test_one_missing_part_is_named_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(api_jackpot, "BET_AUDIT")
    assert missing_parts() == ["jackpot: backend/api/audit/games/jackpot.py BET_AUDIT (the audit API's bet audit)"]


def test_a_game_missing_from_the_web_client_is_named(tmp_path: Path) -> None:
    for part in ("contracts/games", "tests/rules"):
        shutil.copytree(PROJECT_ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__", "build"))
    for name in ("dice", "jackpot", "match", "cointoss", "roulette", "keno", "wheel", "plinko"):
        shutil.copytree(PROJECT_ROOT / "web/src/games" / name, tmp_path / "web/src/games" / name)
    assert missing_parts(root=tmp_path) == ["tournament: web/src/games/tournament/index.js (the client panel)"]


def test_the_web_client_lists_the_registered_games_in_order(tmp_path: Path) -> None:
    # What tools/build-web.sh writes for the client, which cannot import GAMES itself.
    (tmp_path / "web/src/games").mkdir(parents=True)
    write_web_registry(tmp_path)
    header = "// Written by tools/build-web.sh (python -m ops.games) from fairstake/games GAMES: do not edit.\n"
    assert (tmp_path / "web/src/games/names.js").read_text() == (
        header
        + 'export const GAME_NAMES = ["dice", "jackpot", "match", "tournament", '
        + '"cointoss", "roulette", "keno", "wheel", "plinko"];\n'
    )
    assert (tmp_path / "web/src/games/index.js").read_text() == (
        header
        + 'import dice from "./dice/index.js";\n'
        + 'import jackpot from "./jackpot/index.js";\n'
        + 'import match from "./match/index.js";\n'
        + 'import tournament from "./tournament/index.js";\n'
        + 'import cointoss from "./cointoss/index.js";\n'
        + 'import roulette from "./roulette/index.js";\n'
        + 'import keno from "./keno/index.js";\n'
        + 'import wheel from "./wheel/index.js";\n'
        + 'import plinko from "./plinko/index.js";\n'
        + "\nexport const GAMES = { dice, jackpot, match, tournament, cointoss, roulette, keno, wheel, plinko };\n"
    )


def test_a_tier_entry_for_an_unregistered_game_is_named() -> None:
    without_tournament = tuple(game for game in GAMES if game.name != "tournament")
    assert missing_parts(without_tournament) == [
        "backend/api/audit/games/tournament.py is a part of tournament, which is not registered",
        "ops/auditor/games/tournament.py is a part of tournament, which is not registered",
        "ops/games/tournament.py is a part of tournament, which is not registered",
        "web/src/games/tournament/index.js is a part of tournament, which is not registered",
    ]


def test_the_indexer_projects_exactly_what_its_registrations_declare() -> None:
    # The registry is assembled from the named modules: the core's and one per registered game.
    declared: set[tuple[str, str]] = set()
    for module in ("vault", "randomness", "protection", *GAME_NAMES):
        declared |= __import__(f"backend.store.projections.{module}", fromlist=["PROJECTIONS"]).PROJECTIONS.events()
    assert set(projections.registry()) == declared
    # A set declared in a module the registry does not name changes nothing.
    stray = projections.Projections()
    stray.on("Dice", "SomethingNew")(lambda e, s: None)
    assert ("Dice", "SomethingNew") not in projections.registry()


def test_a_game_without_a_projection_module_is_refused_by_name() -> None:
    with pytest.raises(LookupError, match=r"game 'coinflip' has no backend/store/projections/coinflip.py PROJECTIONS"):
        projections.game_projections(COINFLIP)


def test_the_api_follows_the_registry() -> None:
    assert (
        get_args(deps.GAMES)
        == ("dice", "jackpot", "match", "tournament", "cointoss", "roulette", "keno", "wheel", "plinko")
        == names()
    )
    assert bet_ids.PLACING_EVENTS == {
        ("Dice", "BetPlaced"): "dice",
        ("Jackpot", "TicketsBought"): "jackpot",
        ("Match", "PlayerJoined"): "match",
        ("Tournament", "Entered"): "tournament",
        ("CoinToss", "BetPlaced"): "cointoss",
        ("Roulette", "BetPlaced"): "roulette",
        ("Keno", "BetPlaced"): "keno",
        ("Wheel", "BetPlaced"): "wheel",
        ("Plinko", "BetPlaced"): "plinko",
    }
    assert deps.BET_ID_PATTERN.startswith("^(dice|jackpot|match|tournament|cointoss|roulette|keno|wheel|plinko):")


@pytest.mark.parametrize("name", ["Coin Toss", "dice2", "abc", "x" * 11, "Dice"])
def test_a_game_name_that_cannot_be_a_readable_bet_id_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="4..10 lower-case letters"):
        Game(name, "CoinToss", "chance", "BetPlaced", dice_rules)


def test_the_shortest_and_longest_names_are_accepted() -> None:
    assert [Game(name, "X", "chance", "BetPlaced", dice_rules).name for name in ("coin", "x" * 10)] == [
        "coin",
        "x" * 10,
    ]
