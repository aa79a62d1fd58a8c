"""The ECVRF oracle daemon: follows RandomnessRequested events for its key, proves each
request and fulfils them in gas-budgeted batches.

Crash safety comes from keeping no state of its own: open work is always
requested - fulfilled - expired as the coordinator's events say (confirmed with isPending),
so a daemon killed at any moment and started again picks up exactly the open requests, and
the coordinator's one-fulfilment-per-request rule makes a late duplicate harmless.

Deadlines count blocks and seconds and may lie beyond BLOCKHASH's 256 blocks, so the daemon
stores (storeBlockhash) the request block's hash of every open request of its key that is not
fulfilled while the hash is readable, and then proves with the stored hash. Which hashes are
stored is read from BlockhashStored events like the rest; a store that reverts because someone
stored the hash first is recognised with storedBlockhash.
"""

from __future__ import annotations

import json
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from eth_account.signers.local import LocalAccount
from web3.exceptions import ContractCustomError, ContractLogicError, Web3RPCError

from oracle.daemon.chain import (
    EVENT_BLOCKHASH_STORED,
    EVENT_FULFILLED,
    EVENT_REQUESTED,
    Coordinator,
    connect,
    evm_blockhashes,
    is_connectivity_error,
)
from oracle.daemon.log import JsonLog
from oracle.daemon.metrics import DaemonMetrics
from oracle.daemon.sender import Outcome, TxSender
from oracle.daemon.work import (
    BLOCKHASH_WINDOW,
    ClaimKind,
    GasModel,
    Proven,
    Prover,
    Request,
    RequestBook,
    gas_with_margin,
    plan_batch,
)

T = TypeVar("T")

STORE_LABEL = "storeBlockhash"


@dataclass
class DaemonConfig:
    rpc_url: str
    chain_id: int
    coordinator_address: str
    coordinator_abi: list[dict[str, Any]]
    deployment_block: int
    confirmations: int = 0
    gas_budget: int = 5_000_000
    max_batch: int = 100
    max_in_flight: int = 4
    poll_interval: float = 0.25
    stuck_after: float = 30.0
    expire_overdue: bool = False
    scan_chunk: int = 2_000
    park_blocks: int = 2
    park_seconds: float = 5.0
    checkpoint: Path | None = None
    backoff_initial: float = 0.25
    backoff_max: float = 5.0
    startup_quiet_wait: float = 10.0
    gas_margin: float = 0.15
    # storeBlockhash for open requests of our key once their block is this old (or at once when
    # their fulfilment failed), so they stay fulfillable after BLOCKHASH's 256 blocks.
    store_blockhashes: bool = True
    store_after_blocks: int = 200


def _cached(cache: OrderedDict[int, T], key: int, compute: Callable[[], T], size: int = 1024) -> T:
    """A small LRU-ish cache: compute on miss, drop the oldest entries past `size`."""
    if key in cache:
        return cache[key]
    value = cache[key] = compute()
    while len(cache) > size:
        cache.popitem(last=False)
    return value


class Shutdown(Exception):
    """Raised inside the loop once a stop was requested."""


class WrongChain(Exception):
    """The node serves another chain than the deployment's: retrying cannot help."""


@dataclass
class _Caches:
    block_times: OrderedDict[int, int] = field(default_factory=OrderedDict)
    block_hashes: OrderedDict[int, bytes] = field(default_factory=OrderedDict)
    proofs: dict[int, Proven] = field(default_factory=dict)


