"""Auditor views: tamper-evident event export, per-bet re-verification, proof of reserves, RTP
and anomaly detection. The functions here are pure where they can be (export hashing and its
verification are plain text functions) and read the store (and, for reserves, the chain)."""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import ujson
from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_utils import function_signature_to_4byte_selector
from sqlalchemy import Select, func, select
from sqlalchemy.engine import Connection, Engine, RowMapping

from backend.api import models
from backend.api.queries import RowLike, bet_model, position, row_by_key
from backend.rpc import RpcClient, RpcError, RpcTransportError
from backend.store import schema
from backend.store.events import uid_position
from fairstake.manifest import ETH

GENESIS_HASH = "0" * 64
CSV_COLUMNS = ("uid", "block", "block_hash", "time", "tx", "log_index", "contract", "address", "event", "args")
CSV_HEADER = ",".join((*CSV_COLUMNS, "chain_hash"))
_EXPORT_CHUNK = 5_000


# ------------------------------------------------------------------------ tamper-evident export
def chain_hash(previous: str, content: str) -> str:
    """The running hash: sha256(previous line's hash ‖ this line's content)."""
    return hashlib.sha256((previous + content).encode()).hexdigest()


def _record(row: RowMapping) -> dict[str, Any]:
    return {
        "uid": str(row["uid"]),
        "block": row["block_number"],
        "block_hash": row["block_hash"],
        "time": row["block_time"],
        "tx": row["tx_hash"],
        "log_index": row["log_index"],
        "contract": row["contract"],
        "address": row["address"],
        "event": row["event"],
        "args": ujson.loads(row["args"]),
    }


def _csv_field(value: object) -> str:
    text = value if isinstance(value, str) else "" if value is None else str(value)
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def export_lines(rows: Iterable[RowMapping], fmt: str) -> Iterator[str]:
    """Export lines (each ending in "\\n") of raw-log rows; see `chained_lines`."""
    return chained_lines(map(_record, rows), fmt)


def chained_lines(records: Iterable[dict[str, Any]], fmt: str) -> Iterator[str]:
    """Export lines (each ending in "\\n") of records with the CSV_COLUMNS keys. Every line carries
    the hash chaining it to all previous lines, so editing, dropping or reordering any line breaks
    every later hash.

    JSONL: `{...record..., "chain": H}` where H = sha256(H_prev ‖ the line's text up to the
    `,"chain"` suffix plus "}"). CSV: a header, then `fields...,H` with H over the text before
    the last comma (an absent value is an empty field)."""
    previous = GENESIS_HASH
    if fmt == "csv":
        yield CSV_HEADER + "\n"
    for record in records:
        if fmt == "csv":
            content = ",".join(
                _csv_field(ujson.dumps(record[c], ensure_ascii=False) if c == "args" else record[c])
                for c in CSV_COLUMNS
            )
            previous = chain_hash(previous, content)
            yield f"{content},{previous}\n"
        else:
            content = ujson.dumps(record, ensure_ascii=False, escape_forward_slashes=False)
            previous = chain_hash(previous, content)
            yield f'{content[:-1]},"chain":"{previous}"}}\n'


def verify_export(text: str) -> models.ExportVerification:
    """Check an export's hash chain line by line (format detected from the first line)."""
    lines = text.splitlines()
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        return models.ExportVerification(valid=False, lines=0, final_hash=None, first_bad_line=None, reason="empty")
    csv = lines[0] == CSV_HEADER
    previous = GENESIS_HASH
    start = 1 if csv else 0
    for number, line in enumerate(lines[start:], start=start + 1):
        if csv:
            content, _, claimed = line.rpartition(",")
        else:
            suffix = line[-76:]
            if not (suffix.startswith(',"chain":"') and suffix.endswith('"}')):
                return models.ExportVerification(
                    valid=False, lines=len(lines), final_hash=None, first_bad_line=number, reason="no chain hash"
                )
            content, claimed = line[:-76] + "}", suffix[10:-2]
        expected = chain_hash(previous, content)
        if claimed != expected:
            return models.ExportVerification(
                valid=False,
                lines=len(lines),
                final_hash=None,
                first_bad_line=number,
                reason="the line or one before it was modified, removed or reordered",
            )
        previous = expected
    return models.ExportVerification(
        valid=True, lines=len(lines), final_hash=previous, first_bad_line=None, reason=None
    )


