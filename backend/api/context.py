"""What the API's routes share: its settings, its Prometheus metrics and the per-process context
(the store, token symbols, the manifest, an RPC client, the live feed)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from sqlalchemy import Engine

from backend.api import models
from backend.api.live import LiveFeed
from backend.rpc import RpcClient, RpcError, RpcTransportError
from backend.store.db import open_store
from fairstake.manifest import Manifest, ManifestError, load_manifest


@dataclass
class Settings:
    db: str | None = None
    deployment: Path | None = None
    rpc_url: str | None = None
    cors_origins: list[str] = field(default_factory=lambda: ["*"])
    static_dir: Path | None = None
    feed_interval: float = 0.1
    anomaly_max_bets: int = 100
    anomaly_withdrawal_share: float = 0.5
    anomaly_funding_players: int = 3

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ

        def path(name: str) -> Path | None:
            return Path(env[name]) if env.get(name) else None

        return cls(
            db=env.get("FAIRSTAKE_API_DB") or None,
            deployment=path("FAIRSTAKE_API_DEPLOYMENT"),
            rpc_url=env.get("FAIRSTAKE_API_RPC") or None,
            cors_origins=[o for o in env.get("FAIRSTAKE_API_CORS", "*").split(",") if o],
            static_dir=path("FAIRSTAKE_API_STATIC"),
        )

    def to_env(self) -> dict[str, str]:
        return {
            "FAIRSTAKE_API_DB": self.db or "",
            "FAIRSTAKE_API_DEPLOYMENT": str(self.deployment or ""),
            "FAIRSTAKE_API_RPC": self.rpc_url or "",
            "FAIRSTAKE_API_CORS": ",".join(self.cors_origins),
            "FAIRSTAKE_API_STATIC": str(self.static_dir or ""),
        }


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "fairstake_api_requests", "API requests", ["route", "method", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "fairstake_api_request_seconds",
            "API request latency",
            ["route"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1, 5),
            registry=self.registry,
        )
        self.indexed_block = Gauge("fairstake_indexed_block", "Last block the store holds", registry=self.registry)
        self.chain_head = Gauge("fairstake_chain_head", "Chain head seen by the API", registry=self.registry)
        self.ws_clients = Gauge("fairstake_ws_clients", "Connected live-feed clients", registry=self.registry)
        self.events = Gauge("fairstake_indexed_events", "Events in the store", registry=self.registry)


class Context:
    """What every request needs: the store, token symbols, the manifest, an RPC client."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine: Engine = open_store(settings.db)
        self.manifest: Manifest | None = None
        if settings.deployment is not None:
            try:
                self.manifest = load_manifest(settings.deployment)
            except ManifestError:
                self.manifest = None  # served as 404 on /deployment; the API still works
        self.symbols: dict[str, str] = {t.address: s for s, t in self.manifest.tokens.items()} if self.manifest else {}
        rpc_url = settings.rpc_url or (self.manifest.rpc_url if self.manifest else None)
        self.rpc = RpcClient(rpc_url, timeout=10, max_retries=1) if rpc_url else None
        self.feed = LiveFeed(self.engine, settings.feed_interval)
        self.metrics = Metrics()
        self.leaderboard_cache: dict[tuple[Any, ...], models.Leaderboard] = {}
        self.feed.listeners.append(lambda _uid: self.leaderboard_cache.clear())
        self.tx_senders: dict[str, str] = {}

    def vault(self) -> str | None:
        if self.manifest and "Vault" in self.manifest.contracts:
            return self.manifest.contracts["Vault"].address
        return None

    def senders(self, txs: list[str]) -> dict[str, str]:
        """tx hash → sender, from the node (cached; deposits name the player, not who paid)."""
        missing = [tx for tx in txs if tx not in self.tx_senders]
        if missing and self.rpc is not None:
            try:
                for start in range(0, len(missing), 100):
                    chunk = missing[start : start + 100]
                    results = self.rpc.batch([("eth_getTransactionByHash", [tx]) for tx in chunk], retry=False)
                    for tx, result in zip(chunk, results, strict=True):
                        if isinstance(result, dict) and result.get("from"):
                            self.tx_senders[tx] = result["from"]
            except (RpcError, RpcTransportError):
                pass
        return {tx: self.tx_senders[tx] for tx in txs if tx in self.tx_senders}
