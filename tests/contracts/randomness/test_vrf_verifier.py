"""VRFVerifier through RandomnessCoordinator.verifyProof: proofs from the Python prover verify
with the same output, and every single-field mutation is rejected by both the Python verifier and
the contract, the contract naming the check that failed."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from brownie.test import strategy
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.core import given  # brownie patches hypothesis.given to warn
from vrf_support import GROUP_ORDER, MUTATIONS, base_mul, forge, negate, point_mul

from oracle import ecvrf
from oracle.proof import InvalidProof

# Every property here only makes calls, so hypothesis' own `given` is used: brownie's reverts the
# chain before each example, which costs far more than the calls themselves.
secrets = strategy("uint256", min_value=1, max_value=GROUP_ORDER - 1)
seeds = strategy("uint256")


def _python_rejects(proof: Any, seed: int) -> bool:
    try:
        ecvrf.verify(proof, seed)
    except InvalidProof:
        return True
    return False


@given(secret=secrets, seed=seeds)
def test_python_proofs_verify_with_the_same_output(coordinator: Any, secret: int, seed: int) -> None:
    proof = ecvrf.prove(secret, seed)
    expected = ecvrf.output_of(proof.gamma)
    assert ecvrf.verify(proof) == expected
    assert coordinator.verifyProof(proof.as_solidity(), seed) == expected


@given(secret=secrets, seed=seeds, name=st.sampled_from(list(MUTATIONS)))
@settings(max_examples=80)
def test_any_single_field_mutation_is_rejected_by_both(
    coordinator: Any, reverts_with: Any, secret: int, seed: int, name: str
) -> None:
    mutate, error = MUTATIONS[name]
    mutated, verify_seed = mutate(ecvrf.prove(secret, seed))
    assert _python_rejects(mutated, verify_seed), name
    with reverts_with(error):
        coordinator.verifyProof(mutated.as_solidity(), verify_seed)


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_each_mutation_names_its_check(coordinator: Any, reverts_with: Any, oracle_key: Any, name: str) -> None:
    mutate, error = MUTATIONS[name]
    mutated, verify_seed = mutate(ecvrf.prove(oracle_key.secret, 0xC0FFEE))
    assert _python_rejects(mutated, verify_seed)
    with reverts_with(error):
        coordinator.verifyProof(mutated.as_solidity(), verify_seed)


def test_verify_uses_the_seed_argument_not_the_proof_field(
    coordinator: Any, oracle_key: Any, reverts_with: Any
) -> None:
    proof = ecvrf.prove(oracle_key.secret, 42)
    relabelled = dataclasses.replace(proof, seed=43)
    assert coordinator.verifyProof(relabelled.as_solidity(), 42) == ecvrf.output_of(proof.gamma)
    with reverts_with("WrongSHashWitness"):
        coordinator.verifyProof(proof.as_solidity(), 43)


@given(secret=secrets, seed=seeds, fake_gamma=secrets, c=secrets, s=secrets)
def test_consistent_witnesses_for_a_wrong_gamma_fail_the_challenge(
    coordinator: Any, reverts_with: Any, secret: int, seed: int, fake_gamma: int, c: int, s: int
) -> None:
    forged = forge(ecvrf.prove(secret, seed), base_mul(fake_gamma), c, s)
    assert _python_rejects(forged, seed)
    with reverts_with("WrongChallenge"):
        coordinator.verifyProof(forged.as_solidity(), seed)


@pytest.mark.parametrize("sign", [1, -1])
def test_witnesses_sharing_an_x_coordinate_are_rejected(
    coordinator: Any, oracle_key: Any, reverts_with: Any, sign: int
) -> None:
    """gamma = ±(s / c)·H makes c·gamma = ±s·H: both products check, but the chord through two
    points with one x is undefined (equal points) or vertical (opposite points, sum at infinity)."""
    proof = ecvrf.prove(oracle_key.secret, 7)
    hash_point = ecvrf.hash_to_curve(proof.pk, proof.seed)
    c, s = 0x1234, 0x5678
    gamma = point_mul(hash_point, sign * s * pow(c, -1, GROUP_ORDER))
    forged = forge(proof, gamma, c, s)
    expected = forged.s_hash_witness if sign == 1 else negate(forged.s_hash_witness)
    assert forged.c_gamma_witness == expected
    assert _python_rejects(forged, proof.seed)
    with reverts_with("WitnessesNotDistinct"):
        coordinator.verifyProof(forged.as_solidity(), proof.seed)


@given(secret=secrets, seed=seeds)
@settings(max_examples=20)
def test_hash_to_curve_matches_python(vrf_probe: Any, secret: int, seed: int) -> None:
    pk = ecvrf.public_key(secret)
    assert tuple(vrf_probe.hashToCurve(pk, seed)) == tuple(ecvrf.hash_to_curve(pk, seed))


@pytest.fixture(scope="module")
def vrf_probe(owner: Any) -> Any:
    from brownie import VRFGasProbe

    return VRFGasProbe.deploy({"from": owner})


def test_probe_verifies_like_the_coordinator(vrf_probe: Any, oracle_key: Any) -> None:
    proof = ecvrf.prove(oracle_key.secret, 99)
    output, gas_used = vrf_probe.measureVerify(proof.as_solidity(), proof.seed)
    assert output == ecvrf.output_of(proof.gamma)
    assert gas_used > 0