def stream_rows(engine: Engine, query: Select[Any]) -> Iterator[RowMapping]:
    """All rows of an events query in uid order, in chunks (no transaction held across chunks
    would be inconsistent; the export reads one snapshot per chunk, keyed by uid)."""
    e = schema.events
    after = -1
    while True:
        with engine.connect() as conn:
            rows = conn.execute(query.where(e.c.uid > after).order_by(e.c.uid).limit(_EXPORT_CHUNK)).mappings().all()
        if not rows:
            return
        yield from rows
        after = rows[-1]["uid"]


# ---------------------------------------------------------------------------------- bet audit
def _check(name: str, chain: Any, recomputed: Any, detail: str | None = None) -> models.Check:
    return models.Check(name=name, ok=chain == recomputed, chain=chain, recomputed=recomputed, detail=detail)


def _request_block_hash(conn: Connection, request: RowMapping) -> str | None:
    e = schema.events
    row = conn.execute(select(e.c.block_hash).where(e.c.uid == request["requested_uid"])).first()
    return None if row is None else str(row[0])


def verify_randomness(conn: Connection, request: RowMapping) -> tuple[dict[str, Any], list[models.Check], list[int]]:
    """Independently re-verify a fulfilled request: the seed from preSeed and the request
    block's hash, the proof's key against the requested key hash, the ECVRF proof itself
    (oracle.ecvrf), and the output the coordinator reported. Returns (summary, checks, words)."""
    from oracle import ecvrf
    from oracle.proof import InvalidProof, MalformedProof, Proof

    checks: list[models.Check] = []
    if request["status"] != "fulfilled" or request["proof"] is None:
        checks.append(models.Check(name="fulfilled", ok=False, chain=request["status"], detail="no proof on chain"))
        return {"status": request["status"]}, checks, []
    try:
        proof = Proof.from_json(ujson.loads(request["proof"]))
    except MalformedProof as exc:
        checks.append(models.Check(name="proof_wellformed", ok=False, detail=str(exc)))
        return {"status": "malformed"}, checks, []
    block_hash = _request_block_hash(conn, request)
    expected_seed = ecvrf.request_seed(request["pre_seed"], bytes.fromhex(block_hash[2:])) if block_hash else None
    checks.append(
        _check("seed", str(request["seed"]), str(expected_seed), "keccak(preSeed ‖ blockhash(request block))")
    )
    checks.append(_check("proof_seed", str(proof.seed), str(expected_seed)))
    checks.append(_check("key", request["key_hash"], "0x" + ecvrf.key_hash(proof.pk).hex()))
    output: int | None = None
    reason = None
    try:
        output = ecvrf.verify(proof, proof.seed)
    except InvalidProof as exc:
        reason = str(exc)
    checks.append(
        models.Check(name="proof_valid", ok=output is not None, detail=reason or "ECVRF proof verifies (oracle.ecvrf)")
    )
    checks.append(_check("output", str(request["output"]), None if output is None else str(output)))
    words = ecvrf.random_words(output, request["num_words"]) if output is not None else []
    summary = {
        "request_block_hash": block_hash,
        "seed": None if expected_seed is None else str(expected_seed),
        "output": None if output is None else str(output),
        "words": [str(w) for w in words],
    }
    return summary, checks, words


def _request(conn: Connection, request_id: int | None) -> RowMapping | None:
    return None if request_id is None else row_by_key(conn, schema.randomness_requests, request_id)


def _request_json(request: RowMapping | None) -> dict[str, Any] | None:
    if request is None:
        return None
    return {
        "request_id": str(request["request_id"]),
        "key_hash": request["key_hash"],
        "consumer": request["consumer"],
        "pre_seed": str(request["pre_seed"]),
        "block": request["block_num"],
        "deadline_block": request["deadline_block"],
        "deadline_time": request["deadline_time"],
        "num_words": request["num_words"],
        "status": request["status"],
        "callback_success": request["callback_success"],
        "request_tx": request["request_tx"],
        "fulfil_tx": request["resolve_tx"],
    }


# ------------------------------------------------------------------------------------ bonds
def _reservation_row(conn: Connection, request_id: int | None) -> RowMapping | None:
    return None if request_id is None else row_by_key(conn, schema.bond_reservations, request_id)


def reservation_model(
    row: RowLike, symbols: dict[str, str], times: dict[int, tuple[int, str]] | None = None
) -> models.BondReservation:
    times = times or {}

    def where(uid: int | None, tx: str | None) -> models.Position | None:
        if uid is None:
            return None
        return position(uid, times.get(uid, (0, ""))[0], tx or "")

    reserved = where(row["reserved_uid"], row["reserve_tx"])
    assert reserved is not None
    return models.BondReservation(
        request_id=str(row["request_id"]),
        key_hash=row["key_hash"],
        token=row["token"],
        token_symbol=symbols.get(row["token"]),
        amount=str(row["amount"]),
        beneficiary=row["beneficiary"],
        beneficiary_amount=str(row["beneficiary_amount"]),
        residual=str(row["residual"]),
        residual_to_bankroll=bool(row["residual_to_bankroll"]),
        status=row["status"],
        reserved=reserved,
        resolved=where(row["resolved_uid"], row["resolve_tx"]),
    )


