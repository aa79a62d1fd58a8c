"""Fetching consecutive block ranges: eth_getLogs for all platform addresses in one call,
plus the block headers needed to check chain consistency, batched into one JSON-RPC request;
then decoding; and each block's receipts for the transactions the player registry refused
(backend.ingest.refusals, which leave no log). Runs inline or inside the fetch worker process
(backend.ingest.worker).

Consistency checks per range [start, end] (the chain may reorganise at any moment):
- the parent hash of `start` must equal the hash of the previous range's end, else → `Reorg`;
- blocks within `finality_depth` of the head are unfinalized: their headers must link to each
  other and every log must carry its header's hash, else the fetch straddled a reorg and is
  repeated. Their hashes travel with the batch so the store can find a common ancestor later.
Transient RPC faults are retried with backoff forever; "too much data" answers shrink the range;
a range is never skipped.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from backend.ingest.decoder import EventDecoder
from backend.ingest.ranges import RangeSizer
from backend.ingest.refusals import RefusalFinder
from backend.rpc import RpcClient, RpcError, RpcTransportError, is_range_error
from backend.store.events import Event, Refusal, event_to_tuple

log = logging.getLogger("fairstake.fetcher")

# An Event as a plain tuple (Event field order): cheap to pickle between processes. Inline
# fetchers hand over Event objects directly.
EventTuple = tuple[Any, ...]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Cyclic GC off while one batch is fetched, decoded and committed. A batch allocates
    hundreds of thousands of acyclic dicts and tuples (freed by reference counting), which
    trigger collection after collection that find nothing: measured at about a fifth of
    backfill time. Whatever cycles a batch leaves are collected once GC is back on."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@dataclass
class FetchConfig:
    finality_depth: int = 0
    poll_interval: float = 0.2
    # Small on purpose: the first range's density is unknown; a range is one batch in memory and
    # one transaction, and the fetch thread overlaps the next range with the writer only when
    # there is a next range. The sizer grows it 4x per sparse answer (10, 40, 160, ...).
    initial_range: int = 10
    max_range: int = 500_000
    target_events: int = 10_000
    # Read every block's receipts for transactions the player registry refused
    # (backend.ingest.refusals): a call per block on top of eth_getLogs.
    refusals: bool = True


@dataclass
class FetchedBatch:
    from_block: int
    to_block: int
    to_hash: str
    parent_hash: str | None
    events: list[EventTuple] | list[Event]
    headers: dict[int, str]
    head: int
    finalized_block: int
    seconds: float
    undoable: bool = field(default=False)
    refusals: list[Refusal] = field(default_factory=list)


@dataclass
class CaughtUp:
    head: int


@dataclass
class Reorg:
    reason: str


Message = FetchedBatch | CaughtUp | Reorg


class ReorgDetected(Exception):
    """The chain no longer contains the block the next range must build on."""


class InconsistentFetch(Exception):
    """Logs and headers of one fetch disagree (the chain moved while we read): fetch again."""


class RangeFetcher:
    def __init__(
        self,
        rpc: RpcClient,
        contracts: Mapping[str, tuple[str, list[dict[str, Any]]]],
        config: FetchConfig,
        next_block: int,
        parent_hash: str | None,
        *,
        as_tuples: bool = False,
    ) -> None:
        self.rpc = rpc
        self.as_tuples = as_tuples
        self.config = config
        self.decoder = EventDecoder(contracts)
        self.refusal_finder = RefusalFinder(rpc, contracts) if config.refusals else None
        self.addresses = sorted({address for address, _ in contracts.values()})
        self.sizer = RangeSizer(
            size=config.initial_range, max_size=config.max_range, target_events=config.target_events
        )
        self.next_block = next_block
        self.parent_hash = parent_hash
        self.head = 0
        self.caught_up = False
        self.stop = threading.Event()

    def restart(self, next_block: int, parent_hash: str | None) -> None:
        self.next_block = next_block
        self.parent_hash = parent_hash
        self.caught_up = False

    # ------------------------------------------------------------------ one range
    def _fetch(self, start: int, end: int) -> tuple[FetchedBatch, list[dict[str, Any]], dict[int, dict[str, Any]]]:
        finalized = self.head - self.config.finality_depth
        unfinalized = range(max(start, finalized + 1), end + 1)
        wanted = {end, *unfinalized}
        if self.parent_hash is not None:
            wanted.add(start)
        numbers = sorted(wanted)
        calls: list[tuple[str, list[Any]]] = [
            ("eth_getLogs", [{"fromBlock": hex(start), "toBlock": hex(end), "address": self.addresses}])
        ]
        calls += [("eth_getBlockByNumber", [hex(n), False]) for n in numbers]
        began = time.monotonic()
        results = self.rpc.batch(calls, retry=False)
        seconds = time.monotonic() - began
        logs = results[0]
        if isinstance(logs, RpcError):
            raise logs
        headers: dict[int, dict[str, Any]] = {}
        for number, header in zip(numbers, results[1:], strict=True):
            if isinstance(header, RpcError):
                raise header
            if header is None:  # the node no longer has this block: the chain got shorter
                raise ReorgDetected(f"block {number} disappeared")
            headers[number] = header
        if self.parent_hash is not None and headers[start]["parentHash"].lower() != self.parent_hash:
            raise ReorgDetected(f"block {start} does not build on our block {start - 1}")
        for number in unfinalized[1:]:
            if headers[number]["parentHash"].lower() != headers[number - 1]["hash"].lower():
                raise InconsistentFetch(f"headers {number - 1} and {number} do not link")
        for entry in logs:
            if entry.get("removed"):
                raise InconsistentFetch("the node returned a removed log")
            header = headers.get(int(entry["blockNumber"], 16))
            if header is not None and entry["blockHash"].lower() != header["hash"].lower():
                raise InconsistentFetch(f"a log of block {entry['blockNumber']} belongs to another fork")
        batch = FetchedBatch(
            from_block=start,
            to_block=end,
            to_hash=headers[end]["hash"].lower(),
            parent_hash=self.parent_hash,
            events=[],
            headers={n: headers[n]["hash"].lower() for n in unfinalized},
            head=self.head,
            finalized_block=finalized,
            seconds=seconds,
            undoable=end > finalized,
        )
        return batch, logs, {n: headers[n] for n in unfinalized}

    def _refusals(self, start: int, end: int, headers: dict[int, dict[str, Any]]) -> list[Refusal]:
        if self.refusal_finder is None:
            return []
        found = self.refusal_finder.find(start, end, {n: int(h["timestamp"], 16) for n, h in headers.items()})
        for refusal in found:
            header = headers.get(refusal.block_number)
            if header is not None and header["hash"].lower() != refusal.block_hash:
                raise InconsistentFetch(f"a receipt of block {refusal.block_number} belongs to another fork")
        return found

    def _decode(self, logs: list[dict[str, Any]], headers: dict[int, dict[str, Any]]) -> list[EventTuple] | list[Event]:
        times = {n: int(h["timestamp"], 16) for n, h in headers.items()}
        missing = sorted({int(e["blockNumber"], 16) for e in logs if "blockTimestamp" not in e} - set(times))
        if missing:  # nodes that do not put blockTimestamp on logs (e.g. ganache)
            for number, header in self.rpc.headers(missing).items():
                times[number] = int(header["timestamp"], 16)
        decode = self.decoder.decode_log
        events: list[Event] = []
        for entry in logs:
            event = decode(entry, times.get(int(entry["blockNumber"], 16)))
            if event is not None:
                events.append(event)
        events.sort(key=lambda e: e.uid)
        return [event_to_tuple(e) for e in events] if self.as_tuples else events

    # ------------------------------------------------------------------ the loop step
    def next_message(self) -> Message | None:
        """Fetch the next range. Returns a batch, `CaughtUp` once when the head is reached,
        `Reorg` when the chain no longer builds on our position, or None when there is nothing
        new yet (after waiting one poll interval) or when stopped."""
        failures = 0
        while not self.stop.is_set():
            try:
                if self.next_block > self.head:
                    latest = self.rpc.latest_header(retry=False)
                    self.head = int(latest["number"], 16)
                    if self.next_block > self.head + 1:
                        return Reorg(f"head {self.head} is below our position {self.next_block - 1}")
                    if self.next_block > self.head:
                        # A reorg that replaced our last block without making the chain longer
                        # shows only in the head's hash; without this check we would serve the
                        # stale branch until the next block arrives.
                        if self.parent_hash is not None and latest["hash"].lower() != self.parent_hash:
                            return Reorg(f"block {self.head} was replaced at the same height")
                        if not self.caught_up:
                            self.caught_up = True
                            return CaughtUp(self.head)
                        self.stop.wait(self.config.poll_interval)
                        return None
                start = self.next_block
                end = min(self.head, start + self.sizer.size - 1)
                try:
                    batch, logs, headers = self._fetch(start, end)
                    batch.refusals = self._refusals(start, end, headers)
                except ReorgDetected as exc:
                    return Reorg(str(exc))
                except InconsistentFetch as exc:
                    log.info("refetching %d-%d: %s", start, end, exc)
                    self.head = 0  # re-read the head, the chain moved
                    self.stop.wait(self.config.poll_interval)
                    continue
                batch.events = self._decode(logs, headers)
                self.sizer.fetched(end - start + 1, len(logs), batch.seconds)
                self.next_block = end + 1
                self.parent_hash = batch.to_hash
                self.caught_up = False
                return batch
            except (RpcError, RpcTransportError) as exc:
                if is_range_error(exc) and self.sizer.too_large():
                    log.info("range too large (%s); now %d blocks", exc, self.sizer.size)
                    continue
                failures += 1
                delay = min(10.0, 0.2 * 2 ** min(failures, 6))
                log.warning("rpc fault (%s); retrying block %d in %.1fs", exc, self.next_block, delay)
                self.stop.wait(delay)
        return None
