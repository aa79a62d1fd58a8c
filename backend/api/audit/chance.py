"""The bet audit of every game on the chance-game engine, read from the indexed rows: the bet's
terms (maximum payout, declared house edge, protocol fee), its rolls by the verified word (the
multi-roll loop, stops and unplayed stakes of fairstake.rules.multiroll with the game's
`roll_payout`), a refused result and the timeout payout with the bond's slash. A game's module
is `BET_AUDIT = chance_bet_audit(GAME)`, `THEORY = chance_theory(GAME.rules)`."""

from __future__ import annotations

from collections.abc import Callable
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
    verified_words,
)
from backend.api.audit.solvency import reservation_row
from backend.api.queries import RowLike
from backend.store import schema
from fairstake import audit as policy
from fairstake.games import Game
from oracle import ecvrf


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


def _tx_of(conn: Connection, uid: int) -> str | None:
    e = schema.events
    row = conn.execute(select(e.c.tx_hash).where(e.c.uid == uid)).first()
    return None if row is None else str(row[0])


class _Bet:
    """The terms a chance bet was placed with, from its indexed details."""

    def __init__(self, details: dict[str, Any]) -> None:
        self.choice = bytes.fromhex(str(details["choice"]).removeprefix("0x"))
        self.stake = int(details["rollStake"])
        self.edge = int(details["edgeBps"])
        self.rolls = int(details.get("rolls", 1))
        self.stop_gain = int(details.get("stopGain", 0))
        self.stop_loss = int(details.get("stopLoss", 0))

    def play(self, rules: Any, word: int) -> Any:
        return policy.chance_play(
            rules, word, self.stake, self.choice, self.edge, self.rolls, self.stop_gain, self.stop_loss
        )


def chance_bet_audit(game: Game, rules_of: Callable[[Connection], Any] | None = None) -> BetAudit:
    """The audit API's bet audit of `game`, a contract on the chance-game engine; `rules_of(conn)`
    gives the rules of a game whose payouts come from governance's tables (Keno), read from the
    indexed chain."""

    def audit_bet(conn: Connection, audit: BetUnderAudit) -> RowMapping | None:
        request = request_by_id(conn, audit.bet["request_id"])
        _audit(conn, game.rules if rules_of is None else rules_of(conn), audit, request)
        return request

    return audit_bet


def _audit(conn: Connection, rules: Any, audit: BetUnderAudit, request: RowMapping | None) -> None:
    bet, details, checks, recomputed, chain = audit.bet, audit.details, audit.checks, audit.recomputed, audit.chain
    lock = vault_lock(conn, bet["lock_id"])
    chain["vault_paid"] = None if lock is None or lock["payout"] is None else str(lock["payout"])
    chain.update({k: details.get(k) for k in ("word", "rollsPlayed")})
    terms_of = _Bet(details)
    try:
        has_fee = lock is not None and lock["fee"] is not None
        fee_bps = _fee_bps_before(conn, lock["created_uid"]) if lock is not None and has_fee else None
        terms = policy.chance_terms(
            rules,
            terms_of.stake,
            terms_of.choice,
            terms_of.edge,
            terms_of.rolls,
            terms_of.stop_gain,
            terms_of.stop_loss,
            fee_bps,
        )
    except ValueError as refused:
        checks.append(models.Check(name="terms", ok=False, detail=f"the rules refuse this bet: {refused}"))
        return
    checks.append(check("max_payout", str(bet["max_payout"]), str(terms.max_payout)))
    # the house edge is no log's: the Vault's lock carries its fee share, checked below
    recomputed["house_edge"] = str(terms.house_edge)
    if lock is not None and has_fee:
        chain["protocol_fee"] = str(lock["fee"])
        recomputed["protocol_fee"] = str(terms.protocol_fee)
        checks.append(
            check("protocol_fee", str(lock["fee"]), str(terms.protocol_fee), "the fee share of the declared house edge")
        )
    if request is not None and bet["lock_id"] is not None:
        _audit_request(bet, terms_of, request, checks)
    if bet["status"] == "pending":
        checks.append(models.Check(name="settled", ok=True, detail="the bet is waiting for its randomness"))
        return
    if bet["status"] == "timed_out":
        _audit_timeout(conn, bet, lock, request, checks, recomputed, chain)
        if request is not None and request["status"] == "fulfilled":
            _audit_refused_result(conn, rules, terms_of, bet, request, checks, recomputed)
        return
    words = verified_words(conn, request, checks, recomputed)
    if not words:
        return
    word = words[0]
    played = terms_of.play(rules, word)
    recomputed.update(word=str(word), rollsPlayed=played.rolls_played, payout=str(played.payout))
    checks.append(check("word", details.get("word"), str(word)))
    chain_played = details.get("rollsPlayed")
    checks.append(check("rolls_played", None if chain_played is None else int(chain_played), played.rolls_played))
    checks.append(check("payout", chain["payout"], str(played.payout)))
    checks.append(check("vault_paid", chain["vault_paid"], str(played.payout)))


