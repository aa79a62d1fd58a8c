"""The Vault, not the games, tells the player registry what a lock paid back, and only for a stake
the registry counted (`beforeStake` returned true; the bit lives in the lock's slot). The gap this
closes: a loss limit set while an unlimited wallet's bet is open used to credit that bet's payout
against a stake the registry never counted, giving the player headroom it never lost.

Expected tallies come from `Tally` below, a model of one loss window written from the README's
rule (net loss = counted stakes - payouts of counted stakes), never from the registry's views."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from brownie import chain
from contract_support import DAY, ETHER, deploy_wired_registry, lock_terms
from vault_helpers import ETH, mined_refusal

LOSS, DAY_W = 0, 0


@dataclass
class Tally:
    """One player's Day loss window: what a limit set at `limit` leaves room for."""

    limit: int
    net_loss: int = 0

    def stake(self, amount: int, counted: bool) -> None:
        if counted:
            self.net_loss += amount

    def pay(self, amount: int, counted: bool) -> None:
        if counted:
            self.net_loss -= amount

    def room(self) -> int:
        return self.limit - self.net_loss


@pytest.fixture(scope="module")
def registry(vault: Any, owner: Any) -> Any:
    """The real PlayerRegistry wired to the Vault as the deployment does; no game registered in it."""
    return deploy_wired_registry(vault, owner)


@pytest.fixture
def players(vault: Any, registry: Any, alice: Any, bob: Any, funded: int) -> int:
    """10 ETH in alice's and bob's Vault balances, a minute into a fresh Day window (so no test
    straddles a window boundary)."""
    for player in (alice, bob):
        vault.depositFor(player, ETH, 10 * ETHER, {"from": player, "value": 10 * ETHER})
    now = chain[-1].timestamp
    chain.sleep(DAY - now % DAY + 60)
    chain.mine()
    return 10 * ETHER


def _deadline() -> int:
    return chain[-1].timestamp + DAY


def _net_loss(registry: Any, player: Any) -> int:
    return int(registry.usageOf(player, ETH, DAY_W)[1])


def _assert_room(registry: Any, game: Any, player: Any, tally: Tally) -> None:
    """The chain's window equals the model's, and the model's room is exactly what a lock may take:
    one wei more is refused with the registry's error naming the model's figure."""
    assert _net_loss(registry, player) == tally.net_loss
    wants = tally.room() + 1
    message = mined_refusal(game.lock, ETH, wants, wants, _deadline(), 0, {"from": player})
    assert message == f"LossLimitExceeded: {player.address.lower()}, {ETH}, {DAY_W}, {tally.limit}, {tally.limit + 1}"


