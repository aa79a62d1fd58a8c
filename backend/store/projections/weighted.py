"""The weighted-multiplier games (Wheel, Plinko) in the indexer: the chance engine's projections
(backend.store.projections.chance) plus their configurations. `ConfigAdded` stores a table as the
setting `config:<id>` (weights, multipliers, risk; immutable once added) and `ConfigEnabled` its
state; each bet's details get its table's weights and multipliers next to its `configId`, so the
audit and the RTP theory read a bet's rules from the bet alone. A game's module is
`PROJECTIONS = weighted_projections(GAME)`."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

import ujson

from backend.store.events import Event
from backend.store.projections import Projections, put_setting
from backend.store.projections.chance import chance_projections, peeked_choice
from backend.store.state import BatchState
from fairstake.games import Game
from fairstake.rules import weighted


def config_key(config_id: int) -> str:
    return f"config:{config_id}"


def weighted_projections(game: Game) -> Projections:
    """The indexer's projections of `game`, a weighted-multiplier game on the chance engine."""
    projections = chance_projections(game)
    contract, name = game.contract, game.name

    @projections.on(contract, "ConfigAdded")
    def config_added(e: Event, state: BatchState) -> None:
        a = e.args
        table = {
            "weights": list(a["weights"]),
            "multipliers": list(a["multipliers"]),
            "risk": a["risk"],
            "enabled": True,
        }
        put_setting(state, contract, config_key(a["configId"]), table, e.uid)

    @projections.on(
        contract, "ConfigEnabled", hints=lambda e, s: [("settings", (contract, config_key(e.args["configId"])))]
    )
    def config_enabled(e: Event, state: BatchState) -> None:
        row = state.get("settings", contract, config_key(e.args["configId"]))
        if row is not None:
            table = ujson.loads(row["value"])
            put_setting(state, contract, config_key(e.args["configId"]), {**table, "enabled": e.args["enabled"]}, e.uid)

    def table_hints(e: Event, state: BatchState) -> list[tuple[str, tuple[Any, ...]]]:
        hints: list[tuple[str, tuple[Any, ...]]] = [("bets", (f"{name}:{e.args['betId']}",))]
        choice = peeked_choice(state, int(e.args["betId"]))
        with suppress(ValueError):  # a choice the rules refuse has no configuration (the audit says so)
            if choice is not None:
                hints.append(("settings", (contract, config_key(weighted.decode_choice(choice)))))
        return hints

    # runs after the engine's BetPlaced projection (handlers run in registration order)
    @projections.on(contract, "BetPlaced", hints=table_hints, peeks=True)
    def bet_table(e: Event, state: BatchState) -> None:
        bet = state.get("bets", f"{name}:{e.args['betId']}")
        details = {} if bet is None else ujson.loads(bet["details"])
        if bet is None or "configId" not in details:
            return
        row = state.get("settings", contract, config_key(int(details["configId"])))
        if row is None:
            return  # the contract accepted a configuration nobody added: the audit says so
        table = ujson.loads(row["value"])
        details.update(weights=table["weights"], multipliers=table["multipliers"])
        bet["details"] = ujson.dumps(details)
        state.put("bets", bet)

    return projections


def table_of(details: dict[str, Any]) -> weighted.Tables:
    """The rules of a bet from its indexed details (its configuration's weights and multipliers)."""
    config = weighted.WeightedConfig(
        tuple(int(w) for w in details["weights"]), tuple(int(m) for m in details["multipliers"])
    )
    return weighted.Tables({int(details["configId"]): config})
