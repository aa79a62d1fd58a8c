"""A server the tooling starts on a port it picks holds that port reserved (`ops.chain.reserve_port`,
a lock file per port) until the server stops. The OS can hand two runs on one machine the same free
port before either server binds it; without the reservation the second run's readiness check, and
then its HTTP client, was answered by the first run's API."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import ops.chain
from fairstake import PROJECT_ROOT
from ops.chain import free_port, reserved_port
from ops.cli.api import api_server


def _hand_out_twice(monkeypatch: Any, port: int) -> None:
    """`free_port` answers `port` to the next two calls, as the OS may answer two runs."""
    handed = iter([port, port])
    real = ops.chain.free_port
    monkeypatch.setattr(ops.chain, "free_port", lambda: next(handed, None) or real())


def test_two_api_servers_handed_the_same_free_port_each_serve_on_a_port_of_their_own(
    tmp_path: Path, monkeypatch: Any
) -> None:
    args = {}
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(f"<p>{name} server</p>")
        args[name] = ("--db", str(tmp_path / f"{name}.sqlite"), "--static", str(tmp_path / name))
    contested = free_port()
    _hand_out_twice(monkeypatch, contested)
    with api_server(*args["first"]) as first, api_server(*args["second"]) as second:
        assert first == f"http://127.0.0.1:{contested}"
        assert second != first
        # each URL is answered by the server started for it
        for name, url in (("first", first), ("second", second)):
            with urllib.request.urlopen(f"{url}/", timeout=10) as response:
                assert response.read().decode() == f"<p>{name} server</p>"
    # the reservation ends with the server: the port can be reserved again
    _hand_out_twice(monkeypatch, contested)
    with reserved_port() as again:
        assert again == contested


def test_a_port_another_process_reserved_is_passed_over(monkeypatch: Any) -> None:
    # reserves a port, says which, and holds it until its stdin closes
    hold = "import sys, ops.chain; port, lock = ops.chain.reserve_port(); print(port, flush=True); sys.stdin.read()"
    holder = subprocess.Popen(
        [sys.executable, "-c", hold],
        cwd=PROJECT_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        held = int(holder.stdout.readline())
        _hand_out_twice(monkeypatch, held)
        with reserved_port() as port:
            assert port != held
    finally:
        holder.communicate(timeout=30)  # closes its stdin: it exits, and its reservation with it
    _hand_out_twice(monkeypatch, held)
    with reserved_port() as port:
        assert port == held
