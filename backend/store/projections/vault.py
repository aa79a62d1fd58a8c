"""Vault projections: player balances, locks, pools, bankroll and per-token totals.

Per token the totals mirror the Vault's liabilities from events alone:
free (players' withdrawable balances) + locked (open bankroll-lock stakes) + pooled (what open
and closed pools still hold) + bankroll (LP assets) + fees (accrued protocol fees) + bankroll
pending (assets of deposit requests not yet claimed). The audit solvency check compares that sum
with the Vault's real token balance on chain.

LPs enter and leave asynchronously: a deposit request holds assets as pending until it is
claimed (then they join the bankroll for shares) or cancelled (then they go to the provider's
free balance); a redeem request escrows shares until claimed (burnt, their assets credited to the
provider's free balance) or cancelled. `lp_positions` keeps each provider's shares, its pending
requests and when they become claimable.

A closed pool's locks stay `open` until the game pays the pool out or the Vault's backstop returns
them after the pool's payout window (`ClosedPoolRefunded`: status `unwound`, the player's share
credited); `ClosedPoolReleased` moves a lock-less closed pool's balance to the bankroll.

Money also comes in without a deposit: `PaidIn` (Vault.payIn, how the randomness coordinator pays
a slashed oracle bond) credits a beneficiary's free balance and adds to the bankroll's assets
(the LP share price rises; no shares are minted). `Transferred` (Vault.transfer) moves free
balance between two addresses and leaves every total unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable

from backend.store.events import Event
from backend.store.projections import Projections, from_args, get_or_new, put_new
from backend.store.state import PK, BatchState, Row

VAULT = "Vault"
PROJECTIONS = Projections()


def _totals(state: BatchState, token: str, uid: int) -> Row:
    row = get_or_new(state, "token_totals", (token,))
    row["updated_uid"] = uid
    return row


def _balance(state: BatchState, player: str, token: str, uid: int) -> Row:
    row = get_or_new(state, "balances", (player, token))
    row["updated_uid"] = uid
    return row


def _credit(state: BatchState, player: str, token: str, amount: int, uid: int) -> None:
    balance = _balance(state, player, token, uid)
    balance["free"] += amount
    state.put("balances", balance)
    totals = _totals(state, token, uid)
    totals["free"] += amount
    state.put("token_totals", totals)


def _lock_hints(e: Event, state: BatchState) -> Iterable[tuple[str, PK]]:
    yield "locks", (e.args["lockId"],)
    lock = state.peek("locks", e.args["lockId"])
    if lock is not None:
        yield "balances", (e.args["player"], lock["token"])
        yield "token_totals", (lock["token"],)
        if lock["pool_id"]:
            yield "pools", (lock["pool_id"],)


def _pool_hints(e: Event, state: BatchState) -> Iterable[tuple[str, PK]]:
    yield "pools", (e.args["poolId"],)
    pool = state.peek("pools", e.args["poolId"])
    if pool is not None:
        yield "token_totals", (pool["token"],)
        if "player" in e.args:
            yield "balances", (e.args["player"], pool["token"])


def _player_hints(e: Event, _state: BatchState) -> Iterable[tuple[str, PK]]:
    return [("balances", (e.args["player"], e.args["token"])), ("token_totals", (e.args["token"],))]


def _move_free(e: Event, state: BatchState, sign: int, column: str) -> None:
    """A deposit (sign 1) or withdrawal (sign -1) of `amount`: the player's free balance and the
    token's free total change by it, and both count it in `column`."""
    a = e.args
    balance = _balance(state, a["player"], a["token"], e.uid)
    totals = _totals(state, a["token"], e.uid)
    for row in (balance, totals):
        row["free"] += sign * a["amount"]
        row[column] += a["amount"]
    state.put("balances", balance)
    state.put("token_totals", totals)


@PROJECTIONS.on(VAULT, "Deposited", hints=_player_hints)
def deposited(e: Event, state: BatchState) -> None:
    _move_free(e, state, 1, "deposited")


@PROJECTIONS.on(VAULT, "Withdrawn", hints=_player_hints)
def withdrawn(e: Event, state: BatchState) -> None:
    _move_free(e, state, -1, "withdrawn")


