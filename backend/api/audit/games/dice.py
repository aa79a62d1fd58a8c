"""Dice in the audit API: one bet against the bankroll (terms, fee, outcome by the verified word,
a refused result, the timeout payout) read from the indexed rows, and its per-bet RTP."""

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
    request_by_id,
    vault_lock,
    verify_randomness,
)
from backend.api.audit.solvency import reservation_row
from backend.api.audit.statistics import BetTheory
from backend.api.queries import RowLike
from backend.store import schema
from fairstake import audit as policy


def _fee_bps_before(conn: Connection, uid: int) -> int:
    """The Vault's protocol fee (bps of a bet's house edge) in force at event `uid`."""
    e = schema.events
    row = conn.execute(
        select(e.c.args)
        .where(e.c.contract == "Vault", e.c.event == "ProtocolFeeSet", e.c.uid < uid)
        .order_by(e.c.uid.desc())
        .limit(1)
    ).first()
    return 0 if row is None else int(ujson.loads(row[0])["bps"])


def _audit_dice(conn: Connection, audit: BetUnderAudit, request: RowMapping | None) -> None:
    bet, details, checks, recomputed, chain = audit.bet, audit.details, audit.checks, audit.recomputed, audit.chain
    lock = vault_lock(conn, bet["lock_id"])
    chain["vault_paid"] = None if lock is None or lock["payout"] is None else str(lock["payout"])
    chain.update({k: details.get(k) for k in ("word", "roll", "won")})
    edge = details.get("edgeBps")
    stake, target = bet["stake"], int(details["target"])
    if edge is not None:
        has_fee = lock is not None and lock["fee"] is not None
        fee_bps = _fee_bps_before(conn, lock["created_uid"]) if lock is not None and has_fee else None
        terms = policy.dice_terms(stake, target, int(edge), fee_bps)
        checks.append(check("payout_if_win", str(bet["max_payout"]), str(terms.payout_if_win)))
        if lock is not None and has_fee:
            fee = terms.protocol_fee
            chain["protocol_fee"] = str(lock["fee"])
            recomputed["protocol_fee"] = str(fee)
            checks.append(check("protocol_fee", str(lock["fee"]), str(fee), "the fee share of the bet's house edge"))
    if bet["status"] == "pending":
        checks.append(models.Check(name="settled", ok=True, detail="the bet is waiting for its randomness"))
        return
    if bet["status"] == "timed_out":
        _audit_dice_timeout(conn, bet, lock, request, checks, recomputed, chain)
        if request is not None and request["status"] == "fulfilled" and edge is not None:
            _audit_refused_result(conn, bet, request, int(edge), checks, recomputed)
        return
    if request is None:
        checks.append(models.Check(name="request", ok=False, detail="no randomness request indexed for this bet"))
        return
    summary, randomness_checks, words = verify_randomness(conn, request)
    checks.extend(randomness_checks)
    recomputed["verification"] = summary
    if not words or edge is None:
        return
    word = words[0]
    outcome = policy.dice_outcome(word, stake, target, int(edge))
    recomputed.update(word=str(word), roll=outcome.roll, won=outcome.won, payout=str(outcome.payout))
    checks.append(check("word", details.get("word"), str(word)))
    checks.append(check("roll", None if details.get("roll") is None else int(details["roll"]), outcome.roll))
    checks.append(check("won", details.get("won"), outcome.won))
    checks.append(check("payout", chain["payout"], str(outcome.payout)))
    checks.append(check("vault_paid", chain["vault_paid"], str(outcome.payout)))


