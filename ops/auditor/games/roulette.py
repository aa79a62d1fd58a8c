"""Roulette in the chain-only auditor: the chance-game engine's audit (ops.auditor.chance) with
Roulette's rules."""

from __future__ import annotations

from fairstake.games.roulette import GAME
from ops.auditor.audits import GameAudit
from ops.auditor.chance import chance_audit

AUDIT: GameAudit = chance_audit(GAME)
