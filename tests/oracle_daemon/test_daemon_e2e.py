"""The oracle daemon end to end: a real anvil per test, RandomnessCoordinator + TestConsumer
deployed from the build artifacts, and `fairstake oracle run` as a real subprocess that we
SIGKILL, starve of its RPC node and restart.

FAIRSTAKE_SOAK=1 runs many more kill rounds and requests."""

from __future__ import annotations

import json
import os
import random
import signal
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ops.chain import LocalChain, reserved_port
from ops.oracle_devnet import (
    ETH,
    DaemonProcess,
    Devnet,
    deploy,
    dev_account,
    wait_until_settled,
)
from oracle import ecvrf

SOAK = os.environ.get("FAIRSTAKE_SOAK") == "1"


@pytest.fixture
def node(request: pytest.FixtureRequest) -> Iterator[LocalChain]:
    """anvil, or the chain kind a test asks for with indirect parametrisation."""
    with LocalChain(kind=getattr(request, "param", "anvil")) as chain:
        yield chain


both_chains = pytest.mark.parametrize("node", ["anvil", "ganache"], indirect=True)


@pytest.fixture
def devnet(node: LocalChain, tmp_path: Path) -> Devnet:
    return deploy(node.url, tmp_path)


@pytest.fixture
def daemons() -> Iterator[list[DaemonProcess]]:
    """Every daemon a test starts is stopped afterwards, whatever happened."""
    started: list[DaemonProcess] = []
    yield started
    for daemon in started:
        if daemon.alive():
            daemon.kill()


@pytest.fixture
def metrics_port() -> Iterator[int]:
    """A port for a daemon's metrics server, reserved until the test ends (`ops.chain.reserve_port`)."""
    with reserved_port() as port:
        yield port


def expected_words(devnet: Devnet, request_id: int) -> list[int]:
    event = next(
        e
        for e in devnet.coordinator.events.RandomnessRequested().get_logs(from_block=devnet.coordinator_block)
        if e["args"]["requestId"] == request_id
    )
    # the event leaves out the commitment's blockNum (its log's block) and preSeed (its request id)
    block_hash = bytes(devnet.w3.eth.get_block(event["blockNumber"])["hash"])
    seed = ecvrf.request_seed(request_id, block_hash)
    proof = ecvrf.prove(devnet.vrf_secret, seed)
    return ecvrf.random_words(ecvrf.output_of(proof.gamma), event["args"]["numWords"])


def assert_exactly_once(devnet: Devnet, expected_ids: set[int]) -> None:
    requested, fulfilled = devnet.counts()
    assert requested == expected_ids
    assert {rid: n for rid, n in fulfilled.items() if n != 1} == {}
    assert set(fulfilled) == expected_ids
    assert devnet.pending(expected_ids) == []


def metric(port: int, name: str) -> float:
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    for line in body.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"metric {name} not exported")


@both_chains
def test_fulfils_a_request_with_the_oracle_words(
    devnet: Devnet, metrics_port: int, daemons: list[DaemonProcess]
) -> None:
    daemon = DaemonProcess(devnet, "--metrics-port", str(metrics_port)).start()
    daemons.append(daemon)
    daemon.wait_for("rebuilt")
    request_id = devnet.request(dev_account(1), num_words=3)
    wait_until_settled(devnet, [request_id])

    words = devnet.consumer.functions.wordsOf(request_id).call()
    assert words == expected_words(devnet, request_id)
    assert devnet.consumer.functions.fulfilled(request_id).call()
    (fulfilled,) = daemon.wait_for("fulfilled")
    assert int(fulfilled["request_id"]) == request_id and fulfilled["batch"] == 1
    (sent,) = [e for e in daemon.events() if e["event"] == "tx_sent"]
    assert sent["label"] == "fulfil"
    assert all({"ts", "level", "event"} <= set(e) for e in daemon.events())

    assert metric(metrics_port, "fairstake_oracle_requests_seen_total") == 1
    assert metric(metrics_port, "fairstake_oracle_requests_fulfilled_total") == 1
    assert metric(metrics_port, "fairstake_oracle_pending") == 0
    assert metric(metrics_port, "fairstake_oracle_fulfil_latency_seconds_count") == 1
    assert metric(metrics_port, "fairstake_oracle_gas_spent_total") > 100_000
    assert daemon.stop() == 0
    assert daemon.events()[-1]["event"] == "daemon_stopped"
    assert_exactly_once(devnet, {request_id})


