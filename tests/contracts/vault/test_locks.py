"""Bankroll locks: lock, settle in every direction, refunds and the deadline backstop."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import chain
from contract_support import DAY, ETHER, HOUR, lock_terms, open_lock, terms_hash
from vault_helpers import ETH, FEE_BPS, deposit_eth, future, mint_approved

from ops import bankroll


@pytest.fixture
def staked(vault: Any, game: Any, alice: Any, funded: int) -> int:
    """Alice holds 10 ETH and has locked 1 ETH at up to 3 ETH payout; returns the lock id."""
    deposit_eth(vault, alice, 10 * ETHER)
    return game.lock(ETH, ETHER, 3 * ETHER, future(), 0, {"from": alice}).return_value


# ETH is the first token the fixture allows (compact id 1); a lock id is the token's id above its
# 40-bit lock number, so ETH's first lock is (1 << 40) + 1.
FIRST_ETH_LOCK = (1 << 40) + 1


def _assert_refunded_in_full(vault: Any, tx: Any, lock_id: int, player: Any, after_deadline: bool) -> None:
    """The `staked` lock's whole stake is back: `player` holds their 10 ETH again."""
    refunded = {"lockId": lock_id, "player": player, "amount": ETHER, "afterDeadline": after_deadline}
    assert tx.events["Refunded"] == refunded
    assert vault.balanceOf(player, ETH) == 10 * ETHER


def test_lock_moves_free_balance_into_the_lock(vault: Any, game: Any, alice: Any, funded: int, books: Any) -> None:
    deposit_eth(vault, alice, 10 * ETHER)
    deadline = future()

    tx = game.lock(ETH, 2 * ETHER, 5 * ETHER, deadline, 0, {"from": alice})

    lock_id = tx.return_value
    assert lock_id == FIRST_ETH_LOCK
    assert tx.events["Locked"] == {
        "lockId": FIRST_ETH_LOCK,
        "game": game,
        "player": alice,
        "token": ETH,
        "amount": 2 * ETHER,
        "maxPayout": 5 * ETHER,
        "deadline": deadline,
        "poolId": 0,
        "fee": 0,  # no house edge declared
    }
    assert vault.balanceOf(alice, ETH) == 8 * ETHER
    assert vault.freeBalanceTotal(ETH) == 8 * ETHER
    assert vault.lockedTotal(ETH) == 2 * ETHER
    assert vault.bankrollReserved(ETH) == 3 * ETHER
    # one slot: the deadline and the hash of the terms the event carries
    assert open_lock(vault, lock_id) == (
        deadline,
        terms_hash((alice.address, ETH, game.address, 2 * ETHER, 5 * ETHER, 0)),
    )
    assert vault.lockCount(ETH) == 1
    assert vault.nextLockId(ETH) == FIRST_ETH_LOCK + 1
    books(vault, ETH)


def test_lock_reverts(vault: Any, game: Any, usds: Any, alice: Any, funded: int, reverts_with: Any) -> None:
    deposit_eth(vault, alice, 10 * ETHER)
    with reverts_with("NotGame"):
        vault.lock(alice, ETH, ETHER, ETHER, 0, future(), 0, {"from": alice})
    with reverts_with("ZeroAmount"):
        game.lock(ETH, 0, 0, future(), 0, {"from": alice})
    with reverts_with("BadDeadline"):
        game.lock(ETH, ETHER, ETHER, chain.time() - 10, 0, {"from": alice})
    with reverts_with("BadDeadline"):
        game.lock(ETH, ETHER, ETHER, future(30 * DAY + HOUR), 0, {"from": alice})
    with reverts_with("TokenNotAllowed"):
        game.lock(alice, ETHER, ETHER, future(), 0, {"from": alice})
    with reverts_with("InsufficientBalance"):
        game.lock(ETH, 11 * ETHER, 11 * ETHER, future(), 0, {"from": alice})
    with reverts_with("InsufficientBalance"):
        game.lock(usds, 1, 1, future(), 0, {"from": alice})
    with reverts_with("BadMaxPayout"):
        game.lock(ETH, 2 * ETHER, ETHER, future(), 0, {"from": alice})


def test_lock_longest_allowed_deadline(vault: Any, game: Any, alice: Any) -> None:
    deposit_eth(vault, alice, ETHER)
    tx = game.lock(ETH, ETHER, ETHER, future(30 * DAY - HOUR), 0, {"from": alice})
    assert tx.events["Locked"]["lockId"] == FIRST_ETH_LOCK


