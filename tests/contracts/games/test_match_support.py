"""Fixtures and helpers shared by the Match and Tournament tests (imported by them; no tests here).

Everything runs on the real Vault and PlayerRegistry. Results are signed in Python with
fairstake.signing, exactly as the referee CLI does. Dev account 7 is the registered referee.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from brownie import Match, MockStablecoin, Tournament, Vault, VaultBankroll, accounts, chain, web3
from contract_support import deploy_wired_registry

from fairstake import signing

ETH = "0x0000000000000000000000000000000000000000"
USD = 10**6
HOUR = 3600
DAY = 86400
RAKE_BPS = 500
REFEREE_INDEX = 7
FUNDS = 1_000_000 * USD


def future(seconds: int) -> int:
    return chain[-1].timestamp + seconds


def key(index: int) -> bytes:
    return signing.dev_private_key(index)


def key_of(account: Any) -> bytes:
    """The private key of a dev account (brownie's node-unlocked accounts carry none)."""
    return key([str(a) for a in accounts].index(str(account)))


def _sign_result(
    typed_result: Callable[..., dict[str, Any]],
    game: Any,
    game_id: int,
    ranking: Sequence[Any],
    signer: int,
    overrides: dict[str, Any],
) -> bytes:
    """`signer`'s signature of `typed_result` (signing.match_result or tournament_result) for
    `game`; `overrides` replace the contract, chain id or nonce the game would expect."""
    typed = typed_result(
        overrides.get("contract", game.address),
        overrides.get("chain_id", web3.eth.chain_id),
        game_id,
        overrides.get("nonce", game.resultNonce(game_id)),
        [str(a) for a in ranking],
    )
    return signing.sign(typed, key(signer)).signature


def sign_match_result(
    game: Any, match_id: int, ranking: Sequence[Any], signer: int = REFEREE_INDEX, **overrides: Any
) -> bytes:
    return _sign_result(signing.match_result, game, match_id, ranking, signer, overrides)


def sign_tournament_result(
    game: Any, tournament_id: int, winners: Sequence[Any], signer: int = REFEREE_INDEX, **overrides: Any
) -> bytes:
    return _sign_result(signing.tournament_result, game, tournament_id, winners, signer, overrides)


def random_shares(rng: random.Random, places: int) -> list[int]:
    """`places` basis-point shares summing to 10000 (zeros allowed), as a creator might choose."""
    cuts = sorted(rng.randint(0, 10_000) for _ in range(places - 1))
    bounds = [0, *cuts, 10_000]
    return [bounds[i + 1] - bounds[i] for i in range(places)]


def vault_owes(vault: Any, token: str) -> int:
    return (
        vault.freeBalanceTotal(token)
        + vault.lockedTotal(token)
        + vault.bankrollAssets(token)
        + vault.accruedFees(token)
    )


def assert_solvent(vault: Any, usds: Any) -> None:
    """The Vault invariant for USDS: token balance >= free + locked + bankroll + fees."""
    assert usds.balanceOf(vault) >= vault_owes(vault, usds.address)
    assert vault.bankrollAssets(usds.address) >= vault.bankrollReserved(usds.address)


@pytest.fixture(scope="module")
def referee() -> Any:
    return accounts[REFEREE_INDEX]


@pytest.fixture(scope="module")
def players() -> list[Any]:
    """Sixteen players: dev accounts 1-6 and 8-17 (7 is the referee)."""
    return [accounts[i] for i in (*range(1, 7), *range(8, 18))]


@pytest.fixture(scope="module")
def vault(module_isolation: None, owner: Any) -> Any:
    VaultBankroll.deploy({"from": owner})  # the library the Vault links to
    deployed = Vault.deploy(owner, {"from": owner})
    deployed.setToken(ETH, True, {"from": owner})
    return deployed


@pytest.fixture(scope="module")
def registry(vault: Any, owner: Any) -> Any:
    """The PlayerRegistry, wired to the Vault as deployed: the Vault asks it on every lock."""
    deployed = deploy_wired_registry(vault, owner)
    return deployed


@pytest.fixture(scope="module")
def usds(vault: Any, owner: Any, players: list[Any]) -> Any:
    """USDS allowed in the Vault, FUNDS deposited for every player."""
    token = MockStablecoin.deploy({"from": owner})
    vault.setToken(token, True, {"from": owner})
    for player in players:
        token.mint(player, FUNDS, {"from": player})
        token.approve(vault, FUNDS, {"from": player})
        vault.depositFor(player, token, FUNDS, {"from": player})
    return token


def _register(game: Any, vault: Any, registry: Any, owner: Any, referee: Any) -> Any:
    vault.setGame(game, True, {"from": owner})
    game.setReferee(referee, True, {"from": owner})
    game.setRake(RAKE_BPS, {"from": owner})
    return game


@pytest.fixture(scope="module")
def match_game(vault: Any, registry: Any, usds: Any, owner: Any, referee: Any) -> Any:
    return _register(Match.deploy(vault, registry, owner, {"from": owner}), vault, registry, owner, referee)


@pytest.fixture(scope="module")
def tournament(vault: Any, registry: Any, usds: Any, owner: Any, referee: Any) -> Any:
    return _register(Tournament.deploy(vault, registry, owner, {"from": owner}), vault, registry, owner, referee)


def create_match(
    game: Any,
    token: Any,
    entry: int = 10 * USD,
    seats: int = 2,
    shares: Sequence[int] = (10_000,),
    deadline_in: int = HOUR,
    creator: Any = None,
) -> int:
    tx = game.create(token, entry, seats, list(shares), future(deadline_in), {"from": creator or accounts[0]})
    return int(tx.return_value)


def full_match(game: Any, token: Any, players: Sequence[Any], **kwargs: Any) -> int:
    match_id = create_match(game, token, seats=len(players), **kwargs)
    for player in players:
        game.join(match_id, {"from": player})
    return match_id


def create_tournament(
    game: Any,
    token: Any,
    fee: int = 5 * USD,
    max_entrants: int = 8,
    prizes: Sequence[int] = (6_000, 3_000, 1_000),
    registration_in: int = HOUR,
    result_in: int = DAY,
    creator: Any = None,
) -> int:
    tx = game.create(
        token,
        fee,
        max_entrants,
        list(prizes),
        future(registration_in),
        future(result_in),
        {"from": creator or accounts[0]},
    )
    return int(tx.return_value)


def balances(vault: Any, token: Any, people: Sequence[Any]) -> list[int]:
    return [int(vault.balanceOf(p, token)) for p in people]