class OracleDaemon:
    def __init__(
        self,
        config: DaemonConfig,
        prover: Prover,
        account: LocalAccount,
        log: JsonLog | None = None,
        metrics: DaemonMetrics | None = None,
        stop_event: threading.Event | None = None,
        stop_signals: list[str] | None = None,
    ) -> None:
        """`stop_signals`: where the process's signal handler records the signals that asked for
        `stop_event` (a handler must not log: ops.cli.oracle.stop_handler); logged at the stop."""
        self.config = config
        self.prover = prover
        self.account = account
        self.log = log or JsonLog()
        self.metrics = metrics or DaemonMetrics()
        self.stop_event = stop_event or threading.Event()
        self.stop_signals = stop_signals if stop_signals is not None else []
        self.w3 = connect(config.rpc_url)
        self.coordinator = Coordinator(self.w3, config.coordinator_address, config.coordinator_abi)
        self.sender = TxSender(self.w3, account, config.chain_id, self.log, stuck_after=config.stuck_after)
        self.timeout_seconds = 0  # the coordinator's timeoutSeconds, read at startup
        self.book = RequestBook(prover.key_hash)
        self.cursor = config.deployment_block  # next block to scan
        self.last_head = -1
        self.gas_model = GasModel()
        self.caches = _Caches()
        self._last_checkpoint: int | None = None
        self._warned_stranded: set[int] = set()
        self._warned_store: set[int] = set()
        self._store_txs: dict[int, int] = {}  # nonce of our storeBlockhash tx -> its block number
        self._store_retry: dict[int, tuple[int, float]] = {}  # block -> not retried before (block, time)
        self._last_revert = ""

    # ---- lifecycle -------------------------------------------------------------------------

    def stop(self) -> None:
        self.stop_event.set()

    def _sleep(self, seconds: float) -> None:
        if self.stop_event.wait(seconds):
            raise Shutdown

    def run(self) -> int:
        """Serve until stop(); never returns on RPC failures, only on shutdown."""
        self.log.info(
            "daemon_starting",
            oracle=self.account.address,
            key_hash=self.prover.key_hash,
            coordinator=self.coordinator.address,
            rpc=self.config.rpc_url,
            confirmations=self.config.confirmations,
            gas_budget=self.config.gas_budget,
            store_blockhashes=self.config.store_blockhashes,
        )
        started = False
        outage_since: float | None = None
        backoff = self.config.backoff_initial
        try:
            while not self.stop_event.is_set():
                try:
                    if not started:
                        self._startup()
                        started = True
                    elif outage_since is not None:
                        self.rebuild("rpc_restored")
                    if outage_since is not None:
                        self.log.info("rpc_restored", down_seconds=round(time.monotonic() - outage_since, 2))
                        outage_since = None
                    busy = self.tick()
                    backoff = self.config.backoff_initial
                    # Straight on after progress: a sent transaction's receipt may already be in.
                    self._sleep(0 if busy else self.config.poll_interval)
                except (Shutdown, WrongChain):
                    raise
                except Exception as exc:  # noqa: BLE001 - the daemon must outlive every failure
                    if is_connectivity_error(exc):
                        if outage_since is None:
                            outage_since = time.monotonic()
                            self.metrics.failures.labels("rpc").inc()
                            self.log.warning("rpc_unavailable", error=type(exc).__name__, detail=str(exc)[:200])
                    else:
                        self.metrics.failures.labels("internal").inc()
                        self.log.error(
                            "loop_error",
                            error=type(exc).__name__,
                            detail=str(exc)[:500],
                            trace=traceback.format_exc(limit=8),
                        )
                    self._sleep(backoff)
                    backoff = min(backoff * 2, self.config.backoff_max)
        except Shutdown:
            pass
        except WrongChain as exc:
            self.log.error("wrong_chain", detail=str(exc))
            return 2
        if self.stop_signals:
            self.log.info("signal", signal=self.stop_signals[0])
        self.log.info("daemon_stopped", pending=len(self.book), in_flight=len(self.sender.in_flight))
        return 0

    def _startup(self) -> None:
        chain_id = int(self.w3.eth.chain_id)
        if chain_id != self.config.chain_id:
            raise WrongChain(f"the node serves chain {chain_id}, the deployment is on {self.config.chain_id}")
        self.timeout_seconds = self.coordinator.timeout_seconds()
        self._wait_for_quiet_account()
        self.sender.sync_nonce()
        self.rebuild("startup")

    def _wait_for_quiet_account(self) -> None:
        """Give transactions an earlier life left in the mempool a moment to mine, so the
        rebuild sees their fulfilments instead of proving those requests again."""
        deadline = time.monotonic() + self.config.startup_quiet_wait
        while True:
            mined, pending = self.sender.chain_nonce("latest"), self.sender.chain_nonce("pending")
            if mined >= pending:
                return
            if time.monotonic() >= deadline:
                self.log.warning("earlier_txs_still_pending", mined_nonce=mined, pending_nonce=pending)
                return
            self._sleep(self.config.poll_interval)

    # ---- rebuilding open work from chain state ---------------------------------------------

    def _scan_start(self) -> int:
        start = self.config.deployment_block
        checkpoint = self._read_checkpoint()
        if checkpoint is not None and checkpoint > start:
            start = checkpoint
        return start

    def rebuild(self, reason: str) -> None:
        """Replace the book with requested - fulfilled - expired from chain events, each open
        request confirmed with isPending; our in-flight transactions keep their claims."""
        head = int(self.w3.eth.block_number)
        start = self._scan_start()
        if start > head + 1:
            self.log.warning("checkpoint_ahead_of_chain", checkpoint=start, head=head)
            start = self.config.deployment_block
        self.book = RequestBook(self.prover.key_hash, self.timeout_seconds)
        self.cursor = start
        self.last_head = head
        self._scan(head)
        for request_id, pending in self.coordinator.pending_flags(list(self.book.open)).items():
            if not pending:
                self.book.resolved(request_id)
        for tx in self.sender.in_flight.values():
            if tx.label == STORE_LABEL:
                if tx.nonce in self._store_txs:
                    self.book.claim_store(self._store_txs[tx.nonce], tx.nonce)
                continue
            kind = ClaimKind.EXPIRE if tx.label == "expire" else ClaimKind.FULFIL
            self.book.claim(tx.request_ids, kind, tx.nonce)
        # Proofs depend on block hashes, which a rewound or restarted node may have changed.
        self.caches = _Caches()
        self.metrics.pending.set(len(self.book))
        self.log.info(
            "rebuilt",
            reason=reason,
            from_block=start,
            head=head,
            open=len(self.book),
            open_ids=sorted(self.book.open)[:50],
            stored_blockhashes=len(self.book.stored),
            timeout_seconds=self.timeout_seconds,
        )

    def _scan(self, head: int) -> None:
        """Apply confirmed coordinator events from the cursor up to head - confirmations."""
        confirmed = head - self.config.confirmations
        while self.cursor <= confirmed:
            to_block = min(confirmed, self.cursor + self.config.scan_chunk - 1)
            for event in self.coordinator.logs(self.cursor, to_block):
                if event.name == EVENT_REQUESTED:
                    assert event.request is not None
                    if self.book.requested(event.request):
                        self.metrics.requests_seen.inc()
                        self.log.info(
                            "request_seen",
                            request_id=event.request_id,
                            block=event.block_number,
                            consumer=event.request.consumer,
                            deadline_block=event.request.deadline_block,
                            deadline_time=event.request.deadline_time,
                            num_words=event.request.num_words,
                        )
                elif event.name == EVENT_BLOCKHASH_STORED:
                    assert event.stored_hash is not None
                    if self.book.blockhash_stored(event.request_id, event.stored_hash):
                        self.log.info(
                            "blockhash_stored",
                            block=event.request_id,
                            in_block=event.block_number,
                            tx=event.tx_hash,
                        )
                elif self.book.resolved(event.request_id) is not None:
                    self.caches.proofs.pop(event.request_id, None)
                    self.log.info(
                        "request_resolved",
                        request_id=event.request_id,
                        how="fulfilled" if event.name == EVENT_FULFILLED else "expired",
                        block=event.block_number,
                        tx=event.tx_hash,
                    )
            self.cursor = to_block + 1
        for request_id in self.book.lapse_claims(confirmed):
            self.log.warning("claim_lapsed", request_id=request_id, confirmed_through=confirmed)
        self.metrics.pending.set(len(self.book))

    # ---- the loop body ---------------------------------------------------------------------

    def tick(self) -> bool:
        """One round of follow, collect, fulfil. True when it made progress (a transaction
        mined or sent), so the loop goes again without waiting."""
        latest = self.w3.eth.get_block("latest")
        head = int(latest["number"])
        # The next block's timestamp is at least the latest one's: deadlines are judged with it,
        # so a request is never taken for expired early (the pending-block call before each
        # transaction has the last word).
        next_time = int(latest["timestamp"])
        self.metrics.head_block.set(head)
        if head < self.last_head:
            self.log.warning("chain_rewound", head=head, previous_head=self.last_head)
            self.rebuild("chain_rewound")
        self.last_head = head
        # Outcomes before the scan: our receipts find their requests still open (for latency),
        # and the scan that follows resolves them.
        replaced_before = self.sender.replacements
        outcomes = self.sender.poll()
        self._handle_outcomes(outcomes)
        self.metrics.txs_replaced.inc(self.sender.replacements - replaced_before)
        in_flight_before = len(self.sender.in_flight)
        self._scan(head)
        next_block = head + 1
        if self.config.expire_overdue:
            self._expire_overdue(next_block, next_time)
        if self.config.store_blockhashes:
            self._store_blockhashes(next_block, next_time)
        self._warn_stranded(next_block, next_time)
        candidates = self.book.fulfillable(next_block, next_time, time.monotonic())
        if candidates and len(self.sender.in_flight) < self.config.max_in_flight:
            self._fulfil(candidates[: self.config.max_batch], next_block)
        self.metrics.in_flight_txs.set(len(self.sender.in_flight))
        self.metrics.pending.set(len(self.book))
        self._write_checkpoint()
        return bool(outcomes) or len(self.sender.in_flight) > in_flight_before

    def _block_time(self, number: int) -> int:
        return _cached(self.caches.block_times, number, lambda: int(self.w3.eth.get_block(number)["timestamp"]))

    def _park(self, request_id: int, next_block: int) -> None:
        self.book.park(request_id, next_block + self.config.park_blocks, time.monotonic() + self.config.park_seconds)

    def _prove_all(self, requests: list[Request], next_block: int) -> list[Request]:
        """Prove (or take from cache) each request; returns those proven, parks the rest."""
        hashes = self.caches.block_hashes
        stored = self.book.stored  # past BLOCKHASH's window the coordinator reads these
        missing = {
            r.block_num for r in requests if r.request_id not in self.caches.proofs and r.block_num not in stored
        } - set(hashes)
        hashes.update(evm_blockhashes(self.w3, missing))
        while len(hashes) > 1024:
            hashes.popitem(last=False)
        proven: list[Request] = []
        for request in requests:
            if request.request_id not in self.caches.proofs:
                try:
                    block_hash = stored.get(request.block_num) or hashes[request.block_num]
                    self.caches.proofs[request.request_id] = self.prover.prove(request.pre_seed, block_hash)
                except (KeyError, ValueError) as exc:
                    self.metrics.failures.labels("prove").inc()
                    self.log.error("prove_failed", request_id=request.request_id, detail=repr(exc))
                    self._park(request.request_id, next_block)
                    continue
            proven.append(request)
        return proven

    def _estimate(self, data: str) -> int | None:
        try:
            return int(
                self.w3.eth.estimate_gas(
                    {"from": self.account.address, "to": self.coordinator.address, "data": data},  # type: ignore[typeddict-item]
                    "pending",
                )
            )
        except (ContractLogicError, ContractCustomError) as exc:
            self._last_revert = self.coordinator.describe_revert(exc)
            return None
        except Web3RPCError as exc:
            if "revert" not in str(exc).lower() and "execution" not in str(exc).lower():
                raise
            self._last_revert = self.coordinator.describe_revert(exc)
            return None

    def _fulfil_data(self, requests: list[Request]) -> str:
        return self.coordinator.fulfil_data([self.caches.proofs[r.request_id].proof for r in requests], requests)

    def _fulfil(self, candidates: list[Request], next_block: int) -> None:
        if not self.gas_model.calibrated:
            # Learn from the cheapest estimate there is: the first request alone.
            first = self._prove_all(candidates[:1], next_block)
            if not first:
                return
            estimated = self._estimate(self._fulfil_data(first))
            if estimated is None:
                self._isolate_reverting(first, next_block)
                return
            self.gas_model.learn(first, estimated)
        # Size the batch first, then prove only what goes into it.
        plan = plan_batch(
            candidates,
            self.config.gas_budget,
            self.gas_model.typical(candidates),
            self.gas_model.predict,
            margin=self.config.gas_margin,
            max_batch=self.config.max_batch,
        )
        proven = self._prove_all(plan.requests, next_block)
        if len(proven) != len(plan.requests):
            return  # the next tick plans again without the parked ones
        data = self._fulfil_data(plan.requests)
        gas = plan.gas_limit
        if not self._succeeds(data, gas):
            # The model fell short, or an entry reverts: ask the node for the real figure.
            estimated = self._estimate(data)
            if estimated is None:
                self._isolate_reverting(plan.requests, next_block)
                return
            self.gas_model.learn(plan.requests, estimated)
            gas = gas_with_margin(estimated, self.config.gas_margin)
            if gas > self.config.gas_budget and len(plan.requests) > 1:
                self.log.info("gas_model_recalibrated", per_request=self.gas_model.per_request)
                return  # the next tick plans a smaller batch with the corrected model
        if gas > self.config.gas_budget:
            self.log.warning(
                "over_gas_budget",
                request_id=plan.requests[0].request_id,
                gas=gas,
                gas_budget=self.config.gas_budget,
            )
        ids = tuple(r.request_id for r in plan.requests)
        label = "fulfil" if len(ids) == 1 else "fulfilBatch"
        self._send_claimed(data, gas, label, ids, ClaimKind.FULFIL)

    def _succeeds(self, data: str, gas: int) -> bool:
        """Whether the transaction would succeed with `gas` as its limit, in the pending block."""
        call = {"from": self.account.address, "to": self.coordinator.address, "data": data, "gas": gas}
        try:
            self.w3.eth.call(call, "pending")  # type: ignore[arg-type]
            return True
        except (ContractLogicError, ContractCustomError) as exc:
            self._last_revert = self.coordinator.describe_revert(exc)
            return False
        except Web3RPCError as exc:
            self._last_revert = self.coordinator.describe_revert(exc)
            return False

    def _send_claimed(self, data: str, gas: int, label: str, ids: tuple[int, ...], kind: ClaimKind) -> None:
        # Claim before broadcasting: a broadcast cut off by an outage is re-sent from `poll`
        # and its requests must not go out again in another transaction meanwhile.
        tx = self.sender.prepare(self.coordinator.address, data, gas, label, ids)
        self.book.claim(ids, kind, tx.nonce)
        self.sender.broadcast(tx)

    def _isolate_reverting(self, requests: list[Request], next_block: int) -> None:
        """A batch would revert: find the entries that do, settle or park them, retry the rest."""
        for request in requests:
            if self._estimate(self._fulfil_data([request])) is not None:
                continue
            reason = self._last_revert
            if not self.coordinator.is_pending(request.request_id):
                self.book.resolved(request.request_id)
                self.log.info("request_not_pending", request_id=request.request_id, reason=reason)
                continue
            self.metrics.failures.labels("fulfil_reverts").inc()
            self._park(request.request_id, next_block)
            # Prove afresh on the retry, from a freshly read block hash.
            self.caches.proofs.pop(request.request_id, None)
            self.caches.block_hashes.pop(request.block_num, None)
            self.log.warning("fulfil_would_revert", request_id=request.request_id, reason=reason)

    def _expire_overdue(self, next_block: int, next_time: int) -> None:
        for request in self.book.expirable(next_block, next_time, time.monotonic()):
            if len(self.sender.in_flight) >= self.config.max_in_flight:
                return
            data = self.coordinator.expire_data(request)
            estimated = self._estimate(data)
            if estimated is None:
                self._park(request.request_id, next_block)
                self.log.warning(
                    "expire_would_revert",
                    request_id=request.request_id,
                    reason=self._last_revert,
                )
                continue
            gas = min(int(estimated * (1 + self.config.gas_margin)) + 1, max(self.config.gas_budget, estimated))
            self._send_claimed(data, gas, "expire", (request.request_id,), ClaimKind.EXPIRE)

    def _store_blockhashes(self, next_block: int, next_time: int) -> None:
        """Send storeBlockhash for each request block the book says needs it, unless someone
        stored it already."""
        for block_num in self.book.blocks_to_store(next_block, next_time, self.config.store_after_blocks):
            if len(self.sender.in_flight) >= self.config.max_in_flight:
                return
            until_block, until_time = self._store_retry.get(block_num, (0, 0.0))
            if next_block < until_block and time.monotonic() < until_time:
                continue
            already = self.coordinator.stored_blockhash(block_num)
            if any(already):
                self.book.blockhash_stored(block_num, already)
                self.log.info("blockhash_already_stored", block=block_num)
                continue
            data = self.coordinator.store_blockhash_data(block_num)
            estimated = self._estimate(data)
            if estimated is None:
                self._park_store(block_num, next_block)
                if block_num not in self._warned_store:
                    self._warned_store.add(block_num)
                    self.log.warning("store_would_revert", block=block_num, reason=self._last_revert)
                continue
            ids = tuple(rid for rid, r in self.book.open.items() if r.block_num == block_num)
            tx = self.sender.prepare(
                self.coordinator.address, data, gas_with_margin(estimated, self.config.gas_margin), STORE_LABEL, ids
            )
            self.book.claim_store(block_num, tx.nonce)
            self._store_txs[tx.nonce] = block_num
            self.log.info("blockhash_store_sent", block=block_num, nonce=tx.nonce, request_ids=list(ids))
            self.sender.broadcast(tx)

    def _park_store(self, block_num: int, next_block: int) -> None:
        """Try storing `block_num` again only after park_blocks blocks or park_seconds."""
        self._store_retry[block_num] = (
            next_block + self.config.park_blocks,
            time.monotonic() + self.config.park_seconds,
        )
        for stale in [b for b in self._store_retry if next_block - b > BLOCKHASH_WINDOW]:
            del self._store_retry[stale]

    def _store_outcome(self, outcome: Outcome) -> None:
        """A storeBlockhash of ours left the mempool. Reverted: most likely someone stored the
        hash first, which storedBlockhash tells; otherwise the next tick tries again while the
        hash is readable."""
        tx, receipt = outcome.tx, outcome.receipt
        block_num = self._store_txs.pop(tx.nonce, None)
        if receipt is None or int(receipt["status"]) != 1:
            self.book.release_nonce(tx.nonce)
            if block_num is None:
                return
            already = self.coordinator.stored_blockhash(block_num)
            if any(already):
                self.book.blockhash_stored(block_num, already)
                self.log.info("blockhash_already_stored", block=block_num, nonce=tx.nonce)
            elif receipt is None:
                self.log.warning("tx_superseded", nonce=tx.nonce, label=tx.label, block=block_num)
            else:
                self._park_store(block_num, int(receipt["blockNumber"]) + 1)
                self.metrics.failures.labels("store_reverted").inc()
                self.log.warning("store_reverted", block=block_num, nonce=tx.nonce)
            return
        self.book.mark_mined(tx.nonce, int(receipt["blockNumber"]))
        self.log.info("blockhash_store_mined", block=block_num, nonce=tx.nonce, in_block=int(receipt["blockNumber"]))

    def _warn_stranded(self, next_block: int, next_time: int) -> None:
        for request in self.book.stranded(next_block, next_time):
            if request.request_id not in self._warned_stranded:
                self._warned_stranded.add(request.request_id)
                self.log.warning(
                    "request_stranded",
                    request_id=request.request_id,
                    block=request.block_num,
                    deadline_block=request.deadline_block,
                    deadline_time=request.deadline_time,
                    reason="blockhash no longer available and not stored; left to expiry",
                )

    def _handle_outcomes(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            tx = outcome.tx
            receipt = outcome.receipt
            if receipt is not None:
                gas_used = int(receipt["gasUsed"])
                price = int(receipt.get("effectiveGasPrice", 0) or 0)
                self.metrics.gas_spent.inc(gas_used)
                self.metrics.fees_spent_wei.inc(gas_used * price)
            if tx.label == STORE_LABEL:
                self._store_outcome(outcome)
                continue
            if receipt is None:
                released = self.book.release_nonce(tx.nonce)
                self.log.warning("tx_superseded", nonce=tx.nonce, label=tx.label, released=released)
                continue
            tx_hash = "0x" + bytes(receipt["transactionHash"]).hex()
            block = int(receipt["blockNumber"])
            if int(receipt["status"]) != 1:
                released = self.book.release_nonce(tx.nonce)
                for request_id in released:
                    self._park(request_id, block + 1)
                self.metrics.failures.labels("tx_reverted").inc()
                self.log.error("tx_reverted", tx=tx_hash, nonce=tx.nonce, label=tx.label, gas_used=gas_used)
                continue
            self.book.mark_mined(tx.nonce, block)
            if tx.label == "expire":
                for request_id in self.coordinator.expired_in(receipt) & set(tx.request_ids):
                    self.metrics.requests_expired.inc()
                    self.log.info("expired", request_id=request_id, tx=tx_hash, block=block)
                continue
            done = self.coordinator.fulfilled_in(receipt) & set(tx.request_ids)
            now = time.time()
            for request_id in tx.request_ids:
                request = self.book.open.get(request_id)
                if request_id not in done:
                    self.log.info("skipped_in_batch", request_id=request_id, tx=tx_hash)
                    continue
                self.metrics.requests_fulfilled.inc()
                latency = None
                if request is not None:
                    latency = max(0.0, now - self._block_time(request.block_num))
                    self.metrics.fulfil_latency.observe(latency)
                self.log.info(
                    "fulfilled",
                    request_id=request_id,
                    tx=tx_hash,
                    block=block,
                    nonce=tx.nonce,
                    batch=len(tx.request_ids),
                    gas_used=gas_used,
                    latency_s=latency,
                )

    # ---- checkpoint ------------------------------------------------------------------------

    def _read_checkpoint(self) -> int | None:
        path = self.config.checkpoint
        if path is None or not path.exists():
            return None
        try:
            data = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError):
            return None
        if data.get("chainId") != self.config.chain_id or data.get("coordinator") != self.coordinator.address:
            return None
        return int(data.get("block", 0))

    def _write_checkpoint(self) -> None:
        path = self.config.checkpoint
        if path is None:
            return
        mark = self.book.low_water_mark(self.cursor - 1)
        if mark == self._last_checkpoint:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(
            json.dumps({"chainId": self.config.chain_id, "coordinator": self.coordinator.address, "block": mark})
        )
        tmp.replace(path)
        self._last_checkpoint = mark
