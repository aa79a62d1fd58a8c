"""The bet audit: the facts of one bet read from the indexed rows (its request, proof, lock,
reservation, round or pool), handed to the audit policy (fairstake.audit for the games,
oracle.audit for the proof); each comparison of what the chain recorded with what the policy
recomputes is a check."""

from __future__ import annotations

from collections.abc import Callable
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


def _check(name: str, chain: Any, recomputed: Any, detail: str | None = None) -> models.Check:
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
    checks.append(
        _check("seed", str(request["seed"]), str(expected_seed), "keccak(preSeed ‖ blockhash(request block))")
    )
    checks.append(_check("proof_seed", str(proof.seed), str(expected_seed)))
    checks.append(_check("key", request["key_hash"], verdict.proof_key_hash))
    checks.append(
        models.Check(
            name="proof_valid", ok=output is not None, detail=verdict.reason or "ECVRF proof verifies (oracle.ecvrf)"
        )
    )
    checks.append(_check("output", str(request["output"]), None if output is None else str(output)))
    words = verdict.words
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


def audit_bet(conn: Connection, bet: RowLike, symbols: dict[str, str]) -> models.BetAudit:
    game = bet["game"]
    details = ujson.loads(bet["details"])
    checks: list[models.Check] = []
    recomputed: dict[str, Any] = {}
    chain: dict[str, Any] = {"status": bet["status"], "payout": None if bet["payout"] is None else str(bet["payout"])}
    verification = None
    request = bet_audit(game)(conn, bet, details, checks, recomputed, chain)
    if "verification" in recomputed:
        verification = recomputed.pop("verification")
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
    lock = _vault_lock(conn, bet["lock_id"])
    chain["vault_paid"] = None if lock is None or lock["payout"] is None else str(lock["payout"])
    chain.update({k: details.get(k) for k in ("word", "roll", "won")})
    edge = details.get("edgeBps")
    stake, target = bet["stake"], int(details["target"])
    if edge is not None:
        has_fee = lock is not None and lock["fee"] is not None
        fee_bps = _fee_bps_before(conn, lock["created_uid"]) if lock is not None and has_fee else None
        terms = policy.dice_terms(stake, target, int(edge), fee_bps)
        checks.append(_check("payout_if_win", str(bet["max_payout"]), str(terms.payout_if_win)))
        if lock is not None and has_fee:
            fee = terms.protocol_fee
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
    outcome = policy.dice_outcome(word, stake, target, int(edge))
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
    reservation = reservation_row(conn, bet["request_id"])
    chain["refunded"] = None if lock is None or lock["status"] != "refunded" else str(lock["payout"])
    # the Vault's deadline backstop refunded the lock in an earlier transaction than the unwinding
    backstop = (
        lock is not None and lock["closed_uid"] is not None and _tx_of(conn, lock["closed_uid"]) != bet["settled_tx"]
    )
    checks.append(_check("refund", chain["refunded"], str(stake), "the Vault lock refunded: the stake back"))
    status = None if request is None else request["status"]
    if request is not None and status == "fulfilled":
        failed = policy.dice_timeout(stake, win, bet["player"], expired=False, backstop=backstop)
        recomputed["payout"] = str(failed.payout)
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
    checks.append(
        _check("bond_slashed", "slashed" if slashed else chain["bond"] and chain["bond"]["status"], "slashed")
    )
    if slashed and reservation is not None:
        slash = expired.slash
        amount = str(slash.beneficiary_amount)
        checks.append(_check("bond_pays_player", chain["bond"]["beneficiary_amount"], amount, "W - stake"))
        checks.append(_check("bond_beneficiary", reservation["beneficiary"], slash.beneficiary))
        checks.append(_check("bond_pays_bankroll", chain["bond"]["residual"], str(slash.residual), "the stake"))
        checks.append(_check("bond_to_bankroll", bool(reservation["residual_to_bankroll"]), slash.residual_to_bankroll))
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
    summary, randomness_checks, words = verify_randomness(conn, request)
    checks.extend(randomness_checks)
    recomputed["verification"] = summary
    if not words:
        return
    stake = bet["stake"]
    outcome = policy.dice_outcome(words[0], stake, int(ujson.loads(bet["details"])["target"]), edge)
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
    rolled_in = int(info.get("rolledIn", 0))
    draw = policy.jackpot_draw(words[0], ends, round_["pot"], int(info["rakeBps"]), rolled_in)
    ticket, prize, rake = draw.ticket, draw.prize, draw.rake
    winner = purchases[draw.winner_index]["player"]
    holds = purchases[draw.winner_index]["bet_key"] == bet["bet_key"]
    recomputed.update(winning_ticket=ticket, winner=winner, prize=str(prize), rake=str(rake), this_purchase_wins=holds)
    chain.update(winning_ticket=info.get("winningTicket"), winner=round_["winner"], prize=optional_str(round_["prize"]))
    checks.append(
        _check("winning_ticket", None if info.get("winningTicket") is None else int(info["winningTicket"]), ticket)
    )
    checks.append(_check("winner", round_["winner"], winner))
    checks.append(_check("prize", optional_str(round_["prize"]), str(prize)))
    checks.append(_check("rake", info.get("rake"), str(rake)))
    checks.append(_check("status", bet["status"], "won" if holds else "lost"))
    if holds and round_["status"] == "claimed":
        pool_id = int(info["poolId"])
        paid = _pool_paid(conn, pool_id, winner)
        chain["vault_paid"] = optional_str(paid)
        checks.append(_check("vault_paid", optional_str(paid), str(prize)))


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
    refunded = sorted(
        (i for i, p in enumerate(purchases) if p["status"] == "refunded"),
        key=lambda i: (
            purchases[i]["settled_uid"] or 0,
            int(ujson.loads(purchases[i]["details"]).get("purchaseIndex", 0)),
        ),
    )
    mine = next(i for i, p in enumerate(purchases) if p["bet_key"] == bet["bet_key"])
    return policy.compensation_shares(total, [p["stake"] for p in purchases], refunded)[mine]


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
            _check("refund", chain["payout"] if bet["status"] == "refunded" else str(bet["stake"]), str(bet["stake"]))
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
    paid = _pool_paid(conn, int(info["poolId"]), bet["player"])
    recomputed.update(ranking=ranking, payout=str(mine))
    chain["vault_paid"] = optional_str(paid)
    checks.append(_check("payout", chain["payout"], str(mine)))
    checks.append(_check("vault_paid", optional_str(paid or 0), str(mine)))


