"""Bets of every game."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from backend.api import models, queries
from backend.api.deps import (
    ERRORS,
    GAMES,
    STATUSES,
    AddressQuery,
    BetId,
    Conn,
    Ctx,
    Cursor,
    Limit,
    bet_key,
    optional_address,
)
from backend.api.filters import TokenFilter

router = APIRouter(tags=["bets"])


@router.get("/bets", response_model=models.BetPage, responses=ERRORS)
def bets(
    c: Conn,
    ctx: Ctx,
    token: TokenFilter,
    limit: Limit = 50,
    cursor: Cursor = None,
    player: AddressQuery = None,
    game: GAMES | None = None,
    status: STATUSES | None = None,
) -> models.BetPage:
    """Bets of every game, newest first, filtered by player, game, status and token."""
    return queries.bets_page(
        c,
        ctx.symbols,
        player=optional_address(player),
        game=game,
        status=status,
        token=token,
        cursor=cursor,
        limit=limit,
    )


# Inline on the event loop with pre-serialised JSON, like /players/{address}.
@router.get("/bets/{bet_id}", response_model=models.Bet, responses=ERRORS)
async def bet(bet_id: BetId, ctx: Ctx) -> Response:
    """One bet by id."""
    with ctx.engine.connect() as c:
        row = queries.bet_row(c, bet_key(bet_id), snapshot=False)
    if row is None:
        raise HTTPException(404, f"no bet {bet_id}")
    return Response(queries.bet_model(row, ctx.symbols).model_dump_json(), media_type="application/json")
