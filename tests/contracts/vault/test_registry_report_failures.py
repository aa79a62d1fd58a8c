"""No registry can block a settlement or refund: the Vault's report (`afterSettle`) gets a bounded
gas allowance and its failure is ignored. A registry double that reverts, or burns every unit of
gas it is given, is wired to the Vault; every way a lock pays back still moves the money. An
honest double shows each path reports exactly once, from the Vault, with the lock's stake and
what it paid, and never for a stake the registry did not count."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import MockPlayerRegistry, chain
from contract_support import DAY, ETHER, called_addresses, lock_terms, wire_registry
from vault_helpers import ETH

REPORT_GAS = 80_000  # the allowance the README and Vault.REGISTRY_REPORT_GAS state
GAS = {"gas_limit": 1_000_000}


@pytest.fixture(scope="module")
def registry(vault: Any, owner: Any) -> Any:
    deployed = MockPlayerRegistry.deploy({"from": owner})
    wire_registry(vault, deployed, owner)
    return deployed


@pytest.fixture
def staked(vault: Any, registry: Any, alice: Any, funded: int) -> int:
    vault.depositFor(alice, ETH, 10 * ETHER, {"from": alice, "value": 10 * ETHER})
    return 10 * ETHER


def _every_payback(vault: Any, game: Any, owner: Any, outsider: Any, player: Any) -> list[Any]:
    """A settle paying 1.5 ETH, a game refund, a deadline refund, a payout against a pooled lock
    and a closed pool's backstop share, each of a 1 ETH stake: the transactions."""
    deadline = chain[-1].timestamp + DAY
    won = game.lock(ETH, ETHER, 2 * ETHER, deadline, 0, {"from": player}).return_value
    refunded = game.lock(ETH, ETHER, ETHER, deadline, 0, {"from": player}).return_value
    lapsed = game.lock(ETH, ETHER, ETHER, chain[-1].timestamp + 3600, 0, {"from": player}).return_value
    paid_pool = game.openPool(ETH, {"from": owner}).return_value
    paid = game.lock(ETH, ETHER, ETHER, deadline, paid_pool, {"from": player}).return_value
    unwound_pool = game.openPool(ETH, {"from": owner}).return_value
    unwound = game.lock(ETH, ETHER, ETHER, deadline, unwound_pool, {"from": player}).return_value
    txs = [
        game.settle(won, lock_terms(vault, won), 3 * ETHER // 2, {"from": owner, **GAS}),
        game.refund(refunded, lock_terms(vault, refunded), {"from": owner, **GAS}),
    ]
    game.closePool(paid_pool, {"from": owner})
    txs.append(game.payLockFromPool(paid, lock_terms(vault, paid), ETHER, {"from": owner, **GAS}))
    game.closePool(unwound_pool, {"from": owner})
    chain.sleep(int(vault.POOL_PAYOUT_WINDOW()) + 1)
    txs.append(vault.refund(lapsed, lock_terms(vault, lapsed), {"from": outsider, **GAS}))
    txs.append(vault.refundClosedPool(unwound, lock_terms(vault, unwound), {"from": outsider, **GAS}))
    return txs


# what each of the five paid back, in order: the player ends with every one of them
PAID = [3 * ETHER // 2, ETHER, ETHER, ETHER, ETHER]


@pytest.mark.parametrize("failure", ["revert", "burn"])
def test_a_failing_registry_never_blocks_the_money(
    vault: Any, registry: Any, game: Any, owner: Any, outsider: Any, alice: Any, staked: int, failure: str
) -> None:
    (registry.setRevertOnSettle if failure == "revert" else registry.setBurnOnSettle)(True, {"from": owner})
    txs = _every_payback(vault, game, owner, outsider, alice)
    assert all(tx.status == 1 for tx in txs)
    assert vault.balanceOf(alice, ETH) == staked - 5 * ETHER + sum(PAID)
    assert registry.paidOut(alice, ETH) == 0  # every report failed, and was ignored
    if failure == "burn":
        # the registry burnt its whole allowance and no more: bounded, whatever it does
        for tx in txs:
            assert REPORT_GAS < tx.gas_used < REPORT_GAS + 90_000, tx.gas_used


def test_each_payback_of_a_counted_stake_is_reported_once_by_the_vault(
    vault: Any, registry: Any, game: Any, owner: Any, outsider: Any, alice: Any, staked: int
) -> None:
    txs = _every_payback(vault, game, owner, outsider, alice)
    reports = [tuple(e.values()) for tx in txs for e in tx.events["Reported"]]
    assert reports == [(vault.address, alice.address, ETH, ETHER, paid) for paid in PAID]
    assert registry.paidOut(alice, ETH) == sum(PAID)
    assert registry.settledStake(alice, ETH) == len(PAID) * ETHER
    assert registry.staked(alice, ETH) == len(PAID) * ETHER


def test_an_uncounted_stake_is_never_reported(
    vault: Any, registry: Any, game: Any, owner: Any, outsider: Any, alice: Any, staked: int
) -> None:
    registry.setCountsNothing(True, {"from": owner})
    txs = _every_payback(vault, game, owner, outsider, alice)
    assert registry.paidOut(alice, ETH) == 0 and registry.settledStake(alice, ETH) == 0
    assert registry.staked(alice, ETH) == len(PAID) * ETHER  # asked on every lock all the same
    assert vault.balanceOf(alice, ETH) == staked - 5 * ETHER + sum(PAID)
    # nothing reported: the registry's account is never touched when a lock pays back
    assert all(registry.address.lower() not in called_addresses(tx) for tx in txs)
