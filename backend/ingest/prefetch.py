"""The fetch thread: a RangeFetcher running in a thread of the indexer's process, one or two
ranges ahead of the writer. While the writer applies and commits range N, the thread waits for
the node's answer for range N+1 and decodes it: the socket wait and SQLite's B-tree work (both
outside the GIL) overlap with Python work, with nothing pickled across a process boundary.

Same protocol as the fetch worker process (backend.ingest.worker): `start_at` opens a new epoch
at a position; messages of older epochs are dropped, so whatever was prefetched past a reorg is
discarded; after a `Reorg` message the thread idles until the next `start_at`. The thread only
reads the chain, never the store: each batch still commits with its cursor in one transaction.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Mapping
from typing import Any

from backend.ingest.fetcher import FetchConfig, Message, RangeFetcher, Reorg
from backend.rpc import RpcClient

Contracts = Mapping[str, tuple[str, list[dict[str, Any]]]]
# How often an idle or blocked thread looks for a new epoch or a stop request.
_POLL_SECONDS = 0.05


class FetchThread:
    """Writer-side handle: `start_at`, then `get` messages of that epoch; `close` when done."""

    def __init__(self, rpc_url: str, contracts: Contracts, config: FetchConfig, *, prefetch: int = 2) -> None:
        self._stop = threading.Event()
        self._fetcher = RangeFetcher(RpcClient(rpc_url), contracts, config, 0, None)
        self._fetcher.stop = self._stop
        self._starts: queue.Queue[tuple[int, int, str | None]] = queue.Queue()
        # Bounded: the thread runs at most `prefetch` ranges ahead of the writer.
        self._messages: queue.Queue[tuple[int, Message | BaseException]] = queue.Queue(maxsize=prefetch)
        self.epoch = 0
        self._thread = threading.Thread(target=self._run, name="fairstake-fetch", daemon=True)
        self._thread.start()

    def start_at(self, next_block: int, parent_hash: str | None) -> None:
        """Fetch from `next_block` on (building on `parent_hash`); drops everything fetched before."""
        self.epoch += 1
        self._starts.put((self.epoch, next_block, parent_hash))

    def get(self, timeout: float) -> Message | None:
        """The next message of the current epoch, or None on timeout. Re-raises what the
        fetcher raised (a fault it does not retry, such as an undecodable log)."""
        while True:
            try:
                epoch, item = self._messages.get(timeout=timeout)
            except queue.Empty:
                if not self._thread.is_alive():
                    raise RuntimeError("the fetch thread stopped") from None
                return None
            if epoch != self.epoch:
                continue
            if isinstance(item, BaseException):
                raise item
            return item

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self._fetcher.rpc.close()

    # ------------------------------------------------------------------ the thread
    def _deliver(self, epoch: int, item: Message | BaseException) -> bool:
        """Queue `item`; False when it became stale (a newer epoch started) or we were stopped."""
        while not self._stop.is_set():
            if not self._starts.empty():
                return False
            try:
                self._messages.put((epoch, item), timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        epoch = 0
        running = False
        while not self._stop.is_set():
            try:
                start = self._starts.get_nowait() if running else self._starts.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                start = None
            if start is not None:
                epoch, next_block, parent_hash = start
                self._fetcher.restart(next_block, parent_hash)
                running = True
            if not running:
                continue
            try:
                message = self._fetcher.next_message()
            except Exception as exc:  # handed to the writer, which decides; the thread idles
                self._deliver(epoch, exc)
                running = False
                continue
            if message is None:
                continue
            if not self._deliver(epoch, message) or isinstance(message, Reorg):
                running = False
