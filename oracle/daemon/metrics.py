"""Prometheus metrics of the oracle daemon, on a registry of its own so several daemons (or
tests) in one process never clash on metric names."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

# Request block time -> fulfil receipt seen; block timestamps have one-second resolution.
LATENCY_BUCKETS = (0.5, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 300, 600, float("inf"))


@dataclass
class DaemonMetrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        prefix = "fairstake_oracle"
        r = self.registry
        self.requests_seen = Counter(
            f"{prefix}_requests_seen",
            "RandomnessRequested events for our key this process has seen",
            registry=r,
        )
        self.requests_fulfilled = Counter(
            f"{prefix}_requests_fulfilled",
            "Requests this daemon fulfilled (RandomnessFulfilled in our receipts)",
            registry=r,
        )
        self.requests_expired = Counter(
            f"{prefix}_requests_expired", "Requests this daemon expired after their deadline", registry=r
        )
        self.pending = Gauge(f"{prefix}_pending", "Requests for our key still waiting for a fulfilment", registry=r)
        self.in_flight_txs = Gauge(f"{prefix}_in_flight_txs", "Sent transactions not yet mined", registry=r)
        self.fulfil_latency = Histogram(
            f"{prefix}_fulfil_latency_seconds",
            "Request block timestamp to fulfil receipt seen",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.failures = Counter(
            f"{prefix}_failures",
            "Failures by kind (rpc, tx_reverted, send, prove, ...)",
            ["kind"],
            registry=r,
        )
        self.gas_spent = Counter(f"{prefix}_gas_spent", "Gas used by our mined transactions", registry=r)
        self.fees_spent_wei = Counter(f"{prefix}_fees_spent_wei", "Wei paid for our mined transactions", registry=r)
        self.txs_replaced = Counter(f"{prefix}_txs_replaced", "Stuck transactions re-sent with bumped fees", registry=r)
        self.head_block = Gauge(f"{prefix}_head_block", "Latest block number seen on the node", registry=r)

    def serve(self, port: int, addr: str = "127.0.0.1") -> None:
        """Expose /metrics over HTTP on a daemon thread."""
        start_http_server(port, addr=addr, registry=self.registry)
