"""Match in the audit API: the ranked-payout audit of a skill game, and the pool's return."""

from __future__ import annotations

from backend.api.audit.bets import BetAudit, skill_bet
from backend.api.audit.statistics import PoolTheory, skill_theory

BET_AUDIT: BetAudit = skill_bet
THEORY: PoolTheory = skill_theory
