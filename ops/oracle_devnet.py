"""A randomness stack on a local dev chain for the daemon's tests and latency benchmark:
Vault (where bond slashes are paid in) + RandomnessCoordinator + TestConsumer deployed with
web3 from brownie's build artifacts, an oracle key registered (its bonds owned by the deployer)
and optionally bonded in ETH, and the manifest and keystore the daemon reads written to a folder.

Also runs the daemon as a real subprocess (`python -m ops.cli.main oracle run ...`) and
reads its JSON log, so tests can SIGKILL it for real."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract
from web3.logs import DISCARD

from fairstake import PROJECT_ROOT
from fairstake.manifest import DeployedContract, Manifest
from oracle import ecvrf, keystore
from oracle.daemon.chain import EVENT_FULFILLED, EVENT_REQUESTED, Coordinator, connect
from oracle.daemon.keys import dev_account

ARTIFACTS = PROJECT_ROOT / "build" / "contracts"
DEV_ORACLE_SECRET = 0x5EED_0F_FA1257A4E
PASSWORD = "devnet-oracle-password"
# Dev account indices: 0 deploys and owns, 1.. request, ORACLE_TX_ACCOUNT pays for fulfils.
ORACLE_TX_ACCOUNT = 9
ETH = "0x" + "00" * 20  # the coordinator's and Vault's token address for native ETH


class ArtifactMissing(RuntimeError):
    """The contracts are not compiled."""


def artifact(name: str) -> dict[str, Any]:
    path = ARTIFACTS / f"{name}.json"
    if not path.exists():
        raise ArtifactMissing(f"{path} is missing: run `brownie compile` first")
    data = json.loads(path.read_text())
    return {"abi": data["abi"], "bytecode": data["bytecode"]}


def link(bytecode: str, library: str, address: str) -> str:
    """`bytecode` with brownie's placeholder for `library` (its name padded with underscores to
    the 40 hex digits of an address) replaced by `address`: what brownie does when it deploys a
    contract that calls a library's external functions (the Vault and VaultBankroll)."""
    placeholders = set(re.findall(rf"__{re.escape(library)}_*", bytecode))
    if {len(p) for p in placeholders} != {40}:
        raise ValueError(f"the bytecode has no 40-digit placeholder for {library}: {sorted(placeholders)}")
    return bytecode.replace(placeholders.pop(), address.lower().removeprefix("0x"))


def deploy_vault_code(w3: Web3, sender: LocalAccount) -> dict[str, Any]:
    """The Vault's artifact with its bytecode linked to a VaultBankroll deployed now."""
    library = artifact("VaultBankroll")
    factory = w3.eth.contract(abi=library["abi"], bytecode=library["bytecode"])
    address = transact(w3, factory.constructor(), sender)["contractAddress"]
    vault = artifact("Vault")
    return {"abi": vault["abi"], "bytecode": link(vault["bytecode"], "VaultBankroll", address)}


def abi_of(contract: Contract) -> list[dict[str, Any]]:
    return [dict(item) for item in contract.abi]


def transact(w3: Web3, call: Any, sender: LocalAccount, gas: int | None = None, value: int = 0) -> dict[str, Any]:
    """Sign `call` (a web3 contract function or constructor) locally, send it, wait for it."""
    params: dict[str, Any] = {
        "from": sender.address,
        "nonce": w3.eth.get_transaction_count(sender.address, "pending"),
        "chainId": w3.eth.chain_id,
    }
    if gas is not None:
        params["gas"] = gas
    if value:
        params["value"] = value
    tx = call.build_transaction(params)
    signed = sender.sign_transaction(tx)
    tx_hash = w3.eth.send_raw_transaction(signed.raw_transaction)
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=60, poll_latency=0.02)
    if receipt["status"] != 1:
        raise RuntimeError(f"transaction {tx_hash.hex()} reverted")
    return dict(receipt)


