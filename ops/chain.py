"""Start and stop local development chains (anvil by default, ganache 7 supported).

Both run from the project's node_modules. ganache is served through tools/ganache-rpc.js,
which normalises the un-prefixed transaction hashes eth-brownie 1.22 sends (ganache
rejects them and brownie would wait forever).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from fairstake import PROJECT_ROOT
from fairstake.devchain import DEV_CHAIN_ID, DEV_MNEMONIC

KINDS = ("anvil", "ganache")


class ChainError(RuntimeError):
    """A local chain could not be started or did not answer."""


def free_port() -> int:
    """A port free this instant, not reserved: a server started on it takes `reserve_port` or
    `reserved_port` instead (see there why)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def reserve_port() -> tuple[int, IO[bytes]]:
    """A free port no other server started here holds, and the open lock file that holds it (the
    lock lasts while the file stays open, at the latest until this process ends).

    `free_port` alone leaves a window between closing its probe socket and the server binding the
    port: two runs on one machine (two test sessions, a bench beside a test run) could both be
    handed the port, the second server then fails to bind, and the second run's readiness check is
    answered by the first run's server: both runs would send transactions to one chain, and their
    nonces would collide ("Tx dropped without known replacement"), or a test's HTTP client would
    read another run's API. Each port picked for a server (a LocalChain's, `reserved_port`'s) is
    therefore locked first, and a port another process has locked is passed over."""
    folder = Path(tempfile.gettempdir()) / "fairstake-ports"
    folder.mkdir(exist_ok=True)
    for _ in range(100):
        port = free_port()
        handle = open(folder / f"{port}.lock", "ab")  # noqa: SIM115 -- kept open: it holds the lock
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        return port, handle
    raise ChainError("no free port that another local server has not reserved")


@contextlib.contextmanager
def reserved_port() -> Iterator[int]:
    """`reserve_port` for a server this block starts (an API, a `fairstake up`, a database): the
    port stays reserved until the block ends, so stop the server inside it."""
    port, lock = reserve_port()
    try:
        yield port
    finally:
        lock.close()


def _node_bin(name: str) -> str:
    local = PROJECT_ROOT / "node_modules" / ".bin" / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if not found:
        raise ChainError(f"{name} not found: run ./run (or tools/bootstrap.sh) to install the node tools")
    return found


def rpc_call(url: str, method: str, params: list | None = None, timeout: float = 5.0) -> object:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        reply = json.loads(response.read())
    if "error" in reply:
        raise ChainError(f"{method}: {reply['error']}")
    return reply["result"]


# anvil's automine can leave a ready transaction in its pool and mine no block for it
# (foundry-rs/foundry#10122; seen here once in a full run: `up`'s simulation waited forever on a bet
# sent in the same instant as the oracle daemon's fulfilment). On an automining chain a transaction
# is mined as it arrives, so one still pending after this many seconds is stuck, and a block is
# mined for it.
STUCK_AFTER = 5.0


class StuckTransactionWatch(threading.Thread):
    """Polls an automining anvil's pool once a second and mines a block (`evm_mine`) when the same
    ready transaction has been pending for STUCK_AFTER seconds. Queued transactions (a nonce gap)
    are left alone: a block cannot help them."""

    def __init__(self, url: str) -> None:
        super().__init__(name=f"stuck-tx-watch {url}", daemon=True)
        self.url = url
        self.halt = threading.Event()
        self.blocks_mined = 0

    def run(self) -> None:
        first_seen: dict[str, float] = {}
        while not self.halt.wait(1.0):
            try:
                content = rpc_call(self.url, "txpool_content", timeout=2.0)
                pending = content.get("pending", {}) if isinstance(content, dict) else {}
                hashes = [str(tx["hash"]) for by_nonce in pending.values() for tx in by_nonce.values()]
                now = time.monotonic()
                first_seen = {tx: first_seen.get(tx, now) for tx in hashes}
                if any(now - seen >= STUCK_AFTER for seen in first_seen.values()):
                    rpc_call(self.url, "evm_mine", timeout=2.0)
                    self.blocks_mined += 1
                    first_seen = {}
            except (OSError, ValueError, KeyError, AttributeError, ChainError):
                continue  # the node is starting, stopping or busy: ask again next second

    def stop(self) -> None:
        self.halt.set()
        self.join(timeout=5)


