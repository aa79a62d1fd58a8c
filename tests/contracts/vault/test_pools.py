"""Pooled locks: open, stake, refund while open, close, pay out, rake, roll over, and the closed
pool's backstop (pro rata return of what the game left after its payout window)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from brownie import chain
from contract_support import DAY, ETHER, HOUR, lock_terms, open_lock, terms_hash
from vault_helpers import ETH, deposit_eth, future, mint_approved

RAKE_CAP_BPS = 1_000
PAYOUT_WINDOW = 30 * DAY  # the README's payout window of a closed pool


@pytest.fixture
def pool(vault: Any, game: Any, owner: Any, alice: Any, bob: Any) -> int:
    """An open ETH pool of `game` holding 3 ETH from alice (lock 1) and 1 ETH from bob (lock 2)."""
    pool_id = game.openPool(ETH, {"from": owner}).return_value
    deposit_eth(vault, alice, 5 * ETHER)
    deposit_eth(vault, bob, 5 * ETHER)
    game.lock(ETH, 3 * ETHER, 3 * ETHER, future(), pool_id, {"from": alice})
    game.lock(ETH, ETHER, ETHER, future(), pool_id, {"from": bob})
    return pool_id


# The fixture allows ETH first (compact id 1), and a lock id is the token's id above its 40-bit
# lock number: the module's first and second ETH locks.
FIRST_LOCK = (1 << 40) + 1
SECOND_LOCK = FIRST_LOCK + 1


def test_open_pool(vault: Any, game: Any, owner: Any, usds: Any) -> None:
    tx = game.openPool(usds, {"from": owner})
    assert tx.return_value == 1
    assert tx.events["PoolOpened"] == {"poolId": 1, "game": game, "token": usds}
    assert vault.getPool(1).dict() == {
        "game": game,
        "token": usds,
        "state": 1,
        "balance": 0,
        "rakeLeft": 0,
        "payBy": 0,
        "stakes": 0,
    }
    assert vault.poolCount() == 1


def test_open_pool_reverts(vault: Any, game: Any, owner: Any, alice: Any, reverts_with: Any) -> None:
    with reverts_with("NotGame"):
        vault.openPool(ETH, {"from": alice})
    with reverts_with("TokenNotAllowed"):
        game.openPool(alice, {"from": owner})


def test_stakes_go_into_the_pool(vault: Any, game: Any, alice: Any, pool: int, books: Any) -> None:
    assert vault.getPool(pool)["balance"] == 4 * ETHER
    assert vault.lockedTotal(ETH) == 4 * ETHER
    assert vault.bankrollReserved(ETH) == 0
    assert open_lock(vault, FIRST_LOCK)[1] == terms_hash((alice.address, ETH, game.address, 3 * ETHER, 3 * ETHER, pool))
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
        game.settle(FIRST_LOCK, lock_terms(game, FIRST_LOCK), 0, {"from": owner})


def test_refunds_while_open(
    vault: Any, game: Any, owner: Any, alice: Any, bob: Any, outsider: Any, pool: int, books: Any
) -> None:
    game.refund(FIRST_LOCK, lock_terms(game, FIRST_LOCK), {"from": owner})
    assert vault.balanceOf(alice, ETH) == 5 * ETHER
    assert vault.getPool(pool)["balance"] == ETHER

    chain.sleep(HOUR + 1)
    tx = vault.refund(SECOND_LOCK, lock_terms(vault, SECOND_LOCK), {"from": outsider})
    assert tx.events["Refunded"]["afterDeadline"] is True
    assert vault.balanceOf(bob, ETH) == 5 * ETHER
    assert vault.getPool(pool)["balance"] == 0
    assert vault.lockedTotal(ETH) == 0
    books(vault, ETH)


def test_closing_stops_refunds_until_the_payout_window_ends(
    vault: Any, game: Any, owner: Any, alice: Any, bob: Any, outsider: Any, pool: int, books: Any, reverts_with: Any
) -> None:
    """Closing hands the pool to its game for the payout window, not for ever: if the game pays
    nothing, anyone returns each stake after the window (README: every pool unwinds)."""
    tx = game.closePool(pool, {"from": owner})
    pay_by = tx.timestamp + PAYOUT_WINDOW
    assert vault.POOL_PAYOUT_WINDOW() == PAYOUT_WINDOW
    assert tx.events["PoolClosed"] == {"poolId": pool, "total": 4 * ETHER, "stakes": 4 * ETHER, "payBy": pay_by}
    assert vault.getPool(pool)["state"] == 2
    assert vault.getPool(pool)["rakeLeft"] == 4 * ETHER * RAKE_CAP_BPS // 10_000
    assert vault.getPool(pool)["payBy"] == pay_by
    assert vault.getPool(pool)["stakes"] == 4 * ETHER
    assert open_lock(vault, FIRST_LOCK)[0] != 0  # still held: the backstop below returns it

    with reverts_with("PoolNotOpen"):
        game.refund(FIRST_LOCK, lock_terms(game, FIRST_LOCK), {"from": owner})
    chain.sleep(HOUR + 1)
    with reverts_with("PoolNotOpen"):
        vault.refund(FIRST_LOCK, lock_terms(vault, FIRST_LOCK), {"from": outsider})
    with reverts_with("DeadlineNotReached"):
        vault.refundClosedPool(FIRST_LOCK, lock_terms(vault, FIRST_LOCK), {"from": outsider})

    chain.sleep(pay_by - chain.time() + 1)
    tx = vault.refundClosedPool(FIRST_LOCK, lock_terms(vault, FIRST_LOCK), {"from": outsider})
    assert tx.events["PoolBackstopStarted"] == {"poolId": pool, "balance": 4 * ETHER, "stakes": 4 * ETHER}
    assert tx.events["ClosedPoolRefunded"] == {
        "poolId": pool,
        "lockId": FIRST_LOCK,
        "player": alice,
        "stake": 3 * ETHER,
        "amount": 3 * ETHER,
    }
    tx = vault.refundClosedPool(SECOND_LOCK, lock_terms(vault, SECOND_LOCK), {"from": outsider})
    assert "PoolBackstopStarted" not in tx.events
    assert vault.balanceOf(alice, ETH) == vault.balanceOf(bob, ETH) == 5 * ETHER
    assert vault.getPool(pool)["state"] == 3
    assert vault.getPool(pool)["balance"] == vault.getPool(pool)["stakes"] == 0
    assert vault.lockedTotal(ETH) == 0
    with reverts_with("LockNotOpen"):
        vault.refundClosedPool(FIRST_LOCK, lock_terms(vault, FIRST_LOCK), {"from": outsider})
    books(vault, ETH)


def _backstop_model(stakes: dict[int, int], left: int) -> dict[int, Fraction]:
    """Each stake's exact pro rata share of what the game left in the pool."""
    total = sum(stakes.values())
    return {lock_id: Fraction(stake * left, total) for lock_id, stake in stakes.items()}