def _reservation_models(
    conn: Connection, rows: list[RowMapping], symbols: dict[str, str]
) -> list[models.BondReservation]:
    uids = {r["reserved_uid"] for r in rows} | {r["resolved_uid"] for r in rows if r["resolved_uid"] is not None}
    e = schema.events
    times = {
        r.uid: (r.block_time, r.tx_hash)
        for r in conn.execute(select(e.c.uid, e.c.block_time, e.c.tx_hash).where(e.c.uid.in_(list(uids))))
    }
    return [reservation_model(r, symbols, times) for r in rows]


def bond_models(conn: Connection, symbols: dict[str, str]) -> list[models.Bond]:
    b, k = schema.bonds, schema.oracle_keys
    operators = {r.key_hash: r.operator for r in conn.execute(select(k.c.key_hash, k.c.operator))}
    r = schema.bond_reservations
    open_counts = {
        (key_hash, token): int(n)
        for key_hash, token, n in conn.execute(
            select(r.c.key_hash, r.c.token, func.count())
            .where(r.c.status == "reserved")
            .group_by(r.c.key_hash, r.c.token)
        )
    }
    out = []
    for row in conn.execute(select(b).order_by(b.c.key_hash, b.c.token)).mappings():
        out.append(
            models.Bond(
                key_hash=row["key_hash"],
                operator=operators.get(row["key_hash"]),
                token=row["token"],
                token_symbol=symbols.get(row["token"]),
                total=str(row["total"]),
                reserved=str(row["reserved"]),
                unbonding=str(row["unbonding"]),
                unbondable_at=row["unbondable_at"],
                free=str(row["total"] - row["reserved"] - row["unbonding"]),
                deposited=str(row["deposited"]),
                withdrawn=str(row["withdrawn"]),
                slashed=str(row["slashed"]),
                reservations=row["reservations"],
                slashes=row["slashes"],
                open_reservations=open_counts.get((row["key_hash"], row["token"]), 0),
            )
        )
    return out


def bonds(conn: Connection, symbols: dict[str, str], limit: int) -> models.Bonds:
    """Every key's bond per token, the newest slashes and the open reservations."""
    r = schema.bond_reservations
    slashed = (
        conn.execute(select(r).where(r.c.status == "slashed").order_by(r.c.resolved_uid.desc()).limit(limit))
        .mappings()
        .all()
    )
    pending = (
        conn.execute(select(r).where(r.c.status == "reserved").order_by(r.c.reserved_uid).limit(limit)).mappings().all()
    )
    return models.Bonds(
        bonds=bond_models(conn, symbols),
        slashes=_reservation_models(conn, list(slashed), symbols),
        open_reservations=_reservation_models(conn, list(pending), symbols),
    )


def summary(conn: Connection, symbols: dict[str, str], block: int | None) -> models.AuditSummary:
    """Counts of requests and reservations by status, the bonds, and what was paid into the Vault."""
    q, r, t, b = schema.randomness_requests, schema.bond_reservations, schema.token_totals, schema.bets
    requests = {s: int(n) for s, n in conn.execute(select(q.c.status, func.count()).group_by(q.c.status))}
    reservations = {s: int(n) for s, n in conn.execute(select(r.c.status, func.count()).group_by(r.c.status))}
    timed_out = conn.execute(
        select(func.count()).select_from(b).where(b.c.game == "dice", b.c.status == "timed_out")
    ).scalar_one()
    paid_in = {
        token: {"credited": str(credited), "bankroll": str(bankroll)}
        for token, credited, bankroll in conn.execute(select(t.c.token, t.c.paid_in_credited, t.c.paid_in_bankroll))
    }
    return models.AuditSummary(
        block=block,
        requests=requests,
        reservations=reservations,
        bonds=bond_models(conn, symbols),
        timed_out_bets=int(timed_out),
        paid_in=paid_in,
    )