@both_chains
def test_batches_pending_requests_under_the_gas_budget(devnet: Devnet, daemons: list[DaemonProcess]) -> None:
    count, budget = 14, 1_200_000
    ids = {devnet.request(dev_account(1 + i % 3)) for i in range(count)}
    daemon = DaemonProcess(devnet, "--gas-budget", str(budget)).start()
    daemons.append(daemon)
    wait_until_settled(devnet, ids)
    assert_exactly_once(devnet, ids)

    sent = [e for e in daemon.events() if e["event"] == "tx_sent"]
    assert all(e["label"] == "fulfilBatch" for e in sent)
    assert 2 <= len(sent) < count  # batched, and more than one batch was needed
    for e in sent:
        tx = devnet.w3.eth.get_transaction(e["tx"])
        receipt = devnet.w3.eth.get_transaction_receipt(e["tx"])
        assert tx["gas"] <= budget and receipt["gasUsed"] <= budget and receipt["status"] == 1
    assert sum(len(e["request_ids"]) for e in sent) == count


def test_restarts_after_sigkill_fulfil_every_request_exactly_once(devnet: Devnet, daemons: list[DaemonProcess]) -> None:
    rounds, per_burst = (50, 20) if SOAK else (20, 4)
    rng = random.Random(20240601)
    ids: set[int] = set()
    stop_requests = threading.Event()

    def keep_requesting() -> None:
        requester = dev_account(2)
        while not stop_requests.is_set() and len(ids) < rounds * per_burst:
            ids.add(devnet.request(requester, callback_gas=rng.choice([60_000, 150_000]), num_words=rng.randint(1, 4)))
            stop_requests.wait(rng.uniform(0.0, 0.08))

    requester = threading.Thread(target=keep_requesting, daemon=True)
    requester.start()
    checkpoint = devnet.directory / "checkpoint.json"
    kills = 0
    try:
        for life in range(rounds):
            log_path = devnet.directory / f"daemon-{life}.log"
            daemon = DaemonProcess(devnet, "--checkpoint", str(checkpoint), log_path=log_path).start()
            daemons.append(daemon)
            daemon.wait_for("rebuilt")
            threading.Event().wait(rng.uniform(0.3, 2.5))
            daemon.kill()
            kills += 1
    finally:
        stop_requests.set()
        requester.join(timeout=60)
    final = DaemonProcess(devnet, "--checkpoint", str(checkpoint), log_path=devnet.directory / "final.log").start()
    daemons.append(final)
    (rebuilt,) = final.wait_for("rebuilt")
    wait_until_settled(devnet, ids, timeout=120)
    assert kills == rounds and len(ids) > rounds
    assert_exactly_once(devnet, ids)
    assert final.stop() == 0
    # Restarts rescan from the checkpoint (the oldest open request), not from deployment.
    assert rebuilt["from_block"] > devnet.coordinator_block


def test_resumes_when_the_rpc_node_comes_back(tmp_path: Path, daemons: list[DaemonProcess]) -> None:
    outages = 4 if SOAK else 1
    node = LocalChain(state_file=tmp_path / "anvil-state.json").start()
    try:
        devnet = deploy(node.url, tmp_path / "net")
        daemon = DaemonProcess(devnet).start()
        daemons.append(daemon)
        ids = {devnet.request(dev_account(1)) for _ in range(3)}
        wait_until_settled(devnet, ids)
        for outage in range(1, outages + 1):
            # Requests arrive while the daemon is frozen; then the node goes away under it.
            daemon.signal(signal.SIGSTOP)
            during = {devnet.request(dev_account(1)) for _ in range(4)}
            node.stop()
            daemon.signal(signal.SIGCONT)
            daemon.wait_for("rpc_unavailable", count=outage)
            threading.Event().wait(1.0)
            assert daemon.alive()

            node.start()
            daemon.wait_for("rpc_restored", count=outage)
            wait_until_settled(devnet, during)
            after = {devnet.request(dev_account(1)) for _ in range(2)}
            wait_until_settled(devnet, after)
            ids |= during | after
        assert_exactly_once(devnet, ids)
        assert daemon.stop() == 0
    finally:
        node.stop()


