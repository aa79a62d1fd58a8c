"""Match: entries as bets, a signed ranking splits the pot (shared lifecycle: skill.py)."""

from __future__ import annotations

from backend.store.events import Event
from backend.store.projections import Projections
from backend.store.projections.skill import entry_key, on_game, set_status, skill_game
from backend.store.state import BatchState, Row

MATCH = "Match"
# an entry is a bet; the match's later events concern all its entries
PROJECTIONS = Projections(
    bet_key=lambda event, args: entry_key("match", args["matchId"], args["seat"]) if event == "PlayerJoined" else None
)

skill_game(
    PROJECTIONS, MATCH, "matchId", "entry", ("maxPlayers", "shares", "deadline"), "PlayerJoined", "seat", "ranking"
)


@on_game(PROJECTIONS, MATCH, "MatchFull", "matchId")
def match_full(e: Event, state: BatchState, game: Row) -> None:
    set_status(game, e, state, "full")