@dataclass
class LocalChain:
    """A local chain process. Use as a context manager or call start()/stop()."""

    kind: str = "anvil"
    port: int = 0
    block_time: float = 0
    accounts: int = 20
    balance_eth: int = 1_000_000
    chain_id: int = DEV_CHAIN_ID
    # anvil only: a non-zero base fee (wei) makes it price gas like a public chain
    base_fee: int = 0
    log_path: Path | None = None
    # anvil only: save the chain here on exit and load it on start, so a stopped node comes back
    # with its blocks and state (how the fault tests stop and restart "the RPC node").
    state_file: Path | None = None
    # anvil only: a chain whose clock starts at this timestamp and moves one second a block, and
    # otherwise only when told (evm_setNextBlockTimestamp): no wall clock in any block, so the same
    # transactions give the same block hashes on every run (how `bench gas` gets the same VRF words)
    fixed_clock: int | None = None
    process: subprocess.Popen | None = field(default=None, init=False, repr=False)
    # anvil keeps the states it pages out of memory under $HOME/.foundry/anvil/tmp and leaves them
    # there when it stops (over a gigabyte after a long system test): each chain started here gets
    # a HOME of its own, removed when it stops.
    _home: str | None = field(default=None, init=False, repr=False)
    # the lock on a port this chain picked itself (reserve_port), held for the object's life so a
    # restart on the same port keeps it
    _port_lock: IO[bytes] | None = field(default=None, init=False, repr=False)
    # anvil with automine: mines a block for a transaction its pool left stuck (STUCK_AFTER)
    _watch: StuckTransactionWatch | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ChainError(f"unknown chain kind {self.kind!r}; choose one of {', '.join(KINDS)}")
        if not self.port:
            self.port, self._port_lock = reserve_port()
        if self.state_file is not None and self.kind != "anvil":
            raise ChainError("state_file needs anvil")
        if self.fixed_clock is not None and self.kind != "anvil":
            raise ChainError("fixed_clock needs anvil")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        # Both nodes take the same flags for what every chain here shares.
        shared = ["--port", str(self.port), "--chain-id", str(self.chain_id), "--accounts", str(self.accounts)]
        shared += ["--balance", str(self.balance_eth), "--mnemonic", DEV_MNEMONIC]
        if self.block_time:
            shared += ["--block-time", str(self.block_time)]
        if self.kind != "anvil":
            return ["node", str(PROJECT_ROOT / "tools" / "ganache-rpc.js"), *shared]
        cmd = [_node_bin("anvil"), *shared, "--base-fee", str(self.base_fee), "--gas-limit", "30000000"]
        cmd += ["--hardfork", "shanghai", "--silent"]
        if self.fixed_clock is not None:
            cmd += ["--timestamp", str(self.fixed_clock)]
        if self.state_file is not None:
            cmd += ["--dump-state", str(self.state_file)]
            if self.state_file.exists():
                cmd += ["--load-state", str(self.state_file)]
        return cmd

    def start(self, timeout: float = 30.0) -> LocalChain:
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        env = None
        if self.kind == "anvil":
            self._home = tempfile.mkdtemp(prefix="fairstake-anvil-home-")
            env = {**os.environ, "HOME": self._home}
        self.process = subprocess.Popen(
            self.command(), stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True, env=env
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ChainError(f"{self.kind} exited with code {self.process.returncode} while starting")
            try:
                rpc_call(self.url, "eth_chainId", timeout=1.0)
            except (OSError, ChainError):
                time.sleep(0.1)
                continue
            if self.fixed_clock is not None:
                rpc_call(self.url, "anvil_setBlockTimestampInterval", [1])
            self._watch = self.start_watch()
            return self
        self.stop()
        raise ChainError(f"{self.kind} did not answer on {self.url} within {timeout:.0f}s")

    def start_watch(self) -> StuckTransactionWatch | None:
        """The stuck-transaction watch (STUCK_AFTER) on this chain, if it is an automining anvil.
        start() runs it for its own process; `fairstake up`, whose supervisor starts the node from
        command(), calls this itself and stops the returned watch."""
        if self.kind != "anvil" or self.block_time:
            return None
        watch = StuckTransactionWatch(self.url)
        watch.start()
        return watch

    def stop(self) -> None:
        proc, self.process = self.process, None
        watch, self._watch = self._watch, None
        if watch is not None:
            watch.stop()
        try:
            if proc is None or proc.poll() is not None:
                return
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        finally:
            home, self._home = self._home, None
            if home is not None:
                shutil.rmtree(home, ignore_errors=True)

    def __enter__(self) -> LocalChain:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