@PROJECTIONS.on(
    VAULT,
    "Locked",
    hints=lambda e, s: [
        ("locks", (e.args["lockId"],)),
        ("balances", (e.args["player"], e.args["token"])),
        ("token_totals", (e.args["token"],)),
        *([("pools", (e.args["poolId"],))] if e.args["poolId"] else []),
    ],
)
def locked(e: Event, state: BatchState) -> None:
    a = e.args
    put_new(
        state,
        "locks",
        **from_args(a, "lockId game player token amount maxPayout deadline poolId fee"),
        status="open",
        created_uid=e.uid,
    )
    balance = _balance(state, a["player"], a["token"], e.uid)
    balance["free"] -= a["amount"]
    state.put("balances", balance)
    totals = _totals(state, a["token"], e.uid)
    totals["free"] -= a["amount"]
    if a["poolId"]:
        pool = get_or_new(state, "pools", (a["poolId"],), game=a["game"], token=a["token"], status="open")
        pool["balance"] += a["amount"]
        pool["staked"] += a["amount"]
        state.put("pools", pool)
        totals["pooled"] += a["amount"]
    else:
        totals["locked"] += a["amount"]
        totals["reserved"] += a["maxPayout"] - a["amount"]
        # the protocol fee on the bet's house edge leaves the bankroll at the lock, whatever follows
        totals["bankroll"] -= a["fee"]
        totals["fees"] += a["fee"]
    state.put("token_totals", totals)


def _close_lock(e: Event, state: BatchState, status: str, returned: int) -> Row | None:
    """Mark the lock closed and release its stake from the locked/pooled totals."""
    lock = state.get("locks", e.args["lockId"])
    if lock is None:  # a lock we never saw opened: nothing to mirror
        return None
    lock["status"] = status
    lock["closed_uid"] = e.uid
    state.put("locks", lock)
    totals = _totals(state, lock["token"], e.uid)
    if lock["pool_id"]:
        pool = state.get("pools", lock["pool_id"])
        if pool is not None:
            pool["balance"] -= returned
            pool["refunded"] += returned
            state.put("pools", pool)
        totals["pooled"] -= returned
    else:
        totals["locked"] -= lock["amount"]
        totals["reserved"] -= lock["max_payout"] - lock["amount"]
    state.put("token_totals", totals)
    return lock


@PROJECTIONS.on(VAULT, "Settled", hints=_lock_hints, peeks=True)
def settled(e: Event, state: BatchState) -> None:
    a = e.args
    lock = _close_lock(e, state, "settled", 0)
    if lock is None:
        return
    lock["payout"] = a["payout"]
    # the event carries no bankroll change: it is the stake minus the payout, whatever the sign
    lock["bankroll_delta"] = lock["amount"] - a["payout"]
    totals = _totals(state, lock["token"], e.uid)
    # Conservation: the stake becomes payout + bankroll change, whatever the sign.
    totals["bankroll"] += lock["amount"] - a["payout"]
    state.put("token_totals", totals)
    _credit(state, a["player"], lock["token"], a["payout"], e.uid)


@PROJECTIONS.on(VAULT, "Refunded", hints=_lock_hints, peeks=True)
def refunded(e: Event, state: BatchState) -> None:
    a = e.args
    lock = _close_lock(e, state, "refunded", a["amount"])
    if lock is None:
        return
    lock["payout"] = a["amount"]
    _credit(state, a["player"], lock["token"], a["amount"], e.uid)


@PROJECTIONS.on(VAULT, "PoolOpened", hints=lambda e, s: [("pools", (e.args["poolId"],))])
def pool_opened(e: Event, state: BatchState) -> None:
    a = e.args
    pool = get_or_new(state, "pools", (a["poolId"],), created_uid=e.uid)
    pool.update(game=a["game"], token=a["token"], status="open", created_uid=e.uid)
    state.put("pools", pool)


@PROJECTIONS.on(VAULT, "PoolClosed", hints=_pool_hints, peeks=True)
def pool_closed(e: Event, state: BatchState) -> None:
    pool = state.get("pools", e.args["poolId"])
    if pool is not None:
        pool["status"] = "closed"
        pool["closed_total"] = e.args["total"]
        pool["closed_stakes"] = e.args["stakes"]
        pool["pay_by"] = e.args["payBy"]
        state.put("pools", pool)


@PROJECTIONS.on(VAULT, "PoolBackstopStarted", hints=lambda e, s: [("pools", (e.args["poolId"],))])
def pool_backstop_started(e: Event, state: BatchState) -> None:
    pool = state.get("pools", e.args["poolId"])
    if pool is not None:
        pool["status"] = "unwinding"
        state.put("pools", pool)


@PROJECTIONS.on(VAULT, "ClosedPoolRefunded", hints=lambda e, s: [*_lock_hints(e, s), *_pool_hints(e, s)], peeks=True)
def closed_pool_refunded(e: Event, state: BatchState) -> None:
    """The backstop returned a closed pool's lock: its share leaves the pool for the player."""
    a = e.args
    lock = state.get("locks", a["lockId"])
    if lock is not None:
        lock["status"] = "unwound"
        lock["payout"] = a["amount"]
        lock["closed_uid"] = e.uid
        state.put("locks", lock)
    pool = _pool_outflow(e, state, "unwound")
    if pool is not None:
        _credit(state, a["player"], pool["token"], a["amount"], e.uid)