def test_exposure_limit(vault: Any, game: Any, alice: Any, funded: int, reverts_with: Any) -> None:
    """All open locks together reserve at most the risk fraction (10 %) of the bankroll (audit
    finding 4: a per-lock cap on the free bankroll let k locks reserve 1 - 0.9^k of it)."""
    deposit_eth(vault, alice, 100 * ETHER)
    cap = funded // 10
    assert vault.maxReserve(ETH) == cap

    with reverts_with("ExposureTooHigh"):
        game.lock(ETH, ETHER, ETHER + cap + 1, future(), 0, {"from": alice})
    first = cap // 3
    game.lock(ETH, ETHER, ETHER + first, future(), 0, {"from": alice})
    assert vault.maxReserve(ETH) == cap - first
    game.lock(ETH, ETHER, ETHER + cap - first, future(), 0, {"from": alice})
    assert vault.maxReserve(ETH) == 0
    assert vault.bankrollReserved(ETH) == cap
    with reverts_with("ExposureTooHigh"):
        game.lock(ETH, ETHER, ETHER + 1, future(), 0, {"from": alice})
    # a lock that reserves nothing is always fine
    game.lock(ETH, 50 * ETHER, 50 * ETHER, future(), 0, {"from": alice})


def test_without_bankroll_only_even_money_locks(vault: Any, game: Any, alice: Any, reverts_with: Any) -> None:
    deposit_eth(vault, alice, 2 * ETHER)
    assert vault.maxReserve(ETH) == 0
    with reverts_with("ExposureTooHigh"):
        game.lock(ETH, ETHER, ETHER + 1, future(), 0, {"from": alice})
    game.lock(ETH, ETHER, ETHER, future(), 0, {"from": alice})


def test_house_wins(vault: Any, game: Any, owner: Any, alice: Any, staked: int, funded: int, books: Any) -> None:
    tx = game.settle(staked, lock_terms(game, staked), 0, {"from": owner})

    # the whole stake: the fee, if any, was taken at the lock
    assert tx.events["Settled"] == {"lockId": staked, "player": alice, "payout": 0}
    assert vault.balanceOf(alice, ETH) == 9 * ETHER
    assert vault.bankrollAssets(ETH) == funded + ETHER
    assert vault.accruedFees(ETH) == 0
    assert vault.lockedTotal(ETH) == 0
    assert vault.bankrollReserved(ETH) == 0
    assert open_lock(vault, staked) == (0, 0)
    books(vault, ETH)


def test_player_wins_the_maximum(vault: Any, game: Any, owner: Any, alice: Any, staked: int, funded: int) -> None:
    tx = game.settle(staked, lock_terms(game, staked), 3 * ETHER, {"from": owner})

    assert tx.events["Settled"]["payout"] == 3 * ETHER
    assert vault.balanceOf(alice, ETH) == 12 * ETHER
    assert vault.bankrollAssets(ETH) == funded - 2 * ETHER
    assert vault.bankrollReserved(ETH) == 0
    assert vault.accruedFees(ETH) == 0


