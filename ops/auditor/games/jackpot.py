"""Jackpot in the chain-only auditor."""

from __future__ import annotations

from ops.auditor.audits import GameAudit, audit_jackpot

AUDIT: GameAudit = audit_jackpot
