"""The live feed: one poller per API process follows the store's event log (new uids) and pushes
each new event to every WebSocket subscriber whose filter matches, so clients never poll.
The same poller tells caches (the leaderboard) when the data changed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ujson
from fastapi import WebSocket
from sqlalchemy import Engine, func, select

from backend.api import bet_ids
from backend.store import schema
from backend.store.projections import game_projections
from fairstake.games import GAMES
from fairstake.manifest import Manifest

log = logging.getLogger("fairstake.api.live")

# What game clients want by default: bets placed and settled, rounds drawn, matches settled.
DEFAULT_FEED = frozenset(
    {
        "BetPlaced",
        "BetSettled",
        "BetTimedOut",
        "RoundOpened",
        "TicketsBought",
        "RoundDrawn",
        "PrizeClaimed",
        "MatchCreated",
        "PlayerJoined",
        "MatchSettled",
        "TournamentCreated",
        "Entered",
        "TournamentSettled",
    }
)
MAX_REPLAY = 1_000
_BATCH = 1_000


# Each registered game's answer to "which bet does this event concern?", by contract: the key its
# projections store the bet under (backend.store.projections.<game>).
_BET_KEYS = {game.contract: game_projections(game).bet_key for game in GAMES}


def bet_id_of(contract: str, event: str, args: dict[str, Any]) -> str | None:
    """The /bets id an event concerns, when there is exactly one."""
    key_of = _BET_KEYS.get(contract)
    return None if key_of is None else key_of(event, args)


def message(row: Any) -> dict[str, Any]:
    args = ujson.loads(row.args)
    return {
        "type": "event",
        "uid": str(row.uid),
        "block": row.block_number,
        "time": row.block_time,
        "tx": row.tx_hash,
        "contract": row.contract,
        "event": row.event,
        "args": args,
        "bet_id": bet_id_of(row.contract, row.event, args),
        # the bet an event places, by its readable id (bet_ids); null for every other event
        "readable_id": _readable_id(row.contract, row.event, row.uid),
    }


def filter_problem(since: str | None, contracts: frozenset[str] | None, manifest: Manifest | None) -> str | None:
    """Why a /ws/events subscription cannot be served as asked, or None. `since` is an event uid
    (a decimal, as the feed's messages carry it); `contracts` names of the manifest."""
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    if since is not None and not (re.fullmatch(r"[0-9]{1,19}", since) and int(since) < 2**63):
        return f"since: {since!r} is not an event uid (a decimal number, the `uid` of a feed message)"
    if contracts is not None and manifest is not None:
        unknown = sorted(contracts - set(manifest.contracts))
        if unknown:
            known = ", ".join(sorted(manifest.contracts))
            return f"contracts: no contract {', '.join(map(repr, unknown))} in the deployment (contracts: {known})"
    return None


def _readable_id(contract: str, event: str, uid: int) -> str | None:
    game = bet_ids.PLACING_EVENTS.get((contract, event))
    return None if game is None else bet_ids.readable_id(game, uid)


@dataclass(eq=False)  # identity semantics: subscribers live in a set
class Subscriber:
    socket: WebSocket
    events: frozenset[str] | None  # None: every event
    contracts: frozenset[str] | None
    queue: asyncio.Queue[dict[str, Any]] = field(default_factory=lambda: asyncio.Queue(maxsize=10_000))

    def wants(self, item: dict[str, Any]) -> bool:
        return (self.events is None or item["event"] in self.events) and (
            self.contracts is None or item["contract"] in self.contracts
        )


class LiveFeed:
    def __init__(self, engine: Engine, poll_interval: float = 0.1) -> None:
        self.engine = engine
        self.poll_interval = poll_interval
        self.subscribers: set[Subscriber] = set()
        self.latest_uid: int | None = None
        self.listeners: list[Callable[[int | None], None]] = []
        self._task: asyncio.Task[None] | None = None

    def _max_uid(self) -> int | None:
        with self.engine.connect() as conn:
            return conn.execute(select(func.max(schema.events.c.uid))).scalar()

    def _after(self, uid: int | None, limit: int = _BATCH) -> list[Any]:
        e = schema.events
        query = select(e.c.uid, e.c.block_number, e.c.block_time, e.c.tx_hash, e.c.contract, e.c.event, e.c.args)
        if uid is not None:
            query = query.where(e.c.uid > uid)
        with self.engine.connect() as conn:
            return list(conn.execute(query.order_by(e.c.uid).limit(limit)))

    def _tail(self, since: int, until: int, limit: int) -> list[Any]:
        return [row for row in self._after(since, limit) if row.uid <= until]

    async def start(self) -> None:
        if self._task is None:
            self.latest_uid = await asyncio.to_thread(self._max_uid)
            self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self._poll_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # a DB hiccup must not end the feed
                log.exception("live feed poll failed")
            await asyncio.sleep(self.poll_interval)

    async def _poll_once(self) -> None:
        newest = await asyncio.to_thread(self._max_uid)
        if newest == self.latest_uid:
            return
        if newest is None or (self.latest_uid is not None and newest < self.latest_uid):
            # The store rolled back (reorg): events above the new max are gone; restart there.
            self.latest_uid = newest
            self._changed()
            return
        rows = await asyncio.to_thread(self._after, self.latest_uid)
        for row in rows:
            self.latest_uid = row.uid
            if self.subscribers:
                item = message(row)
                for sub in list(self.subscribers):
                    if sub.wants(item):
                        try:
                            sub.queue.put_nowait(item)
                        except asyncio.QueueFull:
                            self.subscribers.discard(sub)  # a client that cannot keep up is dropped
        self._changed()

    def _changed(self) -> None:
        for listener in self.listeners:
            listener(self.latest_uid)

    async def serve(self, socket: WebSocket, sub: Subscriber, since: int | None) -> None:
        """Send the replay (events after `since`, capped) then live events until the client leaves."""
        await self.start()
        # No await between these two lines: the queue gets exactly the events after `boundary`.
        self.subscribers.add(sub)
        boundary = self.latest_uid
        try:
            await socket.send_json({"type": "hello", "latest_uid": None if boundary is None else str(boundary)})
            if since is not None and boundary is not None:
                for row in await asyncio.to_thread(self._tail, since, boundary, MAX_REPLAY):
                    item = message(row)
                    if sub.wants(item):
                        await socket.send_json(item)
            receiver = asyncio.create_task(socket.receive_text())
            while True:
                getter = asyncio.create_task(sub.queue.get())
                done, _ = await asyncio.wait({getter, receiver}, return_when=asyncio.FIRST_COMPLETED)
                if receiver in done:
                    getter.cancel()
                    receiver.result()  # raises WebSocketDisconnect when the client left
                    receiver = asyncio.create_task(socket.receive_text())  # clients may send pings
                    continue
                await socket.send_json(getter.result())
        finally:
            self.subscribers.discard(sub)