# ---------------------------------------------------------------------------------- bet audit
def audit_bet(conn: Connection, bet: RowLike, symbols: dict[str, str]) -> models.BetAudit:
    game = bet["game"]
    details = ujson.loads(bet["details"])
    checks: list[models.Check] = []
    recomputed: dict[str, Any] = {}
    chain: dict[str, Any] = {"status": bet["status"], "payout": None if bet["payout"] is None else str(bet["payout"])}
    request = None
    verification = None
    if game == "dice":
        request = _request(conn, bet["request_id"])
        _audit_dice(conn, bet, details, request, checks, recomputed, chain)
    elif game == "jackpot":
        request = _jackpot_request(conn, bet["game_ref"])
        _audit_jackpot(conn, bet, details, request, checks, recomputed, chain)
    else:
        _audit_skill(conn, bet, checks, recomputed, chain)
    if "verification" in recomputed:
        verification = recomputed.pop("verification")
    reservation = None if request is None else _reservation_row(conn, request["request_id"])
    return models.BetAudit(
        bet=bet_model(bet, symbols),
        request=_request_json(request),
        reservation=None if reservation is None else _reservation_models(conn, [reservation], symbols)[0],
        proof=None if request is None or request["proof"] is None else ujson.loads(request["proof"]),
        verification=verification,
        recomputed=recomputed,
        chain=chain,
        checks=checks,
        ok=bool(checks) and all(c.ok for c in checks),
    )


def _vault_lock(conn: Connection, lock_id: int | None) -> RowMapping | None:
    return None if lock_id is None else row_by_key(conn, schema.locks, lock_id)


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


def _audit_dice(
    conn: Connection,
    bet: RowLike,
    details: dict[str, Any],
    request: RowMapping | None,
    checks: list[models.Check],
    recomputed: dict[str, Any],
    chain: dict[str, Any],
) -> None:
    from fairstake.rules import dice as dice_rules

    lock = _vault_lock(conn, bet["lock_id"])
    chain["vault_paid"] = None if lock is None or lock["payout"] is None else str(lock["payout"])
    chain.update({k: details.get(k) for k in ("word", "roll", "won")})
    edge = details.get("edgeBps")
    stake, target = bet["stake"], int(details["target"])
    if edge is not None:
        from fairstake.rules import bankroll as bankroll_rules

        expected_win = dice_rules.payout_if_win(stake, target, int(edge))
        checks.append(_check("payout_if_win", str(bet["max_payout"]), str(expected_win)))
        if lock is not None and lock["fee"] is not None:
            house_edge = dice_rules.house_edge(stake, target, int(edge))
            fee = bankroll_rules.protocol_fee(house_edge, _fee_bps_before(conn, lock["created_uid"]))
            chain["protocol_fee"] = str(lock["fee"])
            recomputed["protocol_fee"] = str(fee)
            checks.append(_check("protocol_fee", str(lock["fee"]), str(fee), "the fee share of the bet's house edge"))
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
    outcome = dice_rules.outcome(word, stake, target, int(edge))
    recomputed.update(word=str(word), roll=outcome.roll, won=outcome.won, payout=str(outcome.payout))
    checks.append(_check("word", details.get("word"), str(word)))
    checks.append(_check("roll", None if details.get("roll") is None else int(details["roll"]), outcome.roll))
    checks.append(_check("won", details.get("won"), outcome.won))
    checks.append(_check("payout", chain["payout"], str(outcome.payout)))
    checks.append(_check("vault_paid", chain["vault_paid"], str(outcome.payout)))


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
    reservation = _reservation_row(conn, bet["request_id"])
    chain["refunded"] = None if lock is None or lock["status"] != "refunded" else str(lock["payout"])
    # the Vault's deadline backstop refunded the lock in an earlier transaction than the unwinding
    backstop = (
        lock is not None and lock["closed_uid"] is not None and _tx_of(conn, lock["closed_uid"]) != bet["settled_tx"]
    )
    checks.append(_check("refund", chain["refunded"], str(stake), "the Vault lock refunded: the stake back"))
    status = None if request is None else request["status"]
    if request is not None and status == "fulfilled":
        recomputed["payout"] = "0" if backstop else str(stake)
        checks.append(_check("callback_failed", request["callback_success"], False, "the result was not delivered"))
        checks.append(_check("payout", chain["payout"], recomputed["payout"], "a failed settlement refunds the stake"))
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
    recomputed["payout"] = "0" if backstop else str(win)
    recomputed["bond"] = {
        "status": "slashed",
        "beneficiary": bet["player"],
        "beneficiary_amount": str(win - stake),
        "residual": str(stake),
        "residual_to_bankroll": True,
    }
    checks.append(
        _check("bond_slashed", "slashed" if slashed else chain["bond"] and chain["bond"]["status"], "slashed")
    )
    if slashed and reservation is not None:
        checks.append(_check("bond_pays_player", chain["bond"]["beneficiary_amount"], str(win - stake), "W - stake"))
        checks.append(_check("bond_beneficiary", reservation["beneficiary"], bet["player"]))
        checks.append(_check("bond_pays_bankroll", chain["bond"]["residual"], str(stake), "the stake"))
        checks.append(_check("bond_to_bankroll", bool(reservation["residual_to_bankroll"]), True))
    checks.append(_check("ends_with_win", chain["payout"], recomputed["payout"], "refund + bond = payoutIfWin"))


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
    from fairstake.rules import dice as dice_rules

    summary, randomness_checks, words = verify_randomness(conn, request)
    checks.extend(randomness_checks)
    recomputed["verification"] = summary
    if not words:
        return
    stake = bet["stake"]
    outcome = dice_rules.outcome(words[0], stake, int(ujson.loads(bet["details"])["target"]), edge)
    recomputed["result_payout"] = str(outcome.payout)
    checks.append(
        _check("result_paid", str(stake), str(outcome.payout), "a delivered result is paid by the rules, not refunded")
    )


