"""Roulette bets: the chance-game engine's projections (backend.store.projections.chance)."""

from __future__ import annotations

from backend.store.projections.chance import chance_projections
from fairstake.games.roulette import GAME

PROJECTIONS = chance_projections(GAME)
