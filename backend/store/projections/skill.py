"""Skill and player-protection projections (Match, Tournament, PlayerRegistry)."""
