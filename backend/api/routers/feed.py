"""The live feed: new events over WebSocket."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, WebSocket, WebSocketDisconnect

from backend.api.deps import Ctx
from backend.api.live import DEFAULT_FEED, Subscriber

router = APIRouter()


@router.websocket("/ws/events")
async def ws_events(
    socket: WebSocket,
    ctx: Ctx,
    events: Annotated[str | None, Query(max_length=2000)] = None,
    contracts: Annotated[str | None, Query(max_length=2000)] = None,
    since: Annotated[str | None, Query(max_length=20)] = None,
) -> None:
    """New events as JSON messages. `events`: comma-separated names or `*` (default: bets
    placed/settled, rounds drawn, matches settled...); `contracts`: manifest names;
    `since`: replay events after this uid first (up to 1000)."""
    await socket.accept()
    wanted = None if events == "*" else frozenset(e for e in events.split(",") if e) if events else DEFAULT_FEED
    wanted_contracts = frozenset(c for c in contracts.split(",") if c) if contracts else None
    replay = int(since) if since and since.isdigit() else None
    sub = Subscriber(socket, wanted, wanted_contracts)
    ctx.metrics.ws_clients.inc()
    try:
        await ctx.feed.serve(socket, sub, replay)
    except WebSocketDisconnect:
        pass
    finally:
        ctx.metrics.ws_clients.dec()
