"""The ingester: follows every platform contract of a deployment manifest from its deployment
block and commits each fetched range atomically with the cursor (backend.store.writer), so a
crash at any moment loses nothing and duplicates nothing.

Fetching and decoding (backend.ingest.fetcher) run ahead of the writer: in a thread of this
process by default (`workers=0`, backend.ingest.prefetch), or in a worker process (`workers=1`).
On a reorg the indexer finds the newest block hash it recorded that the chain still has (the
common ancestor), rolls the store back to it — undo records for unfinalized batches, or a
rebuild of the projections from the raw log when the reorg is deeper than the undo window —
discards whatever was prefetched past it, and resumes from there.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

import ujson
from sqlalchemy import Engine

from backend.ingest.decoder import EventDecoder
from backend.ingest.fetcher import CaughtUp, FetchConfig, FetchedBatch, Message, Reorg, gc_paused
from backend.ingest.prefetch import FetchThread
from backend.ingest.progress import Progress
from backend.ingest.worker import FetchWorker
from backend.rpc import RpcClient
from backend.store import writer
from backend.store.db import StoreError
from backend.store.events import Event
from backend.store.projections import registry
from backend.store.writer import Batch, Cursor
from fairstake.manifest import Manifest

log = logging.getLogger("fairstake.indexer")


@dataclass
class IndexerConfig(FetchConfig):
    progress: bool = True
    # 0: fetch and decode in a thread ahead of the writer; 1: in a worker process. The thread
    # measured faster on a busy 2-core host (pickling across the pipe costs what the process
    # would gain over the thread).
    workers: int = 0


def manifest_fingerprint(manifest: Manifest) -> str:
    """Identifies the deployment an index belongs to (chain, contracts, addresses, blocks)."""
    items = sorted((c.name, c.address.lower(), c.block) for c in manifest.contracts.values())
    return hashlib.sha256(ujson.dumps([manifest.chain_id, items]).encode()).hexdigest()


class Indexer:
    def __init__(
        self,
        manifest: Manifest,
        engine: Engine,
        rpc_url: str,
        config: IndexerConfig | None = None,
        *,
        on_commit: Callable[[Batch], None] | None = None,
    ) -> None:
        if not manifest.contracts:
            raise StoreError("the manifest lists no contracts to index")
        self.manifest = manifest
        self.engine = engine
        self.rpc_url = rpc_url
        self.rpc = RpcClient(rpc_url)
        self.config = config or IndexerConfig()
        self.on_commit = on_commit
        self.contracts = {c.name: (c.address, c.abi) for c in manifest.contracts.values()}
        self.decoder = EventDecoder(self.contracts)
        registry()  # assemble every projection now, not on the first live block
        self.start_block = min(c.block for c in manifest.contracts.values())
        self.stop_requested = threading.Event()
        self.cursor = Cursor(self.start_block - 1, None)
        self.head = 0
        self.reorgs = 0
        self.rebuilds = 0
        self._source: FetchThread | FetchWorker | None = None

    # ------------------------------------------------------------------ setup
    def prepare(self) -> Cursor:
        """Check the store belongs to this chain and deployment; load the cursor."""
        chain_id = self.rpc.chain_id()
        if chain_id != self.manifest.chain_id:
            raise StoreError(f"the RPC node is on chain {chain_id} but the manifest is for {self.manifest.chain_id}")
        expected = {"chain_id": str(chain_id), "manifest": manifest_fingerprint(self.manifest)}
        with self.engine.begin() as conn:
            meta = writer.read_meta(conn)
            for key, value in expected.items():
                if key in meta and meta[key] != value:
                    raise StoreError(
                        f"this database indexes another deployment ({key} differs): "
                        "use a fresh --db or pass --reset to wipe it"
                    )
            writer.write_meta(conn, expected)
            cursor = writer.read_cursor(conn)
        self.cursor = cursor or Cursor(self.start_block - 1, None)
        return self.cursor

    def parse_args(self, contract: str, event: str, args_json: str) -> dict:
        return self.decoder.spec_for(contract, event).args_from_json(args_json)

    def rebuild(self) -> Cursor:
        """Recompute all projections from the raw event log (cursor unchanged)."""
        cursor = self.prepare()
        self.cursor = writer.rebuild_projections(self.engine, cursor.block_number, cursor.block_hash, self.parse_args)
        return self.cursor

    # ------------------------------------------------------------------ reorgs
    def find_common_ancestor(self) -> tuple[int, str | None]:
        """The newest block whose recorded hash the chain still has."""
        below = self.cursor.block_number
        while True:
            with self.engine.connect() as conn:
                known = writer.known_hashes_below(conn, below, 100)
            if not known:
                return self.start_block - 1, None
            chain = self.rpc.headers([n for n, _ in known])
            for number, ours in known:
                header = chain.get(number)
                if header is not None and header["hash"].lower() == ours:
                    return number, ours
            below = known[-1][0] - 1

    def handle_reorg(self, reason: str) -> None:
        ancestor, ancestor_hash = self.find_common_ancestor()
        log.warning("reorg (%s): common ancestor %d, rolling back from %d", reason, ancestor, self.cursor.block_number)
        self.reorgs += 1
        cursor = writer.rollback(self.engine, ancestor)
        if cursor is None:
            self.rebuilds += 1
            log.warning("reorg below the undo window: rebuilding projections from the raw log")
            cursor = writer.rebuild_projections(self.engine, ancestor, ancestor_hash, self.parse_args)
        self.cursor = cursor

    # ------------------------------------------------------------------ committing
    def commit(self, fetched: FetchedBatch) -> int:
        batch = Batch(
            from_block=fetched.from_block,
            to_block=fetched.to_block,
            to_hash=fetched.to_hash,
            parent_hash=fetched.parent_hash,
            events=[e if isinstance(e, Event) else Event(*e) for e in fetched.events],
            headers=fetched.headers,
            undoable=fetched.undoable,
            refusals=fetched.refusals,
            finalized_block=fetched.finalized_block,
        )
        writer.commit_batch(self.engine, batch)
        self.cursor = Cursor(fetched.to_block, fetched.to_hash)
        self.head = max(self.head, fetched.head)
        if self.on_commit:
            self.on_commit(batch)
        return len(batch.events)

    # ------------------------------------------------------------------ main loop
    def _restart_source(self) -> None:
        assert self._source is not None
        self._source.start_at(self.cursor.block_number + 1, self.cursor.block_hash)

    def _next(self) -> Message | None:
        assert self._source is not None
        return self._source.get(timeout=max(self.config.poll_interval, 0.05))

    def run(self, *, follow: bool = True, until_block: int | None = None) -> Cursor:
        """Backfill to the head, then (follow=True) keep up with new blocks until stopped."""
        self.prepare()
        self._source = (
            FetchWorker(self.rpc_url, self.contracts, self.config)
            if self.config.workers > 0
            else FetchThread(self.rpc_url, self.contracts, self.config)
        )
        progress = Progress(enabled=self.config.progress)
        backfilling = True
        try:
            self._restart_source()
            while not self.stop_requested.is_set():
                if until_block is not None and self.cursor.block_number >= until_block:
                    break
                with gc_paused():
                    message = self._next()
                    committed = self.commit(message) if isinstance(message, FetchedBatch) else 0
                if isinstance(message, FetchedBatch):
                    if backfilling:
                        progress.update(self.cursor.block_number, max(self.head, self.cursor.block_number), committed)
                elif isinstance(message, Reorg):
                    self.handle_reorg(message.reason)
                    self._restart_source()
                elif isinstance(message, CaughtUp):
                    self.head = max(self.head, message.head)
                    if backfilling:
                        backfilling = False
                        progress.update(self.cursor.block_number, self.head, 0, force=True)
                        progress.finish(
                            f"backfill done at block {self.cursor.block_number:,}: {progress.events:,} events"
                        )
                    if not follow:
                        break
        finally:
            self._source.close()
            self._source = None
        return self.cursor


def build_indexer(
    manifest: Manifest,
    engine: Engine,
    rpc_url: str | None = None,
    config: IndexerConfig | None = None,
    **kwargs: object,
) -> Indexer:
    url = rpc_url or manifest.rpc_url
    if not url:
        raise StoreError("no RPC URL: pass --rpc or put rpcUrl in the manifest")
    return Indexer(manifest, engine, url, config, **kwargs)  # type: ignore[arg-type]
