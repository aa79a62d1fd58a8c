"""Plinko in the audit API: the weighted games' bet audit and RTP theory (backend.api.audit.weighted)."""

from __future__ import annotations

from backend.api.audit.bets import BetAudit
from backend.api.audit.statistics import BetTheory
from backend.api.audit.weighted import weighted_bet_audit, weighted_theory
from fairstake.games.plinko import GAME

BET_AUDIT: BetAudit = weighted_bet_audit(GAME)
THEORY: BetTheory = weighted_theory(GAME)
