"""The shared `bets` read model: every stake a player puts into any game (a Dice bet, a Jackpot
ticket purchase, a Match or Tournament entry) with its status and payout, plus per-player
statistics. Game projections call these helpers so every game feeds the same tables.

Statuses: pending (placed, outcome unknown), won, lost, refunded (stake returned),
refundable (the game failed; the stake can be taken back), timed_out (Dice: unwound without a
result; the payout is what the player ends with: the full win payout when the request expired
and the oracle's bond paid the difference, the stake alone when only the stake was refunded).
A refunded Jackpot purchase's payout includes its share of an expired draw's compensation.
"""

from __future__ import annotations

from typing import Any

import ujson

from backend.store.events import Event, to_json_value
from backend.store.projections import get_or_new, put_new
from backend.store.state import BatchState, Row

FINAL_STATUSES = ("won", "lost", "refunded", "timed_out")


def place_bet(
    state: BatchState,
    e: Event,
    *,
    game: str,
    ref: int,
    key: str,
    player: str,
    token: str,
    stake: int,
    max_payout: int | None = None,
    request_id: int | None = None,
    lock_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> Row:
    row = put_new(
        state,
        "bets",
        bet_key=key,
        game=game,
        game_ref=ref,
        player=player,
        token=token,
        stake=stake,
        status="pending",
        max_payout=max_payout,
        request_id=request_id,
        lock_id=lock_id,
        details=ujson.dumps(to_json_value(details or {})),
        placed_uid=e.uid,
        placed_time=e.block_time,
        placed_tx=e.tx_hash,
    )
    stats = get_or_new(state, "player_stats", (player, token, game))
    stats["bets"] += 1
    stats["wagered"] += stake
    stats["last_uid"] = e.uid
    state.put("player_stats", stats)
    return row


def update_details(row: Row, **values: Any) -> None:
    details = ujson.loads(row["details"])
    details.update(to_json_value(values))
    row["details"] = ujson.dumps(details)


def resolve_bet(state: BatchState, row: Row, e: Event, status: str, payout: int, **details: Any) -> None:
    """Record a bet's outcome. Statistics count a bet once, when it first reaches a final status;
    a later payout on the same bet (a Jackpot prize claimed after the draw) adds to paid_out."""
    was_final = row["status"] in FINAL_STATUSES
    previous_payout = row["payout"] or 0
    row["status"] = status
    row["payout"] = payout
    row["settled_uid"] = e.uid
    row["settled_time"] = e.block_time
    row["settled_tx"] = e.tx_hash
    if details:
        update_details(row, **details)
    state.put("bets", row)
    stats = get_or_new(state, "player_stats", (row["player"], row["token"], row["game"]))
    if not was_final and status in FINAL_STATUSES:
        stats["settled"] += 1
        if (status == "won" and payout > 0) or (status == "timed_out" and payout > row["stake"]):
            stats["wins"] += 1
    elif was_final and status == "won" and previous_payout == 0 and payout > 0:
        stats["wins"] += 1
    stats["paid_out"] += payout - previous_payout
    stats["last_uid"] = e.uid
    state.put("player_stats", stats)
