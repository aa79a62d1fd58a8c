"""Games: Jackpot rounds, matches, tournaments, the leaderboard and per-game statistics."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException

from backend.api import models, queries
from backend.api.deps import (
    ERRORS,
    GAMES,
    AddressQuery,
    Conn,
    Ctx,
    Cursor,
    Limit,
    RefId,
    optional_address,
)
from backend.api.filters import ROUND_STATUSES, SKILL_STATUSES, TokenFilter, TokenOrEth

router = APIRouter(tags=["games"])


@router.get("/jackpot/rounds", response_model=models.RoundPage, responses=ERRORS)
def jackpot_rounds(
    c: Conn,
    ctx: Ctx,
    token: TokenFilter,
    limit: Limit = 20,
    cursor: Cursor = None,
    status: ROUND_STATUSES | None = None,
) -> models.RoundPage:
    """Jackpot rounds, newest first."""
    return queries.rounds_page(c, ctx.symbols, token=token, status=status, cursor=cursor, limit=limit)


@router.get("/jackpot/rounds/{round_id}", response_model=models.JackpotRound, responses=ERRORS)
def jackpot_round(round_id: RefId, c: Conn, ctx: Ctx) -> models.JackpotRound:
    """One round with its ticket purchases."""
    found = queries.round_detail(c, ctx.symbols, round_id)
    if found is None:
        raise HTTPException(404, f"no jackpot round {round_id}")
    return found


def _skill_routes(kind: str, plural: str) -> None:
    """The listing (newest first, optionally those a player entered) and the detail (entries and
    result) of one skill game; Match and Tournament share their shape. The routes carry no
    description: the OpenAPI document stays as it was published."""

    @router.get(f"/{plural}", response_model=models.SkillGamePage, responses=ERRORS, name=f"{plural}")
    def listing(
        c: Conn,
        ctx: Ctx,
        limit: Limit = 20,
        cursor: Cursor = None,
        status: SKILL_STATUSES | None = None,
        player: AddressQuery = None,
    ) -> models.SkillGamePage:
        return queries.skill_page(
            c, ctx.symbols, kind, status=status, player=optional_address(player), cursor=cursor, limit=limit
        )

    @router.get(f"/{plural}/{{game_id}}", response_model=models.SkillGame, responses=ERRORS, name=f"{kind}")
    def detail(game_id: RefId, c: Conn, ctx: Ctx) -> models.SkillGame:
        found = queries.skill_detail(c, ctx.symbols, kind, game_id)
        if found is None:
            raise HTTPException(404, f"no {kind} {game_id}")
        return found


_skill_routes("match", "matches")
_skill_routes("tournament", "tournaments")


@router.get("/leaderboard", response_model=models.Leaderboard, responses=ERRORS)
def leaderboard(
    c: Conn,
    ctx: Ctx,
    token: TokenOrEth,
    game: GAMES | None = None,
    by: Literal["net", "wagered"] = "net",
    limit: Limit = 20,
) -> models.Leaderboard:
    """Top players by net result or volume; cached until new events arrive."""
    key = (token, game, by, limit)
    cached = ctx.leaderboard_cache.get(key)
    if cached is None:
        cached = queries.leaderboard(c, key[0], game, by, limit, queries.latest_uid(c))
        ctx.leaderboard_cache[key] = cached
    return cached


@router.get("/stats/games", response_model=list[models.GameStats])
def stats_games(c: Conn, ctx: Ctx) -> list[models.GameStats]:
    """Bets, players, volume and payouts per game and token."""
    return queries.game_stats(c, ctx.symbols)
