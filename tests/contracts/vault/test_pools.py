"""Pooled locks: open, stake, refund while open, close, pay out, rake, roll over."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import chain
from vault_helpers import ETH, ETHER, HOUR, deposit_eth, future

RAKE_CAP_BPS = 1_000


@pytest.fixture
def pool(vault: Any, game: Any, owner: Any, alice: Any, bob: Any) -> int:
    """An open ETH pool of `game` holding 3 ETH from alice (lock 1) and 1 ETH from bob (lock 2)."""
    pool_id = game.openPool(ETH, {"from": owner}).return_value
    deposit_eth(vault, alice, 5 * ETHER)
    deposit_eth(vault, bob, 5 * ETHER)
    game.lock(ETH, 3 * ETHER, 3 * ETHER, future(), pool_id, {"from": alice})
    game.lock(ETH, ETHER, ETHER, future(), pool_id, {"from": bob})
    return pool_id


def test_open_pool(vault: Any, game: Any, owner: Any, usds: Any) -> None:
    tx = game.openPool(usds, {"from": owner})
    assert tx.return_value == 1
    assert tx.events["PoolOpened"] == {"poolId": 1, "game": game, "token": usds}
    assert vault.getPool(1).dict() == {"game": game, "token": usds, "state": 1, "balance": 0, "rakeLeft": 0}
    assert vault.poolCount() == 1


def test_open_pool_reverts(vault: Any, game: Any, owner: Any, alice: Any, reverts_with: Any) -> None:
    with reverts_with("NotGame"):
        vault.openPool(ETH, {"from": alice})
    with reverts_with("TokenNotAllowed"):
        game.openPool(alice, {"from": owner})


def test_stakes_go_into_the_pool(vault: Any, pool: int, books: Any) -> None:
    assert vault.getPool(pool)["balance"] == 4 * ETHER
    assert vault.lockedTotal(ETH) == 4 * ETHER
    assert vault.bankrollReserved(ETH) == 0
    assert vault.getLock(1)["poolId"] == pool
    books(vault, ETH)


def test_pool_lock_reverts(
    vault: Any, game: Any, other_game: Any, owner: Any, usds: Any, alice: Any, pool: int, reverts_with: Any
) -> None:
    with reverts_with("BadMaxPayout"):
        game.lock(ETH, ETHER, 2 * ETHER, future(), pool, {"from": alice})
    with reverts_with("PoolNotOpen"):
        game.lock(ETH, ETHER, ETHER, future(), 77, {"from": alice})
    with reverts_with("NotPoolGame"):
        other_game.lock(ETH, ETHER, ETHER, future(), pool, {"from": alice})
    usds_pool = game.openPool(usds, {"from": owner}).return_value
    with reverts_with("PoolTokenMismatch"):
        game.lock(ETH, ETHER, ETHER, future(), usds_pool, {"from": alice})
    game.closePool(pool, {"from": owner})
    with reverts_with("PoolNotOpen"):
        game.lock(ETH, ETHER, ETHER, future(), pool, {"from": alice})


def test_pooled_locks_are_not_settled(game: Any, owner: Any, pool: int, reverts_with: Any) -> None:
    with reverts_with("NotBankrollLock"):
        game.settle(1, 0, {"from": owner})


def test_refunds_while_open(
    vault: Any, game: Any, owner: Any, alice: Any, bob: Any, outsider: Any, pool: int, books: Any
) -> None:
    game.refund(1, {"from": owner})
    assert vault.balanceOf(alice, ETH) == 5 * ETHER
    assert vault.getPool(pool)["balance"] == ETHER

    chain.sleep(HOUR + 1)
    tx = vault.refund(2, {"from": outsider})
    assert tx.events["Refunded"]["afterDeadline"] is True
    assert vault.balanceOf(bob, ETH) == 5 * ETHER
    assert vault.getPool(pool)["balance"] == 0
    assert vault.lockedTotal(ETH) == 0
    books(vault, ETH)


def test_closing_stops_refunds(vault: Any, game: Any, owner: Any, outsider: Any, pool: int, reverts_with: Any) -> None:
    tx = game.closePool(pool, {"from": owner})
    assert tx.events["PoolClosed"] == {"poolId": pool, "total": 4 * ETHER}
    assert vault.getPool(pool)["state"] == 2
    assert vault.getPool(pool)["rakeLeft"] == 4 * ETHER * RAKE_CAP_BPS // 10_000
    assert vault.getLock(1)["open"] is False

    with reverts_with("PoolNotOpen"):
        game.refund(1, {"from": owner})
    chain.sleep(HOUR + 1)
    with reverts_with("PoolNotOpen"):
        vault.refund(1, {"from": outsider})


def test_close_pool_reverts(
    vault: Any, game: Any, other_game: Any, owner: Any, alice: Any, pool: int, reverts_with: Any
) -> None:
    with reverts_with("NotPoolGame"):
        other_game.closePool(pool, {"from": owner})
    with reverts_with("NotPoolGame"):
        vault.closePool(pool, {"from": alice})
    with reverts_with("PoolNotOpen"):
        game.closePool(42, {"from": owner})
    game.closePool(pool, {"from": owner})
    with reverts_with("PoolNotOpen"):
        game.closePool(pool, {"from": owner})


def test_pay_winners_and_take_rake(
    vault: Any, game: Any, owner: Any, alice: Any, bob: Any, pool: int, books: Any
) -> None:
    game.closePool(pool, {"from": owner})

    rake = game.takePoolFee(pool, ETHER // 5, {"from": owner})
    assert rake.events["PoolFeeTaken"] == {"poolId": pool, "amount": ETHER // 5}
    paid = game.payFromPool(pool, bob, 3 * ETHER, {"from": owner})
    assert paid.events["PoolPaid"] == {"poolId": pool, "player": bob, "amount": 3 * ETHER}
    game.payFromPool(pool, alice, ETHER - ETHER // 5, {"from": owner})

    assert vault.balanceOf(bob, ETH) == 7 * ETHER
    assert vault.balanceOf(alice, ETH) == 2 * ETHER + ETHER - ETHER // 5
    assert vault.accruedFees(ETH) == ETHER // 5
    assert vault.getPool(pool)["balance"] == 0
    assert vault.lockedTotal(ETH) == 0
    books(vault, ETH)


def test_rake_is_capped(vault: Any, game: Any, owner: Any, pool: int, reverts_with: Any) -> None:
    game.closePool(pool, {"from": owner})
    cap = 4 * ETHER * RAKE_CAP_BPS // 10_000
    with reverts_with("RakeAboveCap"):
        game.takePoolFee(pool, cap + 1, {"from": owner})
    game.takePoolFee(pool, cap - 1, {"from": owner})
    with reverts_with("RakeAboveCap"):
        game.takePoolFee(pool, 2, {"from": owner})
    game.takePoolFee(pool, 1, {"from": owner})
    assert vault.getPool(pool)["rakeLeft"] == 0
    assert vault.accruedFees(ETH) == cap


def test_payout_reverts(
    vault: Any, game: Any, other_game: Any, owner: Any, alice: Any, pool: int, reverts_with: Any
) -> None:
    with reverts_with("PoolNotClosed"):
        game.payFromPool(pool, alice, ETHER, {"from": owner})
    with reverts_with("PoolNotClosed"):
        game.takePoolFee(pool, 1, {"from": owner})
    game.closePool(pool, {"from": owner})
    with reverts_with("PoolBalanceTooLow"):
        game.payFromPool(pool, alice, 4 * ETHER + 1, {"from": owner})
    with reverts_with("NotPoolGame"):
        other_game.payFromPool(pool, alice, ETHER, {"from": owner})
    with reverts_with("NotPoolGame"):
        vault.payFromPool(pool, alice, ETHER, {"from": alice})
    with reverts_with("ZeroAddress"):
        game.payFromPool(pool, ETH, ETHER, {"from": owner})
    with reverts_with("ZeroAmount"):
        game.payFromPool(pool, alice, 0, {"from": owner})
    with reverts_with("ZeroAmount"):
        game.takePoolFee(pool, 0, {"from": owner})
    with reverts_with("PoolNotOpen"):
        game.payFromPool(55, alice, 1, {"from": owner})


def test_unregistered_game_operates_its_pools_but_opens_none(
    vault: Any, game: Any, owner: Any, alice: Any, bob: Any, pool: int, books: Any, reverts_with: Any
) -> None:
    """Registration and the allow-list gate new pools only: an unregistered game whose token was
    disallowed still closes, rakes, pays out and rolls over within its own pools."""
    target = game.openPool(ETH, {"from": owner}).return_value
    vault.setGame(game, False, {"from": owner})
    vault.setToken(ETH, False, {"from": owner})
    with reverts_with("NotGame"):
        game.openPool(ETH, {"from": owner})
    game.closePool(pool, {"from": owner})
    game.takePoolFee(pool, ETHER // 10, {"from": owner})
    game.payFromPool(pool, alice, 3 * ETHER, {"from": owner})
    game.movePool(pool, target, ETHER - ETHER // 10, {"from": owner})
    game.closePool(target, {"from": owner})
    game.payFromPool(target, bob, ETHER - ETHER // 10, {"from": owner})
    assert vault.balanceOf(alice, ETH) == 5 * ETHER
    assert vault.lockedTotal(ETH) == 0
    books(vault, ETH)


def test_roll_over_into_the_next_pool(
    vault: Any, game: Any, owner: Any, alice: Any, bob: Any, pool: int, books: Any
) -> None:
    game.closePool(pool, {"from": owner})
    game.payFromPool(pool, alice, 3 * ETHER, {"from": owner})
    next_pool = game.openPool(ETH, {"from": owner}).return_value

    tx = game.movePool(pool, next_pool, ETHER, {"from": owner})

    assert tx.events["PoolMoved"] == {"fromPoolId": pool, "toPoolId": next_pool, "amount": ETHER}
    assert vault.getPool(pool)["balance"] == 0
    assert vault.getPool(next_pool)["balance"] == ETHER
    assert vault.lockedTotal(ETH) == ETHER

    # rolled-over money stays in the next pool even if every new stake is refunded
    lock_id = game.lock(ETH, 2 * ETHER, 2 * ETHER, future(), next_pool, {"from": bob}).return_value
    game.refund(lock_id, {"from": owner})
    game.closePool(next_pool, {"from": owner})
    game.payFromPool(next_pool, bob, ETHER, {"from": owner})
    assert vault.balanceOf(bob, ETH) == 5 * ETHER
    assert vault.lockedTotal(ETH) == 0
    books(vault, ETH)


def test_move_pool_reverts(
    vault: Any, game: Any, other_game: Any, owner: Any, usds: Any, pool: int, reverts_with: Any
) -> None:
    target = game.openPool(ETH, {"from": owner}).return_value
    with reverts_with("PoolNotClosed"):
        game.movePool(pool, target, ETHER, {"from": owner})
    game.closePool(pool, {"from": owner})
    with reverts_with("PoolNotOpen"):
        game.movePool(pool, 99, ETHER, {"from": owner})
    with reverts_with("PoolNotOpen"):
        game.movePool(pool, pool, ETHER, {"from": owner})
    foreign = other_game.openPool(ETH, {"from": owner}).return_value
    with reverts_with("NotPoolGame"):
        game.movePool(pool, foreign, ETHER, {"from": owner})
    usds_pool = game.openPool(usds, {"from": owner}).return_value
    with reverts_with("PoolTokenMismatch"):
        game.movePool(pool, usds_pool, ETHER, {"from": owner})
    with reverts_with("PoolBalanceTooLow"):
        game.movePool(pool, target, 4 * ETHER + 1, {"from": owner})
    with reverts_with("ZeroAmount"):
        game.movePool(pool, target, 0, {"from": owner})
