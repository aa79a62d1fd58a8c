"""Jackpot in the audit API: a ticket's audit against its round's draw, and the pool's return."""

from __future__ import annotations

from backend.api.audit.bets import BetAudit, jackpot_bet
from backend.api.audit.statistics import PoolTheory, jackpot_theory

BET_AUDIT: BetAudit = jackpot_bet
THEORY: PoolTheory = jackpot_theory
