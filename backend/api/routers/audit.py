"""Auditors: the raw event log and its tamper-evident export, the per-bet re-verification,
proof of reserves, the oracle bonds, RTP and anomalies (the work is in backend.api.audit)."""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import func, select

from backend.api import audit, models, queries
from backend.api.deps import ERRORS, BetId, Block, Conn, Ctx, Cursor, Limit, Name, bet_key
from backend.api.filters import ContractFilter
from backend.store import schema
from backend.store.writer import read_cursor

MAX_EXPORT_EVENTS = 1_000_000
MAX_VERIFY_BYTES = 256 * 1024 * 1024

router = APIRouter(tags=["audit"])


def _events_query(contract: str | None, event: str | None, from_block: int | None, to_block: int | None) -> Any:
    if from_block is not None and to_block is not None and from_block > to_block:
        raise queries.BadRequest("from_block must not be greater than to_block")
    return queries.events_query(contract=contract, event=event, from_block=from_block, to_block=to_block)


@router.get("/audit/events", response_model=models.EventPage, responses=ERRORS)
def audit_events(
    c: Conn,
    contract: ContractFilter,
    event: Name = None,
    from_block: Block = None,
    to_block: Block = None,
    cursor: Cursor = None,
    limit: Limit = 100,
) -> models.EventPage:
    """The raw event log in chain order, filtered by contract (manifest name), event and block range."""
    return queries.events_page(c, _events_query(contract, event, from_block, to_block), cursor, limit)


@router.get(
    "/audit/events/export",
    responses={**ERRORS, 200: {"content": {"application/x-ndjson": {}, "text/csv": {}}}},
)
def audit_export(
    c: Conn,
    ctx: Ctx,
    contract: ContractFilter,
    format: Literal["jsonl", "csv"] = "jsonl",
    event: Name = None,
    from_block: Block = None,
    to_block: Block = None,
) -> StreamingResponse:
    """Export the filtered event log as JSONL or CSV. Every line carries `chain` (CSV: last
    column) = sha256(previous line's hash ‖ this line's content), starting from 64 zeros, so any
    later edit, deletion or reordering is detectable (POST the file to /audit/events/verify).
    At most 1,000,000 events per export: narrow the block range for more."""
    query = _events_query(contract, event, from_block, to_block)
    count = c.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    if count > MAX_EXPORT_EVENTS:
        raise queries.BadRequest(
            f"{count} events match; exports are capped at {MAX_EXPORT_EVENTS}: narrow the block range"
        )
    lines = audit.export_lines(audit.stream_rows(ctx.engine, query), format)
    media = "text/csv" if format == "csv" else "application/x-ndjson"
    name = f"fairstake-events.{format}"
    return StreamingResponse(
        (line.encode() for line in lines),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post(
    "/audit/events/verify",
    response_model=models.ExportVerification,
    responses=ERRORS,
    openapi_extra={
        "requestBody": {
            "content": {"text/plain": {"schema": {"type": "string"}}},
            "required": True,
            "description": "An export produced by /audit/events/export (JSONL or CSV).",
        }
    },
)
async def audit_verify(request: Request) -> models.ExportVerification:
    """Verify the hash chain of an export: which line (if any) was altered."""
    body = await request.body()
    if len(body) > MAX_VERIFY_BYTES:
        raise HTTPException(413, "export too large to verify here; use backend.api.audit.verify_export")
    try:
        text = body.decode()
    except UnicodeDecodeError:
        raise queries.BadRequest("the export must be UTF-8 text") from None
    return audit.verify_export(text)


@router.get("/audit/bets/{bet_id}", response_model=models.BetAudit, responses=ERRORS)
def audit_bet(bet_id: BetId, c: Conn, ctx: Ctx) -> models.BetAudit:
    """Request → proof → the indexer's own re-verification of the ECVRF proof → outcome and
    payout recomputed with fairstake.rules, side by side with what the game recorded and the
    Vault paid. Any mismatch is a failed check."""
    row = queries.bet_row(c, bet_key(bet_id))
    if row is None:
        raise HTTPException(404, f"no bet {bet_id}")
    return audit.audit_bet(c, row, ctx.symbols)


@router.get("/audit/solvency", response_model=models.Solvency)
def audit_solvency(c: Conn, ctx: Ctx) -> models.Solvency:
    """Proof of reserves per token: the Vault's balance on chain (at the indexed block) versus
    the liabilities derived from events (free + locked + pooled + bankroll + fees, with what
    Vault.payIn credited and added to the bankroll), and the Vault's own aggregate views at the
    same block."""
    cursor = read_cursor(c)
    block = cursor.block_number if cursor else None
    return audit.solvency(c, ctx.symbols, ctx.vault(), ctx.rpc, block)


@router.get("/audit/bonds", response_model=models.Bonds, responses=ERRORS)
def audit_bonds(c: Conn, ctx: Ctx, limit: Limit = 100) -> models.Bonds:
    """Every oracle key's bond per token (total = deposited - withdrawn - slashed; reserved by
    pending requests; unbonding), the newest `limit` slashes (expired requests paid out of a
    bond) and the oldest `limit` open reservations."""
    return audit.bonds(c, ctx.symbols, limit)


@router.get("/audit/summary", response_model=models.AuditSummary)
def audit_summary(c: Conn, ctx: Ctx) -> models.AuditSummary:
    """Randomness requests and bond reservations by status, the bonds behind them, Dice bets
    unwound without a result, and what was paid into the Vault for others (slashed bonds)."""
    cursor = read_cursor(c)
    return audit.summary(c, ctx.symbols, cursor.block_number if cursor else None)


@router.get("/audit/rtp", response_model=models.Rtp)
def audit_rtp(c: Conn, ctx: Ctx, confidence: Literal["0.9", "0.95", "0.99", "0.999"] = "0.99") -> models.Rtp:
    """Observed vs theoretical return-to-player per game and token, with a confidence interval."""
    return audit.rtp(c, ctx.symbols, float(confidence))


@router.get("/audit/anomalies", response_model=models.Anomalies)
def audit_anomalies(
    c: Conn,
    ctx: Ctx,
    window: Annotated[int, Query(ge=60, le=30 * 86400, description="Seconds.")] = 3600,
    max_bets: Annotated[int, Query(ge=1, le=1_000_000)] = 0,
) -> models.Anomalies:
    """Velocity flags (many bets or large withdrawals from one address in a window) and
    addresses funded from a common source, over the most recent `window` of chain time."""
    latest = c.execute(select(func.max(schema.events.c.block_time))).scalar() or int(time.time())
    platform = {c_.address for c_ in ctx.manifest.contracts.values()} if ctx.manifest else set()
    settings = ctx.settings
    return audit.anomalies(
        c,
        now=int(latest),
        window=window,
        max_bets=max_bets or settings.anomaly_max_bets,
        withdrawal_share=settings.anomaly_withdrawal_share,
        funding_min_players=settings.anomaly_funding_players,
        tx_senders=ctx.senders,
        platform_addresses=platform,
    )
