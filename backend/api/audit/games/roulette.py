"""Roulette in the audit API: the chance-game engine's bet audit and per-roll RTP theory
(backend.api.audit.chance, backend.api.audit.statistics.chance_theory) with Roulette's rules."""

from __future__ import annotations

from backend.api.audit.bets import BetAudit
from backend.api.audit.chance import chance_bet_audit
from backend.api.audit.statistics import BetTheory, chance_theory
from fairstake.games.roulette import GAME

BET_AUDIT: BetAudit = chance_bet_audit(GAME)
THEORY: BetTheory = chance_theory(GAME.rules)
