"""Gas figures of on-chain randomness: ECVRF verification (ours and Chainlink's reference
verifier on the same proofs), a single fulfilment and fulfilment in batches of 20.

Deploys on a fresh local chain (anvil unless told otherwise) with brownie as a library and
measures with proofs from the Python prover, exactly as the oracle daemon would send them:
- verify gas is the execution gas of the verification alone, measured inside the chain
  (VRFGasProbe / ChainlinkVRFHarness read gasleft() around it), averaged over many seeds
  because hash-to-curve takes a seed-dependent number of tries;
- fulfil gas is the whole transaction's gasUsed (intrinsic 21000 and calldata included) with a
  consumer whose callback accepts the words and stores nothing.
"""

from __future__ import annotations

import io
import warnings
from contextlib import redirect_stdout
from statistics import mean
from typing import Any

from eth_hash.auto import keccak

from fairstake import PROJECT_ROOT
from ops.chain import LocalChain
from oracle import ecvrf
from oracle.daemon.work import COMMITMENT_FIELDS, commitment_from_event

BENCH_SECRET = 0xFA12_57A4_E0B1_5EED
TIMEOUT_BLOCKS = 64
TIMEOUT_SECONDS = 20 * 60
MAX_CALLBACK_GAS = 2_500_000
CALLBACK_GAS = 100_000
BATCH_SIZE = 20
IGNORE_WORDS = 4  # TestConsumer.Behaviour.Ignore
NETWORK_OF_KIND = {"anvil": "development", "ganache": "ganache-cli"}


def vrf_gas(kind: str = "anvil", verify_samples: int = 32, fulfil_samples: int = 5) -> dict[str, Any]:
    """Deploy the randomness contracts on a fresh `kind` chain and return their gas figures."""
    from brownie import network

    # brownie prints every transaction and warns about its own internal rpc.mine calls
    with LocalChain(kind=kind) as local, redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        project = _attach(local)
        try:
            return {"chain": kind, **_measure(project, verify_samples, fulfil_samples)}
        finally:
            network.disconnect(kill_rpc=False)


def _attach(local: LocalChain) -> Any:
    """Point brownie's network for `local.kind` at the running chain and load the project."""
    from brownie import network, project
    from brownie._config import CONFIG

    name = NETWORK_OF_KIND[local.kind]
    settings = CONFIG.networks[name]
    settings["host"] = "http://127.0.0.1"
    settings.setdefault("cmd_settings", {})["port"] = local.port
    loaded = project.get_loaded_projects()
    fairstake = loaded[0] if loaded else project.load(PROJECT_ROOT, name="FairstakeBench")
    fairstake.load_config()
    if network.is_connected():  # left attached by an earlier benchmark in the same process
        network.disconnect(kill_rpc=False)
    network.connect(name)
    return fairstake


def _measure(project: Any, verify_samples: int, fulfil_samples: int) -> dict[str, Any]:
    from brownie import accounts, chain, web3

    owner = accounts[0]
    sender = {"from": owner}
    project.VaultBankroll.deploy(sender)  # the library the Vault links to
    vault = project.Vault.deploy(owner, sender)  # where slashes would be paid; nothing is bonded here
    coordinator = project.RandomnessCoordinator.deploy(
        owner, vault, TIMEOUT_BLOCKS, TIMEOUT_SECONDS, MAX_CALLBACK_GAS, sender
    )
    probe = project.VRFGasProbe.deploy(sender)
    chainlink = project.ChainlinkVRFHarness.deploy(sender)
    consumer = project.TestConsumer.deploy(coordinator, sender)
    consumer.setBehaviour(IGNORE_WORDS, 0, sender)
    pk = ecvrf.public_key(BENCH_SECRET)
    key_hash = ecvrf.key_hash(pk)
    coordinator.registerKey(pk, owner, sender)
    coordinator.setConsumer(consumer, key_hash, sender)

    ours: list[int] = []
    theirs: list[int] = []
    for i in range(verify_samples):
        seed = int.from_bytes(keccak(b"fairstake vrf bench" + i.to_bytes(32, "big")), "big")
        proof = ecvrf.prove(BENCH_SECRET, seed).as_solidity()
        output, gas = probe.measureVerify(proof, seed)
        chainlink_output, chainlink_gas = chainlink.measureRandomValueFromVRFProof(proof, seed)
        if output != chainlink_output:
            raise AssertionError(f"verifiers disagree on seed {seed:#x}")
        ours.append(int(gas))
        theirs.append(int(chainlink_gas))

    def request() -> tuple[tuple, int]:
        tx = consumer.request(CALLBACK_GAS, 1, sender)
        return commitment_from_event(tx.events["RandomnessRequested"], int(tx.block_number)), int(tx.gas_used)

    def proof_for(rc: tuple) -> tuple:
        fields = dict(zip(COMMITMENT_FIELDS, rc, strict=True))
        block_hash = bytes(web3.eth.get_block(int(fields["blockNum"]))["hash"])
        return ecvrf.prove(BENCH_SECRET, ecvrf.request_seed(int(fields["preSeed"]), block_hash)).as_solidity()

    single: list[int] = []
    request_gas: list[int] = []
    for _ in range(fulfil_samples):
        rc, gas = request()
        request_gas.append(gas)
        chain.mine()
        single.append(int(coordinator.fulfil(proof_for(rc), rc, sender).gas_used))

    rcs = [request()[0] for _ in range(BATCH_SIZE)]
    chain.mine()
    batch = coordinator.fulfilBatch([proof_for(rc) for rc in rcs], rcs, sender)
    if len(batch.events["RandomnessFulfilled"]) != BATCH_SIZE:
        raise AssertionError("the batch did not fulfil every request")

    return {
        "verify_gas": round(mean(ours)),
        "verify_gas_max": max(ours),
        "verify_gas_chainlink": round(mean(theirs)),
        "fulfil_gas_single": round(mean(single)),
        "fulfil_gas_per_request_batch20": round(int(batch.gas_used) / BATCH_SIZE),
        "request_gas": round(mean(request_gas)),
        "verify_samples": verify_samples,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(vrf_gas()))
