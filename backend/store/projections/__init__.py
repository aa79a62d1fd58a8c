"""Projection rules: how each platform event changes the read-model tables.

Handlers are declared per (manifest contract name, event name) in a `Projections` set of their
module, and `registry()` assembles them explicitly, never by import side effects: the platform's
own contracts (`CORE`: vault, randomness, protection) and every registered game's module,
`backend.store.projections.<game name>` (fairstake.games.GAMES). They run in chain order inside
the ingester's batch transaction, through a `BatchState` (bulk-loaded, written back once).
Optional hints name the rows a handler will touch so a whole batch's rows load in a few queries.

Reorg strategy (documented in backend/README.md): projections change only through these
handlers, so (a) for unfinalized batches the pre-batch value of every changed row is kept as an
undo record and a reorg restores them in reverse order, and (b) when a reorg goes deeper than
the undo window, projections are rebuilt from the raw event log, which is itself keyed by block.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ujson
from sqlalchemy import Boolean, Integer, Text

from backend.store.events import Event, to_json_value
from backend.store.schema import TABLES_BY_NAME, U256
from backend.store.state import PK, BatchState, Row
from fairstake.games import GAMES, Game, part

Handler = Callable[[Event, BatchState], None]
Hints = Callable[[Event, BatchState], Iterable[tuple[str, PK]]]
# (event name, event args) -> the `bets` key ("dice:17") of the one bet the event concerns, or None
BetKey = Callable[[str, dict[str, Any]], str | None]


@dataclass(frozen=True)
class Projection:
    contract: str
    event: str
    apply: Handler
    hints: Hints | None
    peeks: bool  # hints read rows other hints load (state.peek): they run again in a second round


class Projections:
    """The projections of one module: `on` registers a handler, `setting` a configuration
    event stored as a setting. A module holds one set; `registry()` collects the sets. A game's
    set also says which bet an event of its contract concerns (`bet_key`: the key its handlers
    store the bet under, which the live feed shows)."""

    def __init__(self, bet_key: BetKey | None = None) -> None:
        self.items: list[Projection] = []
        self.bet_key = bet_key

    def on(
        self, contract: str, event: str, hints: Hints | None = None, *, peeks: bool = False
    ) -> Callable[[Handler], Handler]:
        """Register `fn` as the projection of `event` emitted by manifest contract `contract`."""

        def register(fn: Handler) -> Handler:
            self.items.append(Projection(contract, event, fn, hints, peeks))
            return fn

        return register

    def setting(self, contract: str, event: str, key: str, arg: str, keyed_by: str | None = None) -> None:
        """Store `event`'s `arg` as setting `key` (or `key:<keyed_by arg>`)."""

        def handler(e: Event, state: BatchState) -> None:
            name = f"{key}:{e.args[keyed_by]}" if keyed_by else key
            put_setting(state, contract, name, e.args[arg], e.uid)

        self.on(contract, event)(handler)

    def events(self) -> set[tuple[str, str]]:
        return {(p.contract, p.event) for p in self.items}


def _default(column: Any) -> Any:
    if column.nullable:
        return None
    if isinstance(column.type, U256):
        return 0
    if isinstance(column.type, Boolean):
        return False
    if isinstance(column.type, Text):
        return "{}" if column.name in ("details",) else "[]" if column.name == "players" else ""
    if isinstance(column.type, Integer):  # BigInteger is an Integer
        return 0
    return ""


_TEMPLATES: dict[str, Row] = {}


def new_row(table: str, **values: Any) -> Row:
    """A complete row of `table`: the given values, every other column at its neutral default."""
    template = _TEMPLATES.get(table)
    if template is None:
        template = _TEMPLATES[table] = {c.name: _default(c) for c in TABLES_BY_NAME[table].columns}
    if not values.keys() <= template.keys():
        raise KeyError(f"{table} has no column {sorted(values.keys() - template.keys())[0]!r}")
    return {**template, **values}


def from_args(args: Mapping[str, Any], names: str) -> dict[str, Any]:
    """The event arguments `names` (space-separated) under the columns they fill, named alike in
    snake_case (requestId -> request_id)."""
    return {re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower(): args[name] for name in names.split()}


def put_new(state: BatchState, table: str, **values: Any) -> Row:
    """Store a new row of `table` (`new_row` of `values`). A row already stored under its key
    is replaced; `BatchState.put` loads it first, so the batch's undo record restores it."""
    row = new_row(table, **values)
    state.put(table, row)
    return row


def get_or_new(state: BatchState, table: str, key: PK, **defaults: Any) -> Row:
    """The row with primary key `key`, or a new one (not yet stored) with `defaults` filled in."""
    row = state.get(table, *key)
    if row is None:
        cols = state.pk_columns(table)
        row = new_row(table, **dict(zip(cols, key, strict=True)), **defaults)
    return row


def put_setting(state: BatchState, contract: str, key: str, value: object, uid: int) -> None:
    """Record the latest value of a configuration item as JSON (ints as decimal strings)."""
    row = get_or_new(state, "settings", (contract, key))
    row["value"] = ujson.dumps(to_json_value(value))
    row["updated_uid"] = uid
    state.put("settings", row)


def apply_events(events: Sequence[Event], state: BatchState) -> None:
    """Run every registered projection over `events` (in order), prefetching hinted rows."""
    by_event = registry()
    relevant = [(e, handlers) for e in events if (handlers := by_event.get((e.contract, e.name)))]
    # Two hint rounds: the second reruns the hints that can see rows the first loaded
    # (e.g. a lock's token, to name the balance a settlement credits).
    for second_round in (False, True):
        wanted: dict[str, set[PK]] = defaultdict(set)
        for event, handlers in relevant:
            for projection in handlers:
                if projection.hints is not None and (projection.peeks or not second_round):
                    for table, pk in projection.hints(event, state):
                        wanted[table].add(pk)
        for table, pks in wanted.items():
            state.prefetch(table, pks)
    for event, handlers in relevant:
        for projection in handlers:
            projection.apply(event, state)


# The projections of the platform's own contracts; each game's are found by its name.
CORE = ("vault", "randomness", "protection")


def game_projections(game: Game) -> Projections:
    """The projections of a registered game: `PROJECTIONS` of backend.store.projections.<name>."""
    found = part(game, __name__, "PROJECTIONS")
    if not isinstance(found, Projections):
        raise LookupError(f"{__name__}.{game.name} declares no PROJECTIONS (a Projections set) for game {game.name!r}")
    return found


@functools.cache
def registry() -> dict[tuple[str, str], list[Projection]]:
    """Every projection by (contract, event): the core modules' and each game's, in that order."""
    sets = [importlib.import_module(f"{__name__}.{name}").PROJECTIONS for name in CORE]
    sets += [game_projections(game) for game in GAMES]
    by_event: dict[tuple[str, str], list[Projection]] = {}
    for projections in sets:
        for projection in projections.items:
            by_event.setdefault((projection.contract, projection.event), []).append(projection)
    return by_event
