"""`fairstake oracle ...`: run the ECVRF oracle daemon."""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from fairstake.manifest import DEFAULT_MANIFEST, ManifestError, load_manifest

oracle_app = typer.Typer(no_args_is_help=True, help="The ECVRF randomness oracle.")


@oracle_app.command("run")
def run_command(
    keystore: Annotated[Path, typer.Option("--keystore", help="The oracle's ECVRF keystore.")],
    password_file: Annotated[
        Path | None,
        typer.Option("--password-file", help="Keystore password file (default: $FAIRSTAKE_ORACLE_PASSWORD)."),
    ] = None,
    deployment: Annotated[Path, typer.Option("--deployment", help="Deployment manifest (JSON).")] = DEFAULT_MANIFEST,
    rpc: Annotated[str, typer.Option("--rpc", help="JSON-RPC URL (default: the manifest's rpcUrl).")] = "",
    confirmations: Annotated[
        int,
        typer.Option("--confirmations", min=0, help="Blocks a request must be buried under before acting."),
    ] = 0,
    gas_budget: Annotated[
        int, typer.Option("--gas-budget", min=100_000, help="Gas limit no transaction may exceed.")
    ] = 5_000_000,
    metrics_port: Annotated[int, typer.Option("--metrics-port", min=0, help="Prometheus port (0: off).")] = 0,
    metrics_host: Annotated[
        str, typer.Option("--metrics-host", help="Interface for /metrics (0.0.0.0 to let a scraper in).")
    ] = "127.0.0.1",
    from_account: Annotated[
        str | None,
        typer.Option(
            "--from-account",
            help="Sending account: an Ethereum keystore path, or dev:N on the dev chain "
            "(default: the private key in FAIRSTAKE_ORACLE_TX_KEY).",
        ),
    ] = None,
    from_password_file: Annotated[
        Path | None, typer.Option("--from-password-file", help="Password file for --from-account.")
    ] = None,
    max_batch: Annotated[int, typer.Option("--max-batch", min=1, help="Most requests in one fulfilBatch.")] = 100,
    poll_interval: Annotated[float, typer.Option("--poll-interval", min=0.01, help="Seconds between polls.")] = 0.25,
    stuck_after: Annotated[
        float,
        typer.Option("--stuck-after", min=0.1, help="Seconds before an unmined tx is re-sent with higher fees."),
    ] = 30.0,
    expire_overdue: Annotated[
        bool, typer.Option("--expire-overdue", help="Also call expire for requests past their deadline.")
    ] = False,
    store_blockhashes: Annotated[
        bool,
        typer.Option(
            "--store-blockhashes/--no-store-blockhashes",
            help="storeBlockhash for our open requests before BLOCKHASH forgets their block, so they "
            "stay fulfillable until their deadline.",
        ),
    ] = True,
    store_after_blocks: Annotated[
        int,
        typer.Option(
            "--store-after-blocks",
            min=1,
            max=255,
            help="Age in blocks at which an unfulfilled request's block hash is stored (at once when "
            "its fulfilment failed).",
        ),
    ] = 200,
    max_in_flight: Annotated[
        int, typer.Option("--max-in-flight", min=1, help="Most of our transactions unmined at once.")
    ] = 4,
    checkpoint: Annotated[
        Path | None, typer.Option("--checkpoint", help="File remembering the block a rebuild may start from.")
    ] = None,
    log_level: Annotated[str, typer.Option("--log-level", help="debug, info, warning or error.")] = "info",
) -> None:
    """Follow RandomnessRequested events for this oracle's key and fulfil them (JSON logs on stderr)."""
    from oracle.daemon.keys import KeyLoadError, load_prover, load_tx_account
    from oracle.daemon.log import JsonLog
    from oracle.daemon.metrics import DaemonMetrics
    from oracle.daemon.service import DaemonConfig, OracleDaemon

    try:
        log = JsonLog(level=log_level)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--log-level") from None
    # Handlers first: a stop asked for while keys load or the node is first reached still
    # ends the process cleanly.
    stop_requested = threading.Event()
    received: list[str] = []
    handler = stop_handler(stop_requested, received)
    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    try:
        manifest = load_manifest(deployment)
        coordinator = manifest.contract("RandomnessCoordinator")
        prover = load_prover(keystore, password_file)
        account = load_tx_account(from_account, manifest.chain_id, from_password_file)
    except (ManifestError, KeyLoadError) as exc:
        log.error("startup_failed", detail=str(exc))
        raise typer.Exit(2) from None
    expected = str(manifest.oracle.get("keyHash", "")).lower()
    if expected and expected != "0x" + prover.key_hash.hex():
        log.error("key_mismatch", keystore_key_hash=prover.key_hash, manifest_key_hash=expected)
        raise typer.Exit(2)
    config = DaemonConfig(
        rpc_url=rpc or manifest.rpc_url,
        chain_id=manifest.chain_id,
        coordinator_address=coordinator.address,
        coordinator_abi=coordinator.abi,
        deployment_block=coordinator.block,
        confirmations=confirmations,
        gas_budget=gas_budget,
        max_batch=max_batch,
        poll_interval=poll_interval,
        stuck_after=stuck_after,
        expire_overdue=expire_overdue,
        store_blockhashes=store_blockhashes,
        store_after_blocks=store_after_blocks,
        max_in_flight=max_in_flight,
        checkpoint=checkpoint,
    )
    metrics = DaemonMetrics()
    if metrics_port:
        metrics.serve(metrics_port, metrics_host)
    daemon = OracleDaemon(
        config, prover, account, log=log, metrics=metrics, stop_event=stop_requested, stop_signals=received
    )
    sys.exit(daemon.run())


def stop_handler(stop_requested: threading.Event, received: list[str]) -> Callable[[int, FrameType | None], None]:
    """The daemon's SIGTERM/SIGINT handler: it only records the signal and asks the loop to stop.
    It must not log: it runs in the main thread between any two bytecodes, also while that thread
    holds the log's lock, and a handler that waits for the lock waits forever (a CI run's daemon
    then ignored SIGTERM). The daemon logs the signal once its loop has stopped."""

    def handle(signum: int, frame: FrameType | None) -> None:
        received.append(signal.Signals(signum).name)
        stop_requested.set()

    return handle


@oracle_app.command("bench-latency")
def bench_latency_command(
    requests: Annotated[int, typer.Option("--requests", min=1, help="Requests to send.")] = 60,
    rate: Annotated[float, typer.Option("--rate", min=0.1, help="Requests per second.")] = 10.0,
    poll_interval: Annotated[float, typer.Option("--poll-interval", min=0.01, help="Daemon poll (s).")] = 0.05,
) -> None:
    """Measure request -> fulfil latency on a fresh anvil (needs `brownie compile`); prints
    the figures, then one JSON line."""
    from ops.bench.oracle_latency import measure_request_to_fulfil_latency

    result = measure_request_to_fulfil_latency(requests=requests, rate_per_second=rate, poll_interval=poll_interval)
    for key, value in result.items():
        typer.echo(f"{key:<28} {value}")
    typer.echo(json.dumps(result))
