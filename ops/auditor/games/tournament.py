"""Tournament in the chain-only auditor."""

from __future__ import annotations

from ops.auditor.audits import GameAudit, audit_tournament

AUDIT: GameAudit = audit_tournament
