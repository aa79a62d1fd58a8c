"""The bet audit: the facts of one bet read from the indexed rows (its request, proof, lock,
reservation, round or pool), handed to the audit policy (fairstake.audit for the games,
oracle.audit for the proof); each comparison of what the chain recorded with what the policy
recomputes is a check. Each game's reader is in its module of backend.api.audit.games
(BET_AUDIT), found by the bet's game; this module holds what they share, and the skill games'
ranked-payout audit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ujson
from sqlalchemy import select
from sqlalchemy.engine import Connection, RowMapping

from backend.api import models
from backend.api.audit.solvency import optional_str, reservation_models, reservation_row
from backend.api.queries import RowLike, bet_model, row_by_key
from backend.store import schema
from fairstake import audit as policy
from fairstake.games import by_name, part
from oracle.audit import verify_fulfilment
from oracle.proof import MalformedProof, Proof


def check(name: str, chain: Any, recomputed: Any, detail: str | None = None) -> models.Check:
    return models.Check(name=name, ok=chain == recomputed, chain=chain, recomputed=recomputed, detail=detail)


def _request_block_hash(conn: Connection, request: RowMapping) -> str | None:
    e = schema.events
    row = conn.execute(select(e.c.block_hash).where(e.c.uid == request["requested_uid"])).first()
    return None if row is None else str(row[0])


def verify_randomness(conn: Connection, request: RowMapping) -> tuple[dict[str, Any], list[models.Check], list[int]]:
    """Independently re-verify a fulfilled request: the seed from preSeed and the request
    block's hash, the proof's key against the requested key hash, the ECVRF proof itself
    (oracle.ecvrf), and the output the coordinator reported, by the randomness policy
    (oracle.audit). Returns (summary, checks, words)."""
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
    verdict = verify_fulfilment(
        proof, request["pre_seed"], bytes.fromhex(block_hash[2:]) if block_hash else None, request["num_words"]
    )
    expected_seed, output = verdict.expected_seed, verdict.output
    checks.append(check("seed", str(request["seed"]), str(expected_seed), "keccak(preSeed ‖ blockhash(request block))"))
    checks.append(check("proof_seed", str(proof.seed), str(expected_seed)))
    checks.append(check("key", request["key_hash"], verdict.proof_key_hash))
    checks.append(
        models.Check(
            name="proof_valid", ok=output is not None, detail=verdict.reason or "ECVRF proof verifies (oracle.ecvrf)"
        )
    )
    checks.append(check("output", str(request["output"]), None if output is None else str(output)))
    words = verdict.words
    summary = {
        "request_block_hash": block_hash,
        "seed": None if expected_seed is None else str(expected_seed),
        "output": None if output is None else str(output),
        "words": [str(w) for w in words],
    }
    return summary, checks, words


def verified_words(
    conn: Connection,
    request: RowMapping | None,
    checks: list[models.Check],
    recomputed: dict[str, Any],
    missing: str = "no randomness request indexed for this bet",
) -> list[int]:
    """The words of a bet's request once its proof is re-verified (`verify_randomness`), its checks
    and summary written into the audit; [] when there is no request (a failed `request` check) or
    nothing verified."""
    if request is None:
        checks.append(models.Check(name="request", ok=False, detail=missing))
        return []
    summary, randomness_checks, words = verify_randomness(conn, request)
    checks.extend(randomness_checks)
    recomputed["verification"] = summary
    return words


def request_by_id(conn: Connection, request_id: int | None) -> RowMapping | None:
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
        "callback_gas_limit": request["callback_gas_limit"],
        # the consumer's word committed with the request (null: indexed before it was recorded)
        "data": request["data"],
        "status": request["status"],
        "callback_success": request["callback_success"],
        "request_tx": request["request_tx"],
        "fulfil_tx": request["resolve_tx"],
    }


def audit_bet(conn: Connection, bet: RowLike, symbols: dict[str, str]) -> models.BetAudit:
    game = bet["game"]
    audit = BetUnderAudit(bet, ujson.loads(bet["details"]))
    checks, recomputed, chain = audit.checks, audit.recomputed, audit.chain
    request = bet_audit(game)(conn, audit)
    verification = recomputed.pop("verification", None)
    reservation = None if request is None else reservation_row(conn, request["request_id"])
    return models.BetAudit(
        bet=bet_model(bet, symbols),
        request=_request_json(request),
        reservation=None if reservation is None else reservation_models(conn, [reservation], symbols)[0],
        proof=None if request is None or request["proof"] is None else ujson.loads(request["proof"]),
        verification=verification,
        recomputed=recomputed,
        chain=chain,
        checks=checks,
        ok=bool(checks) and all(c.ok for c in checks),
    )


def vault_lock(conn: Connection, lock_id: int | None) -> RowMapping | None:
    return None if lock_id is None else row_by_key(conn, schema.locks, lock_id)


def pool_paid(conn: Connection, pool_id: int, player: str) -> int | None:
    t = schema.pool_payments
    row = conn.execute(select(t.c.amount).where(t.c.pool_id == pool_id, t.c.player == player)).first()
    return None if row is None else int(row[0])


def _audit_skill(
    conn: Connection, bet: RowLike, checks: list[models.Check], recomputed: dict[str, Any], chain: dict[str, Any]
) -> None:
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
            check("refund", chain["payout"] if bet["status"] == "refunded" else str(bet["stake"]), str(bet["stake"]))
        )
        return
    ranking = list(info.get("ranking", []))
    players = ujson.loads(game["players"])
    try:
        table = [int(s) for s in info["shares" if bet["game"] == "match" else "prizes"]]
        expected = policy.pool_payouts(
            bet["game"], int(game["entry"]), int(info["rakeBps"]), table, len(players), ranking
        )
    except ValueError as exc:
        checks.append(models.Check(name="result_valid", ok=False, detail=f"the result breaks the rules: {exc}"))
        return
    mine = expected.get(bet["player"], 0)
    paid = pool_paid(conn, int(info["poolId"]), bet["player"])
    recomputed.update(ranking=ranking, payout=str(mine))
    chain["vault_paid"] = optional_str(paid)
    checks.append(check("payout", chain["payout"], str(mine)))
    checks.append(check("vault_paid", optional_str(paid or 0), str(mine)))


# ------------------------------------------------------------------------ one audit per game
@dataclass
class BetUnderAudit:
    """A bet as indexed (its row and decoded details) and what its game's audit writes: the
    checks, the values recomputed by the rules, and what the chain recorded."""

    bet: RowLike
    details: dict[str, Any]
    checks: list[models.Check] = field(default_factory=list)
    recomputed: dict[str, Any] = field(default_factory=dict)
    chain: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        payout = self.bet["payout"]
        self.chain.setdefault("status", self.bet["status"])
        self.chain.setdefault("payout", None if payout is None else str(payout))


# (conn, the bet under audit) -> the randomness request the bet used, if any
BetAudit = Callable[[Connection, BetUnderAudit], RowMapping | None]


def skill_bet(conn: Connection, audit: BetUnderAudit) -> RowMapping | None:
    _audit_skill(conn, audit.bet, audit.checks, audit.recomputed, audit.chain)
    return None


# Where each registered game's bet audit is: BET_AUDIT of backend.api.audit.games.<name>.
GAME_PARTS = "backend.api.audit.games"


def bet_audit(game: str) -> BetAudit:
    """The bet audit of the registered game `game`, found by its name (fairstake.games.GAMES)."""
    found: BetAudit = part(by_name(game), GAME_PARTS, "BET_AUDIT")
    return found