def _audit_dice_timeout(
    conn: Connection,
    bet: RowLike,
    lock: RowMapping | None,
    request: RowMapping | None,
    checks: list[models.Check],
    recomputed: dict[str, Any],
    chain: dict[str, Any],
) -> None:
    """A bet unwound without a result. Its Vault lock is refunded (the stake); when its request
    expired, the oracle key's bond pays the player W - stake and the bankroll the stake, so the
    player ends with W (BetTimedOut's payout; 0 when the Vault's deadline backstop had refunded
    the lock first). When the request was fulfilled but the callback failed, the stake alone."""
    stake, win = bet["stake"], bet["max_payout"] or 0
    reservation = reservation_row(conn, bet["request_id"])
    chain["refunded"] = None if lock is None or lock["status"] != "refunded" else str(lock["payout"])
    # the Vault's deadline backstop refunded the lock in an earlier transaction than the unwinding
    backstop = (
        lock is not None and lock["closed_uid"] is not None and _tx_of(conn, lock["closed_uid"]) != bet["settled_tx"]
    )
    checks.append(check("refund", chain["refunded"], str(stake), "the Vault lock refunded: the stake back"))
    status = None if request is None else request["status"]
    if request is not None and status == "fulfilled":
        failed = policy.dice_timeout(stake, win, bet["player"], expired=False, backstop=backstop)
        recomputed["payout"] = str(failed.payout)
        checks.append(check("callback_failed", request["callback_success"], False, "the result was not delivered"))
        checks.append(check("payout", chain["payout"], recomputed["payout"], "a failed settlement refunds the stake"))
        return
    if status != "expired":
        checks.append(models.Check(name="request_expired", ok=False, chain=status, detail="no expiry indexed"))
        return
    slashed = reservation is not None and reservation["status"] == "slashed"
    chain["bond"] = None
    if reservation is not None:
        chain["bond"] = {
            "status": reservation["status"],
            "beneficiary": reservation["beneficiary"],
            "beneficiary_amount": str(reservation["beneficiary_amount"]),
            "residual": str(reservation["residual"]),
            "residual_to_bankroll": bool(reservation["residual_to_bankroll"]),
        }
    expired = policy.dice_timeout(stake, win, bet["player"], expired=True, backstop=backstop)
    assert expired.slash is not None
    recomputed["payout"] = str(expired.payout)
    recomputed["bond"] = {
        "status": "slashed",
        "beneficiary": expired.slash.beneficiary,
        "beneficiary_amount": str(expired.slash.beneficiary_amount),
        "residual": str(expired.slash.residual),
        "residual_to_bankroll": expired.slash.residual_to_bankroll,
    }
    checks.append(check("bond_slashed", "slashed" if slashed else chain["bond"] and chain["bond"]["status"], "slashed"))
    if slashed and reservation is not None:
        slash = expired.slash
        amount = str(slash.beneficiary_amount)
        checks.append(check("bond_pays_player", chain["bond"]["beneficiary_amount"], amount, "W - stake"))
        checks.append(check("bond_beneficiary", reservation["beneficiary"], slash.beneficiary))
        checks.append(check("bond_pays_bankroll", chain["bond"]["residual"], str(slash.residual), "the stake"))
        checks.append(check("bond_to_bankroll", bool(reservation["residual_to_bankroll"]), slash.residual_to_bankroll))
    checks.append(check("ends_with_win", chain["payout"], recomputed["payout"], "refund + bond = payoutIfWin"))


def _audit_refused_result(
    conn: Connection,
    bet: RowLike,
    request: RowMapping,
    edge: int,
    checks: list[models.Check],
    recomputed: dict[str, Any],
) -> None:
    """A bet refunded after its verified result was delivered: Dice's callback has the gas it asked
    for (the coordinator refuses to fulfil with less) and catches the registry, so a failed
    callback is the game refusing the result, and the refund is not what the rules pay for it."""
    summary, randomness_checks, words = verify_randomness(conn, request)
    checks.extend(randomness_checks)
    recomputed["verification"] = summary
    if not words:
        return
    stake = bet["stake"]
    outcome = policy.dice_outcome(words[0], stake, int(ujson.loads(bet["details"])["target"]), edge)
    recomputed["result_payout"] = str(outcome.payout)
    checks.append(
        check("result_paid", str(stake), str(outcome.payout), "a delivered result is paid by the rules, not refunded")
    )


def _tx_of(conn: Connection, uid: int) -> str | None:
    e = schema.events
    row = conn.execute(select(e.c.tx_hash).where(e.c.uid == uid)).first()
    return None if row is None else str(row[0])


def dice_bet(conn: Connection, audit: BetUnderAudit) -> RowMapping | None:
    request = request_by_id(conn, audit.bet["request_id"])
    _audit_dice(conn, audit, request)
    return request


BET_AUDIT: BetAudit = dice_bet
THEORY = BetTheory(lambda details: policy.dice_win_probability(int(details["target"])))
