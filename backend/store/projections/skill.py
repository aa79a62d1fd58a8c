"""What the skill games share: Match and Tournament emit the same lifecycle under their own
event and argument names (entries as bets, results as payouts). Each game's module
(`match`, `tournament`) declares its projections with `skill_game`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ujson

from backend.store.events import Event, to_json_value
from backend.store.projections import Projections, put_new
from backend.store.projections.bets import place_bet, resolve_bet, update_details
from backend.store.state import BatchState, Row


def _game(contract: str) -> str:
    return contract.lower()


def entry_key(kind: str, game_id: int, seat: int) -> str:
    return f"{kind}:{game_id}:{seat}"


def _created(p: Projections, contract: str, id_field: str, entry_field: str, extra: tuple[str, ...]) -> None:
    kind = _game(contract)

    def handler(e: Event, state: BatchState) -> None:
        a = e.args
        game_id = a[id_field]
        details = {k: a[k] for k in ("creator", "rakeBps", "poolId", *extra)}
        details["createdAt"] = e.block_time
        put_new(
            state,
            "matches",
            match_id=game_id,
            kind=kind,
            token=a["token"],
            status="open",
            entry=a[entry_field],
            details=ujson.dumps(to_json_value(details)),
            created_uid=e.uid,
            updated_uid=e.uid,
        )

    p.on(contract, f"{contract}Created")(handler)


GameHandler = Callable[[Event, BatchState, Row], None]


def on_game(p: Projections, contract: str, event: str, id_field: str) -> Callable[[GameHandler], GameHandler]:
    """Register `body` as the projection of `event`, called with the match or tournament row the
    event's `id_field` names. Events of a game we never saw created change nothing."""
    kind = _game(contract)

    def register(body: GameHandler) -> GameHandler:
        def handler(e: Event, state: BatchState) -> None:
            game = state.get("matches", e.args[id_field], kind)
            if game is not None:
                body(e, state, game)

        p.on(contract, event)(handler)
        return body

    return register


def _joined(p: Projections, contract: str, event: str, id_field: str, seat_field: str) -> None:
    @on_game(p, contract, event, id_field)
    def joined(e: Event, state: BatchState, game: Row) -> None:
        a = e.args
        kind = game["kind"]
        players = ujson.loads(game["players"])
        players.append(a["player"])
        game["players"] = ujson.dumps(players)
        game["updated_uid"] = e.uid
        state.put("matches", game)
        place_bet(
            state,
            e,
            game=kind,
            ref=a[id_field],
            key=entry_key(kind, a[id_field], a[seat_field]),
            player=a["player"],
            token=game["token"],
            stake=game["entry"],
            lock_id=a["lockId"],
            details={f"{kind}Id": a[id_field], "seat": a[seat_field]},
        )


def set_status(game: Row, e: Event, state: BatchState, status: str, **details: Any) -> None:
    game["status"] = status
    game["updated_uid"] = e.uid
    if details:
        update_details(game, **details)
    state.put("matches", game)


def _settled(p: Projections, contract: str, id_field: str, ranked_field: str) -> None:
    @on_game(p, contract, f"{contract}Settled", id_field)
    def settled(e: Event, state: BatchState, game: Row) -> None:
        a = e.args
        ranked = list(a[ranked_field])
        payouts = dict(zip(ranked, a["payouts"], strict=False))
        set_status(
            game, e, state, "settled", referee=a["referee"], ranking=ranked, payouts=list(a["payouts"]), rake=a["rake"]
        )
        for bet in state.find("bets", game=game["kind"], game_ref=a[id_field]):
            payout = payouts.get(bet["player"], 0)
            rank = ranked.index(bet["player"]) + 1 if bet["player"] in ranked else None
            resolve_bet(state, bet, e, "won" if payout > 0 else "lost", payout, rank=rank)


def _ended(p: Projections, contract: str, event: str, id_field: str, status: str) -> None:
    """Voided / cancelled / expired: entries become refundable (EntryRefunded returns them)."""

    @on_game(p, contract, event, id_field)
    def ended(e: Event, state: BatchState, game: Row) -> None:
        set_status(game, e, state, status)
        for bet in state.find("bets", game=game["kind"], game_ref=e.args[id_field], status="pending"):
            bet["status"] = "refundable"
            state.put("bets", bet)


def _entry_refunded(p: Projections, contract: str) -> None:
    kind = _game(contract)

    def handler(e: Event, state: BatchState) -> None:
        for bet in state.find("bets", game=kind, lock_id=e.args["lockId"]):
            resolve_bet(state, bet, e, "refunded", bet["stake"], viaBackstop=e.args["viaBackstop"])

    p.on(contract, "EntryRefunded")(handler)


def skill_game(
    p: Projections,
    contract: str,
    id_field: str,
    entry_field: str,
    extra: tuple[str, ...],
    joined: str,
    seat_field: str,
    ranked: str,
) -> None:
    """Declare in `p` the projections every skill game contract shares: its lifecycle, its
    entry refunds and its configuration (referee, rake, invalidated results)."""
    _created(p, contract, id_field, entry_field, extra)
    _joined(p, contract, joined, id_field, seat_field)
    _settled(p, contract, id_field, ranked)
    _entry_refunded(p, contract)
    for status in ("voided", "cancelled", "expired"):
        _ended(p, contract, f"{contract}{status.capitalize()}", id_field, status)
    p.setting(contract, "RefereeSet", "referee", "registered", keyed_by="referee")
    p.setting(contract, "RakeSet", "rakeBps", "bps")
    p.setting(contract, "ResultsInvalidated", "invalidatedNonce", "nonce", keyed_by="id")