# ------------------------------------------------------------------------ one audit per game
# (conn, bet, its details, checks, recomputed, chain) -> the randomness request the bet used, if any
BetAudit = Callable[
    [Connection, RowLike, dict[str, Any], list[models.Check], dict[str, Any], dict[str, Any]], RowMapping | None
]


def dice_bet(
    conn: Connection,
    bet: RowLike,
    details: dict[str, Any],
    checks: list[models.Check],
    recomputed: dict[str, Any],
    chain: dict[str, Any],
) -> RowMapping | None:
    request = _request(conn, bet["request_id"])
    _audit_dice(conn, bet, details, request, checks, recomputed, chain)
    return request


def jackpot_bet(
    conn: Connection,
    bet: RowLike,
    details: dict[str, Any],
    checks: list[models.Check],
    recomputed: dict[str, Any],
    chain: dict[str, Any],
) -> RowMapping | None:
    request = _jackpot_request(conn, bet["game_ref"])
    _audit_jackpot(conn, bet, details, request, checks, recomputed, chain)
    return request


def skill_bet(
    conn: Connection,
    bet: RowLike,
    details: dict[str, Any],
    checks: list[models.Check],
    recomputed: dict[str, Any],
    chain: dict[str, Any],
) -> RowMapping | None:
    _audit_skill(conn, bet, checks, recomputed, chain)
    return None


# Where each registered game's bet audit is: BET_AUDIT of backend.api.audit.games.<name>.
GAME_PARTS = "backend.api.audit.games"


def bet_audit(game: str) -> BetAudit:
    """The bet audit of the registered game `game`, found by its name (fairstake.games.GAMES)."""
    found: BetAudit = part(by_name(game), GAME_PARTS, "BET_AUDIT")
    return found
