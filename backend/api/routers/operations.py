"""Operations: indexer progress, Prometheus metrics, the deployment manifest for clients."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import func, select

from backend.api import models
from backend.api.deps import ERRORS, Conn, Ctx
from backend.rpc import RpcError, RpcTransportError
from backend.store import schema
from backend.store.writer import read_cursor

router = APIRouter(tags=["operations"])


@router.get("/health", response_model=models.Health)
def health(c: Conn, ctx: Ctx) -> models.Health:
    """Indexer progress: the last indexed block and, when the node answers, the lag behind it."""
    cursor = read_cursor(c)
    head = None
    if ctx.rpc is not None:
        try:
            head = ctx.rpc.block_number(retry=False)
        except (RpcError, RpcTransportError):
            head = None
    indexed = cursor.block_number if cursor else -1
    ctx.metrics.indexed_block.set(indexed)
    if head is not None:
        ctx.metrics.chain_head.set(head)
    return models.Health(
        status="ok",
        indexed_block=indexed,
        indexed_hash=cursor.block_hash if cursor else None,
        chain_head=head,
        lag_blocks=None if head is None else max(0, head - indexed),
    )


@router.get("/metrics", response_class=PlainTextResponse)
def metrics(c: Conn, ctx: Ctx) -> Response:
    """Prometheus metrics of this API process."""
    cursor = read_cursor(c)
    ctx.metrics.indexed_block.set(cursor.block_number if cursor else -1)
    ctx.metrics.ws_clients.set(len(ctx.feed.subscribers))
    if ctx.feed.latest_uid is not None:
        ctx.metrics.events.set(c.execute(select(func.count()).select_from(schema.events)).scalar_one())
    return Response(generate_latest(ctx.metrics.registry), media_type=CONTENT_TYPE_LATEST)


@router.get("/deployment", responses=ERRORS)
def deployment(ctx: Ctx) -> dict[str, Any]:
    """The deployment manifest (addresses, ABIs, tokens, oracle key) for clients."""
    if ctx.manifest is None:
        raise HTTPException(404, "this API was started without a deployment manifest")
    return ctx.manifest.to_json()
