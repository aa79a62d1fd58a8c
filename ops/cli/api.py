"""`fairstake api`: serve the read-only API (uvicorn), optionally with the indexer alongside."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from fairstake import PROJECT_ROOT
from ops.cli import DbOption, fail


def child_env() -> dict[str, str]:
    """The environment for `python -m ops.cli.main ...` children: this checkout's packages first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PROJECT_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@contextlib.contextmanager
def api_server(*args: str, log: Path | None = None, timeout: float = 60.0) -> Iterator[str]:
    """`fairstake api <args>` on a free local port as a child process; yields its base URL once
    /health answers, stops it afterwards (benchmarks and tests). The port stays reserved
    (`ops.chain.reserve_port`) until the server has stopped, so another run's launcher cannot be
    handed it too and take this server's answers for its own."""
    from ops.chain import reserved_port
    from ops.supervisor import http_ok

    with reserved_port() as port:
        out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "ops.cli.main", "api", "--port", str(port), *args],
            cwd=PROJECT_ROOT,
            env=child_env(),
            stdout=out,
            stderr=out,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while not http_ok(f"{url}/health"):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"fairstake api did not come up (exit code {process.poll()})")
                time.sleep(0.1)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
            if log:
                out.close()  # type: ignore[union-attr]


def _indexer_process(deployment: Path, db: str | None, rpc: str | None, finality: int) -> subprocess.Popen[bytes]:
    """`fairstake index` as a child that dies with us (PR_SET_PDEATHSIG in the child)."""
    command = [sys.executable, "-m", "ops.cli.main", "index", "-d", str(deployment), "--quiet"]
    if db:
        command += ["--db", db]
    if rpc:
        command += ["--rpc", rpc]
    command += ["--finality", str(finality)]
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=child_env(), preexec_fn=_die_with_parent)  # noqa: PLW1509


def _die_with_parent() -> None:
    import ctypes

    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


def api_command(
    deployment: Annotated[
        Path | None, typer.Option("--deployment", "-d", help="Deployment manifest (served at /deployment).")
    ] = None,
    db: DbOption = None,
    rpc: Annotated[str | None, typer.Option("--rpc", help="JSON-RPC URL for proof-of-reserves and /health.")] = None,
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Worker processes.")] = 1,
    static: Annotated[Path | None, typer.Option("--static", help="Serve this folder at / (the web client).")] = None,
    cors: Annotated[str, typer.Option("--cors", help="Allowed CORS origins, comma-separated.")] = "*",
    index: Annotated[bool, typer.Option("--index", help="Also run the indexer (needs --deployment).")] = False,
    finality: Annotated[int, typer.Option("--finality", min=0, help="Indexer finality depth (with --index).")] = 0,
) -> None:
    """Serve the API; with --index, run `fairstake index` alongside (same database)."""
    import uvicorn

    from backend.api.app import Settings
    from backend.store.db import StoreError, open_store

    if index and deployment is None:
        fail("--index needs --deployment")
    if static is not None and not static.is_dir():
        fail(f"--static {static} is not a directory")
    try:
        open_store(db).dispose()  # create/upgrade the schema once, before workers start
    except StoreError as exc:
        fail(str(exc))
    settings = Settings(
        db=db,
        deployment=deployment,
        rpc_url=rpc,
        cors_origins=[o.strip() for o in cors.split(",") if o.strip()],
        static_dir=static,
    )
    os.environ.update(settings.to_env())
    indexer = _indexer_process(deployment, db, rpc, finality) if index and deployment else None
    try:
        uvicorn.run(
            "backend.api.app:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            # libuv's loop and the C HTTP parser: ~2.5x the requests/s of asyncio + h11 on
            # small JSON reads (both pinned in requirements.lock).
            loop="uvloop",
            http="httptools",
            log_level="warning",
            access_log=False,
        )
    finally:
        if indexer is not None:
            indexer.terminate()
            try:
                indexer.wait(timeout=10)
            except subprocess.TimeoutExpired:
                indexer.kill()
