"""Request -> fulfil latency of the oracle daemon under a steady request load on anvil.

A requester thread sends TestConsumer requests at a fixed rate; a watcher polls the
coordinator's RandomnessFulfilled logs. Latency is wall time from the request's receipt to
the watcher seeing its fulfilment, so it includes the daemon's poll interval, proving,
estimating, sending and mining (anvil automine: one block per transaction), plus up to one
watcher poll (10 ms)."""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from ops.chain import LocalChain
from ops.oracle_devnet import DaemonProcess, abi_of, deploy, dev_account
from oracle.daemon.chain import EVENT_FULFILLED, Coordinator

WATCH_INTERVAL = 0.01


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    rank = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[rank]


def measure_request_to_fulfil_latency(
    requests: int = 60,
    rate_per_second: float = 10.0,
    callback_gas: int = 100_000,
    num_words: int = 2,
    poll_interval: float = 0.05,
    timeout: float = 120.0,
) -> dict[str, Any]:
    """Run a fresh anvil + daemon, send `requests` requests at `rate_per_second`, and return
    the latency percentiles with a description of the load."""
    with tempfile.TemporaryDirectory(prefix="fairstake-bench-") as folder, LocalChain() as node:
        devnet = deploy(node.url, Path(folder))
        daemon = DaemonProcess(devnet, "--poll-interval", str(poll_interval))
        daemon.start()
        try:
            daemon.wait_for("rebuilt", timeout=60)
            requested_at: dict[int, float] = {}
            fulfilled_at: dict[int, float] = {}

            def send_requests() -> None:
                requester = dev_account(1)
                start = time.monotonic()
                for i in range(requests):
                    time.sleep(max(0.0, start + i / rate_per_second - time.monotonic()))
                    request_id = devnet.request(requester, callback_gas=callback_gas, num_words=num_words)
                    requested_at[request_id] = time.monotonic()

            requester = threading.Thread(target=send_requests, daemon=True)
            requester.start()
            watcher = Coordinator(devnet.w3, devnet.coordinator.address, abi_of(devnet.coordinator))
            cursor = devnet.coordinator_block
            deadline = time.monotonic() + timeout
            while len(fulfilled_at) < requests and time.monotonic() < deadline:
                head = int(devnet.w3.eth.block_number)
                if head >= cursor:
                    now = time.monotonic()
                    for event in watcher.logs(cursor, head):
                        if event.name == EVENT_FULFILLED:
                            fulfilled_at.setdefault(event.request_id, now)
                    cursor = head + 1
                time.sleep(WATCH_INTERVAL)
            requester.join(timeout=30)
            fulfil_txs = [e for e in daemon.events() if e.get("event") == "tx_sent"]
        finally:
            daemon.stop()
    latencies = [(fulfilled_at[rid] - requested_at[rid]) * 1000 for rid in requested_at if rid in fulfilled_at]
    if len(latencies) < requests:
        raise RuntimeError(f"only {len(latencies)} of {requests} requests were fulfilled within {timeout}s")
    return {
        "request_to_fulfil_ms_p50": round(_percentile(latencies, 0.50), 1),
        "request_to_fulfil_ms_p95": round(_percentile(latencies, 0.95), 1),
        "request_to_fulfil_ms_max": round(max(latencies), 1),
        "request_to_fulfil_ms_mean": round(statistics.fmean(latencies), 1),
        "requests": requests,
        "fulfil_transactions": len(fulfil_txs),
        "load": (
            f"{requests} requests at {rate_per_second:g}/s from one requester, {num_words} words, "
            f"{callback_gas} callback gas; anvil automine (one block per tx); daemon subprocess, "
            f"poll {poll_interval * 1000:g} ms, confirmations 0"
        ),
    }