def _tx_of(conn: Connection, uid: int) -> str | None:
    e = schema.events
    row = conn.execute(select(e.c.tx_hash).where(e.c.uid == uid)).first()
    return None if row is None else str(row[0])


def _jackpot_request(conn: Connection, round_id: int) -> RowMapping | None:
    row = row_by_key(conn, schema.jackpot_rounds, round_id)
    if row is None:
        return None
    request_id = ujson.loads(row["details"]).get("requestId")
    return _request(conn, int(request_id)) if request_id is not None else None


def _audit_jackpot(
    conn: Connection,
    bet: RowLike,
    details: dict[str, Any],
    request: RowMapping | None,
    checks: list[models.Check],
    recomputed: dict[str, Any],
    chain: dict[str, Any],
) -> None:
    from fairstake.rules import jackpot as jackpot_rules

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
            checks.append(_check("compensation", chain["compensation"], str(share), "pro rata share of one pot"))
        expected = bet["stake"] + share
        checks.append(
            _check("refund", chain["payout"] if bet["status"] == "refunded" else str(bet["stake"]), str(expected))
        )
        return
    if request is None:
        checks.append(models.Check(name="request", ok=False, detail="no draw request indexed for this round"))
        return
    summary, randomness_checks, words = verify_randomness(conn, request)
    checks.extend(randomness_checks)
    recomputed["verification"] = summary
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
    ticket, index = jackpot_rules.draw(words[0], ends)
    rolled_in = int(info.get("rolledIn", 0))
    prize, rake = jackpot_rules.prize_and_rake(round_["pot"], int(info["rakeBps"]), rolled_in)
    winner = purchases[index]["player"]
    holds = purchases[index]["bet_key"] == bet["bet_key"]
    recomputed.update(winning_ticket=ticket, winner=winner, prize=str(prize), rake=str(rake), this_purchase_wins=holds)
    chain.update(winning_ticket=info.get("winningTicket"), winner=round_["winner"], prize=_s(round_["prize"]))
    checks.append(
        _check("winning_ticket", None if info.get("winningTicket") is None else int(info["winningTicket"]), ticket)
    )
    checks.append(_check("winner", round_["winner"], winner))
    checks.append(_check("prize", _s(round_["prize"]), str(prize)))
    checks.append(_check("rake", info.get("rake"), str(rake)))
    checks.append(_check("status", bet["status"], "won" if holds else "lost"))
    if holds and round_["status"] == "claimed":
        pool_id = int(info["poolId"])
        paid = _pool_paid(conn, pool_id, winner)
        chain["vault_paid"] = _s(paid)
        checks.append(_check("vault_paid", _s(paid), str(prize)))


def _s(value: int | None) -> str | None:
    return None if value is None else str(value)