@PROJECTIONS.on(VAULT, "ClosedPoolReleased", hints=_pool_hints, peeks=True)
def closed_pool_released(e: Event, state: BatchState) -> None:
    """The backstop gave a lock-less closed pool's balance to the bankroll."""
    _pool_outflow(e, state, "released", to_totals="bankroll")


def _pool_outflow(e: Event, state: BatchState, column: str, to_totals: str | None = None) -> Row | None:
    """`amount` leaves pool `poolId` (counted in the pool's `column`) and the token's pooled
    total, for the token's `to_totals` total if it stays in the Vault's books; returns the pool
    for the caller to book where else it went, or None for a pool we never saw opened."""
    amount = e.args["amount"]
    pool = state.get("pools", e.args["poolId"])
    if pool is None:
        return None
    pool["balance"] -= amount
    pool[column] += amount
    state.put("pools", pool)
    totals = _totals(state, pool["token"], e.uid)
    totals["pooled"] -= amount
    if to_totals is not None:
        totals[to_totals] += amount
    state.put("token_totals", totals)
    return pool


@PROJECTIONS.on(VAULT, "PoolPaid", hints=_pool_hints, peeks=True)
def pool_paid(e: Event, state: BatchState) -> None:
    a = e.args
    pool = _pool_outflow(e, state, "paid")
    if pool is None:
        return
    _credit(state, a["player"], pool["token"], a["amount"], e.uid)
    payment = get_or_new(state, "pool_payments", (a["poolId"], a["player"]))
    payment["amount"] += a["amount"]
    payment["updated_uid"] = e.uid
    state.put("pool_payments", payment)


@PROJECTIONS.on(VAULT, "PoolFeeTaken", hints=_pool_hints, peeks=True)
def pool_fee_taken(e: Event, state: BatchState) -> None:
    _pool_outflow(e, state, "fee", to_totals="fees")


@PROJECTIONS.on(
    VAULT,
    "PoolMoved",
    hints=lambda e, s: [("pools", (e.args["fromPoolId"],)), ("pools", (e.args["toPoolId"],))],
)
def pool_moved(e: Event, state: BatchState) -> None:
    a = e.args
    source = state.get("pools", a["fromPoolId"])
    target = state.get("pools", a["toPoolId"])
    if source is not None:
        source["balance"] -= a["amount"]
        source["moved_out"] += a["amount"]
        state.put("pools", source)
    if target is not None:
        target["balance"] += a["amount"]
        target["moved_in"] += a["amount"]
        state.put("pools", target)


def _position(state: BatchState, e: Event) -> Row:
    return get_or_new(state, "lp_positions", (e.args["provider"], e.args["token"]))


def _lp_hints(e: Event, _state: BatchState) -> Iterable[tuple[str, PK]]:
    return [
        ("lp_positions", (e.args["provider"], e.args["token"])),
        ("token_totals", (e.args["token"],)),
        ("balances", (e.args["provider"], e.args["token"])),
    ]


def _lp_change(
    e: Event, state: BatchState, position: dict[str, int], totals: dict[str, int], **claimable_at: int
) -> None:
    """One bankroll event: `position` and `totals` say what it adds to the provider's LP columns
    and to the token's totals; `claimable_at` sets a request's claim time (0: none left)."""
    row = _position(state, e)
    for column, delta in position.items():
        row[column] += delta
    row.update(claimable_at)
    state.put("lp_positions", row)
    if totals:
        token_totals = _totals(state, e.args["token"], e.uid)
        for column, delta in totals.items():
            token_totals[column] += delta
        state.put("token_totals", token_totals)


@PROJECTIONS.on(VAULT, "BankrollDepositRequested", hints=_lp_hints)
def bankroll_deposit_requested(e: Event, state: BatchState) -> None:
    """Assets arrive in the Vault, pending: not in the bankroll, owed back until claimed."""
    a = e.args
    # a top-up restarts the whole request's delay
    pending = {"pending_assets": a["assets"]}
    _lp_change(e, state, pending, {"bankroll_pending": a["assets"]}, deposit_claimable_at=a["claimableAt"])


@PROJECTIONS.on(VAULT, "BankrollDepositCancelled", hints=_lp_hints)
def bankroll_deposit_cancelled(e: Event, state: BatchState) -> None:
    """The pending assets go to the provider's free balance."""
    a = e.args
    _lp_change(e, state, {"pending_assets": -a["assets"]}, {"bankroll_pending": -a["assets"]}, deposit_claimable_at=0)
    _credit(state, a["provider"], a["token"], a["assets"], e.uid)


