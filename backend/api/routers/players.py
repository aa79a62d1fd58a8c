"""Players and liquidity providers: balances, bets, limits, bankroll positions."""

from __future__ import annotations

import time

from fastapi import APIRouter
from fastapi.responses import Response

from backend.api import models, queries
from backend.api.deps import ERRORS, Address, Ctx, checksum

router = APIRouter(tags=["players"])


# The hottest read runs inline on the event loop (its queries take well under a millisecond on
# an index) and returns pre-serialised JSON: no thread-pool hops, no second validation of a
# model we just built.
@router.get("/players/{address}", response_model=models.Player, responses=ERRORS)
async def player(address: Address, ctx: Ctx) -> Response:
    """Vault balances per token (mirrored from events), open bets, recent history, statistics,
    limits, self-exclusion, KYC status and the reality check of the current session."""
    with ctx.engine.connect() as c:
        view = queries.player_view(c, ctx.symbols, checksum(address), int(time.time()))
    return Response(view.model_dump_json(), media_type="application/json")


@router.get("/lp/{address}", response_model=models.LiquidityProvider, responses=ERRORS)
def liquidity_provider(address: Address, ctx: Ctx) -> models.LiquidityProvider:
    """Bankroll positions per token (mirrored from events): shares, what was deposited and
    withdrawn, and the pending deposit and redeem requests with the time each becomes
    claimable (a claim takes effect at least a day after its request; anyone may make it)."""
    with ctx.engine.connect() as c:
        return queries.lp_view(c, ctx.symbols, checksum(address))
