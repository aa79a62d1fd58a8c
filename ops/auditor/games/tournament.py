"""Tournament in the chain-only auditor: the ranked payouts of every settled tournament."""

from __future__ import annotations

from typing import Any

from fairstake import audit as policy
from ops.auditor.audits import (
    GameAudit,
    audit_ranked,
)
from ops.auditor.reader import AuditReport, ChainReader, VerifiedRandomness


def _tournament_payouts(reader: ChainReader, info: Any, game_id: int, winners: list[str]) -> tuple[dict[str, int], int]:
    entrants = sum(1 for e in reader.events("Tournament", "Entered") if int(e.args.tournamentId) == game_id)
    prizes = [int(p) for p in info.prizes]
    payouts = policy.pool_payouts("tournament", int(info.entryFee), int(info.rakeBps), prizes, entrants, winners)
    return payouts, int(info.entryFee) * entrants


def audit_tournament(reader: ChainReader, report: AuditReport, verified: dict[int, VerifiedRandomness]) -> None:
    if reader.has("Tournament"):
        audit_ranked(
            reader,
            report,
            "Tournament",
            "TournamentCreated",
            "TournamentSettled",
            "tournamentId",
            "winners",
            _tournament_payouts,
        )


AUDIT: GameAudit = audit_tournament
