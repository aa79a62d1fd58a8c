"""Games of chance: Dice bets and Jackpot rounds (with their ticket purchases as bets)."""

from __future__ import annotations

from typing import Any

import ujson

from backend.store.events import Event, to_json_value
from backend.store.projections import projects, put_new, put_setting, setting_projection
from backend.store.projections.bets import place_bet, resolve_bet, update_details
from backend.store.state import BatchState, Row

DICE = "Dice"
JACKPOT = "Jackpot"


def dice_key(bet_id: int) -> str:
    return f"dice:{bet_id}"


def jackpot_key(round_id: int, from_ticket: int) -> str:
    return f"jackpot:{round_id}:{from_ticket}"


# ---------------------------------------------------------------------------------------- Dice
@projects(DICE, "TokenConfigured")
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


@projects(
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


@projects(DICE, "BetSettled", hints=_dice_bet_hints, peeks=True)
def dice_bet_settled(e: Event, state: BatchState) -> None:
    a = e.args
    bet = state.get("bets", dice_key(a["betId"]))
    if bet is not None:
        status = "won" if a["won"] else "lost"
        resolve_bet(state, bet, e, status, a["payout"], word=a["word"], roll=a["roll"], won=a["won"])


def _dice_timeout_hints(e: Event, state: BatchState) -> list[tuple[str, tuple[Any, ...]]]:
    return [*_dice_bet_hints(e, state), ("bond_reservations", (e.args["betId"],))]


@projects(DICE, "BetTimedOut", hints=_dice_timeout_hints, peeks=True)
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


setting_projection(DICE, "LockDurationSet", "lockDuration", "lockDuration")


@projects(DICE, "RandomnessConfigSet")
def dice_randomness_config(e: Event, state: BatchState) -> None:
    put_setting(state, DICE, "randomness", e.args, e.uid)


# ------------------------------------------------------------------------------------- Jackpot
@projects(JACKPOT, "TokenConfigured")
def jackpot_token_configured(e: Event, state: BatchState) -> None:
    a = e.args
    put_setting(state, JACKPOT, f"token:{a['token']}", {k: v for k, v in a.items() if k != "token"}, e.uid)


@projects(JACKPOT, "TimingSet")
def jackpot_timing(e: Event, state: BatchState) -> None:
    put_setting(state, JACKPOT, "timing", e.args, e.uid)


@projects(JACKPOT, "RandomnessConfigSet")
def jackpot_randomness_config(e: Event, state: BatchState) -> None:
    put_setting(state, JACKPOT, "randomness", e.args, e.uid)


def _round(state: BatchState, round_id: int) -> Row | None:
    return state.get("jackpot_rounds", round_id)


def _set_round(state: BatchState, row: Row, e: Event, status: str | None = None, **details: Any) -> None:
    if status is not None:
        row["status"] = status
    if details:
        update_details(row, **details)
    row["updated_uid"] = e.uid
    state.put("jackpot_rounds", row)


@projects(JACKPOT, "RoundOpened", hints=lambda e, s: [("jackpot_rounds", (e.args["roundId"],))])
def round_opened(e: Event, state: BatchState) -> None:
    a = e.args
    details = {k: v for k, v in a.items() if k not in ("roundId", "token")}
    details.update(rolledIn=0, openedAt=e.block_time)
    put_new(
        state,
        "jackpot_rounds",
        round_id=a["roundId"],
        token=a["token"],
        status="open",
        details=ujson.dumps(to_json_value(details)),
        opened_uid=e.uid,
        updated_uid=e.uid,
    )


@projects(
    JACKPOT,
    "TicketsBought",
    hints=lambda e, s: [
        ("jackpot_rounds", (e.args["roundId"],)),
        ("bets", (jackpot_key(e.args["roundId"], e.args["fromTicket"]),)),
    ],
)
def tickets_bought(e: Event, state: BatchState) -> None:
    a = e.args
    round_ = _round(state, a["roundId"])
    if round_ is None:
        return
    price = int(ujson.loads(round_["details"])["ticketPrice"])
    stake = price * a["count"]
    round_["tickets"] += a["count"]
    round_["pot"] += stake
    _set_round(state, round_, e)
    place_bet(
        state,
        e,
        game="jackpot",
        ref=a["roundId"],
        key=jackpot_key(a["roundId"], a["fromTicket"]),
        player=a["player"],
        token=round_["token"],
        stake=stake,
        lock_id=a["lockId"],
        details={"roundId": a["roundId"], "fromTicket": a["fromTicket"], "count": a["count"], "ticketPrice": price},
    )


@projects(JACKPOT, "DrawRequested", hints=lambda e, s: [("jackpot_rounds", (e.args["roundId"],))])
def draw_requested(e: Event, state: BatchState) -> None:
    round_ = _round(state, e.args["roundId"])
    if round_ is not None:
        _set_round(state, round_, e, "drawing", requestId=e.args["requestId"])


@projects(JACKPOT, "RoundDrawn", hints=lambda e, s: [("jackpot_rounds", (e.args["roundId"],))])
def round_drawn(e: Event, state: BatchState) -> None:
    a = e.args
    round_ = _round(state, a["roundId"])
    if round_ is None:
        return
    round_["winner"] = a["winner"]
    round_["prize"] = a["prize"]
    _set_round(state, round_, e, "drawn", word=a["word"], winningTicket=a["winningTicket"], rake=a["rake"])
    for bet in state.find("bets", game="jackpot", game_ref=a["roundId"]):
        details = ujson.loads(bet["details"])
        first = int(details["fromTicket"])
        holds_winner = first <= a["winningTicket"] < first + int(details["count"])
        resolve_bet(state, bet, e, "won" if holds_winner else "lost", 0, winningTicket=a["winningTicket"])


@projects(JACKPOT, "PrizeClaimed", hints=lambda e, s: [("jackpot_rounds", (e.args["roundId"],))])
def prize_claimed(e: Event, state: BatchState) -> None:
    a = e.args
    round_ = _round(state, a["roundId"])
    if round_ is None:
        return
    _set_round(state, round_, e, "claimed", claimed=True)
    for bet in state.find("bets", game="jackpot", game_ref=a["roundId"], status="won"):
        resolve_bet(state, bet, e, "won", a["prize"])


@projects(JACKPOT, "RoundRefundable", hints=lambda e, s: [("jackpot_rounds", (e.args["roundId"],))])
def round_refundable(e: Event, state: BatchState) -> None:
    round_ = _round(state, e.args["roundId"])
    if round_ is None:
        return
    _set_round(state, round_, e, "refundable")
    for bet in state.find("bets", game="jackpot", game_ref=e.args["roundId"], status="pending"):
        bet["status"] = "refundable"
        state.put("bets", bet)


@projects(JACKPOT, "TicketsRefunded")
def tickets_refunded(e: Event, state: BatchState) -> None:
    for bet in state.find("bets", game="jackpot", lock_id=e.args["lockId"]):
        resolve_bet(state, bet, e, "refunded", e.args["amount"], purchaseIndex=e.args["purchaseIndex"])


@projects(JACKPOT, "DrawCompensated", hints=lambda e, s: [("jackpot_rounds", (e.args["roundId"],))])
def draw_compensated(e: Event, state: BatchState) -> None:
    """The draw's request expired: the oracle's bond paid `amount` (one pot) into the Jackpot's
    Vault balance, to share among the round's tickets with their refunds."""
    round_ = _round(state, e.args["roundId"])
    if round_ is not None:
        _set_round(state, round_, e, None, compensation=e.args["amount"], compensationPaid=0)


@projects(JACKPOT, "CompensationPaid", hints=lambda e, s: [("jackpot_rounds", (e.args["roundId"],))])
def compensation_paid(e: Event, state: BatchState) -> None:
    """A refunded purchase's share of the compensation: it adds to what the purchase paid out."""
    a = e.args
    round_ = _round(state, a["roundId"])
    if round_ is not None:
        paid = int(ujson.loads(round_["details"]).get("compensationPaid", 0)) + a["amount"]
        _set_round(state, round_, e, None, compensationPaid=paid)
    for bet in state.find("bets", game="jackpot", game_ref=a["roundId"], player=a["player"]):
        details = ujson.loads(bet["details"])
        if int(details.get("purchaseIndex", -1)) == a["purchaseIndex"]:
            compensation = int(details.get("compensation", 0)) + a["amount"]
            resolve_bet(state, bet, e, bet["status"], (bet["payout"] or 0) + a["amount"], compensation=compensation)


@projects(JACKPOT, "PrizeRolledOver")
def prize_rolled_over(e: Event, state: BatchState) -> None:
    a = e.args
    source = _round(state, a["fromRoundId"])
    if source is not None:
        _set_round(state, source, e, "rolled_over", rolledOverTo=a["toRoundId"])
    target = _round(state, a["toRoundId"])
    if target is not None:
        target["pot"] += a["amount"]
        rolled = int(ujson.loads(target["details"]).get("rolledIn", 0)) + a["amount"]
        _set_round(state, target, e, None, rolledIn=rolled)


@projects(JACKPOT, "RoundClosed", hints=lambda e, s: [("jackpot_rounds", (e.args["roundId"],))])
def round_closed(e: Event, state: BatchState) -> None:
    round_ = _round(state, e.args["roundId"])
    if round_ is not None:
        _set_round(state, round_, e, "closed", closedRolledIn=e.args["rolledIn"])
