"""Match in the chain-only auditor: the ranked payouts of every settled match."""

from __future__ import annotations

from typing import Any

from fairstake import audit as policy
from ops.auditor.audits import (
    GameAudit,
    audit_ranked,
)
from ops.auditor.reader import AuditReport, ChainReader, VerifiedRandomness


def _match_payouts(reader: ChainReader, info: Any, game_id: int, ranking: list[str]) -> tuple[dict[str, int], int]:
    shares = [int(s) for s in info.shares]
    payouts = policy.pool_payouts("match", int(info.entry), int(info.rakeBps), shares, len(ranking), ranking)
    return payouts, int(info.entry) * len(ranking)


def audit_match(reader: ChainReader, report: AuditReport, verified: dict[int, VerifiedRandomness]) -> None:
    if reader.has("Match"):
        audit_ranked(reader, report, "Match", "MatchCreated", "MatchSettled", "matchId", "ranking", _match_payouts)


AUDIT: GameAudit = audit_match