def test_backstop_shares_what_the_game_left_pro_rata(
    vault: Any, game: Any, owner: Any, alice: Any, bob: Any, carol: Any, outsider: Any, books: Any
) -> None:
    """A game that paid part of a pool and stopped: the rest goes to all of the pool's stakes
    pro rata, rounding moving at most a wei per lock between them and leaving nothing behind."""
    pool_id = game.openPool(ETH, {"from": owner}).return_value
    stakes = {}
    for who, stake in ((alice, 3 * ETHER + 1), (bob, ETHER + 7), (carol, 2 * ETHER + 5)):
        deposit_eth(vault, who, stake)
        lock_id = game.lock(ETH, stake, stake, future(), pool_id, {"from": who}).return_value
        stakes[lock_id] = stake
    owners = dict(zip(stakes, (alice, bob, carol), strict=True))
    game.closePool(pool_id, {"from": owner})
    game.takePoolFee(pool_id, ETHER // 7, {"from": owner})
    game.payFromPool(pool_id, bob, 2 * ETHER + 3, {"from": owner})
    left = sum(stakes.values()) - ETHER // 7 - (2 * ETHER + 3)
    assert vault.getPool(pool_id)["balance"] == left
    expected = _backstop_model(stakes, left)

    chain.sleep(PAYOUT_WINDOW + 1)
    paid = {}
    for lock_id in (list(stakes)[1], list(stakes)[2], list(stakes)[0]):
        before = vault.balanceOf(owners[lock_id], ETH)
        tx = vault.refundClosedPool(lock_id, lock_terms(vault, lock_id), {"from": outsider})
        paid[lock_id] = tx.events["ClosedPoolRefunded"]["amount"]
        assert tx.events["ClosedPoolRefunded"]["stake"] == stakes[lock_id]
        assert vault.balanceOf(owners[lock_id], ETH) == before + paid[lock_id]
        books(vault, ETH)
    assert sum(paid.values()) == left
    for lock_id, share in expected.items():
        assert abs(paid[lock_id] - share) < len(stakes)
    assert vault.getPool(pool_id)["balance"] == 0
    assert vault.lockedTotal(ETH) == 0


def test_game_cannot_pay_once_the_backstop_began(
    vault: Any, game: Any, owner: Any, alice: Any, outsider: Any, pool: int, reverts_with: Any, books: Any
) -> None:
    """Past its payout window the game may still pay until someone starts the backstop; from
    then on every game payout reverts, so nothing is paid twice."""
    target = game.openPool(ETH, {"from": owner}).return_value
    game.closePool(pool, {"from": owner})
    chain.sleep(PAYOUT_WINDOW + 1)
    game.payFromPool(pool, alice, ETHER, {"from": owner})  # late, but before the backstop: allowed
    # bob's 1 of 4: a quarter of the 3 ETH left
    vault.refundClosedPool(SECOND_LOCK, lock_terms(vault, SECOND_LOCK), {"from": outsider})
    assert vault.getPool(pool)["balance"] == 3 * ETHER - 3 * ETHER // 4
    for call in (
        lambda: game.payFromPool(pool, alice, 1, {"from": owner}),
        lambda: game.takePoolFee(pool, 1, {"from": owner}),
        lambda: game.movePool(pool, target, 1, {"from": owner}),
    ):
        with reverts_with("PoolUnwinding"):
            call()
    with reverts_with("PoolNotOpen"):
        game.closePool(pool, {"from": owner})
    game.closePool(target, {"from": owner})
    with reverts_with("PoolNotOpen"):
        game.movePool(target, pool, 1, {"from": owner})  # nothing moves into an unwinding pool
    with reverts_with("StakesLeft"):
        vault.releaseClosedPool(pool, {"from": outsider})
    vault.refundClosedPool(FIRST_LOCK, lock_terms(vault, FIRST_LOCK), {"from": outsider})
    assert vault.getPool(pool)["balance"] == 0
    books(vault, ETH)


def test_refund_closed_pool_reverts(
    vault: Any, game: Any, owner: Any, alice: Any, outsider: Any, funded: int, pool: int, reverts_with: Any
) -> None:
    bankroll_lock = game.lock(ETH, ETHER, 2 * ETHER, future(), 0, {"from": alice}).return_value
    with reverts_with("LockNotOpen"):
        vault.refundClosedPool(99, lock_terms(vault, 99), {"from": outsider})
    with reverts_with("NotPoolLock"):
        vault.refundClosedPool(bankroll_lock, lock_terms(vault, bankroll_lock), {"from": outsider})
    chain.sleep(PAYOUT_WINDOW + 1)
    with reverts_with("PoolNotClosed"):
        # open: its locks unwind through refund
        vault.refundClosedPool(FIRST_LOCK, lock_terms(vault, FIRST_LOCK), {"from": outsider})
    with reverts_with("PoolNotClosed"):
        vault.releaseClosedPool(pool, {"from": outsider})
    with reverts_with("PoolNotClosed"):
        vault.releaseClosedPool(77, {"from": outsider})


def test_backstop_returns_rolled_in_money_with_the_stakes(
    vault: Any, game: Any, owner: Any, alice: Any, bob: Any, outsider: Any, pool: int, books: Any
) -> None:
    """Money rolled into a pool belongs to that pool's stakes when its game leaves it unpaid."""
    game.closePool(pool, {"from": owner})
    next_pool = game.openPool(ETH, {"from": owner}).return_value
    game.movePool(pool, next_pool, 4 * ETHER, {"from": owner})
    assert vault.getPool(next_pool)["stakes"] == 0
    lock_id = game.lock(ETH, ETHER, ETHER, future(), next_pool, {"from": bob}).return_value
    assert vault.getPool(next_pool)["stakes"] == ETHER
    tx = game.closePool(next_pool, {"from": owner})
    assert tx.events["PoolClosed"]["total"] == 5 * ETHER
    assert tx.events["PoolClosed"]["stakes"] == ETHER
    chain.sleep(PAYOUT_WINDOW + 1)
    tx = vault.refundClosedPool(lock_id, lock_terms(vault, lock_id), {"from": outsider})
    assert tx.events["ClosedPoolRefunded"]["amount"] == 5 * ETHER
    assert vault.balanceOf(bob, ETH) == 8 * ETHER
    assert vault.lockedTotal(ETH) == 0
    books(vault, ETH)


def test_release_a_closed_pool_without_stakes_to_the_bankroll(
    vault: Any, game: Any, owner: Any, bob: Any, outsider: Any, funded: int, pool: int, books: Any, reverts_with: Any
) -> None:
    """A prize nobody can claim (moved into a pool whose stakes were all refunded) goes to the
    bankroll after the payout window, whatever governance did to the game and its token."""
    game.closePool(pool, {"from": owner})
    next_pool = game.openPool(ETH, {"from": owner}).return_value
    game.movePool(pool, next_pool, 4 * ETHER, {"from": owner})
    lock_id = game.lock(ETH, ETHER, ETHER, future(), next_pool, {"from": bob}).return_value
    game.refund(lock_id, lock_terms(game, lock_id), {"from": owner})
    tx = game.closePool(next_pool, {"from": owner})
    assert tx.events["PoolClosed"]["stakes"] == 0
    vault.setGame(game, False, {"from": owner})
    vault.setToken(ETH, False, {"from": owner})
    with reverts_with("DeadlineNotReached"):
        vault.releaseClosedPool(next_pool, {"from": outsider})
    chain.sleep(PAYOUT_WINDOW + 1)
    tx = vault.releaseClosedPool(next_pool, {"from": outsider})
    assert tx.events["ClosedPoolReleased"] == {"poolId": next_pool, "amount": 4 * ETHER}
    assert vault.bankrollAssets(ETH) == funded + 4 * ETHER
    assert vault.accruedFees(ETH) == 0
    assert vault.lockedTotal(ETH) == 0
    with reverts_with("ZeroAmount"):
        vault.releaseClosedPool(next_pool, {"from": outsider})
    books(vault, ETH)


def test_governance_cannot_stop_the_backstop(
    vault: Any, game: Any, owner: Any, alice: Any, bob: Any, outsider: Any, pool: int, books: Any
) -> None:
    """The game unregistered, the token disallowed and new locks paused: a closed pool still
    unwinds to its stakes after the payout window."""
    game.closePool(pool, {"from": owner})
    vault.setGame(game, False, {"from": owner})
    vault.setToken(ETH, False, {"from": owner})
    vault.pause({"from": owner})
    chain.sleep(PAYOUT_WINDOW + 1)
    vault.refundClosedPool(FIRST_LOCK, lock_terms(vault, FIRST_LOCK), {"from": outsider})
    vault.refundClosedPool(SECOND_LOCK, lock_terms(vault, SECOND_LOCK), {"from": outsider})
    assert vault.balanceOf(alice, ETH) == vault.balanceOf(bob, ETH) == 5 * ETHER
    books(vault, ETH)


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
    game.refund(lock_id, lock_terms(game, lock_id), {"from": owner})
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


def test_money_moved_into_an_open_pool_is_capped_at_uint96(
    vault: Any, game: Any, owner: Any, alice: Any, usds: Any, reverts_with: Any
) -> None:
    """An open pool tells its moved-in money from its stakes in 96 bits: a move past 2^96 - 1
    base units reverts (the money stays in its closed pool, which its game or the backstop pays)."""
    cap = 2**96 - 1
    mint_approved(usds, vault, alice, cap + 1)
    vault.depositFor(alice, usds, cap + 1, {"from": alice})
    source = game.openPool(usds, {"from": owner}).return_value
    game.lock(usds, cap + 1, cap + 1, future(), source, {"from": alice})
    game.closePool(source, {"from": owner})
    target = game.openPool(usds, {"from": owner}).return_value
    with reverts_with("SafeCastOverflowedUintDowncast"):
        game.movePool(source, target, cap + 1, {"from": owner})
    game.movePool(source, target, cap, {"from": owner})
    assert vault.getPool(target)["balance"] == cap and vault.getPool(target)["stakes"] == 0
    with reverts_with("SafeCastOverflowedUintDowncast"):
        game.movePool(source, target, 1, {"from": owner})