@dataclass
class Devnet:
    """The deployed randomness stack and the files a daemon needs."""

    w3: Web3
    rpc_url: str
    directory: Path
    vault: Contract
    coordinator: Contract
    consumer: Contract
    coordinator_block: int
    key_hash: bytes
    vrf_secret: int
    owner: LocalAccount
    timeout_blocks: int
    timeout_seconds: int
    manifest_path: Path = field(init=False)
    keystore_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.manifest_path = self.directory / "deployment.json"
        self.keystore_path = self.directory / "oracle-keystore.json"

    # -- files ------------------------------------------------------------------------------

    def write_files(self) -> None:
        block = self.coordinator_block
        coordinator = DeployedContract(
            "RandomnessCoordinator", self.coordinator.address, block, abi_of(self.coordinator)
        )
        consumer = DeployedContract("TestConsumer", self.consumer.address, block, abi_of(self.consumer))
        public = ecvrf.public_key(self.vrf_secret)
        Manifest(
            chain_id=int(self.w3.eth.chain_id),
            rpc_url=self.rpc_url,
            deployment_block=self.coordinator_block,
            contracts={c.name: c for c in (coordinator, consumer)},
            oracle={"keyHash": "0x" + self.key_hash.hex(), "publicKey": [hex(public[0]), hex(public[1])]},
        ).save(self.manifest_path)
        if not self.keystore_path.exists():
            # A light scrypt work factor: the key guards nothing outside this dev chain.
            keystore.save_key(self.vrf_secret, self.keystore_path, PASSWORD, kdf_iterations=2**10)

    # -- driving the consumer ---------------------------------------------------------------

    def request(self, requester: LocalAccount, callback_gas: int = 200_000, num_words: int = 2) -> int:
        """One request through the TestConsumer; returns its request id."""
        call = self.consumer.functions.request(callback_gas, num_words)
        receipt = transact(self.w3, call, requester, gas=300_000)
        # The receipt may hold other contracts' logs too; only the coordinator's request is decoded.
        (event,) = self.coordinator.events.RandomnessRequested().process_receipt(receipt, errors=DISCARD)
        return int(event["args"]["requestId"])

    def counts(self) -> tuple[set[int], Counter[int]]:
        """Every request id asked for, and how often each was fulfilled, from chain logs."""
        reader = Coordinator(self.w3, self.coordinator.address, abi_of(self.coordinator))
        events = reader.logs(self.coordinator_block, int(self.w3.eth.block_number))
        requested = {e.request_id for e in events if e.name == EVENT_REQUESTED}
        fulfilled = Counter(e.request_id for e in events if e.name == EVENT_FULFILLED)
        return requested, fulfilled

    def pending(self, request_ids: Iterable[int]) -> list[int]:
        return [rid for rid in request_ids if self.coordinator.functions.isPending(rid).call()]

    # -- driving the chain and governance ----------------------------------------------------

    def mine(self, blocks: int = 1) -> None:
        for _ in range(blocks):
            self.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]

    def increase_time(self, seconds: int) -> None:
        """Move the chain clock on; the next mined block carries the new time."""
        self.w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]

    def set_slash(self, amount: int, beneficiary: str, beneficiary_amount: int, to_bankroll: bool = True) -> None:
        """The ETH bond reservation of the TestConsumer's next requests (amount 0: none)."""
        slash = (ETH, amount, beneficiary, beneficiary_amount, to_bankroll)
        transact(self.w3, self.consumer.functions.setSlash(slash), self.owner)

    def deregister_key(self) -> None:
        transact(self.w3, self.coordinator.functions.deregisterKey(self.key_hash), self.owner)


