"""Tournament: entries as bets, signed places take the prizes (shared lifecycle: skill.py)."""

from __future__ import annotations

from backend.store.projections import Projections
from backend.store.projections.skill import entry_key, skill_game

TOURNAMENT = "Tournament"
# an entry is a bet; the tournament's later events concern all its entries
PROJECTIONS = Projections(
    bet_key=lambda event, args: (
        entry_key("tournament", args["tournamentId"], args["index"]) if event == "Entered" else None
    )
)

skill_game(
    PROJECTIONS,
    TOURNAMENT,
    "tournamentId",
    "entryFee",
    ("maxEntrants", "prizes", "registrationDeadline", "resultDeadline"),
    "Entered",
    "index",
    "winners",
)
