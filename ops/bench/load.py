"""`fairstake bench load`: K concurrent simulated players for T seconds on anvil with 1 s blocks.

Brings up the real platform pieces (chain, deployment, oracle daemon, indexer), lets K player
threads place Dice bets as fast as their transactions confirm, and reports settled bets/s,
request->settled latency p50/p95/p99 (from the blocks' timestamps, i.e. chain time), peak RSS and
mean CPU of the oracle and indexer processes, and whether any bet was lost or settled twice.
"""

from __future__ import annotations

import contextlib
import io
import random
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fairstake.manifest import ETH
from fairstake.rules import dice as dice_rules
from ops import bankroll
from ops.chain import LocalChain
from ops.deployment import FIRST_PLAYER, LIQUIDITY_PROVIDER
from ops.supervisor import Supervisor

ETHER = 10**18


@dataclass
class ProcessSampler:
    """Samples RSS and CPU of some processes (and their children) until stopped."""

    pids: dict[str, int]
    interval: float = 0.5
    peak_rss: dict[str, int] = field(default_factory=dict)
    cpu_samples: dict[str, list[float]] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        import psutil

        procs = {name: psutil.Process(pid) for name, pid in self.pids.items()}
        for p in procs.values():
            p.cpu_percent(None)
        while not self._stop.wait(self.interval):
            for name, proc in procs.items():
                try:
                    family = [proc, *proc.children(recursive=True)]
                    rss = sum(p.memory_info().rss for p in family)
                    cpu = sum(p.cpu_percent(None) for p in family)
                except psutil.Error:
                    continue
                self.peak_rss[name] = max(self.peak_rss.get(name, 0), rss)
                self.cpu_samples.setdefault(name, []).append(cpu)

    def stop(self) -> None:
        self._stop.set()


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_load(players: int = 8, seconds: float = 60.0, block_time: float = 1.0) -> dict[str, Any]:
    from web3 import Web3

    from ops import deployment
    from ops.platform import create_oracle_key, fairstake_argv, start_oracle

    workdir = Path(tempfile.mkdtemp(prefix="fairstake-load-"))
    supervisor = Supervisor(workdir / "logs")
    with LocalChain(block_time=block_time, log_path=workdir / "chain.log") as chain, supervisor.running():
        keystore, password, oracle_pk = create_oracle_key(workdir)
        manifest_path = workdir / "deployment.json"
        from brownie import accounts

        # brownie reports every transaction on stdout; the figures are what this prints
        with contextlib.redirect_stdout(io.StringIO()):
            deployed = deployment.deploy_platform(chain.url, manifest_path, oracle_pk=oracle_pk)
            dice, vault = deployed.contracts["Dice"], deployed.contracts["Vault"]
            lp = accounts[LIQUIDITY_PROVIDER]
            bankroll.deposit(vault, ETH, 5_000 * ETHER, lp)
            people = [str(accounts[FIRST_PLAYER + i]) for i in range(players)]
            for person in people:
                vault.depositFor(person, ETH, 100 * ETHER, {"from": person, "value": 100 * ETHER})
        oracle = start_oracle(supervisor, manifest_path, keystore, password, chain.url)
        indexer = supervisor.start(
            "indexer",
            fairstake_argv(
                "index",
                "--deployment",
                str(manifest_path),
                "--rpc",
                chain.url,
                "--db",
                str(workdir / "index.sqlite"),
                "--quiet",
            ),
        )
        sampler = ProcessSampler({"oracle": oracle.process.pid, "indexer": indexer.process.pid})
        sampler_thread = threading.Thread(target=sampler.run, daemon=True)
        sampler_thread.start()

        w3 = Web3(Web3.HTTPProvider(chain.url, request_kwargs={"timeout": 60}))
        contract = w3.eth.contract(address=dice.address, abi=dice.abi)
        start_block = int(w3.eth.block_number)
        stop_at = time.monotonic() + seconds
        placed_count = [0] * players
        errors: list[str] = []

        def player(index: int) -> None:
            rng = random.Random(index)
            sender = people[index]
            while time.monotonic() < stop_at:
                try:
                    tx = contract.functions.placeBet(
                        ETH, 10**16, dice_rules.encode_choice(rng.randint(5, 95)), 0
                    ).transact({"from": sender, "gasPrice": 0})
                    w3.eth.wait_for_transaction_receipt(tx, timeout=60)
                    placed_count[index] += 1
                except Exception as exc:  # noqa: BLE001 - reported, the run goes on
                    errors.append(f"{sender}: {exc}")
                    time.sleep(0.5)

        threads = [threading.Thread(target=player, args=(i,)) for i in range(players)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        placed_events = contract.events.BetPlaced.get_logs(from_block=start_block)
        want = {int(e.args.betId) for e in placed_events}
        deadline = time.monotonic() + 120
        settled_events: list[Any] = []
        while time.monotonic() < deadline:
            settled_events = contract.events.BetSettled.get_logs(from_block=start_block)
            if {int(e.args.betId) for e in settled_events} >= want:
                break
            time.sleep(1)
        sampler.stop()
        sampler_thread.join()

        block_time_of: dict[int, int] = {}

        def ts(block: int) -> int:
            if block not in block_time_of:
                block_time_of[block] = int(w3.eth.get_block(block)["timestamp"])
            return block_time_of[block]

        placed_at = {int(e.args.betId): ts(int(e.blockNumber)) for e in placed_events}
        settled_ids = [int(e.args.betId) for e in settled_events]
        latencies = [
            1000.0 * (ts(int(e.blockNumber)) - placed_at[int(e.args.betId)])
            for e in settled_events
            if int(e.args.betId) in placed_at
        ]
        span = max((ts(int(e.blockNumber)) for e in settled_events), default=0) - min(placed_at.values(), default=0)
        return {
            "load": f"{players} players, {seconds:.0f} s of betting, anvil with {block_time:g} s blocks",
            "bets_placed": len(want),
            "bets_settled": len(set(settled_ids)),
            "bets_lost": len(want - set(settled_ids)),
            "bets_settled_twice": len(settled_ids) - len(set(settled_ids)),
            "settled_bets_per_s": len(set(settled_ids)) / span if span > 0 else 0.0,
            "latency_p50_ms": _percentile(latencies, 0.50),
            "latency_p95_ms": _percentile(latencies, 0.95),
            "latency_p99_ms": _percentile(latencies, 0.99),
            "oracle_peak_rss_mb": sampler.peak_rss.get("oracle", 0) / 2**20,
            "oracle_cpu_mean_pct": _mean(sampler.cpu_samples.get("oracle", [])),
            "indexer_peak_rss_mb": sampler.peak_rss.get("indexer", 0) / 2**20,
            "indexer_cpu_mean_pct": _mean(sampler.cpu_samples.get("indexer", [])),
            "player_errors": len(errors),
        }


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0
