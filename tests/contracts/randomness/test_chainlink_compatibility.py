"""A proof Chainlink's verifier accepts verifies in ours with the same output, and ours in
theirs: Chainlink's own VRF.sol (@chainlink/contracts, fetched by tools/bootstrap.sh) runs
behind ChainlinkVRFHarness next to our VRFVerifier."""

from __future__ import annotations

from typing import Any

import brownie
import pytest
from brownie.test import strategy
from hypothesis import example, settings
from hypothesis import strategies as st
from hypothesis.core import given  # brownie patches hypothesis.given to warn
from vrf_support import GROUP_ORDER, MUTATIONS

from oracle import ecvrf

# Every property here only makes calls, so hypothesis' own `given` is used: brownie's reverts the
# chain before each example, which costs far more than the calls themselves.
secrets = strategy("uint256", min_value=1, max_value=GROUP_ORDER - 1)
seeds = strategy("uint256")


@pytest.fixture(scope="module")
def chainlink(owner: Any) -> Any:
    from brownie import ChainlinkVRFHarness

    return ChainlinkVRFHarness.deploy({"from": owner})


@given(secret=secrets, seed=seeds)
def test_both_verifiers_accept_python_proofs_with_the_same_output(
    coordinator: Any, chainlink: Any, secret: int, seed: int
) -> None:
    proof = ecvrf.prove(secret, seed)
    expected = ecvrf.output_of(proof.gamma)
    assert chainlink.randomValueFromVRFProof(proof.as_solidity(), seed) == expected
    assert coordinator.verifyProof(proof.as_solidity(), seed) == expected


@given(secret=secrets, seed=seeds, name=st.sampled_from(list(MUTATIONS)))
@example(secret=7, seed=0, name="pk of another key")  # CI drew it: the "other" key was the prover's own
@settings(max_examples=80)
def test_both_verifiers_reject_every_mutation(
    coordinator: Any, chainlink: Any, reverts_with: Any, secret: int, seed: int, name: str
) -> None:
    mutate, error = MUTATIONS[name]
    mutated, verify_seed = mutate(ecvrf.prove(secret, seed))
    with brownie.reverts():
        chainlink.randomValueFromVRFProof(mutated.as_solidity(), verify_seed)
    with reverts_with(error):
        coordinator.verifyProof(mutated.as_solidity(), verify_seed)


def test_proof_for_a_registered_request_verifies_in_chainlink(
    coordinator: Any, chainlink: Any, consumer: Any, oracle_key: Any, request_from: Any, fulfiller: Any
) -> None:
    rc = request_from(consumer)
    brownie.chain.mine()
    proof = oracle_key.prove_for(rc)
    chainlink_output = chainlink.randomValueFromVRFProof(proof.as_solidity(), proof.seed)
    tx = coordinator.fulfil(proof.as_solidity(), rc, {"from": fulfiller})
    assert tx.return_value == chainlink_output
