"""Every way to gamble asks the player registry by construction: the Vault asks it on every lock,
bankroll or pooled, so a game that never calls the registry (TestGame: registered at the Vault
only, never at the registry) still cannot take a stake from a person on a break or over a limit.
Each stake is counted once; the registry's errors reach the player unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import chain
from contract_support import DAY, ETHER
from protection_support import attest, deposit_each, wired_registry
from vault_helpers import ETH, mined_refusal

from fairstake import signing

SIX_MONTHS = 184 * DAY
NO_LIMIT = 2**96 - 1
WAGER, DAY_W = 1, 0
PERSON = signing.subject_id(b"vault test attestor salt", "customer 4001")


@pytest.fixture(scope="module")
def registry(vault: Any, owner: Any) -> Any:
    return wired_registry(vault, owner)


@pytest.fixture
def staked(vault: Any, registry: Any, game: Any, alice: Any, bob: Any) -> int:
    """10 ETH in the Vault balances of alice and bob; TestGame never calls the registry."""
    return deposit_each(vault, (alice, bob))


def _deadline() -> int:
    return chain[-1].timestamp + DAY


def _attest(registry: Any, wallet: Any) -> None:
    attest(registry, wallet, PERSON)


def test_a_game_that_never_asks_cannot_lock_an_excluded_persons_stake(
    vault: Any, registry: Any, game: Any, owner: Any, alice: Any, bob: Any, staked: int
) -> None:
    """Self-exclusion through one wallet refuses the person's other wallet too, on a bankroll lock
    and on a pooled one; the money stays withdrawable."""
    _attest(registry, alice)
    _attest(registry, bob)
    until = registry.selfExclude(SIX_MONTHS, {"from": alice}).timestamp + SIX_MONTHS
    pool = game.openPool(ETH, {"from": owner}).return_value
    for player in (alice, bob):
        expected = f"SelfExcluded: {player.address.lower()}, {until}"
        assert mined_refusal(game.lock, ETH, ETHER, ETHER, _deadline(), 0, {"from": player}) == expected
        assert mined_refusal(game.lock, ETH, ETHER, ETHER, _deadline(), pool, {"from": player}) == expected
        assert mined_refusal(game.lockWithEth, ETHER, _deadline(), 0, {"from": player, "value": ETHER}) == expected
        assert vault.balanceOf(player, ETH) == staked
    vault.withdraw(ETH, staked, bob, {"from": bob})
    assert vault.balanceOf(bob, ETH) == 0


def test_a_time_out_refuses_every_lock_until_it_ends(
    vault: Any, registry: Any, game: Any, alice: Any, staked: int
) -> None:
    until = registry.takeTimeOut(0, {"from": alice}).timestamp + DAY
    message = mined_refusal(game.lock, ETH, ETHER, ETHER, _deadline(), 0, {"from": alice})
    assert message == f"TimedOut: {alice.address.lower()}, {until}"
    chain.sleep(DAY + 1)
    chain.mine()
    game.lock(ETH, ETHER, ETHER, _deadline(), 0, {"from": alice})
    assert vault.balanceOf(alice, ETH) == staked - ETHER


def test_each_lock_is_counted_once_against_the_limits(
    vault: Any, registry: Any, game: Any, owner: Any, alice: Any, staked: int
) -> None:
    """A wager limit of 3 ETH a day: locks of 1 + 2 ETH reach it exactly (each counted once, by the
    Vault); one wei more is refused with the registry's own error."""
    registry.setLimit(ETH, WAGER, DAY_W, 3 * ETHER, {"from": alice})
    now = chain[-1].timestamp
    chain.sleep(DAY - now % DAY + 60)  # a minute into a fresh day window
    chain.mine()
    pool = game.openPool(ETH, {"from": owner}).return_value
    game.lock(ETH, ETHER, ETHER, _deadline(), 0, {"from": alice})
    game.lock(ETH, 2 * ETHER, 2 * ETHER, _deadline(), pool, {"from": alice})
    assert registry.usageOf(alice, ETH, DAY_W)[0] == 3 * ETHER
    message = mined_refusal(game.lock, ETH, 1, 1, _deadline(), 0, {"from": alice})
    assert message == f"WagerLimitExceeded: {alice.address.lower()}, {ETH}, {DAY_W}, {3 * ETHER}, {3 * ETHER + 1}"
    assert vault.balanceOf(alice, ETH) == staked - 3 * ETHER


def test_only_a_registered_game_makes_the_vault_report_a_stake(
    vault: Any, registry: Any, alice: Any, outsider: Any, staked: int, reverts_with: Any
) -> None:
    """The registry trusts the Vault's reports, so the Vault reports only a registered game's lock:
    nobody else can fill a player's limit window through it."""
    registry.setLimit(ETH, WAGER, DAY_W, 3 * ETHER, {"from": alice})
    with reverts_with("NotGame"):
        vault.lock(alice, ETH, ETHER, ETHER, 0, _deadline(), 0, {"from": outsider})
    assert registry.usageOf(alice, ETH, DAY_W)[0] == 0


def test_an_unlimited_player_locks_and_nothing_is_recorded(
    vault: Any, registry: Any, game: Any, bob: Any, staked: int
) -> None:
    game.lock(ETH, ETHER, ETHER, _deadline(), 0, {"from": bob})
    assert vault.balanceOf(bob, ETH) == staked - ETHER
    assert registry.usageOf(bob, ETH, DAY_W)[0] == 0
    assert registry.limitOf(bob, ETH, WAGER, DAY_W)[0] == NO_LIMIT