def _pool_paid(conn: Connection, pool_id: int, player: str) -> int | None:
    t = schema.pool_payments
    row = conn.execute(select(t.c.amount).where(t.c.pool_id == pool_id, t.c.player == player)).first()
    return None if row is None else int(row[0])


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
    refunded = [p for p in purchases if p["status"] == "refunded"]
    last = max(refunded, key=lambda p: (p["settled_uid"] or 0, int(ujson.loads(p["details"]).get("purchaseIndex", 0))))
    if len(refunded) == len(purchases) and last["bet_key"] == bet["bet_key"]:
        others = sum(total * p["stake"] // sold for p in purchases if p["bet_key"] != bet["bet_key"])
        return total - others
    return total * bet["stake"] // sold


def _audit_skill(
    conn: Connection, bet: RowLike, checks: list[models.Check], recomputed: dict[str, Any], chain: dict[str, Any]
) -> None:
    from fairstake.rules import match as match_rules
    from fairstake.rules import tournament as tournament_rules

    game = (
        conn.execute(
            select(schema.matches).where(
                schema.matches.c.kind == bet["game"], schema.matches.c.match_id == bet["game_ref"]
            )
        )
        .mappings()
        .first()
    )
    if game is None or game["status"] in ("open", "full"):
        checks.append(models.Check(name="settled", ok=True, detail="no result yet"))
        return
    info = ujson.loads(game["details"])
    if game["status"] != "settled":
        checks.append(
            _check("refund", chain["payout"] if bet["status"] == "refunded" else str(bet["stake"]), str(bet["stake"]))
        )
        return
    ranking = list(info.get("ranking", []))
    players = ujson.loads(game["players"])
    try:
        if bet["game"] == "match":
            expected = match_rules.match_payouts(
                int(game["entry"]), int(info["rakeBps"]), [int(s) for s in info["shares"]], ranking
            )
        else:
            expected = tournament_rules.tournament_payouts(
                int(game["entry"]), len(players), int(info["rakeBps"]), [int(p) for p in info["prizes"]], ranking
            )
    except ValueError as exc:
        checks.append(models.Check(name="result_valid", ok=False, detail=f"the result breaks the rules: {exc}"))
        return
    mine = expected.get(bet["player"], 0)
    paid = _pool_paid(conn, int(info["poolId"]), bet["player"])
    recomputed.update(ranking=ranking, payout=str(mine))
    chain["vault_paid"] = _s(paid)
    checks.append(_check("payout", chain["payout"], str(mine)))
    checks.append(_check("vault_paid", _s(paid or 0), str(mine)))


# ---------------------------------------------------------------------------------- solvency
def _call(rpc: RpcClient, to: str, signature: str, types: list[str], args: list[Any], block: str) -> int:
    data = function_signature_to_4byte_selector(signature) + abi_encode(types, args)
    result = rpc.call("eth_call", [{"to": to, "data": "0x" + data.hex()}, block], retry=False, timeout=10)
    return int(abi_decode(["uint256"], bytes.fromhex(str(result)[2:]))[0])


def solvency(
    conn: Connection, symbols: dict[str, str], vault: str | None, rpc: RpcClient | None, block: int | None
) -> models.Solvency:
    rows = conn.execute(select(schema.token_totals)).mappings().all()
    tokens: dict[str, RowMapping | None] = {r["token"]: r for r in rows}
    for address in symbols:
        tokens.setdefault(address, None)
    out: list[models.SolvencyRow] = []
    tag = hex(block) if block is not None else "latest"
    for token in sorted(tokens):
        r = tokens[token]
        free, locked, pooled, bankroll, fees, pending = (
            (r["free"], r["locked"], r["pooled"], r["bankroll"], r["fees"], r["bankroll_pending"])
            if r
            else (0, 0, 0, 0, 0, 0)
        )
        liabilities = free + locked + pooled + bankroll + fees + pending
        balance: int | None = None
        views: dict[str, str] | None = None
        if rpc is not None and vault is not None:
            try:
                if token == ETH:
                    balance = int(rpc.call("eth_getBalance", [vault, tag], retry=False, timeout=10), 16)
                else:
                    balance = _call(rpc, token, "balanceOf(address)", ["address"], [vault], tag)
                views = {
                    name: str(_call(rpc, vault, f"{name}(address)", ["address"], [token], tag))
                    for name in ("freeBalanceTotal", "lockedTotal", "bankrollAssets", "accruedFees")
                }
            except (RpcError, RpcTransportError, ValueError):
                balance, views = None, None
        views_match = None
        if views is not None:
            views_match = (
                int(views["freeBalanceTotal"]) == free
                and int(views["lockedTotal"]) == locked + pooled
                and int(views["bankrollAssets"]) == bankroll
                and int(views["accruedFees"]) == fees
            )
        out.append(
            models.SolvencyRow(
                token=token,
                symbol=symbols.get(token),
                balance=_s(balance),
                liabilities=str(liabilities),
                free=str(free),
                locked=str(locked),
                pooled=str(pooled),
                bankroll=str(bankroll),
                fees=str(fees),
                paid_in_credited=str(r["paid_in_credited"] if r else 0),
                paid_in_bankroll=str(r["paid_in_bankroll"] if r else 0),
                bankroll_pending=str(pending),
                surplus=None if balance is None else str(balance - liabilities),
                solvent=None if balance is None else balance >= liabilities,
                vault_views=views,
                views_match_events=views_match,
            )
        )
    flags = [r.solvent for r in out]
    return models.Solvency(
        block=block, tokens=out, solvent=None if any(f is None for f in flags) or not flags else all(flags)
    )


# ---------------------------------------------------------------------------------------- RTP
Z_BY_CONFIDENCE = {0.9: 1.6449, 0.95: 1.96, 0.99: 2.5758, 0.999: 3.2905}


def rtp(conn: Connection, symbols: dict[str, str], confidence: float) -> models.Rtp:
    """Observed vs theoretical RTP per game and token over settled bets (refunds excluded).

    Dice: every bet's payout is a Bernoulli(target/100) × payoutIfWin, so the total payout has
    expectation Σ p·w and variance Σ p(1-p)·w² under the rules; the interval is observed ±
    z·σ/Σstake and z_score = (paid − expected)/σ. Jackpot, Match and Tournament return a fixed
    share of every pool (1 − rake) whoever wins: their RTP is exact, the interval has no width."""
    z = Z_BY_CONFIDENCE[confidence]
    bets = schema.bets
    query = select(bets.c.game, bets.c.token, bets.c.stake, bets.c.payout, bets.c.max_payout, bets.c.details).where(
        bets.c.status.in_(("won", "lost", "timed_out"))
    )
    acc: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    exact: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for game, token, stake, payout, max_payout, details in conn.execute(query):
        key = (game, token)
        exact[key]["bets"] += 1
        exact[key]["wagered"] += stake
        exact[key]["paid"] += payout or 0
        if game == "dice":
            info = ujson.loads(details)
            p = int(info["target"]) / 100
            win = float(max_payout or 0)
            acc[key]["expected"] += p * win
            acc[key]["variance"] += p * (1 - p) * win * win
    for game, kind in (("jackpot", None), ("match", "match"), ("tournament", "tournament")):
        _pool_theory(conn, game, kind, acc)
    rows = []
    for (game, token), totals in sorted(exact.items()):
        wagered, paid = totals["wagered"], totals["paid"]
        observed = paid / wagered if wagered else None
        stats = acc.get((game, token), {})
        theoretical = stats.get("expected", 0.0) / wagered if wagered and "expected" in stats else None
        if game != "dice" and (game, token) in acc:
            theoretical = stats.get("ratio")
        sigma = math.sqrt(stats.get("variance", 0.0))
        half = z * sigma / wagered if wagered else None
        z_score = (paid - stats["expected"]) / sigma if game == "dice" and sigma > 0 else None
        low = None if observed is None or half is None else observed - half
        high = None if observed is None or half is None else observed + half
        consistent = None
        if theoretical is not None and low is not None and high is not None:
            consistent = low - 1e-9 <= theoretical <= high + 1e-9
        rows.append(
            models.RtpRow(
                game=game,
                token=token,
                token_symbol=symbols.get(token),
                bets=int(totals["bets"]),
                wagered=str(wagered),
                paid_out=str(paid),
                observed_rtp=observed,
                theoretical_rtp=theoretical,
                ci_low=low,
                ci_high=high,
                confidence=confidence,
                z_score=z_score,
                consistent=consistent,
            )
        )
    return models.Rtp(confidence=confidence, rows=rows)


def _pool_theory(conn: Connection, game: str, kind: str | None, acc: dict[tuple[str, str], dict[str, float]]) -> None:
    """Pool games: theoretical RTP = Σ (what the rules return to players) / Σ stakes of the
    settled pools, i.e. 1 − rake per pool (rolled-over prizes excluded)."""
    if game == "jackpot":
        t = schema.jackpot_rounds
        rows = conn.execute(
            select(t.c.token, t.c.pot, t.c.details).where(t.c.status.in_(("drawn", "claimed", "rolled_over")))
        ).all()
        per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for token, pot, details in rows:
            info = ujson.loads(details)
            sold = pot - int(info.get("rolledIn", 0))
            per[token][0] += sold
            per[token][1] += sold - sold * int(info["rakeBps"]) // 10_000
        for token, (sold, returned) in per.items():
            if sold:
                acc[(game, token)]["ratio"] = returned / sold
        return
    t = schema.matches
    games = conn.execute(
        select(t.c.token, t.c.entry, t.c.players, t.c.details).where(t.c.kind == kind, t.c.status == "settled")
    ).all()
    per = defaultdict(lambda: [0, 0])
    for token, entry, players, details in games:
        total = int(entry or 0) * len(ujson.loads(players))
        per[token][0] += total
        per[token][1] += total - total * int(ujson.loads(details)["rakeBps"]) // 10_000
    for token, (total, returned) in per.items():
        if total:
            acc[(game, token)]["ratio"] = returned / total


# --------------------------------------------------------------------------------- anomalies
def first_uid_at(conn: Connection, since: int) -> int:
    """A uid bound splitting the log at unix time `since`: events with uid >= the bound are at
    or after it, the others before. Block times never decrease along the chain, so a binary
    search over uids finds it with a few index lookups."""
    e = schema.events
    low = conn.execute(select(func.min(e.c.uid))).scalar()
    high = conn.execute(select(func.max(e.c.uid))).scalar()
    if low is None or high is None:
        return 0
    high += 1
    while low < high:
        middle = (low + high) // 2
        row = conn.execute(select(e.c.uid, e.c.block_time).where(e.c.uid >= middle).order_by(e.c.uid).limit(1)).first()
        if row is None or row.block_time >= since:
            high = middle
        else:
            low = row.uid + 1
    return int(low)


def anomalies(
    conn: Connection,
    *,
    now: int,
    window: int,
    max_bets: int,
    withdrawal_share: float,
    funding_min_players: int,
    tx_senders: Any,
    platform_addresses: set[str],
) -> models.Anomalies:
    """Velocity and funding flags over the last `window` seconds of indexed activity:
    - bet_velocity: an address placing more than `max_bets` bets within any `window`;
    - large_withdrawal: a withdrawal larger than `withdrawal_share` of everything withdrawn of
      that token in the window (and the address's own deposits in it);
    - common_funding: one address paying Vault deposits for, or sending tokens (ERC-20 Transfer
      events of indexed tokens) to, at least `funding_min_players` distinct players."""
    since = now - window
    first_uid = first_uid_at(conn, since)
    items: list[models.Anomaly] = []
    bets = schema.bets
    counts: dict[str, list[int]] = defaultdict(list)
    for player, placed in conn.execute(
        select(bets.c.player, bets.c.placed_time).where(bets.c.placed_uid >= first_uid).order_by(bets.c.placed_uid)
    ):
        counts[player].append(placed)
    for player, stamps in counts.items():
        if len(stamps) > max_bets:
            items.append(
                models.Anomaly(
                    kind="bet_velocity",
                    address=player,
                    detail=f"{len(stamps)} bets within {window} s",
                    window_start=stamps[0],
                    count=len(stamps),
                )
            )
    e = schema.events
    movements = conn.execute(
        select(e.c.event, e.c.args, e.c.tx_hash, e.c.contract).where(
            e.c.uid >= first_uid, e.c.event.in_(("Withdrawn", "Deposited", "Transfer"))
        )
    ).all()
    withdrawn_total: dict[str, int] = defaultdict(int)
    withdrawals: list[tuple[str, str, int]] = []
    deposits: list[tuple[str, str, int, str]] = []
    transfers: dict[str, set[str]] = defaultdict(set)
    for event, args_json, tx, contract in movements:
        args = ujson.loads(args_json)
        if contract == "Vault" and event == "Withdrawn":
            withdrawn_total[args["token"]] += int(args["amount"])
            withdrawals.append((args["player"], args["token"], int(args["amount"])))
        elif contract == "Vault" and event == "Deposited":
            deposits.append((args["player"], args["token"], int(args["amount"]), tx))
        elif event == "Transfer" and "from" in args and "to" in args:
            source, target = str(args["from"]), str(args["to"])
            if source not in platform_addresses and target not in platform_addresses and int(source, 16) != 0:
                transfers[source].add(target)
    for player, token, amount in withdrawals:
        total = withdrawn_total[token]
        if len(withdrawals) > 1 and total and amount > withdrawal_share * total:
            items.append(
                models.Anomaly(
                    kind="large_withdrawal",
                    address=player,
                    detail=f"withdrew {amount} of token {token}: {amount * 100 // total}% of the window's withdrawals",
                    amount=str(amount),
                    related=[token],
                )
            )
    payers: dict[str, set[str]] = defaultdict(set)
    senders = tx_senders(sorted({tx for *_, tx in deposits}))
    for player, _token, _amount, tx in deposits:
        sender = senders.get(tx)
        if sender and sender.lower() != player.lower():
            payers[sender].add(player)
    for source, targets in list(payers.items()) + list(transfers.items()):
        if len(targets) >= funding_min_players:
            items.append(
                models.Anomaly(
                    kind="common_funding",
                    address=source,
                    detail=f"funded {len(targets)} distinct players",
                    count=len(targets),
                    related=sorted(targets),
                )
            )
    return models.Anomalies(window_seconds=window, items=items)


def block_of(uid: int | None) -> int | None:
    return None if uid is None else uid_position(uid)[0]
