"""Fixtures for the randomness contracts: a coordinator owned by accounts[0], one registered
oracle key whose proofs come from the Python prover (oracle.ecvrf), and a registered consumer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from brownie import RandomnessCoordinator, TestConsumer, Vault, VaultBankroll, accounts, chain, web3
from vrf_support import OracleKey, commitment_from

from fairstake.manifest import ETH

TIMEOUT_BLOCKS = 20
TIMEOUT_SECONDS = 600
MAX_CALLBACK_GAS = 2_500_000
CALLBACK_GAS = 300_000
ORACLE_SECRET = 0x5EED0FFA1257A4EC0FFEE
OTHER_SECRET = 0xB0B0B0B0B0B0B


@pytest.fixture(scope="module")
def fulfiller() -> Any:
    """Anyone may fulfil: a plain account that holds no role."""
    return accounts[5]


@pytest.fixture(scope="module")
def key_operator() -> Any:
    """Owns the oracle key's bonds: the oracle's operator, no governance role."""
    return accounts[7]


@pytest.fixture(scope="module")
def vault(owner: Any, module_isolation: None) -> Any:
    """The Vault slashes are paid into, with ETH allow-listed."""
    VaultBankroll.deploy({"from": owner})  # the library the Vault links to
    deployed = Vault.deploy(owner, {"from": owner})
    deployed.setToken(ETH, True, {"from": owner})
    deployed.setRiskFraction(ETH, 1_000, {"from": owner})
    return deployed


@pytest.fixture(scope="module")
def coordinator(owner: Any, vault: Any, module_isolation: None) -> Any:
    return RandomnessCoordinator.deploy(
        owner, vault, TIMEOUT_BLOCKS, TIMEOUT_SECONDS, MAX_CALLBACK_GAS, {"from": owner}
    )


@pytest.fixture(scope="module")
def oracle_key(coordinator: Any, owner: Any, key_operator: Any) -> OracleKey:
    key = OracleKey(ORACLE_SECRET)
    coordinator.registerKey(key.pk, key_operator, {"from": owner})
    return key


def past_deadline(rc: tuple) -> None:
    """Advance the chain until the request is expired: its deadline block and time both passed."""
    latest = int(web3.eth.get_block("latest")["timestamp"])
    chain.sleep(max(0, int(rc[2]) - latest) + 2)
    chain.mine(max(1, int(rc[1]) - chain.height + 1))


@pytest.fixture(scope="module")
def other_key() -> OracleKey:
    """A valid key that is not registered."""
    return OracleKey(OTHER_SECRET)


@pytest.fixture(scope="module")
def consumer(coordinator: Any, owner: Any, oracle_key: OracleKey) -> Any:
    """A TestConsumer registered to request with the oracle key."""
    deployed = TestConsumer.deploy(coordinator, {"from": owner})
    coordinator.setConsumer(deployed, oracle_key.key_hash, {"from": owner})
    return deployed


@pytest.fixture(scope="module")
def request_from(oracle_key: OracleKey) -> Callable[..., tuple]:
    """request_from(consumer, callback_gas=..., num_words=...) -> the request's RequestCommitment."""

    def _request(consumer: Any, callback_gas: int = CALLBACK_GAS, num_words: int = 3) -> tuple:
        tx = consumer.request(callback_gas, num_words, {"from": accounts[1]})
        return commitment_from(tx)

    return _request


@pytest.fixture
def ready_request(consumer: Any, oracle_key: OracleKey, request_from: Callable[..., tuple]) -> tuple:
    """(rc, proof): a request from `consumer` whose block is mined, and the oracle's proof for it."""
    rc = request_from(consumer)
    chain.mine()
    return rc, oracle_key.prove_for(rc).as_solidity()
