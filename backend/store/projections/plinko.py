"""Plinko bets: the weighted games' projections (backend.store.projections.weighted): the chance
engine's, plus the configurations and each bet's table."""

from __future__ import annotations

from backend.store.projections.weighted import weighted_projections
from fairstake.games.plinko import GAME

PROJECTIONS = weighted_projections(GAME)