def test_waits_for_confirmations_and_replaces_stuck_transactions(tmp_path: Path, daemons: list[DaemonProcess]) -> None:
    with LocalChain(block_time=1) as node:
        devnet = deploy(node.url, tmp_path)
        daemon = DaemonProcess(devnet, "--confirmations", "2", "--stuck-after", "0.3").start()
        daemons.append(daemon)
        ids = {devnet.request(dev_account(1)) for _ in range(3)}
        wait_until_settled(devnet, ids)
        assert_exactly_once(devnet, ids)
        requested = {
            e["args"]["requestId"]: e["blockNumber"]
            for e in devnet.coordinator.events.RandomnessRequested().get_logs(from_block=devnet.coordinator_block)
        }
        for e in devnet.coordinator.events.RandomnessFulfilled().get_logs(from_block=devnet.coordinator_block):
            # Seen once buried under two blocks, fulfilled in a later block still.
            assert e["blockNumber"] >= requested[e["args"]["requestId"]] + 3
        replaced = [e for e in daemon.events() if e["event"] == "tx_replaced"]
        assert replaced, "a fulfil waiting a whole block for inclusion should have been re-priced"
        for e in replaced:
            old, new = e["old_fees"], e["new_fees"]
            assert new["maxPriorityFeePerGas"] * 8 >= old["maxPriorityFeePerGas"] * 9
            assert new["maxFeePerGas"] * 8 >= old["maxFeePerGas"] * 9
        assert daemon.stop() == 0


def test_expires_requests_past_their_deadline_and_the_bond_pays(tmp_path: Path, daemons: list[DaemonProcess]) -> None:
    """Expired once both deadlines passed, or a whole timeout after the time deadline (a stalled
    chain); time passed but not blocks is still fulfilled. Expiry pays the slash out of the bond."""
    timeout, slash, share, bond = 60, 10**17, 6 * 10**16, 10**18
    with LocalChain() as node:
        devnet = deploy(node.url, tmp_path, timeout_blocks=5, timeout_seconds=timeout, bond_wei=bond)
        player = dev_account(3).address
        devnet.set_slash(slash, player, share)
        overdue = devnet.request(dev_account(1))
        devnet.mine(devnet.timeout_blocks + 1)  # its blocks passed, its time not
        time_only = devnet.request(dev_account(1))
        devnet.increase_time(timeout + 1)
        devnet.mine()  # overdue: both passed; time_only: only its time deadline
        daemon = DaemonProcess(devnet, "--expire-overdue").start()
        daemons.append(daemon)
        (expired,) = daemon.wait_for("expired")
        assert int(expired["request_id"]) == overdue
        wait_until_settled(devnet, [overdue, time_only])
        assert devnet.consumer.functions.expired(overdue).call()
        assert not devnet.consumer.functions.fulfilled(overdue).call()
        assert devnet.consumer.functions.fulfilled(time_only).call()

        # The chain stalls: one block a whole timeout after the time deadline expires the
        # request however few blocks passed.
        daemon.signal(signal.SIGSTOP)
        stalled = devnet.request(dev_account(1))
        devnet.increase_time(2 * timeout + 1)
        devnet.mine()
        daemon.signal(signal.SIGCONT)
        wait_until_settled(devnet, [stalled])
        assert devnet.consumer.functions.expired(stalled).call()
        assert sorted(int(e["request_id"]) for e in daemon.events() if e["event"] == "expired") == sorted(
            [overdue, stalled]
        )
        _, fulfilled = devnet.counts()
        assert fulfilled == {time_only: 1}

        # Each expiry paid the player's share into the Vault and took the slash off the bond.
        assert devnet.vault.functions.balanceOf(player, ETH).call() == 2 * share
        total, reserved, *_ = devnet.coordinator.functions.bondOf(devnet.key_hash, ETH).call()
        assert (total, reserved) == (bond - 2 * slash, 0)
        slashed = devnet.coordinator.events.BondSlashed().get_logs(from_block=devnet.coordinator_block)
        assert sorted(e["args"]["requestId"] for e in slashed) == sorted([overdue, stalled])
        assert daemon.stop() == 0


