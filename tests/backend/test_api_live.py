"""`fairstake api --index` as real processes: the API serves what its indexer child commits,
follows new blocks within a block, and pushes new events over the WebSocket feed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support import Chain, Emitter, save_manifest

from fairstake import PROJECT_ROOT
from fairstake.chain import free_port


@pytest.fixture
def api(chain: Chain, emitter: Emitter, db_url: str, tmp_path: Path) -> Iterator[str]:
    emitter.deposits(30, players=3)
    manifest_path = save_manifest(emitter.manifest(), tmp_path)
    port = free_port()
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PROJECT_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    log = open(tmp_path / "api.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable, "-m", "fairstake.cli", "api", "--deployment", str(manifest_path), "--rpc", chain.url,
            "--db", db_url, "--port", str(port), "--index",
        ],
        cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/health", timeout=2).json()["lag_blocks"] == 0:
                    break
            except (httpx.HTTPError, ValueError, KeyError):
                pass
            assert process.poll() is None, (tmp_path / "api.log").read_text()
            time.sleep(0.1)
        else:
            raise AssertionError((tmp_path / "api.log").read_text())
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def test_live_feed_pushes_new_events_and_the_api_keeps_up(chain: Chain, emitter: Emitter, api: str) -> None:
    from websockets.sync.client import connect

    player = chain.accounts[5]
    with connect(api.replace("http", "ws") + "/ws/events?events=*&since=0", open_timeout=10) as socket:
        hello = json.loads(socket.recv(timeout=10))
        assert hello["type"] == "hello"
        replayed = [json.loads(socket.recv(timeout=10)) for _ in range(30)]
        assert {m["event"] for m in replayed} == {"Deposited"}
        lags = []
        for i in range(5):
            receipt = emitter.deposit(player, 10**15 * (i + 1))
            message = json.loads(socket.recv(timeout=15))
            assert message["event"] == "Deposited" and message["tx"] == receipt["transactionHash"]
            assert message["args"]["player"] == player and message["args"]["amount"] == str(10**15 * (i + 1))
            health = httpx.get(f"{api}/health").json()
            lags.append(health["lag_blocks"])
        assert max(lags) <= 1
    view = httpx.get(f"{api}/players/{player}").json()
    assert view["balances"][0]["free"] == str(15 * 10**15)