def _audit_request(bet: RowLike, terms_of: _Bet, request: RowMapping, checks: list[models.Check]) -> None:
    """The bet names its request by its Vault lock (its id is keccak256(abi.encode(game, lockId)),
    which settleTimedOut and betStatusOf derive from the lock) and commits its terms in the
    request's data word, which the engine settles by (fairstake.audit.chance_bet_data)."""
    lock_id = int(bet["lock_id"])
    expected_id = ecvrf.request_id(request["consumer"], lock_id)
    checks.append(check("request_id", str(bet["request_id"]), str(expected_id), "keccak256(abi.encode(game, lockId))"))
    if request["data"] is None:  # indexed before the data word was recorded
        return
    has_stops = terms_of.stop_gain != 0 or terms_of.stop_loss != 0
    try:
        word = policy.chance_bet_data(lock_id, terms_of.rolls, terms_of.edge, has_stops, terms_of.choice)
    except ValueError as out_of_range:
        checks.append(models.Check(name="request_data", ok=False, chain=request["data"], detail=str(out_of_range)))
        return
    expected = "0x" + word.to_bytes(32, "big").hex()
    checks.append(check("request_data", request["data"], expected, "the bet's terms, as the request committed them"))


def _audit_timeout(
    conn: Connection,
    bet: RowLike,
    lock: RowMapping | None,
    request: RowMapping | None,
    checks: list[models.Check],
    recomputed: dict[str, Any],
    chain: dict[str, Any],
) -> None:
    """A bet unwound without a result. Its Vault lock is refunded (the stakes); when its request
    expired, the oracle key's bond pays the player W - stakes and the bankroll the stakes, so the
    player ends with W (BetTimedOut's payout; 0 when the Vault's deadline backstop had refunded
    the lock first). When the request was fulfilled but the callback failed, the stakes alone."""
    staked, most = bet["stake"], bet["max_payout"] or 0
    reservation = reservation_row(conn, bet["request_id"])
    chain["refunded"] = None if lock is None or lock["status"] != "refunded" else str(lock["payout"])
    # the Vault's deadline backstop refunded the lock in an earlier transaction than the unwinding
    backstop = (
        lock is not None and lock["closed_uid"] is not None and _tx_of(conn, lock["closed_uid"]) != bet["settled_tx"]
    )
    checks.append(check("refund", chain["refunded"], str(staked), "the Vault lock refunded: the stakes back"))
    status = None if request is None else request["status"]
    if request is not None and status == "fulfilled":
        failed = policy.chance_timeout(staked, most, bet["player"], expired=False, backstop=backstop)
        recomputed["payout"] = str(failed.payout)
        checks.append(check("callback_failed", request["callback_success"], False, "the result was not delivered"))
        checks.append(check("payout", chain["payout"], recomputed["payout"], "a failed settlement refunds the stakes"))
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
    expired = policy.chance_timeout(staked, most, bet["player"], expired=True, backstop=backstop)
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
        checks.append(check("bond_pays_player", chain["bond"]["beneficiary_amount"], amount, "W - stakes"))
        checks.append(check("bond_beneficiary", reservation["beneficiary"], slash.beneficiary))
        checks.append(check("bond_pays_bankroll", chain["bond"]["residual"], str(slash.residual), "the stakes"))
        checks.append(check("bond_to_bankroll", bool(reservation["residual_to_bankroll"]), slash.residual_to_bankroll))
    checks.append(check("ends_with_max", chain["payout"], recomputed["payout"], "refund + bond = the maximum payout"))


def _audit_refused_result(
    conn: Connection,
    rules: Any,
    terms_of: _Bet,
    bet: RowLike,
    request: RowMapping,
    checks: list[models.Check],
    recomputed: dict[str, Any],
) -> None:
    """A bet refunded after its verified result was delivered: the engine's callback has the gas it
    asked for (the coordinator refuses to fulfil with less) and catches the registry, so a failed
    callback is the game refusing the result, and the refund is not what the rules pay for it."""
    words = verified_words(conn, request, checks, recomputed)
    if not words:
        return
    played = terms_of.play(rules, words[0])
    recomputed["result_payout"] = str(played.payout)
    checks.append(
        check(
            "result_paid",
            str(bet["stake"]),
            str(played.payout),
            "a delivered result is paid by the rules, not refunded",
        )
    )