def test_fulfils_past_256_blocks_with_the_hash_it_stored(tmp_path: Path, daemons: list[DaemonProcess]) -> None:
    """The daemon stores an old request's block hash while BLOCKHASH still reads it (here someone
    else stores it first, so the daemon's own store reverts, harmlessly); a daemon that first sees
    the request 500 blocks later, before its time deadline, fulfils it with the stored hash."""
    with LocalChain() as node:
        devnet = deploy(node.url, tmp_path, timeout_blocks=10, timeout_seconds=3600)
        w3 = devnet.w3
        request_id = devnet.request(dev_account(1), num_words=3)
        block_num = int(w3.eth.get_transaction_receipt(_request_tx(devnet, request_id))["blockNumber"])
        devnet.mine(205)  # older than --store-after-blocks (200), still readable
        w3.provider.make_request("evm_setAutomine", [False])  # type: ignore[arg-type]

        # One transaction in flight at a time: the store goes out, the fulfil waits for it.
        first = DaemonProcess(devnet, "--max-in-flight", "1", log_path=devnet.directory / "first.log").start()
        daemons.append(first)
        (store_tx,) = [e for e in first.wait_for("tx_sent") if e["label"] == "storeBlockhash"]
        assert [int(i) for i in store_tx["request_ids"]] == [request_id]
        first.signal(signal.SIGSTOP)
        # Someone else stores the same hash first (a higher tip orders it first in the block).
        rival = dev_account(2)
        store = devnet.coordinator.functions.storeBlockhash(block_num).build_transaction(
            {
                "from": rival.address,
                "nonce": w3.eth.get_transaction_count(rival.address),
                "maxPriorityFeePerGas": 100 * 10**9,
                "maxFeePerGas": 200 * 10**9,
                "gas": 100_000,
                "chainId": w3.eth.chain_id,
            }
        )
        w3.eth.send_raw_transaction(rival.sign_transaction(store).raw_transaction)
        devnet.mine()
        ours = w3.eth.get_transaction_receipt(store_tx["tx"])
        assert ours["status"] == 0
        stored = bytes(devnet.coordinator.functions.storedBlockhash(block_num).call())
        assert stored == bytes(w3.eth.get_block(block_num)["hash"])
        first.signal(signal.SIGCONT)
        first.wait_for("blockhash_already_stored")
        # The daemon carries on: its fulfil goes out, but this node drops it unmined and the
        # daemon dies; the chain moves 300 blocks on, past BLOCKHASH's window.
        fulfil_tx = first.wait_for("tx_sent", count=2)[1]
        assert fulfil_tx["label"] == "fulfil"
        first.kill()
        w3.provider.make_request("anvil_dropTransaction", [fulfil_tx["tx"]])  # type: ignore[arg-type]
        devnet.mine(300)
        w3.provider.make_request("evm_setAutomine", [True])  # type: ignore[arg-type]
        assert devnet.pending([request_id]) == [request_id]
        assert w3.eth.block_number - block_num > 256

        second = DaemonProcess(devnet, log_path=devnet.directory / "second.log").start()
        daemons.append(second)
        wait_until_settled(devnet, [request_id])
        assert_exactly_once(devnet, {request_id})
        assert devnet.consumer.functions.wordsOf(request_id).call() == expected_words(devnet, request_id)
        (event,) = devnet.coordinator.events.RandomnessFulfilled().get_logs(from_block=block_num)
        seed = ecvrf.request_seed(request_id, stored)  # a request's preSeed is its id
        assert event["args"]["seed"] == seed
        proof = event["args"]["proof"]
        fields = ("pk", "gamma", "c", "s", "seed", "uWitness", "cGammaWitness", "sHashWitness", "zInv")
        on_chain = devnet.coordinator.functions.verifyProof(tuple(proof[f] for f in fields), seed).call()
        assert on_chain == event["args"]["output"] == ecvrf.verify(ecvrf.prove(devnet.vrf_secret, seed), seed)
        assert not [e for e in second.events() if e["event"] in ("request_stranded", "fulfil_would_revert")]
        assert second.stop() == 0


