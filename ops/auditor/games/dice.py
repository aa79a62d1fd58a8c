"""Dice in the chain-only auditor."""

from __future__ import annotations

from ops.auditor.audits import GameAudit, audit_dice

AUDIT: GameAudit = audit_dice
