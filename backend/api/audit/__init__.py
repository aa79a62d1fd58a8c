"""Auditor views, split by concern: the tamper-evident export (export), the per-bet
re-verification (bets), proof of reserves and the oracle bonds (solvency), RTP and anomaly
detection (statistics). They read the store (and, for reserves, the chain)."""

from backend.api.audit.bets import audit_bet, verify_randomness
from backend.api.audit.export import CSV_COLUMNS, chained_lines, export_lines, stream_rows, verify_export
from backend.api.audit.solvency import bonds, reservation_model, solvency, summary
from backend.api.audit.statistics import anomalies, rtp

__all__ = [
    "CSV_COLUMNS",
    "anomalies",
    "audit_bet",
    "bonds",
    "chained_lines",
    "export_lines",
    "reservation_model",
    "rtp",
    "solvency",
    "stream_rows",
    "summary",
    "verify_export",
    "verify_randomness",
]
