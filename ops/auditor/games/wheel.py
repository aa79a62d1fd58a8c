"""Wheel in the chain-only auditor: the weighted games' audit (ops.auditor.weighted)."""

from __future__ import annotations

from fairstake.games.wheel import GAME
from ops.auditor.audits import GameAudit
from ops.auditor.weighted import weighted_audit

AUDIT: GameAudit = weighted_audit(GAME)