def test_a_limit_set_while_an_uncounted_bet_is_open_gets_no_credit_for_it(
    vault: Any, registry: Any, game: Any, owner: Any, bob: Any, players: int
) -> None:
    """Bob bets 1 ETH with no limit (nothing counted), then sets a 2 ETH daily loss limit, then the
    bet pays 1.5 ETH. The payout is not credited: his room stays 2 ETH (the old code credited it,
    leaving 3.5 ETH of room he never lost)."""
    lock_id = game.lock(ETH, ETHER, 2 * ETHER, _deadline(), 0, {"from": bob}).return_value
    assert not vault.lockCounted(lock_id)
    tally = Tally(limit=2 * ETHER)
    tally.stake(ETHER, counted=False)
    registry.setLimit(ETH, LOSS, DAY_W, tally.limit, {"from": bob})
    game.settle(lock_id, lock_terms(vault, lock_id), 3 * ETHER // 2, {"from": owner})
    tally.pay(3 * ETHER // 2, counted=False)
    assert vault.balanceOf(bob, ETH) == players - ETHER + 3 * ETHER // 2
    _assert_room(registry, game, bob, tally)


def test_an_uncounted_refund_and_backstop_get_no_credit(
    vault: Any, registry: Any, game: Any, owner: Any, outsider: Any, bob: Any, players: int
) -> None:
    """The same for a refund by the game and for the deadline backstop."""
    refunded = game.lock(ETH, ETHER, ETHER, _deadline(), 0, {"from": bob}).return_value
    lapsed = game.lock(ETH, ETHER, ETHER, chain[-1].timestamp + 3600, 0, {"from": bob}).return_value
    tally = Tally(limit=ETHER)
    registry.setLimit(ETH, LOSS, DAY_W, tally.limit, {"from": bob})
    game.refund(refunded, lock_terms(vault, refunded), {"from": owner})
    chain.sleep(3601)
    vault.refund(lapsed, lock_terms(vault, lapsed), {"from": outsider})
    assert vault.balanceOf(bob, ETH) == players
    _assert_room(registry, game, bob, tally)


def test_a_counted_stake_is_credited_on_settle_refund_and_backstop(
    vault: Any, registry: Any, game: Any, owner: Any, outsider: Any, alice: Any, players: int
) -> None:
    """Alice's stakes are counted (a 5 ETH limit set first), so every payout back is credited:
    a settle of 1 ETH paying 0.25, a refund by the game, and a refund by the deadline backstop."""
    tally = Tally(limit=5 * ETHER)
    registry.setLimit(ETH, LOSS, DAY_W, tally.limit, {"from": alice})
    lost = game.lock(ETH, ETHER, ETHER, _deadline(), 0, {"from": alice}).return_value
    refunded = game.lock(ETH, ETHER, ETHER, _deadline(), 0, {"from": alice}).return_value
    lapsed = game.lock(ETH, ETHER, ETHER, chain[-1].timestamp + 3600, 0, {"from": alice}).return_value
    for lock_id in (lost, refunded, lapsed):
        assert vault.lockCounted(lock_id)
        tally.stake(ETHER, counted=True)
    game.settle(lost, lock_terms(vault, lost), ETHER // 4, {"from": owner})
    tally.pay(ETHER // 4, counted=True)
    game.refund(refunded, lock_terms(vault, refunded), {"from": owner})
    tally.pay(ETHER, counted=True)
    chain.sleep(3601)
    vault.refund(lapsed, lock_terms(vault, lapsed), {"from": outsider})
    tally.pay(ETHER, counted=True)
    assert not any(vault.lockCounted(i) for i in (lost, refunded, lapsed))  # closed locks
    assert tally.net_loss == 3 * ETHER // 4
    _assert_room(registry, game, alice, tally)


def test_pool_payouts_are_credited_against_the_players_own_counted_lock(
    vault: Any, registry: Any, game: Any, owner: Any, alice: Any, bob: Any, players: int
) -> None:
    """A pool of alice's counted 1 ETH and bob's uncounted 1 ETH (his limit came later): alice's win
    paid against her lock is credited, bob's against his is not, and money paid with
    `payFromPool` (not against any stake) is credited to nobody."""
    alice_tally, bob_tally = Tally(limit=4 * ETHER), Tally(limit=2 * ETHER)
    registry.setLimit(ETH, LOSS, DAY_W, alice_tally.limit, {"from": alice})
    pool = game.openPool(ETH, {"from": owner}).return_value
    alice_lock = game.lock(ETH, ETHER, ETHER, _deadline(), pool, {"from": alice}).return_value
    bob_lock = game.lock(ETH, ETHER, ETHER, _deadline(), pool, {"from": bob}).return_value
    alice_tally.stake(ETHER, counted=True)
    bob_tally.stake(ETHER, counted=False)
    registry.setLimit(ETH, LOSS, DAY_W, bob_tally.limit, {"from": bob})
    assert (vault.lockCounted(alice_lock), vault.lockCounted(bob_lock)) == (True, False)
    game.closePool(pool, {"from": owner})
    game.payLockFromPool(alice_lock, lock_terms(vault, alice_lock), ETHER, {"from": owner})
    alice_tally.pay(ETHER, counted=True)
    game.payLockFromPool(bob_lock, lock_terms(vault, bob_lock), ETHER // 2, {"from": owner})
    bob_tally.pay(ETHER // 2, counted=False)
    game.payFromPool(pool, alice, ETHER // 2, {"from": owner})
    assert vault.getPool(pool)["balance"] == 0
    assert vault.balanceOf(alice, ETH) == players + ETHER // 2
    assert vault.balanceOf(bob, ETH) == players - ETHER // 2
    _assert_room(registry, game, alice, alice_tally)
    _assert_room(registry, game, bob, bob_tally)


def test_pay_lock_from_pool_checks_the_lock(
    vault: Any, registry: Any, game: Any, other_game: Any, owner: Any, alice: Any, players: int, reverts_with: Any
) -> None:
    pool = game.openPool(ETH, {"from": owner}).return_value
    pooled = game.lock(ETH, ETHER, ETHER, _deadline(), pool, {"from": alice}).return_value
    bankroll = game.lock(ETH, ETHER, ETHER, _deadline(), 0, {"from": alice}).return_value
    terms = lock_terms(vault, pooled)
    with reverts_with("PoolNotClosed"):
        game.payLockFromPool(pooled, terms, 1, {"from": owner})
    game.closePool(pool, {"from": owner})
    with reverts_with("BadLockTerms"):
        game.payLockFromPool(pooled, (*terms[:3], terms[3] + 1, terms[4] + 1, terms[5]), 1, {"from": owner})
    with reverts_with("NotPoolLock"):
        game.payLockFromPool(bankroll, lock_terms(vault, bankroll), 1, {"from": owner})
    with reverts_with("NotPoolGame"):
        other_game.payLockFromPool(pooled, terms, 1, {"from": owner})
    with reverts_with("PoolBalanceTooLow"):
        game.payLockFromPool(pooled, terms, ETHER + 1, {"from": owner})
