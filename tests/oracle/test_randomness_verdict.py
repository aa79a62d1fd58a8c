"""The randomness half of the audit policy (oracle.audit) against proofs made by the prover."""

from __future__ import annotations

from dataclasses import replace

from oracle import ecvrf
from oracle.audit import verify_fulfilment

SECRET = 0xF00D
PRE_SEED = 12345
BLOCK_HASH = bytes(range(32))
SEED = ecvrf.request_seed(PRE_SEED, BLOCK_HASH)
PROOF = ecvrf.prove(SECRET, SEED)
KEY_HASH = "0x" + ecvrf.key_hash(ecvrf.public_key(SECRET)).hex()
OUTPUT = ecvrf.output_of(PROOF.gamma)


def test_an_honest_fulfilment_passes_and_gives_the_coordinator_words() -> None:
    verdict = verify_fulfilment(PROOF, PRE_SEED, BLOCK_HASH, 2)
    assert verdict.first_failure(SEED, KEY_HASH.upper().replace("0X", "0x"), OUTPUT) is None
    assert (verdict.expected_seed, verdict.output) == (SEED, OUTPUT)
    assert verdict.words == ecvrf.random_words(OUTPUT, 2)


def test_each_failure_is_named_in_dependency_order() -> None:
    verdict = verify_fulfilment(PROOF, PRE_SEED, BLOCK_HASH, 1)
    assert verdict.first_failure(SEED + 1, KEY_HASH, OUTPUT) is not None
    assert verdict.first_failure(SEED + 1, KEY_HASH, OUTPUT)[0] == "seed"  # type: ignore[index]
    other_key = "0x" + ecvrf.key_hash(ecvrf.public_key(SECRET + 1)).hex()
    assert verdict.first_failure(SEED, other_key, OUTPUT) == ("key", "proof key differs from the requested key")
    assert verdict.first_failure(SEED, KEY_HASH, OUTPUT + 1) == (
        "output",
        "coordinator output differs from the proof's output",
    )
    # a proof for another block's seed: the seed check fails first
    moved = verify_fulfilment(PROOF, PRE_SEED, bytes(32), 1)
    assert moved.first_failure(SEED, KEY_HASH, OUTPUT) == (
        "seed",
        "proven seed differs from preSeed + request blockhash",
    )


def test_a_forged_proof_is_reported_with_the_verifier_reason() -> None:
    forged = replace(PROOF, s=(PROOF.s + 1) % (2**256))
    verdict = verify_fulfilment(forged, PRE_SEED, BLOCK_HASH, 1)
    assert verdict.output is None and verdict.words == [] and verdict.reason
    failure = verdict.first_failure(SEED, KEY_HASH, OUTPUT)
    assert failure is not None and failure[0] == "proof" and verdict.reason in failure[1]


def test_without_the_request_block_hash_no_seed_is_expected() -> None:
    verdict = verify_fulfilment(PROOF, PRE_SEED, None, 1)
    assert verdict.expected_seed is None and verdict.output == OUTPUT
    assert verdict.first_failure(SEED, KEY_HASH, OUTPUT) == (
        "seed",
        "proven seed differs from preSeed + request blockhash",
    )