def test_stores_the_hash_of_a_request_it_cannot_fulfil_yet(tmp_path: Path, daemons: list[DaemonProcess]) -> None:
    """A request left unfulfilled until its block is --store-after-blocks old gets its hash stored
    by the daemon itself, and is then fulfilled after BLOCKHASH's window closed."""
    with LocalChain() as node:
        devnet = deploy(node.url, tmp_path, timeout_blocks=10, timeout_seconds=3600)
        w3 = devnet.w3
        request_id = devnet.request(dev_account(1))
        block_num = int(w3.eth.get_transaction_receipt(_request_tx(devnet, request_id))["blockNumber"])
        devnet.mine(3)
        w3.provider.make_request("evm_setAutomine", [False])  # type: ignore[arg-type]
        daemon = DaemonProcess(devnet, "--max-in-flight", "1", "--store-after-blocks", "3").start()
        daemons.append(daemon)
        daemon.wait_for("blockhash_store_sent")
        daemon.wait_for("tx_sent")
        devnet.mine()  # the store, alone: the fulfil waits for the free slot
        daemon.wait_for("blockhash_stored")
        (fulfil_tx,) = [e for e in daemon.wait_for("tx_sent", count=2) if e["label"] == "fulfil"]
        daemon.signal(signal.SIGSTOP)
        w3.provider.make_request("anvil_dropTransaction", [fulfil_tx["tx"]])  # type: ignore[arg-type]
        devnet.mine(300)
        w3.provider.make_request("evm_setAutomine", [True])  # type: ignore[arg-type]
        daemon.signal(signal.SIGCONT)  # its fulfil is gone: it notices and sends it again
        wait_until_settled(devnet, [request_id], timeout=90)
        assert bytes(devnet.coordinator.functions.storedBlockhash(block_num).call()) == bytes(
            w3.eth.get_block(block_num)["hash"]
        )
        assert devnet.consumer.functions.wordsOf(request_id).call() == expected_words(devnet, request_id)
        assert_exactly_once(devnet, {request_id})
        assert daemon.stop() == 0


def test_fulfils_a_pending_request_of_a_deregistered_key(devnet: Devnet, daemons: list[DaemonProcess]) -> None:
    request_id = devnet.request(dev_account(1), num_words=2)
    devnet.deregister_key()
    assert not devnet.coordinator.functions.isKeyRegistered(devnet.key_hash).call()
    daemon = DaemonProcess(devnet).start()
    daemons.append(daemon)
    wait_until_settled(devnet, [request_id])
    assert devnet.consumer.functions.wordsOf(request_id).call() == expected_words(devnet, request_id)
    assert_exactly_once(devnet, {request_id})
    assert daemon.stop() == 0


def _request_tx(devnet: Devnet, request_id: int) -> str:
    (event,) = [
        e
        for e in devnet.coordinator.events.RandomnessRequested().get_logs(from_block=devnet.coordinator_block)
        if e["args"]["requestId"] == request_id
    ]
    return "0x" + bytes(event["transactionHash"]).hex()


def test_refuses_a_node_of_another_chain_and_a_missing_manifest(devnet: Devnet) -> None:
    manifest = json.loads(devnet.manifest_path.read_text())
    manifest["chainId"] = 1
    devnet.manifest_path.write_text(json.dumps(manifest))
    daemon = DaemonProcess(devnet).start()
    assert daemon.process is not None and daemon.process.wait(timeout=60) == 2
    assert [e["event"] for e in daemon.events()][-1] == "wrong_chain"

    devnet.manifest_path.unlink()
    missing = DaemonProcess(devnet, log_path=devnet.directory / "missing.log").start()
    assert missing.process is not None and missing.process.wait(timeout=60) == 2
    (failure,) = missing.events()
    assert failure["event"] == "startup_failed" and "no deployment manifest" in failure["detail"]
