"""Properties of the prover and of both verifiers (fast: libsecp256k1, pure: no C extension)."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from coincurve import PrivateKey
from eth_abi import encode
from hypothesis import assume, settings
from hypothesis import strategies as st

# brownie.test.given snapshots/reverts the chain around every example; these tests never
# touch a chain, so they take hypothesis's own `given` (brownie rebinds `hypothesis.given`)
from hypothesis.core import given

from ops.bench.vrf import measure_vrf
from oracle import ecvrf, ecvrf_pure
from oracle.ecvrf import InvalidProof, N, P, Reason
from oracle.proof import Point, Proof, to_checksum_address

secret_keys = st.integers(min_value=1, max_value=N - 1)
words = st.integers(min_value=0, max_value=2**256 - 1)
VERIFIERS: dict[str, Callable[..., int]] = {"fast": ecvrf.verify, "pure": ecvrf_pure.verify}


def negate(point: Point) -> Point:
    return point[0], P - point[1]


def off_curve(point: Point) -> Point:
    return point[0], (point[1] + 1) % P


def assert_rejected(proof: Proof, reason: Reason, seed: int | None = None) -> None:
    for name, verify in VERIFIERS.items():
        with pytest.raises(InvalidProof) as excinfo:
            verify(proof, seed)
        assert excinfo.value.reason == reason, f"{name} verifier"


@settings(max_examples=40)
@given(sk=secret_keys, seed=words)
def test_prove_then_verify_round_trip_on_both_paths(sk: int, seed: int) -> None:
    proof = ecvrf.prove(sk, seed)
    gamma = ecvrf_pure.multiply(ecvrf_pure.hash_to_curve(ecvrf.public_key(sk), seed), sk)
    assert gamma is not None
    expected = ecvrf_pure.output_of(gamma)
    assert proof.pk == ecvrf.public_key(sk)
    assert proof.seed == seed
    assert proof.u_witness == to_checksum_address(bytes.fromhex(proof.u_witness[2:]))
    assert ecvrf.verify(proof) == ecvrf.verify(proof, seed) == expected
    assert ecvrf_pure.verify(proof, seed) == expected
    assert ecvrf.output_of(proof.gamma) == expected


@given(sk=secret_keys, seed=words)
def test_proofs_are_deterministic_and_nonces_differ_across_seeds(sk: int, seed: int) -> None:
    proof = ecvrf.prove(sk, seed)
    assert ecvrf.prove(sk, seed) == proof
    other = ecvrf.prove(sk, (seed + 1) % 2**256)
    assert other.u_witness != proof.u_witness  # address(k·G): a different nonce k


def test_prove_rejects_out_of_range_inputs() -> None:
    with pytest.raises(ValueError):
        ecvrf.prove(0, 1)
    with pytest.raises(ValueError):
        ecvrf.prove(N, 1)
    with pytest.raises(ValueError):
        ecvrf.prove(1, 2**256)
    with pytest.raises(ValueError):
        ecvrf.public_key(0)


@settings(max_examples=20)
@given(sk=secret_keys, seed=words)
def test_single_field_mutations_are_rejected_for_the_right_reason(sk: int, seed: int) -> None:
    proof = ecvrf.prove(sk, seed)
    other_address = to_checksum_address(bytes.fromhex(proof.u_witness[2:])[::-1])
    cases: list[tuple[dict[str, object], Reason]] = [
        ({"pk": off_curve(proof.pk)}, Reason.PK_NOT_ON_CURVE),
        ({"pk": negate(proof.pk)}, Reason.U_WITNESS_MISMATCH),
        ({"gamma": off_curve(proof.gamma)}, Reason.GAMMA_NOT_ON_CURVE),
        ({"gamma": negate(proof.gamma)}, Reason.C_GAMMA_WITNESS_MISMATCH),
        ({"c": proof.c % (N - 1) + 1}, Reason.U_WITNESS_MISMATCH),
        ({"c": 0}, Reason.C_OUT_OF_RANGE),
        ({"c": proof.c + N if proof.c + N < 2**256 else N}, Reason.C_OUT_OF_RANGE),
        ({"s": proof.s % (N - 1) + 1}, Reason.U_WITNESS_MISMATCH),
        ({"s": 0}, Reason.S_OUT_OF_RANGE),
        ({"s": N}, Reason.S_OUT_OF_RANGE),
        ({"seed": (seed + 1) % 2**256}, Reason.S_HASH_WITNESS_MISMATCH),
        ({"seed": 2**256}, Reason.WORD_OUT_OF_RANGE),
        ({"u_witness": other_address}, Reason.U_WITNESS_MISMATCH),
        ({"u_witness": "0x" + "00" * 20}, Reason.BAD_U_WITNESS),
        ({"u_witness": "not an address"}, Reason.BAD_U_WITNESS),
        ({"c_gamma_witness": off_curve(proof.c_gamma_witness)}, Reason.C_GAMMA_WITNESS_NOT_ON_CURVE),
        ({"c_gamma_witness": negate(proof.c_gamma_witness)}, Reason.C_GAMMA_WITNESS_MISMATCH),
        ({"s_hash_witness": off_curve(proof.s_hash_witness)}, Reason.S_HASH_WITNESS_NOT_ON_CURVE),
        ({"s_hash_witness": negate(proof.s_hash_witness)}, Reason.S_HASH_WITNESS_MISMATCH),
        ({"s_hash_witness": proof.c_gamma_witness}, Reason.WITNESSES_NOT_DISTINCT),
        ({"z_inv": (proof.z_inv + 1) % P}, Reason.BAD_Z_INVERSE),
        ({"z_inv": 2**256}, Reason.WORD_OUT_OF_RANGE),
        ({"pk": (P, proof.pk[1])}, Reason.COORDINATE_OUT_OF_RANGE),
        ({"s_hash_witness": (proof.s_hash_witness[0], 2**256 - 1)}, Reason.COORDINATE_OUT_OF_RANGE),
    ]
    for changes, reason in cases:
        assert_rejected(dataclasses.replace(proof, **changes), reason)  # type: ignore[arg-type]
    assert_rejected(proof, Reason.SEED_MISMATCH, seed=(seed + 1) % 2**256)


@settings(max_examples=10)
@given(sk=secret_keys, seed=words, forged_c=st.integers(min_value=1, max_value=N - 1), k=secret_keys)
def test_consistent_witnesses_with_a_wrong_challenge_are_rejected(sk: int, seed: int, forged_c: int, k: int) -> None:
    """Every algebraic check passes and only c ≠ keccak(...) gives the forgery away. The forger's
    nonce `k` is drawn by hypothesis, so a failing example replays."""
    s = (k - forged_c * sk) % N
    assume(s != 0)  # s = 0 is refused earlier, as out of range (the single-field mutations test)
    pk = ecvrf.public_key(sk)
    h = ecvrf.hash_to_curve(pk, seed)
    gamma = ecvrf_pure.multiply(h, sk)
    u = ecvrf_pure.multiply_base(k)
    c_gamma = ecvrf_pure.multiply(gamma, forged_c) if gamma else None
    s_hash = ecvrf_pure.multiply(h, s)
    assert gamma and u and c_gamma and s_hash
    _, _, z = ecvrf_pure.projective_ec_add(c_gamma, s_hash)
    forged = Proof(
        pk=pk,
        gamma=gamma,
        c=forged_c,
        s=s,
        seed=seed,
        u_witness=to_checksum_address(ecvrf_pure.address_of(u)),
        c_gamma_witness=c_gamma,
        s_hash_witness=s_hash,
        z_inv=pow(z, -1, P),
    )
    assert_rejected(forged, Reason.CHALLENGE_MISMATCH)


def test_points_ecrecover_cannot_multiply_are_rejected() -> None:
    # an on-curve public key whose x lies in [n, p): ecrecover rejects r >= n
    x = N
    while (pk := ecvrf_pure.lift_x(x)) is None:
        x += 1
    proof = dataclasses.replace(ecvrf.prove(5, 5), pk=pk)
    assert_rejected(proof, Reason.UNRECOVERABLE_POINT)


@given(data=st.binary(max_size=600))
def test_pure_keccak_matches_pycryptodome(data: bytes) -> None:
    assert ecvrf_pure.keccak256(data) == ecvrf.keccak256(data)


def test_pure_keccak_known_answers() -> None:
    assert ecvrf_pure.keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    assert ecvrf_pure.keccak256(b"\x00" * 136).hex() == ecvrf.keccak256(b"\x00" * 136).hex()


@given(sk=secret_keys, scalar=secret_keys)
def test_pure_and_fast_arithmetic_agree(sk: int, scalar: int) -> None:
    point = ecvrf.public_key(sk)
    assert ecvrf_pure.multiply_base(sk) == point
    assert ecvrf_pure.multiply(point, scalar) == ecvrf.FAST.multiply(point, scalar)
    other = ecvrf.public_key(scalar)
    assert ecvrf_pure.add(point, other) == ecvrf.FAST.add(point, other)
    assert ecvrf_pure.add(point, negate(point)) is None
    assert ecvrf.FAST.add(point, negate(point)) is None
    assert ecvrf_pure.add(point, point) == ecvrf_pure.multiply(point, 2)


@given(x=words)
def test_lift_x_agrees_and_takes_the_even_root(x: int) -> None:
    x %= P
    lifted = ecvrf_pure.lift_x(x)
    assert lifted == ecvrf.FAST.lift_x(x)
    # Euler's criterion decides independently whether x³ + 7 has a square root mod p.
    rhs = (pow(x, 3, P) + 7) % P
    on_curve = rhs == 0 or pow(rhs, (P - 1) // 2, P) == 1
    assert (lifted is not None) == on_curve
    if on_curve:
        assert lifted is not None
        assert lifted[0] == x and lifted[1] % 2 == 0 and ecvrf_pure.is_on_curve(lifted)


@given(sk=secret_keys, seed=words)
def test_hash_to_curve_lands_on_the_curve_with_even_y(sk: int, seed: int) -> None:
    pk = ecvrf.public_key(sk)
    h = ecvrf.hash_to_curve(pk, seed)
    assert ecvrf_pure.is_on_curve(h)
    assert h[1] % 2 == 0
    assert h == ecvrf_pure.hash_to_curve(pk, seed)


@given(a=secret_keys, b=secret_keys)
def test_projective_add_matches_affine_addition(a: int, b: int) -> None:
    # Equal x (b = ±a) is doubling or the point at infinity, which this formula does not cover:
    # hypothesis discards those draws instead of counting them as passes.
    assume(b not in (a, N - a))
    p1, p2 = ecvrf.public_key(a), ecvrf.public_key(b)
    assert p1[0] != p2[0]
    x, y, z = ecvrf_pure.projective_ec_add(p1, p2)
    z_inv = pow(z, -1, P)
    assert (x * z_inv % P, y * z_inv % P) == ecvrf_pure.add(p1, p2)


@given(sk=secret_keys, message=st.binary(min_size=32, max_size=32))
def test_rfc6979_first_nonce_matches_libsecp256k1_signing(sk: int, message: bytes) -> None:
    """libsecp256k1 signs with RFC 6979 nonces: its r must be x(k·G) for our first k."""
    k = next(ecvrf.rfc6979_nonces(sk, message))
    signature = PrivateKey(sk.to_bytes(32, "big")).sign_recoverable(message, hasher=None)
    assert int.from_bytes(signature[:32], "big") == ecvrf.public_key(k)[0] % N


@given(
    key_hash=st.binary(min_size=32, max_size=32),
    consumer=st.binary(min_size=20, max_size=20),
    salt=st.integers(min_value=0, max_value=2**64 - 1),
)
def test_request_derivations_match_abi_encoding(key_hash: bytes, consumer: bytes, salt: int) -> None:
    address = to_checksum_address(consumer)
    request_id = ecvrf.request_id(address, salt)
    expected_id = ecvrf.keccak256(encode(["address", "uint64"], [address, salt]))
    assert request_id == int.from_bytes(expected_id, "big")
    assert ecvrf.request_id(address.lower(), salt) == request_id
    block_hash = ecvrf.keccak256(key_hash)
    assert ecvrf.request_seed(request_id, block_hash) == int.from_bytes(
        ecvrf.keccak256(request_id.to_bytes(32, "big") + block_hash), "big"
    )


@given(output=words, count=st.integers(min_value=0, max_value=5))
def test_random_words_are_keccak_of_output_and_index(output: int, count: int) -> None:
    expected = [
        int.from_bytes(ecvrf.keccak256(encode(["uint256", "uint256"], [output, i])), "big") for i in range(count)
    ]
    assert ecvrf.random_words(output, count) == expected


def test_request_derivations_reject_bad_inputs() -> None:
    with pytest.raises(ValueError):
        ecvrf.request_id("0x" + "11" * 20, 2**64)
    with pytest.raises(ValueError):
        ecvrf.request_id("0x" + "11" * 20, -1)
    with pytest.raises(ValueError):
        ecvrf.request_id("0x1234", 1)
    with pytest.raises(ValueError):
        ecvrf.request_seed(1, b"\x00" * 31)
    with pytest.raises(ValueError):
        ecvrf.random_words(1, -1)


def test_key_hash_is_keccak_of_abi_encoded_point() -> None:
    pk = ecvrf.public_key(42)
    assert ecvrf.key_hash(pk) == ecvrf.keccak256(encode(["uint256[2]"], [list(pk)]))


def test_benchmark_reports_every_figure() -> None:
    figures = measure_vrf(proofs=3, pure_verifications=1)
    assert set(figures) == {
        "proofs_per_s",
        "prove_us",
        "prove_cost_in_scalar_mults",
        "scalar_mult_us",
        "verifies_per_s",
        "verify_us",
        "verify_cost_in_scalar_mults",
        "pure_verify_ms",
    }
    assert all(value > 0 for value in figures.values())
    with pytest.raises(ValueError):
        measure_vrf(proofs=0)


def test_the_auditor_path_runs_without_site_packages() -> None:
    """`python -S` leaves site-packages off sys.path, so coincurve and pycryptodome cannot be
    imported: parsing and verifying a proof must still work and give the same output."""
    script = """
import json, sys
assert not any("-packages" in entry for entry in sys.path)
from oracle.ecvrf_pure import verify
from oracle.proof import Proof
print(verify(Proof.from_json(json.loads(sys.stdin.read()))))
"""
    proof = ecvrf.prove(0xA0D17, 99)
    document = proof.to_json()
    document["uWitness"] = document["uWitness"].lower()  # make parsing recompute the checksum
    root = str(Path(__file__).resolve().parents[2])
    result = subprocess.run(
        [sys.executable, "-S", "-c", script],
        input=json.dumps(document),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": root},
    )
    assert int(result.stdout) == ecvrf.verify(proof)
