"""Dice bets: placed, settled by the delivered word, or unwound without a result."""

from __future__ import annotations

from typing import Any

import ujson

from backend.store.events import Event
from backend.store.projections import Projections, put_setting
from backend.store.projections.bets import place_bet, resolve_bet
from backend.store.state import BatchState

DICE = "Dice"


def dice_key(bet_id: int) -> str:
    return f"dice:{bet_id}"


# every Dice event that names a bet names it by its id
PROJECTIONS = Projections(bet_key=lambda event, args: dice_key(args["betId"]) if "betId" in args else None)


@PROJECTIONS.on(DICE, "TokenConfigured")
def dice_token_configured(e: Event, state: BatchState) -> None:
    a = e.args
    put_setting(
        state,
        DICE,
        f"token:{a['token']}",
        {"enabled": a["enabled"], "minStake": a["minStake"], "maxStake": a["maxStake"], "edgeBps": a["edgeBps"]},
        e.uid,
    )


def dice_edge(state: BatchState, token: str) -> int | None:
    row = state.get("settings", DICE, f"token:{token}")
    return None if row is None else int(ujson.loads(row["value"])["edgeBps"])


@PROJECTIONS.on(
    DICE,
    "BetPlaced",
    hints=lambda e, s: [
        ("bets", (dice_key(e.args["betId"]),)),
        ("player_stats", (e.args["player"], e.args["token"], "dice")),
        ("settings", (DICE, f"token:{e.args['token']}")),
    ],
)
def dice_bet_placed(e: Event, state: BatchState) -> None:
    a = e.args
    place_bet(
        state,
        e,
        game="dice",
        ref=a["betId"],
        key=dice_key(a["betId"]),
        player=a["player"],
        token=a["token"],
        stake=a["stake"],
        max_payout=a["payoutIfWin"],
        request_id=a["requestId"],
        lock_id=a["lockId"],
        details={"target": a["target"], "payoutIfWin": a["payoutIfWin"], "edgeBps": dice_edge(state, a["token"])},
    )


def _dice_bet_hints(e: Event, state: BatchState) -> list[tuple[str, tuple[Any, ...]]]:
    hints: list[tuple[str, tuple[Any, ...]]] = [("bets", (dice_key(e.args["betId"]),))]
    bet = state.peek("bets", dice_key(e.args["betId"]))
    if bet is not None:
        hints.append(("player_stats", (bet["player"], bet["token"], "dice")))
    return hints


@PROJECTIONS.on(DICE, "BetSettled", hints=_dice_bet_hints, peeks=True)
def dice_bet_settled(e: Event, state: BatchState) -> None:
    a = e.args
    bet = state.get("bets", dice_key(a["betId"]))
    if bet is not None:
        status = "won" if a["won"] else "lost"
        resolve_bet(state, bet, e, status, a["payout"], word=a["word"], roll=a["roll"], won=a["won"])


def _dice_timeout_hints(e: Event, state: BatchState) -> list[tuple[str, tuple[Any, ...]]]:
    return [*_dice_bet_hints(e, state), ("bond_reservations", (e.args["betId"],))]


@PROJECTIONS.on(DICE, "BetTimedOut", hints=_dice_timeout_hints, peeks=True)
def dice_bet_timed_out(e: Event, state: BatchState) -> None:
    """Unwound without a result: `payout` is what the player ends with. `unwound` says why:
    expired (the request expired: the stake refunded and the bond paid W - stake, so W), refunded
    (the request resolved without settling the bet: the stake alone) or backstop (the Vault's
    deadline backstop had already refunded the lock)."""
    bet = state.get("bets", dice_key(e.args["betId"]))
    if bet is None:
        return
    reservation = state.get("bond_reservations", e.args["betId"])  # a Dice bet id is its request id
    slashed = reservation is not None and reservation["status"] == "slashed"
    payout = e.args["payout"]
    extra: dict[str, Any] = {"unwound": "expired" if slashed else "backstop" if payout == 0 else "refunded"}
    if slashed:
        assert reservation is not None
        extra["bondPaid"] = reservation["beneficiary_amount"]
        extra["bondToBankroll"] = reservation["residual"] if reservation["residual_to_bankroll"] else 0
    resolve_bet(state, bet, e, "timed_out", payout, **extra)


PROJECTIONS.setting(DICE, "LockDurationSet", "lockDuration", "lockDuration")


@PROJECTIONS.on(DICE, "RandomnessConfigSet")
def dice_randomness_config(e: Event, state: BatchState) -> None:
    put_setting(state, DICE, "randomness", e.args, e.uid)
