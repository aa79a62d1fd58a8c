"""Keno bets: the chance-game engine's projections (backend.store.projections.chance), Keno's
payout tables as settings (`table:<id>`: its multipliers, `tableEnabled:<id>`), and each bet's
row of its table in its details (`multipliers`), so the RTP theory needs only the bet."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

import ujson

from backend.store.events import Event
from backend.store.projections.chance import chance_projections, choice_bytes, peeked_choice
from backend.store.state import BatchState
from fairstake.games.keno import GAME
from fairstake.rules import keno

PROJECTIONS = chance_projections(GAME)
PROJECTIONS.setting(GAME.contract, "TableAdded", "table", "multipliers", keyed_by="tableId")
PROJECTIONS.setting(GAME.contract, "TableEnabled", "tableEnabled", "enabled", keyed_by="tableId")


def _row_hints(e: Event, state: BatchState) -> list[tuple[str, tuple[Any, ...]]]:
    hints: list[tuple[str, tuple[Any, ...]]] = [("bets", (f"{GAME.name}:{e.args['betId']}",))]
    choice = peeked_choice(state, int(e.args["betId"]))
    with suppress(ValueError):  # a choice the rules refuse has no row to record (the audit says so)
        if choice is not None:
            hints.append(("settings", (GAME.contract, f"table:{keno.decode_choice(choice)[0]}")))
    return hints


@PROJECTIONS.on(GAME.contract, "BetPlaced", hints=_row_hints, peeks=True)
def bet_row(e: Event, state: BatchState) -> None:
    """Runs after the engine's BetPlaced projection, whose row holds the joined choice: adds the
    row of the payout table the bet plays by."""
    bet = state.get("bets", f"{GAME.name}:{e.args['betId']}")
    if bet is None:
        return
    details = ujson.loads(bet["details"])
    try:
        table_id, picks_mask = keno.decode_choice(choice_bytes(details["choice"]))
        picks = keno.pick_count(picks_mask)
    except ValueError:
        return  # a choice the rules refuse has no row to record (the audit says so)
    table = state.get("settings", GAME.contract, f"table:{table_id}")
    if table is None:
        return
    # integers as decimal strings, as place_bet stores every detail
    details["multipliers"] = [str(int(m)) for m in ujson.loads(table["value"])[picks - 1]]
    bet["details"] = ujson.dumps(details)
    state.put("bets", bet)