def test_push_and_partial_payouts(vault: Any, game: Any, owner: Any, alice: Any, funded: int) -> None:
    deposit_eth(vault, alice, 2 * ETHER)
    even = game.lock(ETH, ETHER, 2 * ETHER, future(), 0, {"from": alice}).return_value
    partial = game.lock(ETH, ETHER, 2 * ETHER, future(), 0, {"from": alice}).return_value

    game.settle(even, lock_terms(game, even), ETHER, {"from": owner})
    assert vault.bankrollAssets(ETH) == funded  # a push: the stake back, the bankroll unchanged

    game.settle(partial, lock_terms(game, partial), ETHER // 2, {"from": owner})
    assert vault.balanceOf(alice, ETH) == ETHER + ETHER // 2
    assert vault.bankrollAssets(ETH) == funded + ETHER // 2


# ------------------------------------------------------------------ the protocol fee


@pytest.mark.parametrize("payout", [0, ETHER, 2 * ETHER])
def test_the_fee_is_the_fee_share_of_the_house_edge_whatever_the_outcome(
    vault: Any, game: Any, owner: Any, alice: Any, funded: int, books: Any, payout: int
) -> None:
    """Audit finding (issue 12, 1): the fee used to be taken from the house's gain on the bets it
    won and netted nothing on those it lost, so LPs lost on fair play. Now a bet pays the fee share
    of its house edge when it is locked, and settling (win, push or loss) moves no fee."""
    deposit_eth(vault, alice, 2 * ETHER)
    edge = ETHER // 100  # a 1 % edge: a fair 2x bet paying 1.98 would have it
    tx = game.lockWithEdge(ETH, ETHER, 2 * ETHER, edge, future(), {"from": alice})
    fee = edge * FEE_BPS // 10_000
    assert fee > 0
    assert tx.events["Locked"]["fee"] == fee
    assert vault.accruedFees(ETH) == fee
    assert vault.bankrollAssets(ETH) == funded - fee
    books(vault, ETH)

    settled = game.settle(tx.return_value, lock_terms(game, tx.return_value), payout, {"from": owner})
    assert dict(settled.events["Settled"]) == {"lockId": tx.return_value, "player": alice, "payout": payout}
    assert vault.accruedFees(ETH) == fee
    assert vault.bankrollAssets(ETH) == funded - fee + ETHER - payout
    assert vault.balanceOf(alice, ETH) == ETHER + payout
    books(vault, ETH)


def test_a_refunded_lock_keeps_its_fee(vault: Any, game: Any, owner: Any, alice: Any, funded: int) -> None:
    """A fee that a refund gave back would be worth withholding to an oracle that is also an LP
    (fairstake/rules/withholding.py): the fee is the bet's, once it is locked."""
    deposit_eth(vault, alice, ETHER)
    edge = ETHER // 50
    lock_id = game.lockWithEdge(ETH, ETHER, 2 * ETHER, edge, future(), {"from": alice}).return_value
    game.refund(lock_id, lock_terms(game, lock_id), {"from": owner})
    assert vault.balanceOf(alice, ETH) == ETHER
    assert vault.accruedFees(ETH) == edge * FEE_BPS // 10_000
    assert vault.bankrollAssets(ETH) == funded - edge * FEE_BPS // 10_000


def test_house_edge_is_capped(vault: Any, game: Any, owner: Any, alice: Any, funded: int, reverts_with: Any) -> None:
    deposit_eth(vault, alice, 2 * ETHER)
    cap = ETHER * vault.MAX_HOUSE_EDGE_BPS() // 10_000
    assert cap == ETHER // 10
    with reverts_with("HouseEdgeAboveCap"):
        game.lockWithEdge(ETH, ETHER, 2 * ETHER, cap + 1, future(), {"from": alice})
    game.lockWithEdge(ETH, ETHER, 2 * ETHER, cap, future(), {"from": alice})
    assert vault.accruedFees(ETH) == cap * FEE_BPS // 10_000


def test_the_fee_counts_against_the_exposure_limit(
    vault: Any, game: Any, alice: Any, funded: int, reverts_with: Any
) -> None:
    """Reserve and fee both come out of the bankroll's free part, so they are capped together."""
    deposit_eth(vault, alice, 20 * ETHER)
    limit = vault.maxReserve(ETH)
    stake = 10 * ETHER
    edge = stake // 10
    fee = edge * FEE_BPS // 10_000
    reserve = limit - fee + 1
    with reverts_with("ExposureTooHigh"):
        game.lockWithEdge(ETH, stake, stake + reserve, edge, future(), {"from": alice})
    game.lockWithEdge(ETH, stake, stake + reserve - 1, edge, future(), {"from": alice})
    assert vault.bankrollAssets(ETH) == funded - fee
    assert vault.bankrollReserved(ETH) == reserve - 1


def test_settle_reverts(
    vault: Any, game: Any, other_game: Any, owner: Any, alice: Any, staked: int, reverts_with: Any
) -> None:
    with reverts_with("LockNotOpen"):
        game.settle(99, lock_terms(game, 99), 0, {"from": owner})
    with reverts_with("NotLockGame"):
        other_game.settle(staked, lock_terms(other_game, staked), 0, {"from": owner})
    with reverts_with("NotLockGame"):
        vault.settle(staked, lock_terms(vault, staked), 0, {"from": alice})
    with reverts_with("PayoutAboveMax"):
        game.settle(staked, lock_terms(game, staked), 3 * ETHER + 1, {"from": owner})
    with reverts_with("NotOperator"):
        game.settle(staked, lock_terms(game, staked), 3 * ETHER, {"from": alice})
    game.settle(staked, lock_terms(game, staked), 0, {"from": owner})
    with reverts_with("LockNotOpen"):
        game.settle(staked, lock_terms(game, staked), 0, {"from": owner})


# Each field of the lock's terms, forged: (index in LockTerms, the forged value from the test's accounts).
FORGERIES = [
    (0, "bob"),  # another player: the stake would go to them
    (1, "usds"),  # another token's books
    (2, "outsider"),  # another game: it could settle, or refund before the deadline
    (3, 2 * ETHER),  # a larger stake
    (4, 4 * ETHER),  # a larger maximum payout
    (5, 1),  # a pool
]


@pytest.mark.parametrize(("field", "forged"), FORGERIES)
def test_forged_terms_are_refused(
    vault: Any,
    game: Any,
    owner: Any,
    alice: Any,
    bob: Any,
    usds: Any,
    outsider: Any,
    staked: int,
    field: int,
    forged: Any,
    reverts_with: Any,
) -> None:
    """The Vault keeps only a hash of the terms: no caller moves money by handing back other ones
    (README: money moves only by contract rules)."""
    value = {"bob": bob.address, "usds": usds.address, "outsider": outsider.address}.get(forged, forged)
    terms = list(lock_terms(vault, staked))
    assert terms == [alice.address, ETH, game.address, ETHER, 3 * ETHER, 0]
    terms[field] = value
    with reverts_with("BadLockTerms"):
        game.settle(staked, terms, 0, {"from": owner})
    with reverts_with("BadLockTerms"):
        game.refund(staked, terms, {"from": owner})
    with reverts_with("BadLockTerms"):
        vault.refund(staked, terms, {"from": outsider})
    with reverts_with("BadLockTerms"):
        vault.refundClosedPool(staked, terms, {"from": outsider})
    assert open_lock(vault, staked)[0] != 0


def test_unregistered_game_cannot_lock_but_unwinds_its_locks(
    vault: Any, game: Any, owner: Any, alice: Any, staked: int, funded: int, reverts_with: Any
) -> None:
    """Registration gates new business only: the game still settles and refunds what it locked."""
    second = game.lock(ETH, ETHER, 2 * ETHER, future(), 0, {"from": alice}).return_value
    vault.setGame(game, False, {"from": owner})
    with reverts_with("NotGame"):
        game.lock(ETH, ETHER, ETHER, future(), 0, {"from": alice})
    game.settle(second, lock_terms(game, second), 2 * ETHER, {"from": owner})
    game.refund(staked, lock_terms(game, staked), {"from": owner})
    assert vault.balanceOf(alice, ETH) == 11 * ETHER


def test_game_refund(vault: Any, game: Any, owner: Any, alice: Any, staked: int, funded: int, books: Any) -> None:
    tx = game.refund(staked, lock_terms(game, staked), {"from": owner})

    _assert_refunded_in_full(vault, tx, staked, alice, after_deadline=False)
    assert vault.lockedTotal(ETH) == 0
    assert vault.bankrollReserved(ETH) == 0
    assert vault.bankrollAssets(ETH) == funded
    books(vault, ETH)


def test_anyone_refunds_after_the_deadline(
    vault: Any, game: Any, owner: Any, alice: Any, outsider: Any, staked: int, reverts_with: Any
) -> None:
    with reverts_with("DeadlineNotReached"):
        vault.refund(staked, lock_terms(vault, staked), {"from": outsider})
    with reverts_with("DeadlineNotReached"):
        vault.refund(staked, lock_terms(vault, staked), {"from": alice})

    chain.sleep(HOUR + 1)
    tx = vault.refund(staked, lock_terms(vault, staked), {"from": outsider})

    _assert_refunded_in_full(vault, tx, staked, alice, after_deadline=True)
    assert vault.balanceOf(outsider, ETH) == 0
    with reverts_with("LockNotOpen"):
        vault.refund(staked, lock_terms(vault, staked), {"from": outsider})
    with reverts_with("LockNotOpen"):
        game.settle(staked, lock_terms(game, staked), 0, {"from": owner})


def test_game_may_settle_late_until_someone_refunds(vault: Any, game: Any, owner: Any, staked: int) -> None:
    chain.sleep(HOUR + 1)
    game.settle(staked, lock_terms(game, staked), 0, {"from": owner})
    assert vault.lockedTotal(ETH) == 0


def test_longest_lock_is_refundable_after_thirty_days(
    vault: Any, game: Any, alice: Any, outsider: Any, reverts_with: Any
) -> None:
    deposit_eth(vault, alice, ETHER)
    lock_id = game.lock(ETH, ETHER, ETHER, future(30 * DAY - 60), 0, {"from": alice}).return_value
    chain.sleep(29 * DAY)
    with reverts_with("DeadlineNotReached"):
        vault.refund(lock_id, lock_terms(vault, lock_id), {"from": outsider})
    chain.sleep(DAY)
    vault.refund(lock_id, lock_terms(vault, lock_id), {"from": outsider})
    assert vault.balanceOf(alice, ETH) == ETHER


def test_locks_are_per_token(vault: Any, usds: Any, game: Any, owner: Any, alice: Any, lp: Any, books: Any) -> None:
    mint_approved(usds, vault, lp, 10_000 * 10**6)
    bankroll.deposit(vault, usds, 10_000 * 10**6, lp)
    mint_approved(usds, vault, alice, 100 * 10**6)

    lock_id = game.lockFrom(usds, 100 * 10**6, 300 * 10**6, future(), 0, {"from": alice}).return_value
    assert vault.bankrollReserved(usds) == 200 * 10**6
    assert vault.bankrollReserved(ETH) == 0
    game.settle(lock_id, lock_terms(game, lock_id), 300 * 10**6, {"from": owner})

    assert vault.balanceOf(alice, usds) == 300 * 10**6
    assert vault.bankrollAssets(usds) == 9_800 * 10**6
    books(vault, usds)
