"""The README's main command: `fairstake up` brings the whole platform up on its own chain,
plays every game, prints a summary in which every proof is re-verified and every token is solvent,
and leaves no process behind, whether it exits when done or is stopped with Ctrl-C."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from ops.chain import reserved_port, rpc_call
from ops.supervisor import http_ok


@pytest.fixture
def ports() -> Iterator[tuple[int, int]]:
    """The chain's and the API's port, reserved for the test's life (`ops.chain.reserve_port`):
    another run on this machine is not handed them while the platform starts."""
    with reserved_port() as chain_port, reserved_port() as api_port:
        yield chain_port, api_port


def up(tmp_path: Path, ports: tuple[int, int], *args: str, sigint_ignored: bool = False) -> subprocess.Popen[str]:
    """`sigint_ignored`: start it as a script's background job or nohup would, with SIGINT ignored
    (inherited across exec; Python then installs no KeyboardInterrupt handler of its own)."""
    chain_port, api_port = ports
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ops.cli.main",
            "up",
            "--port",
            str(chain_port),
            "--api-port",
            str(api_port),
            "--data-dir",
            str(tmp_path / "platform"),
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if sigint_ignored else None,
    )


def descendants(proc: subprocess.Popen[str]) -> list[psutil.Process]:
    try:
        return psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def test_up_plays_every_game_and_exits_clean(tmp_path: Path, ports: tuple[int, int]) -> None:
    api_port = ports[1]
    proc = up(tmp_path, ports, "--players", "4", "--bets", "3", "--exit-when-done")
    out, _ = proc.communicate(timeout=900)
    assert proc.returncode == 0, out[-4000:]
    assert "=== Fairstake session summary ===" in out
    assert "audit mismatches: 0" in out
    assert "dice bets: 12" in out  # 3 active players x 3 + one transaction with 3 bets
    assert "NOT SOLVENT" not in out and "solvency ETH" in out and "solvency USDS" in out
    # in token units, e.g. "solvency ETH: balance 2,185.3 ETH >= liabilities 2,185.3 ETH: OK"
    for symbol in ("ETH", "USDS"):
        amount = r"\d{1,3}(,\d{3})*(\.\d+)?"
        pattern = rf"^  solvency {symbol}: balance {amount} {symbol} >= liabilities {amount} {symbol}: OK$"
        assert re.search(pattern, out, re.MULTILINE), out[-2000:]
    # the terminal shows phases, progress and the summary; brownie's transactions and warnings
    # go to the logs
    assert "Transaction sent" not in out and "FutureWarning" not in out and "\x1b[" not in out, out[:3000]
    logs = tmp_path / "platform" / "logs"
    assert "Transaction sent" in (logs / "deploy.log").read_text()
    assert "Transaction sent" in (logs / "simulation.log").read_text()
    for game in ("dice", "jackpot", "match", "tournament", "cointoss", "roulette", "keno", "wheel", "plinko"):
        assert f"  {game}" in out, f"no recomputed outcomes for {game}"
    assert "bets refused for a self-excluded player: 1" in out
    # the oracle's bond per token, re-derived from events and equal to the coordinator's
    for symbol in ("ETH", "USDS"):
        line = next(line for line in out.splitlines() if line.startswith(f"  oracle bond {symbol}: total"))
        assert "reserved 0.0000" in line and "matches the coordinator" in line, line
    assert not http_ok(f"http://127.0.0.1:{api_port}/health")


def test_ctrl_c_stops_every_process(tmp_path: Path, ports: tuple[int, int]) -> None:
    api_port = ports[1]
    proc = up(tmp_path, ports, "--no-simulate", sigint_ignored=True)
    deadline = time.monotonic() + 300
    while not http_ok(f"http://127.0.0.1:{api_port}/health"):
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
        assert time.monotonic() < deadline, "the platform did not come up"
        time.sleep(0.5)
    assert_a_stuck_transaction_gets_a_block(f"http://127.0.0.1:{ports[0]}")
    children = descendants(proc)
    assert len(children) >= 3  # chain, oracle daemon, API + indexer
    # the daemon expires requests past their deadline: that pays their players from its bond
    oracles = [p.cmdline() for p in children if "oracle" in p.cmdline() and "run" in p.cmdline()]
    assert len(oracles) == 1 and "--expire-overdue" in oracles[0], oracles
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    assert proc.returncode == 130
    gone, alive = psutil.wait_procs(children, timeout=15)
    assert not alive, f"left behind: {[p.cmdline() for p in alive]}"
    assert not http_ok(f"http://127.0.0.1:{api_port}/health")


def assert_a_stuck_transaction_gets_a_block(chain_url: str) -> None:
    """up's anvil is watched like every chain the tooling starts: its automine can leave a ready
    transaction in the pool (foundry-rs/foundry#10122), and the deployment or the simulation would
    wait for it forever (a CI run's `up` did). The same state, made by switching automine off."""
    accounts = rpc_call(chain_url, "eth_accounts")
    assert isinstance(accounts, list)
    sender, receiver = accounts[-1], accounts[-2]  # none of up's own roles (ops.deployment)
    rpc_call(chain_url, "evm_setAutomine", [False])
    try:
        sent = rpc_call(chain_url, "eth_sendTransaction", [{"from": sender, "to": receiver, "value": "0x1"}])
        deadline = time.monotonic() + 15
        while rpc_call(chain_url, "eth_getTransactionReceipt", [sent]) is None:
            assert time.monotonic() < deadline, "up's chain left a pending transaction unmined"
            time.sleep(0.5)
    finally:
        rpc_call(chain_url, "evm_setAutomine", [True])
