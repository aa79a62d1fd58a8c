"""What Match and Tournament share through SignedResults, tested once on each: the result digest
agrees with fairstake/signing.py, and a referee's signature is bound to its game, chain, contract
and nonce (a referee revokes what it signed by bumping the nonce)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from brownie import Match, Tournament, accounts, chain
from test_match_support import *  # noqa: F403 (the shared fixtures)
from test_match_support import (
    create_match,
    create_tournament,
    full_match,
    sign_match_result,
    sign_tournament_result,
)

from fairstake import signing


def _match_ready(game: Any, usds: Any, players: list[Any]) -> int:
    return full_match(game, usds, players[:2])


def _tournament_ready(game: Any, usds: Any, players: list[Any]) -> int:
    # full, so its registration is closed and it takes a result at once
    tournament_id = create_tournament(game, usds, max_entrants=2, prizes=[7_000, 3_000])
    for player in players[:2]:
        game.enter(tournament_id, {"from": player})
    return tournament_id


@dataclass(frozen=True)
class SkillGame:
    fixture: str
    contract: Any
    typed_result: Callable[..., dict[str, Any]]
    sign_result: Callable[..., bytes]
    ready: Callable[[Any, Any, list[Any]], int]  # a new game of two entrants, before its result
    open: Callable[[Any, Any], int]  # a new game in `token` with room for two entrants or more
    entry: str  # the function a player enters by


GAMES = [
    SkillGame("match_game", Match, signing.match_result, sign_match_result, _match_ready, create_match, "join"),
    SkillGame(
        "tournament",
        Tournament,
        signing.tournament_result,
        sign_tournament_result,
        _tournament_ready,
        create_tournament,
        "enter",
    ),
]


@pytest.fixture(params=GAMES, ids=lambda g: g.fixture)
def skill(request: pytest.FixtureRequest, match_game: Any, tournament: Any) -> tuple[SkillGame, Any]:
    """The game under test and its deployment (both are module fixtures, deployed before the
    test's isolation snapshot is taken, so neither is rolled back with it)."""
    return request.param, {"match_game": match_game, "tournament": tournament}[request.param.fixture]


def test_an_entry_is_one_per_player_and_locked_from_the_vault(skill, usds, players, reverts_with):
    kind, game = skill
    game_id = kind.open(game, usds)
    enter = getattr(game, kind.entry)
    enter(game_id, {"from": players[0]})
    with reverts_with("AlreadyEntered"):
        enter(game_id, {"from": players[0]})
    with reverts_with("WrongEthValue"):  # a game in a token takes no ETH along
        enter(game_id, {"from": players[1], "value": 1})
    with reverts_with("InsufficientBalance"):
        enter(game_id, {"from": accounts[18]})  # holds no stablecoin in the Vault
    enter(game_id, {"from": players[1]})
    assert [game.entryOf(game_id, seat)[0] for seat in range(2)] == players[:2]


def test_python_digest_matches_contract(skill, players):
    kind, game = skill
    ranking = [str(p) for p in players[:5]]
    typed = kind.typed_result(game.address, chain.id, 42, 3, ranking)
    assert game.resultDigest(42, 3, ranking) == "0x" + signing.digest(typed).hex()


def test_signature_replay_across_games_contracts_chains_and_nonces(
    skill, vault, registry, usds, players, owner, referee, reverts_with
):
    kind, game = skill
    first, second = kind.ready(game, usds, players), kind.ready(game, usds, players)
    ranking = players[:2]
    submitter = {"from": players[1]}
    with reverts_with("UnknownReferee"):
        game.submitResult(second, ranking, kind.sign_result(game, first, ranking), submitter)
    with reverts_with("UnknownReferee"):
        game.submitResult(second, ranking, kind.sign_result(game, second, ranking, chain_id=chain.id + 1), submitter)
    other = kind.contract.deploy(vault, registry, owner, {"from": owner})
    with reverts_with("UnknownReferee"):
        game.submitResult(second, ranking, kind.sign_result(game, second, ranking, contract=other.address), submitter)
    # A revoked (invalidated) result no longer verifies; a fresh one with the new nonce does.
    stale = kind.sign_result(game, second, ranking)
    with reverts_with("NotReferee"):
        game.invalidateResults(second, {"from": players[0]})
    tx = game.invalidateResults(second, {"from": referee})
    assert tx.events["ResultsInvalidated"] == {"id": second, "nonce": 1}
    with reverts_with("UnknownReferee"):
        game.submitResult(second, ranking, stale, submitter)
    game.submitResult(second, ranking, kind.sign_result(game, second, ranking), submitter)
    game.submitResult(first, ranking, kind.sign_result(game, first, ranking), submitter)


def test_a_ranking_names_each_entrant_once(skill, usds, players, reverts_with):
    kind, game = skill
    game_id = kind.ready(game, usds, players)
    first, second, outsider = players[:3]
    for ranking, error in (([first, outsider], "NotEntrant"), ([second, second], "DuplicateInRanking")):
        with reverts_with(error):
            game.submitResult(game_id, ranking, kind.sign_result(game, game_id, ranking), {"from": second})
    game.submitResult(game_id, [second, first], kind.sign_result(game, game_id, [second, first]), {"from": second})