def deploy(
    rpc_url: str,
    directory: Path,
    *,
    vrf_secret: int = DEV_ORACLE_SECRET,
    timeout_blocks: int = 255,
    timeout_seconds: int = 20 * 60,
    max_callback_gas: int = 2_500_000,
    bond_wei: int = 0,
) -> Devnet:
    """Deploy a Vault (ETH allowed) and RandomnessCoordinator (both owned by dev account 0) and
    a registered TestConsumer, register the oracle key (dev account 0 its bonds' operator),
    deposit `bond_wei` as its ETH bond, and write the manifest and keystore into `directory`."""
    w3 = connect(rpc_url)
    owner = dev_account(0)
    vault_spec = deploy_vault_code(w3, owner)
    vault_factory = w3.eth.contract(abi=vault_spec["abi"], bytecode=vault_spec["bytecode"])
    vault_receipt = transact(w3, vault_factory.constructor(owner.address), owner)
    vault = w3.eth.contract(address=vault_receipt["contractAddress"], abi=vault_spec["abi"])
    transact(w3, vault.functions.setToken(ETH, True), owner)
    spec = artifact("RandomnessCoordinator")
    factory = w3.eth.contract(abi=spec["abi"], bytecode=spec["bytecode"])
    constructor = factory.constructor(owner.address, vault.address, timeout_blocks, timeout_seconds, max_callback_gas)
    receipt = transact(w3, constructor, owner)
    coordinator = w3.eth.contract(address=receipt["contractAddress"], abi=spec["abi"])
    public = ecvrf.public_key(vrf_secret)
    key_hash = ecvrf.key_hash(public)
    transact(w3, coordinator.functions.registerKey(list(public), owner.address), owner)
    if bond_wei:
        call = coordinator.functions.depositBond(key_hash, ETH, bond_wei)
        transact(w3, call, owner, value=bond_wei)
    consumer_spec = artifact("TestConsumer")
    consumer_factory = w3.eth.contract(abi=consumer_spec["abi"], bytecode=consumer_spec["bytecode"])
    consumer_receipt = transact(w3, consumer_factory.constructor(coordinator.address), owner)
    consumer = w3.eth.contract(address=consumer_receipt["contractAddress"], abi=consumer_spec["abi"])
    transact(w3, coordinator.functions.setConsumer(consumer.address, key_hash), owner)
    devnet = Devnet(
        w3=w3,
        rpc_url=rpc_url,
        directory=directory,
        vault=vault,
        coordinator=coordinator,
        consumer=consumer,
        coordinator_block=int(receipt["blockNumber"]),
        key_hash=key_hash,
        vrf_secret=vrf_secret,
        owner=owner,
        timeout_blocks=timeout_blocks,
        timeout_seconds=timeout_seconds,
    )
    directory.mkdir(parents=True, exist_ok=True)
    devnet.write_files()
    return devnet


class DaemonProcess:
    """`fairstake oracle run` as a child process with its JSON log in a file."""

    def __init__(self, devnet: Devnet, *extra_args: str, log_path: Path | None = None) -> None:
        self.devnet = devnet
        self.extra_args = list(extra_args)
        self.log_path = log_path or devnet.directory / "daemon.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "ops.cli.main", "oracle", "run",
            "--deployment", str(self.devnet.manifest_path),
            "--keystore", str(self.devnet.keystore_path),
            "--poll-interval", "0.05",
            *self.extra_args,
        ]  # fmt: skip

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH", "")]))
        env[keystore.PASSWORD_ENV] = PASSWORD
        env["FAIRSTAKE_ORACLE_TX_KEY"] = "0x" + bytes(dev_account(ORACLE_TX_ACCOUNT).key).hex()
        return env

    def start(self) -> DaemonProcess:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.command(), stdout=log, stderr=log, stdin=subprocess.DEVNULL, env=self.environment()
            )
        self.starts += 1
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, signum: int) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signum)

    def kill(self) -> None:
        """SIGKILL: no cleanup, no last words."""
        if self.process is not None:
            self.signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self, timeout: float = 20.0) -> int | None:
        """SIGTERM and wait for a clean exit; returns the exit code."""
        if self.process is None:
            return None
        self.signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def events(self) -> list[dict[str, Any]]:
        """The JSON log lines written so far (non-JSON lines, e.g. a traceback, are skipped)."""
        if not self.log_path.exists():
            return []
        lines = []
        for line in self.log_path.read_text().splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict):
                lines.append(record)
        return lines

    def wait_for(self, event: str, count: int = 1, timeout: float = 60.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while True:
            found = [e for e in self.events() if e.get("event") == event]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise TimeoutError(f"daemon logged {len(found)} of {count} {event!r} within {timeout}s")
            if not self.alive():
                raise RuntimeError(f"daemon exited with {self.process and self.process.returncode}")
            time.sleep(0.05)


def wait_until_settled(devnet: Devnet, request_ids: Iterable[int], timeout: float = 60.0) -> None:
    """Block until none of `request_ids` is pending on chain."""
    ids = list(request_ids)
    deadline = time.monotonic() + timeout
    while True:
        still = devnet.pending(ids)
        if not still:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(still)} of {len(ids)} requests still pending after {timeout}s")
        time.sleep(0.1)
