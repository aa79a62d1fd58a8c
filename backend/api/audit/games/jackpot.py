"""Jackpot in the audit API: a ticket against its round's draw (or its compensation share) read
from the indexed rows, and the pool's exact return."""

from __future__ import annotations

from typing import Any

import ujson
from sqlalchemy import select
from sqlalchemy.engine import Connection, RowMapping

from backend.api import models
from backend.api.audit.bets import (
    BetAudit,
    BetUnderAudit,
    check,
    pool_paid,
    request_by_id,
    verified_words,
)
from backend.api.audit.solvency import optional_str
from backend.api.audit.statistics import PoolTheory, jackpot_theory
from backend.api.queries import RowLike, row_by_key
from backend.store import schema
from fairstake import audit as policy


def _jackpot_request(conn: Connection, round_id: int) -> RowMapping | None:
    row = row_by_key(conn, schema.jackpot_rounds, round_id)
    if row is None:
        return None
    request_id = ujson.loads(row["details"]).get("requestId")
    return request_by_id(conn, int(request_id)) if request_id is not None else None


def _audit_jackpot(conn: Connection, audit: BetUnderAudit, request: RowMapping | None) -> None:
    bet, details, checks, recomputed, chain = audit.bet, audit.details, audit.checks, audit.recomputed, audit.chain
    round_ = row_by_key(conn, schema.jackpot_rounds, bet["game_ref"])
    if round_ is None or round_["status"] in ("open", "drawing"):
        checks.append(models.Check(name="drawn", ok=True, detail="the round has not been drawn yet"))
        return
    info = ujson.loads(round_["details"])
    if round_["status"] == "refundable" or bet["status"] in ("refundable", "refunded"):
        share = _compensation_share(conn, bet, info) if bet["status"] == "refunded" else 0
        if "compensation" in info:
            recomputed["compensation"] = str(share)
            chain["compensation"] = str(details.get("compensation", 0))
            checks.append(check("compensation", chain["compensation"], str(share), "pro rata share of one pot"))
        expected = bet["stake"] + share
        checks.append(
            check("refund", chain["payout"] if bet["status"] == "refunded" else str(bet["stake"]), str(expected))
        )
        return
    words = verified_words(conn, request, checks, recomputed, "no draw request indexed for this round")
    if not words:
        return
    purchases = (
        conn.execute(
            select(schema.bets)
            .where(schema.bets.c.game == "jackpot", schema.bets.c.game_ref == bet["game_ref"])
            .order_by(schema.bets.c.placed_uid)
        )
        .mappings()
        .all()
    )
    ends = []
    for p in purchases:
        d = ujson.loads(p["details"])
        ends.append(int(d["fromTicket"]) + int(d["count"]))
    rolled_in = int(info.get("rolledIn", 0))
    draw = policy.jackpot_draw(words[0], ends, round_["pot"], int(info["rakeBps"]), rolled_in)
    ticket, prize, rake = draw.ticket, draw.prize, draw.rake
    winner = purchases[draw.winner_index]["player"]
    holds = purchases[draw.winner_index]["bet_key"] == bet["bet_key"]
    recomputed.update(winning_ticket=ticket, winner=winner, prize=str(prize), rake=str(rake), this_purchase_wins=holds)
    chain.update(winning_ticket=info.get("winningTicket"), winner=round_["winner"], prize=optional_str(round_["prize"]))
    checks.append(
        check("winning_ticket", None if info.get("winningTicket") is None else int(info["winningTicket"]), ticket)
    )
    checks.append(check("winner", round_["winner"], winner))
    checks.append(check("prize", optional_str(round_["prize"]), str(prize)))
    checks.append(check("rake", info.get("rake"), str(rake)))
    checks.append(check("status", bet["status"], "won" if holds else "lost"))
    if holds and round_["status"] == "claimed":
        pool_id = int(info["poolId"])
        paid = pool_paid(conn, pool_id, winner)
        chain["vault_paid"] = optional_str(paid)
        checks.append(check("vault_paid", optional_str(paid), str(prize)))


def _compensation_share(conn: Connection, bet: RowLike, info: dict[str, Any]) -> int:
    """A refunded purchase's share of an expired draw's compensation: total x stake / sold, the
    purchase refunded last (once all are) taking what rounding left."""
    total = int(info.get("compensation", 0))
    if not total:
        return 0
    b = schema.bets
    purchases = conn.execute(select(b).where(b.c.game == "jackpot", b.c.game_ref == bet["game_ref"])).mappings().all()
    sold = sum(p["stake"] for p in purchases)
    if not sold:
        return 0
    refunded = sorted(
        (i for i, p in enumerate(purchases) if p["status"] == "refunded"),
        key=lambda i: (
            purchases[i]["settled_uid"] or 0,
            int(ujson.loads(purchases[i]["details"]).get("purchaseIndex", 0)),
        ),
    )
    mine = next(i for i, p in enumerate(purchases) if p["bet_key"] == bet["bet_key"])
    return policy.compensation_shares(total, [p["stake"] for p in purchases], refunded)[mine]


def jackpot_bet(conn: Connection, audit: BetUnderAudit) -> RowMapping | None:
    request = _jackpot_request(conn, audit.bet["game_ref"])
    _audit_jackpot(conn, audit, request)
    return request


BET_AUDIT: BetAudit = jackpot_bet
THEORY: PoolTheory = jackpot_theory
