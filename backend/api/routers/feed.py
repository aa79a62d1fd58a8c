"""The live feed: new events over WebSocket."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, WebSocket, WebSocketDisconnect

from backend.api import live
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
    `since`: replay events after this uid first (up to 1000). A `since` that is not a uid or
    an unknown contract gets one {"type": "error"} message and close code 1008."""
    await socket.accept()
    wanted = None if events == "*" else frozenset(e for e in events.split(",") if e) if events else DEFAULT_FEED
    wanted_contracts = frozenset(c for c in contracts.split(",") if c) if contracts else None
    problem = live.filter_problem(since, wanted_contracts, ctx.manifest)
    if problem is not None:
        # Said, not ignored: a client asking for a replay it does not get would miss events.
        await socket.send_json({"type": "error", "detail": problem})
        await socket.close(code=1008, reason=problem[:120])
        return
    replay = int(since) if since is not None else None
    sub = Subscriber(socket, wanted, wanted_contracts)
    ctx.metrics.ws_clients.inc()
    try:
        await ctx.feed.serve(socket, sub, replay)
    except WebSocketDisconnect:
        pass
    finally:
        ctx.metrics.ws_clients.dec()
