"""`fairstake api --index` as real processes: the API serves what its indexer child commits,
follows new blocks within a block, and pushes new events over the WebSocket feed."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support import Chain, Emitter, save_manifest

from backend.api.cli import api_server


@pytest.fixture
def api(chain: Chain, emitter: Emitter, db_url: str, tmp_path: Path) -> Iterator[str]:
    emitter.deposits(30, players=3)
    manifest_path = save_manifest(emitter.manifest(), tmp_path)
    args = ("--deployment", str(manifest_path), "--rpc", chain.url, "--db", db_url, "--index")
    with api_server(*args, log=tmp_path / "api.log") as url:
        deadline = time.monotonic() + 60
        while httpx.get(f"{url}/health", timeout=5).json()["lag_blocks"] != 0:
            assert time.monotonic() < deadline, (tmp_path / "api.log").read_text()
            time.sleep(0.1)
        yield url


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
