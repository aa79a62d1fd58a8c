"""Dice in the audit API: the bet audit of one bet against the bankroll, and a per-bet RTP."""

from __future__ import annotations

from backend.api.audit.bets import BetAudit, dice_bet
from backend.api.audit.statistics import BetTheory
from fairstake import audit as policy

BET_AUDIT: BetAudit = dice_bet
THEORY = BetTheory(lambda details: policy.dice_win_probability(int(details["target"])))
