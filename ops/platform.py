"""The main job: run the whole platform locally (or deploy it to an external RPC).

    chain (anvil | ganache)  ->  deploy + wire (brownie, ops/deploy.py)  ->  oracle daemon
    ->  indexer + API (+ web client)  ->  bankroll funding  ->  simulated players  ->  summary

Everything started here is a supervised child process; Ctrl-C (or SIGTERM) stops them all.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import sys
import time
import urllib.request
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fairstake import PROJECT_ROOT
from ops.chain import LocalChain, rpc_call
from ops.deployment import ORACLE_SENDER, DeploymentError
from ops.supervisor import Child, Supervisor, SupervisorError, http_ok

DEFAULT_DATA_DIR = PROJECT_ROOT / ".data" / "platform"
WEB_DIST = PROJECT_ROOT / "web" / "dist"


@dataclass
class UpOptions:
    chain: str = "anvil"
    port: int = 8545
    api_port: int = 8000
    host: str = "127.0.0.1"
    block_time: float = 0
    players: int = 6
    bets_per_player: int = 6
    exit_when_done: bool = False
    data_dir: Path = DEFAULT_DATA_DIR
    rpc: str | None = None
    deployer_keystore: Path | None = None
    referee: str | None = None
    attestor: str | None = None
    timelock_delay: int | None = None
    simulate: bool = True


class PlatformError(RuntimeError):
    """The platform could not be brought up; the message says which step and why."""


def fairstake_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "ops.cli.main", *args]


def _say(message: str) -> None:
    print(f"[fairstake] {message}", file=sys.stderr, flush=True)


def _oracle_password(data_dir: Path) -> str:
    """The oracle keystore password: from the environment, else a random one kept (0600) in the
    run's data folder, so a local run needs no typing and no password ever appears on argv."""
    from oracle.keystore import PASSWORD_ENV

    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    path = data_dir / "oracle-password"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(24))
    return path.read_text().strip()


def create_oracle_key(data_dir: Path) -> tuple[Path, str, tuple[int, int]]:
    from oracle import ecvrf
    from oracle.keystore import generate_secret, load_key, save_key

    password = _oracle_password(data_dir)
    keystore = data_dir / "oracle-keystore.json"
    if not keystore.exists():
        # scrypt at a lower work factor on the throw-away local chain: this key guards test ETH only.
        save_key(generate_secret(), keystore, password, kdf_iterations=2**14)
    secret = load_key(keystore, password)
    return keystore, password, ecvrf.public_key(secret)


def start_oracle(
    supervisor: Supervisor,
    manifest_path: Path,
    keystore: Path,
    password: str,
    rpc_url: str,
    sender_args: Sequence[str] = ("--from-account", f"dev:{ORACLE_SENDER}"),
    sender_env: dict[str, str] | None = None,
    *,
    expire_overdue: bool = False,
) -> Child:
    """The oracle daemon as a supervised process (password by environment, never on argv).
    `expire_overdue`: it also expires requests past their deadline (its own missed ones
    included), which is what pays their players from the key's bond."""
    argv = fairstake_argv(
        "oracle", "run", "--deployment", str(manifest_path), "--keystore", str(keystore), "--rpc", rpc_url
    )
    if expire_overdue:
        argv.append("--expire-overdue")
    env = {"FAIRSTAKE_ORACLE_PASSWORD": password, **(sender_env or {})}
    return supervisor.start("oracle", [*argv, *sender_args], env=env)


def get_json(url: str, timeout: float = 10.0) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def run_platform(options: UpOptions) -> int:
    """Bring everything up, play, summarise, then serve until Ctrl-C (or exit when done)."""
    data_dir = options.data_dir
    external = options.rpc is not None
    if not external and data_dir.exists():
        # A fresh local chain invalidates the previous run's deployment, index and keys.
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    supervisor = Supervisor(data_dir / "logs")
    _warnings_to_log(supervisor.log_dir / "warnings.log")
    try:
        with supervisor.running():
            return _run(options, supervisor)
    except KeyboardInterrupt:
        _say("stopping: every process started here is being stopped")
        return 130
    except (PlatformError, SupervisorError, DeploymentError) as exc:
        _say(f"error: {exc}")
        return 1


def _run(options: UpOptions, supervisor: Supervisor) -> int:
    if options.rpc is not None:
        if not _rpc_ready(options.rpc):
            raise PlatformError(f"no JSON-RPC node answers at {options.rpc}")
        return _run_on(options.rpc, options, supervisor)
    chain = LocalChain(kind=options.chain, port=options.port, block_time=options.block_time)
    _say(f"starting {options.chain} on {chain.url}")
    child = supervisor.start("chain", chain.command())
    supervisor.wait_until(child, lambda: _rpc_ready(chain.url), timeout=60)
    # The same watch every chain the tooling starts has: anvil's automine can leave a transaction
    # in its pool (foundry-rs/foundry#10122), and a deployment or simulation would wait for it forever.
    watch = chain.start_watch()
    try:
        return _run_on(chain.url, options, supervisor)
    finally:
        if watch is not None:
            watch.stop()


