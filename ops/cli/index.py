"""`fairstake index`: run the ingester against a deployment manifest."""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from fairstake.manifest import DEFAULT_MANIFEST
from ops.cli import DbOption, fail


def reset_store(db: str | None) -> None:
    """Delete every row of every table (schema stays)."""
    from sqlalchemy import delete

    from backend.store import schema
    from backend.store.db import open_store

    engine = open_store(db, writer=True)
    with engine.begin() as conn:
        for table in reversed(schema.metadata.sorted_tables):
            conn.execute(delete(table))
    engine.dispose()


def index_command(
    deployment: Annotated[
        Path, typer.Option("--deployment", "-d", help="Deployment manifest (JSON).")
    ] = DEFAULT_MANIFEST,
    db: DbOption = None,
    rpc: Annotated[str | None, typer.Option("--rpc", help="JSON-RPC URL (default: the manifest's rpcUrl).")] = None,
    finality: Annotated[int, typer.Option("--finality", min=0, help="Blocks behind the head that count as final.")] = 0,
    poll_interval: Annotated[
        float, typer.Option("--poll-interval", min=0.01, help="Seconds between head polls.")
    ] = 0.2,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=0, max=1, help="Fetch/decode ahead of the writer in 0: a thread, 1: a worker process."
        ),
    ] = 0,
    once: Annotated[bool, typer.Option("--once", help="Backfill to the current head, then exit.")] = False,
    reset: Annotated[bool, typer.Option("--reset", help="Wipe the database before indexing.")] = False,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Recompute projections from the raw log first.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Index the platform's events into the store: backfill, then follow the chain live."""
    from backend.ingest.indexer import IndexerConfig, build_indexer
    from backend.rpc import RpcTransportError
    from backend.store.db import StoreError, database_url, open_store, redact
    from fairstake.manifest import ManifestError, load_manifest

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        manifest = load_manifest(deployment)
        if reset:
            reset_store(db)
        engine = open_store(db, writer=True)
        indexer = build_indexer(
            manifest,
            engine,
            rpc,
            IndexerConfig(finality_depth=finality, poll_interval=poll_interval, progress=not quiet, workers=workers),
        )
    except (ManifestError, StoreError) as exc:
        fail(str(exc))

    def stop(signum: int, _frame: FrameType | None) -> None:
        indexer.stop_requested.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    typer.echo(f"indexing {len(manifest.contracts)} contracts into {redact(database_url(db))}", err=True)
    try:
        if rebuild:
            indexer.rebuild()
        cursor = indexer.run(follow=not once)
    except StoreError as exc:
        fail(str(exc))
    except RpcTransportError as exc:
        fail(f"RPC unreachable: {exc}", 1)
    finally:
        engine.dispose()
    typer.echo(f"stopped at block {cursor.block_number}", err=True)
    sys.stderr.flush()
