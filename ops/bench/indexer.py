"""`fairstake bench indexer`: ingestion and API figures on a local anvil, ending with ONE JSON line.

Generator: IndexerTestEmitter (contracts/test) emits events with the exact signatures of the
platform contracts, thousands per transaction: Vault deposits, and complete Dice bets (Vault
Locked, coordinator RandomnessRequested, Dice BetPlaced, Dice BetSettled, Vault Settled — five
events per bet, as the real flow emits them). The manifest registers the emitter under the
Vault, Dice and RandomnessCoordinator names, so the indexer decodes and projects every event
exactly as it would the real contracts' (balances, locks, bets, requests, statistics).

Figures (same node, same run):
- raw_getlogs_events_per_s: eth_getLogs for all events in ~10k-event ranges, JSON parsed, nothing else;
- backfill_events_per_s_sqlite / _postgres: a fresh `Indexer` from the deployment block to the head
  (fetch, decode, raw log, projections, cursor — the same code as `fairstake index`), inline; and
  backfill_events_per_s_sqlite_fetch_worker with fetching/decoding in the worker process (--workers 1);
- live_lag_blocks: max(head − indexed block) sampled every 20 ms while new blocks arrive every 250 ms;
- api_rps, api_p50_ms, api_p99_ms: `fairstake api` (uvicorn workers) under concurrent keep-alive load,
  half bet lookups (/bets/dice:<id>), half player views (/players/<address>); api_client_cpu: the
  load generator's own CPU (1.0 = one core), which shares the host with the server.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from fairstake import PROJECT_ROOT

ETH = "0x0000000000000000000000000000000000000000"
EVENTS_PER_TX = 2_500
PLAYERS = 2_000
FIRST_PLAYER = 0x10_0000


def _say(message: str) -> None:
    print(f"[bench indexer] {message}", file=sys.stderr, flush=True)


def _artifact() -> dict[str, Any]:
    path = PROJECT_ROOT / "build" / "contracts" / "IndexerTestEmitter.json"
    if not path.exists():
        from brownie import project

        _say("compiling contracts")
        project.load(PROJECT_ROOT, name="FairstakeBench")
    return dict(json.loads(path.read_text()))


class Generator:
    """Deploys the emitter on `url` and fills the chain with platform events."""

    def __init__(self, url: str) -> None:
        from ops.chain import rpc_call

        self.url = url
        self.rpc_call = rpc_call
        self.account = str(rpc_call(url, "eth_accounts")[0])  # type: ignore[index]
        artifact = _artifact()
        self.abi: list[dict[str, Any]] = artifact["abi"]
        code = artifact["bytecode"] if artifact["bytecode"].startswith("0x") else "0x" + artifact["bytecode"]
        receipt = self._send({"data": code, "gas": hex(10_000_000)})
        self.address = str(receipt["contractAddress"])
        self.block = int(receipt["blockNumber"], 16)
        self.bets = 0

    def _send(self, tx: dict[str, Any]) -> dict[str, Any]:
        tx_hash = self.rpc_call(self.url, "eth_sendTransaction", [{"from": self.account, **tx}])
        while True:
            receipt = self.rpc_call(self.url, "eth_getTransactionReceipt", [tx_hash])
            if receipt:
                assert isinstance(receipt, dict) and receipt["status"] == "0x1", receipt
                return receipt
            time.sleep(0.005)

    def _call(self, signature: str, types: list[str], args: list[Any]) -> dict[str, Any]:
        from eth_abi import encode
        from eth_utils import function_signature_to_4byte_selector

        data = function_signature_to_4byte_selector(signature) + encode(types, args)
        return self._send({"to": self.address, "data": "0x" + data.hex(), "gas": hex(29_000_000)})

    def deposits(self, count: int) -> None:
        self._call(
            "deposits(address,uint256,uint256,uint160,uint160)",
            ["address", "uint256", "uint256", "uint160", "uint160"],
            [ETH, 10**18, count, FIRST_PLAYER, PLAYERS],
        )

    def dice_bets(self, count: int, target: int = 50) -> None:
        self._call(
            "diceBets(address,uint256,uint8,uint256,uint160,uint160)",
            ["address", "uint256", "uint8", "uint256", "uint160", "uint160"],
            [ETH, 10**16, target, count, FIRST_PLAYER, PLAYERS],
        )
        self.bets += count

    def fill(self, events: int) -> int:
        """At least `events` events: one deposit per player first, then Dice bets."""
        emitted = 0
        for start in range(0, PLAYERS, EVENTS_PER_TX):
            count = min(EVENTS_PER_TX, PLAYERS - start)
            self.deposits(count)
            emitted += count
        while emitted < events:
            self.dice_bets(EVENTS_PER_TX // 5)
            emitted += EVENTS_PER_TX
        return emitted

    def manifest(self) -> Any:
        from fairstake.manifest import DeployedContract, Manifest, Token

        def events_of(names: set[str]) -> list[dict[str, Any]]:
            return [e for e in self.abi if e.get("type") == "event" and e.get("name") in names]

        roles = {
            "Vault": {"Deposited", "Withdrawn", "Locked", "Settled"},
            "Dice": {"BetPlaced", "BetSettled"},
            "RandomnessCoordinator": {"RandomnessRequested"},
        }
        return Manifest(
            chain_id=int(str(self.rpc_call(self.url, "eth_chainId")), 16),
            rpc_url=self.url,
            deployment_block=self.block,
            contracts={
                name: DeployedContract(name, self.address, self.block, events_of(names))
                for name, names in roles.items()
            },
            tokens={"ETH": Token("ETH", ETH, 18)},
        )


def raw_getlogs(url: str, address: str, first: int, last: int, blocks_per_call: int) -> tuple[int, float]:
    from backend.rpc import RpcClient

    rpc = RpcClient(url)
    began = time.perf_counter()
    count = 0
    for start in range(first, last + 1, blocks_per_call):
        end = min(last, start + blocks_per_call - 1)
        count += len(rpc.call("eth_getLogs", [{"fromBlock": hex(start), "toBlock": hex(end), "address": [address]}]))
    seconds = time.perf_counter() - began
    rpc.close()
    return count, seconds


def backfill(manifest: Any, db: str, workers: int = 0) -> tuple[int, float]:
    from backend.ingest.indexer import Indexer, IndexerConfig
    from backend.store.db import open_store
    from backend.store.writer import event_count

    engine = open_store(db, writer=True)
    indexer = Indexer(manifest, engine, manifest.rpc_url, IndexerConfig(progress=False, workers=workers))
    began = time.perf_counter()
    indexer.run(follow=False)
    seconds = time.perf_counter() - began
    count = event_count(engine)
    engine.dispose()
    return count, seconds


def live_lag(generator: Generator, manifest_path: Path, db: str, seconds: float) -> dict[str, float]:
    """Run `fairstake index` following the chain while a block with events arrives every 250 ms."""
    from backend.store.db import open_store
    from backend.store.writer import read_cursor
    from ops.chain import rpc_call
    from ops.cli.api import child_env

    process = subprocess.Popen(
        [sys.executable, "-m", "ops.cli.main", "index", "-d", str(manifest_path), "--db", db, "--quiet",
         "--poll-interval", "0.05"],
        cwd=PROJECT_ROOT, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    engine = open_store(db, run_migrations=False)
    samples: list[int] = []
    stop = threading.Event()

    def produce() -> None:
        while not stop.wait(0.25):
            generator.deposits(50)

    def cursor() -> int:
        with engine.connect() as conn:
            found = read_cursor(conn)
        return found.block_number if found else -1

    try:
        # A block the store does not have yet: once the indexer has it, it is up and following.
        generator.deposits(50)
        head = int(str(rpc_call(generator.url, "eth_blockNumber")), 16)
        deadline = time.monotonic() + 60
        while cursor() < head and time.monotonic() < deadline:
            time.sleep(0.05)
        producer = threading.Thread(target=produce, daemon=True)
        producer.start()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            head = int(str(rpc_call(generator.url, "eth_blockNumber")), 16)
            samples.append(max(0, head - cursor()))
            time.sleep(0.02)
        stop.set()
        producer.join(timeout=5)
    finally:
        process.terminate()
        process.wait(timeout=20)
        engine.dispose()
    return {"max": float(max(samples)), "p50": float(statistics.median(samples)), "samples": float(len(samples))}


async def _load(
    host: str, port: int, paths: list[str], seconds: float, concurrency: int
) -> tuple[list[float], dict[int, int], float]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    async def client(offset: int) -> None:
        reader, writer = await asyncio.open_connection(host, port)
        i = offset
        try:
            while time.perf_counter() < deadline:
                path = paths[i % len(paths)]
                i += concurrency
                began = time.perf_counter()
                writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                status = int(lines[0].split()[1])
                length = next(
                    int(v) for k, _, v in (h.partition(":") for h in lines[1:]) if k.lower() == "content-length"
                )
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - began)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            writer.close()

    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(client(k) for k in range(concurrency)))
    return latencies, statuses, time.perf_counter() - started


def api_load(db: str, manifest_path: Path, bets: int, seconds: float, concurrency: int, workers: int) -> dict[str, Any]:
    from backend.addresses import to_checksum_address
    from ops.cli.api import api_server

    rng = random.Random(1)
    players = [to_checksum_address(f"0x{FIRST_PLAYER + i:040x}") for i in range(PLAYERS)]
    paths = []
    for _ in range(20_000):
        paths.append(f"/bets/dice:{rng.randrange(1, bets + 1)}")
        paths.append(f"/players/{rng.choice(players)}")
    with api_server("--db", db, "--deployment", str(manifest_path), "--workers", str(workers)) as url:
        port = int(url.rsplit(":", 1)[1])
        asyncio.run(_load("127.0.0.1", port, paths[:2000], 1.0, concurrency))  # warm-up
        before = os.times()
        latencies, statuses, elapsed = asyncio.run(_load("127.0.0.1", port, paths, seconds, concurrency))
        after = os.times()
    latencies.sort()
    # The load generator shares the host's cores with the server: its CPU share says whether
    # the client (one Python process) rather than the API limits the figure (1.0 = a full core).
    client_cpu = (after.user + after.system - before.user - before.system) / elapsed
    return {
        "client_cpu": client_cpu,
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "requests": len(latencies),
        "statuses": statuses,
    }


def _postgres_db() -> tuple[str, str] | None:
    """A fresh database on the project-local server (tools/postgres.sh); None when unavailable."""
    done = subprocess.run(
        [str(PROJECT_ROOT / "tools" / "postgres.sh"), "createdb", f"bench_{os.getpid()}_{int(time.time())}"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        _say(f"PostgreSQL unavailable: {done.stderr.strip()[-300:]}")
        return None
    dsn = done.stdout.strip().splitlines()[-1]
    return dsn, dsn.rsplit("/", 1)[1]


def _drop_postgres(dsn: str, name: str) -> None:
    import psycopg2

    conn = psycopg2.connect(dsn.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def run_bench(events: int, api_seconds: float, concurrency: int, workers: int, postgres: bool) -> dict[str, Any]:
    from ops.chain import LocalChain

    result: dict[str, Any] = {"cpus": os.cpu_count()}
    with LocalChain() as chain, tempfile.TemporaryDirectory(prefix="fairstake-bench-") as tmp:
        folder = Path(tmp)
        began = time.perf_counter()
        generator = Generator(chain.url)
        emitted = generator.fill(events)
        head = int(str(generator.rpc_call(chain.url, "eth_blockNumber")), 16)
        _say(f"generated {emitted:,} events in {head - generator.block} blocks in {time.perf_counter() - began:.1f}s")
        result["events"] = emitted
        manifest = generator.manifest()
        manifest_path = manifest.save(folder / "deployment.json")

        count, seconds = raw_getlogs(chain.url, generator.address, generator.block, head, blocks_per_call=4)
        result["raw_getlogs_events_per_s"] = round(count / seconds)
        _say(f"raw eth_getLogs: {count:,} events in {seconds:.2f}s = {count / seconds:,.0f}/s")

        sqlite_db = str(folder / "index.sqlite")
        count, seconds = backfill(manifest, sqlite_db)
        result["backfill_events_per_s_sqlite"] = round(count / seconds)
        result["backfill_ratio_sqlite"] = round(count / seconds / result["raw_getlogs_events_per_s"], 3)
        _say(f"backfill SQLite: {count:,} events in {seconds:.2f}s = {count / seconds:,.0f}/s")
        count, seconds = backfill(manifest, str(folder / "index-worker.sqlite"), workers=1)
        result["backfill_events_per_s_sqlite_fetch_worker"] = round(count / seconds)
        _say(f"backfill SQLite, fetch/decode worker process: {count / seconds:,.0f}/s")

        if postgres and (pg := _postgres_db()) is not None:
            dsn, name = pg
            try:
                count, seconds = backfill(manifest, dsn)
                result["backfill_events_per_s_postgres"] = round(count / seconds)
                result["backfill_ratio_postgres"] = round(count / seconds / result["raw_getlogs_events_per_s"], 3)
                _say(f"backfill PostgreSQL: {count:,} events in {seconds:.2f}s = {count / seconds:,.0f}/s")
            finally:
                _drop_postgres(dsn, name)

        api = api_load(sqlite_db, manifest_path, generator.bets, api_seconds, concurrency, workers)
        result.update(
            api_rps=round(api["rps"]),
            api_p50_ms=round(api["p50_ms"], 2),
            api_p99_ms=round(api["p99_ms"], 2),
            api_requests=api["requests"],
            api_statuses={str(k): v for k, v in api["statuses"].items()},
            api_workers=workers,
            api_concurrency=concurrency,
            api_client_cpu=round(api["client_cpu"], 2),
        )
        _say(
            f"API ({workers} workers, {concurrency} connections): {api['rps']:,.0f} req/s, "
            f"p50 {api['p50_ms']:.2f} ms, p99 {api['p99_ms']:.2f} ms, statuses {api['statuses']}, "
            f"load generator CPU {api['client_cpu']:.0%} of a core"
        )

        lag = live_lag(generator, manifest_path, sqlite_db, seconds=8.0)
        result["live_lag_blocks"] = int(lag["max"])
        result["live_lag_blocks_p50"] = lag["p50"]
        _say(f"live: max lag {lag['max']:.0f} blocks, median {lag['p50']:.0f} over {lag['samples']:.0f} samples")
    return result


def bench_indexer_command(
    events: Annotated[int, typer.Option("--events", min=1_000, help="Events to generate.")] = 100_000,
    api_seconds: Annotated[float, typer.Option("--api-seconds", min=1.0, help="API load duration.")] = 10.0,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, max=1024, help="API connections.")] = 32,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="API worker processes.")] = 2,
    postgres: Annotated[bool, typer.Option("--postgres/--no-postgres", help="Also backfill into PostgreSQL.")] = True,
) -> None:
    """Indexer and API throughput on a local anvil; prints figures, then ONE JSON line."""
    result = run_bench(events, api_seconds, concurrency, workers, postgres)
    print(json.dumps(result, sort_keys=True))
