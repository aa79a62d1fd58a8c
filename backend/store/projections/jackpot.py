"""Jackpot rounds, with their ticket purchases as bets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ujson

from backend.store.events import Event, to_json_value
from backend.store.projections import Projections, put_new, put_setting
from backend.store.projections.bets import place_bet, resolve_bet, update_details
from backend.store.state import BatchState, Row

JACKPOT = "Jackpot"


def jackpot_key(round_id: int, from_ticket: int) -> str:
    return f"jackpot:{round_id}:{from_ticket}"


# a purchase is a bet; the round's later events concern all its purchases, so no single one
PROJECTIONS = Projections(
    bet_key=lambda event, args: jackpot_key(args["roundId"], args["fromTicket"]) if event == "TicketsBought" else None
)


@PROJECTIONS.on(JACKPOT, "TokenConfigured")
def jackpot_token_configured(e: Event, state: BatchState) -> None:
    a = e.args
    put_setting(state, JACKPOT, f"token:{a['token']}", {k: v for k, v in a.items() if k != "token"}, e.uid)


@PROJECTIONS.on(JACKPOT, "TimingSet")
def jackpot_timing(e: Event, state: BatchState) -> None:
    put_setting(state, JACKPOT, "timing", e.args, e.uid)


PROJECTIONS.setting(JACKPOT, "CallbackGasLimitSet", "callbackGasLimit", "callbackGasLimit")


def _round(state: BatchState, round_id: int) -> Row | None:
    return state.get("jackpot_rounds", round_id)


def _round_hints(e: Event, _state: BatchState) -> list[tuple[str, tuple[Any, ...]]]:
    return [("jackpot_rounds", (e.args["roundId"],))]


RoundHandler = Callable[[Event, BatchState, Row], None]


def _on_round(event: str) -> Callable[[RoundHandler], RoundHandler]:
    """Register the projection of a round's `event`: it gets the round's row, and does nothing for
    a round this index never saw open."""

    def register(handler: RoundHandler) -> RoundHandler:
        @PROJECTIONS.on(JACKPOT, event, hints=_round_hints)
        def project(e: Event, state: BatchState) -> None:
            round_ = _round(state, e.args["roundId"])
            if round_ is not None:
                handler(e, state, round_)

        return handler

    return register


def _set_round(state: BatchState, row: Row, e: Event, status: str | None = None, **details: Any) -> None:
    if status is not None:
        row["status"] = status
    if details:
        update_details(row, **details)
    row["updated_uid"] = e.uid
    state.put("jackpot_rounds", row)


@PROJECTIONS.on(JACKPOT, "RoundOpened", hints=_round_hints)
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


@PROJECTIONS.on(
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


@_on_round("DrawRequested")
def draw_requested(e: Event, state: BatchState, round_: Row) -> None:
    _set_round(state, round_, e, "drawing", requestId=e.args["requestId"])


@_on_round("RoundDrawn")
def round_drawn(e: Event, state: BatchState, round_: Row) -> None:
    a = e.args
    round_["winner"] = a["winner"]
    round_["prize"] = a["prize"]
    _set_round(state, round_, e, "drawn", word=a["word"], winningTicket=a["winningTicket"], rake=a["rake"])
    for bet in state.find("bets", game="jackpot", game_ref=a["roundId"]):
        details = ujson.loads(bet["details"])
        first = int(details["fromTicket"])
        holds_winner = first <= a["winningTicket"] < first + int(details["count"])
        resolve_bet(state, bet, e, "won" if holds_winner else "lost", 0, winningTicket=a["winningTicket"])


@_on_round("PrizeClaimed")
def prize_claimed(e: Event, state: BatchState, round_: Row) -> None:
    a = e.args
    _set_round(state, round_, e, "claimed", claimed=True)
    for bet in state.find("bets", game="jackpot", game_ref=a["roundId"], status="won"):
        resolve_bet(state, bet, e, "won", a["prize"])


@_on_round("RoundRefundable")
def round_refundable(e: Event, state: BatchState, round_: Row) -> None:
    _set_round(state, round_, e, "refundable")
    for bet in state.find("bets", game="jackpot", game_ref=e.args["roundId"], status="pending"):
        bet["status"] = "refundable"
        state.put("bets", bet)


@PROJECTIONS.on(JACKPOT, "TicketsRefunded")
def tickets_refunded(e: Event, state: BatchState) -> None:
    for bet in state.find("bets", game="jackpot", lock_id=e.args["lockId"]):
        resolve_bet(state, bet, e, "refunded", e.args["amount"], purchaseIndex=e.args["purchaseIndex"])


@_on_round("DrawCompensated")
def draw_compensated(e: Event, state: BatchState, round_: Row) -> None:
    """The draw's request expired: the oracle's bond paid `amount` (one pot) into the Jackpot's
    Vault balance, to share among the round's tickets with their refunds."""
    _set_round(state, round_, e, None, compensation=e.args["amount"], compensationPaid=0)


@PROJECTIONS.on(JACKPOT, "CompensationPaid", hints=_round_hints)
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


@PROJECTIONS.on(JACKPOT, "PrizeRolledOver")
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


@_on_round("RoundClosed")
def round_closed(e: Event, state: BatchState, round_: Row) -> None:
    _set_round(state, round_, e, "closed", closedRolledIn=e.args["rolledIn"])
