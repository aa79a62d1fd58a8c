"""`fairstake api --index` as real processes: the API serves what its indexer child commits,
follows new blocks within a block, and pushes new events over the WebSocket feed."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from eth_utils import keccak, to_checksum_address
from support import ETH, Chain, Emitter, save_manifest

from ops.cli.api import api_server

DEPOSITED = "0x" + keccak(text="Deposited(address,address,uint256)").hex()


def serve(chain: Chain, emitter: Emitter, db_url: str, tmp_path: Path, *extra: str) -> Generator[str, None, None]:
    """`fairstake api --index` over the emitter's events, once it has caught up with the chain."""
    emitter.deposits(30, players=3)
    manifest_path = save_manifest(emitter.manifest(), tmp_path)
    args = ("--deployment", str(manifest_path), "--rpc", chain.url, "--db", db_url, "--index", *extra)
    with api_server(*args, log=tmp_path / "api.log") as url:
        wait_caught_up(url, chain, tmp_path / "api.log")
        yield url


@pytest.fixture
def api(chain: Chain, emitter: Emitter, db_url: str, tmp_path: Path) -> Iterator[str]:
    yield from serve(chain, emitter, db_url, tmp_path)


def wait_caught_up(url: str, chain: Chain, log: Path, timeout: float = 60) -> None:
    """Until the API's indexed block is the chain's head block, hash and all."""
    deadline = time.monotonic() + timeout
    while True:
        head = chain.rpc("eth_getBlockByNumber", ["latest", False])
        health = httpx.get(f"{url}/health", timeout=5).json()
        if health["indexed_block"] == int(head["number"], 16) and health["indexed_hash"] == head["hash"]:
            return
        assert time.monotonic() < deadline, f"API stuck at {health}, head {head['number']}: {log.read_text()[-2000:]}"
        time.sleep(0.1)


def api_events(url: str) -> list[dict[str, Any]]:
    events, cursor = [], None
    while True:
        page = httpx.get(f"{url}/audit/events", params={"limit": 200, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        events += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return events


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


@pytest.mark.parametrize("finality", ["0", "12"], ids=["rebuild", "undo"])
def test_api_converges_to_the_canonical_chain_after_reorgs_of_depth_1_to_10(
    chain: Chain, emitter: Emitter, db_url: str, tmp_path: Path, finality: str
) -> None:
    """anvil_reorg replaces the last 1..10 blocks while the API's indexer follows the chain live;
    afterwards the API serves exactly the canonical chain's events and balances."""
    rng = random.Random(int(finality) + 10)
    players = [to_checksum_address(chain.accounts[i]) for i in range(3, 8)]
    log = tmp_path / "api.log"
    api = serve(chain, emitter, db_url, tmp_path, "--finality", finality)
    url = next(api)
    try:
        for depth in range(1, 11):
            for _ in range(rng.randint(depth, depth + 3)):
                emitter.deposit(rng.choice(players), rng.randrange(1, 10**18))
            wait_caught_up(url, chain, log)
            # The replacement branch: 0..depth deposits spread over its blocks, to other amounts.
            replacement = [
                [emitter.deposit_tx(rng.choice(players), rng.randrange(1, 10**18)), rng.randrange(depth)]
                for _ in range(rng.randint(0, depth))
            ]
            chain.rpc("anvil_reorg", [depth, replacement])
            if rng.random() < 0.5:
                emitter.deposit(rng.choice(players), 1 + depth)  # the canonical chain grows past the reorg
            wait_caught_up(url, chain, log)

            canonical = chain.rpc("eth_getLogs", [{"address": emitter.address, "fromBlock": hex(emitter.block)}])
            served = api_events(url)
            assert [(e["block_hash"], e["log_index"], e["tx"]) for e in served] == [
                (log_["blockHash"], int(log_["logIndex"], 16), log_["transactionHash"]) for log_ in canonical
            ], f"depth {depth}: the API's events are not the canonical chain's"
            expected: dict[str, int] = {}
            for log_ in canonical:
                if log_["topics"][0] == DEPOSITED:
                    player = to_checksum_address("0x" + log_["topics"][1][-40:])
                    expected[player] = expected.get(player, 0) + int(log_["data"], 16)
            for player in players:
                view = httpx.get(f"{url}/players/{player}").json()
                free = {b["token"]: int(b["free"]) for b in view["balances"]}
                assert free.get(ETH, 0) == expected.get(player, 0), f"depth {depth}: {player}'s balance"
    finally:
        api.close()