def _run_on(rpc_url: str, options: UpOptions, supervisor: Supervisor) -> int:
    from ops import deployment as deploy_steps

    data_dir = options.data_dir
    keystore, password, oracle_pk = create_oracle_key(data_dir)
    manifest_path = data_dir / "deployment.json"
    _say(f"deploying and wiring the contracts (transactions logged to {supervisor.log_dir / 'deploy.log'})")
    with _quiet(supervisor.log_dir / "deploy.log"):
        deployed = deploy_steps.deploy_platform(
            rpc_url,
            manifest_path,
            oracle_pk=oracle_pk,
            deployer_keystore=options.deployer_keystore,
            referee=options.referee,
            attestor=options.attestor,
            timelock_delay=options.timelock_delay,
        )
    _say(f"deployment manifest: {manifest_path}")

    # Expiring a request past its deadline is what pays its player from the oracle's bond: the
    # daemon does it, so nobody has to act when the oracle misses a deadline.
    oracle = start_oracle(
        supervisor,
        manifest_path,
        keystore,
        password,
        rpc_url,
        deployed.oracle_tx_args,
        deployed.oracle_tx_env,
        expire_overdue=True,
    )
    api_url = f"http://{options.host}:{options.api_port}"
    api_args = [
        "api",
        "--deployment",
        str(manifest_path),
        "--rpc",
        rpc_url,
        "--index",
        "--db",
        str(data_dir / "index.sqlite"),
        "--host",
        options.host,
        "--port",
        str(options.api_port),
    ]
    if WEB_DIST.is_dir():
        api_args += ["--static", str(WEB_DIST)]
    api = supervisor.start("api", fairstake_argv(*api_args))
    supervisor.wait_until(api, lambda: http_ok(f"{api_url}/health"), timeout=90)
    supervisor.check_alive()
    _say(f"oracle daemon running (log {oracle.log_path}); API and indexer at {api_url} (docs {api_url}/docs)")

    if not options.simulate and options.rpc is None:
        # A clean platform still needs a bankroll for any Dice bet to fit the exposure cap.
        from ops import bankroll

        _say("funding the bankrolls (a bankroll deposit waits a day: the local chain's clock moves)")
        with _quiet(supervisor.log_dir / "deploy.log"):
            bankroll.fund_local(deployed.contracts)
    if options.simulate and options.rpc is None:
        from ops import simulation

        _say(f"playing simulated players (transactions logged to {supervisor.log_dir / 'simulation.log'})")
        with _quiet(supervisor.log_dir / "simulation.log"):
            result = simulation.play(
                deployed.contracts, players=options.players, bets_per_player=options.bets_per_player
            )
        _say("waiting for the indexer to catch up")
        _wait_indexed(api_url, rpc_url)
        print(simulation.summary(result, rpc_url, manifest_path, api_url))
        if result.unsettled:
            raise PlatformError(f"{result.unsettled} bets were not settled by the oracle")

    if options.exit_when_done:
        return 0
    _say(f"web client: {api_url}/   auditor view: {api_url}/audit.html   (Ctrl-C to stop everything)")
    while True:
        supervisor.check_alive()
        time.sleep(1)


def _warnings_to_log(log_path: Path) -> None:
    """Every warning of this run goes to a log, also those that brownie's confirmation threads
    raise after a quiet block has ended (they outlive the transaction that started them)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)

    def to_log(message: Any, category: Any, filename: str, lineno: int, file: Any = None, line: Any = None) -> None:
        with open(log_path, "a") as log:
            log.write(warnings.formatwarning(message, category, filename, lineno, line))

    warnings.showwarning = to_log


@contextlib.contextmanager
def _quiet(log_path: Path) -> Iterator[None]:
    """brownie reports every transaction on stdout and warns about its own internals
    (FutureWarning, from any thread): both go to a log. The terminal keeps the phases, the
    progress bars (stderr) and the summary."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "a") as log, contextlib.redirect_stdout(log), warnings.catch_warnings():

        def to_log(message: Any, category: Any, filename: str, lineno: int, file: Any = None, line: Any = None) -> None:
            log.write(warnings.formatwarning(message, category, filename, lineno, line))

        warnings.showwarning = to_log
        yield


def _rpc_ready(url: str) -> bool:
    try:
        rpc_call(url, "eth_chainId", timeout=1.0)
        return True
    except Exception:  # noqa: BLE001 - not answering yet, whatever the reason
        return False


def _wait_indexed(api_url: str, rpc_url: str, timeout: float = 120.0) -> None:
    head = int(str(rpc_call(rpc_url, "eth_blockNumber")), 16)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            health = get_json(f"{api_url}/health")
            if int(health.get("indexed_block", -1)) >= head:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise PlatformError(f"the indexer did not reach block {head} within {timeout:.0f}s")