@PROJECTIONS.on(VAULT, "BankrollDeposited", hints=_lp_hints)
def bankroll_deposited(e: Event, state: BatchState) -> None:
    """A claimed deposit request: its assets join the bankroll for new shares."""
    a = e.args
    _lp_change(
        e,
        state,
        {"pending_assets": -a["assets"], "shares": a["shares"], "deposited": a["assets"]},
        {"bankroll_pending": -a["assets"], "bankroll": a["assets"], "bankroll_shares": a["shares"]},
        deposit_claimable_at=0,
    )


@PROJECTIONS.on(VAULT, "BankrollRedeemRequested", hints=_lp_hints)
def bankroll_redeem_requested(e: Event, state: BatchState) -> None:
    """Shares escrowed: still counted in the bankroll's shares (they bear gains and losses)."""
    a = e.args
    escrow = {"shares": -a["shares"], "pending_shares": a["shares"]}
    _lp_change(e, state, escrow, {}, redeem_claimable_at=a["claimableAt"])


@PROJECTIONS.on(VAULT, "BankrollRedeemCancelled", hints=_lp_hints)
def bankroll_redeem_cancelled(e: Event, state: BatchState) -> None:
    a = e.args
    _lp_change(e, state, {"shares": a["shares"], "pending_shares": -a["shares"]}, {}, redeem_claimable_at=0)


@PROJECTIONS.on(VAULT, "BankrollWithdrawn", hints=_lp_hints)
def bankroll_withdrawn(e: Event, state: BatchState) -> None:
    """A claimed redeem: escrowed shares burnt, their assets leave the bankroll for the
    provider's free balance."""
    a = e.args
    _lp_change(
        e,
        state,
        {"pending_shares": -a["shares"], "withdrawn": a["assets"]},
        {"bankroll": -a["assets"], "bankroll_shares": -a["shares"]},
        redeem_claimable_at=0,
    )
    _credit(state, a["provider"], a["token"], a["assets"], e.uid)


def _paid_in_hints(e: Event, _state: BatchState) -> Iterable[tuple[str, PK]]:
    return [("balances", (e.args["beneficiary"], e.args["token"])), ("token_totals", (e.args["token"],))]


@PROJECTIONS.on(VAULT, "PaidIn", hints=_paid_in_hints)
def paid_in(e: Event, state: BatchState) -> None:
    a = e.args
    totals = _totals(state, a["token"], e.uid)
    # the bankroll's part arrives whole (the bet's fee was taken at its lock)
    totals["bankroll"] += a["toBankroll"]
    totals["paid_in_bankroll"] += a["toBankroll"]
    totals["paid_in_credited"] += a["credited"]
    totals["free"] += a["credited"]
    state.put("token_totals", totals)
    if a["credited"]:
        balance = _balance(state, a["beneficiary"], a["token"], e.uid)
        balance["free"] += a["credited"]
        balance["paid_in"] += a["credited"]
        state.put("balances", balance)


@PROJECTIONS.on(
    VAULT,
    "Transferred",
    hints=lambda e, s: [("balances", (e.args["from"], e.args["token"])), ("balances", (e.args["to"], e.args["token"]))],
)
def transferred(e: Event, state: BatchState) -> None:
    a = e.args
    source = _balance(state, a["from"], a["token"], e.uid)
    source["free"] -= a["amount"]
    source["transferred_out"] += a["amount"]
    state.put("balances", source)
    target = _balance(state, a["to"], a["token"], e.uid)  # after the source: from == to nets to zero
    target["free"] += a["amount"]
    target["transferred_in"] += a["amount"]
    state.put("balances", target)


@PROJECTIONS.on(VAULT, "FeesWithdrawn")
def fees_withdrawn(e: Event, state: BatchState) -> None:
    totals = _totals(state, e.args["token"], e.uid)
    totals["fees"] -= e.args["amount"]
    state.put("token_totals", totals)


PROJECTIONS.setting(VAULT, "GameSet", "game", "registered", keyed_by="game")
PROJECTIONS.setting(VAULT, "TokenSet", "token", "allowed", keyed_by="token")
PROJECTIONS.setting(VAULT, "RiskFractionSet", "riskFractionBps", "bps", keyed_by="token")
PROJECTIONS.setting(VAULT, "ProtocolFeeSet", "protocolFeeBps", "bps")
PROJECTIONS.setting(VAULT, "FeeRecipientSet", "feeRecipient", "recipient")
PROJECTIONS.setting(VAULT, "GuardianSet", "guardian", "guardian")
PROJECTIONS.setting(VAULT, "PlayerRegistrySet", "playerRegistry", "registry")
PROJECTIONS.setting(VAULT, "LocksPaused", "locksPaused", "paused")
