"""ECVRF on secp256k1 with keccak256, bit-compatible with Chainlink VRF v2/v2.5 proofs.

Fast path: libsecp256k1 (coincurve) for point arithmetic and square roots, pycryptodome for
keccak. Verification runs `oracle.ecvrf_pure.verify_with`, the routine auditors read, with
this module's arithmetic plugged in.

Proving (`prove`), with H = hashToCurve(pk, seed) and secret key sk:
    Γ = sk·H, k = nonce, U = k·G, V = k·H,
    c = keccak(word(2) ‖ H ‖ pk ‖ Γ ‖ V ‖ address(U))  (not reduced; must land in [1, n)),
    s = (k - c·sk) mod n, so that U = c·pk + s·G and V = c·Γ + s·H,
    witnesses: uWitness = address(U), cGammaWitness = c·Γ, sHashWitness = s·H = V - c·Γ,
    zInv = 1 / z of VRF.sol's projective sum cGammaWitness + sHashWitness.
One proof costs three scalar multiplications (Γ, V, c·Γ), two generator multiplications
(pk, U; table-driven, about half the cost each) and a point subtraction.

The nonce k is RFC 6979 (section 3.2, HMAC-SHA256 DRBG) with the secret key as x and
h1 = SHA-256(H.x ‖ H.y), plus the additional data k' = SHA-256("fairstake/ecvrf/nonce/v1")
(section 3.6) so the nonce can never coincide with an ECDSA nonce for the same key. k is
therefore deterministic per (key, seed) and distinct across seeds; when a candidate yields an
unusable proof (c ≥ n, s = 0, equal witness x-coordinates, each about 2^-128 likely) the DRBG's
next candidate is used, as RFC 6979 prescribes.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Iterator

from coincurve import PublicKey
from Crypto.Hash import keccak as _keccak

from oracle.ecvrf_pure import (
    CurveBackend,
    G,
    N,
    P,
    address_of,
    challenge,
    hash_to_curve_with,
    output_from_gamma,
    point_bytes,
    projective_ec_add,
    verify_with,
    word,
)
from oracle.proof import InvalidProof, MalformedProof, Point, Proof, Reason, to_checksum_address

__all__ = [
    "G",
    "N",
    "P",
    "InvalidProof",
    "MalformedProof",
    "Proof",
    "Reason",
    "hash_to_curve",
    "key_hash",
    "keccak256",
    "output_of",
    "prove",
    "public_key",
    "random_words",
    "request_id",
    "request_seed",
    "rfc6979_nonces",
    "verify",
]

NONCE_DOMAIN = hashlib.sha256(b"fairstake/ecvrf/nonce/v1").digest()


def keccak256(data: bytes) -> bytes:
    return _keccak.new(data=data, digest_bits=256).digest()


# --- libsecp256k1 arithmetic ----------------------------------------------------------------


def _key(point: Point) -> PublicKey:
    return PublicKey.from_point(*point)


def _lift_x(x: int) -> Point | None:
    try:
        # a compressed encoding with prefix 0x02 names the point with this x and an even y
        return PublicKey(b"\x02" + word(x)).point()
    except ValueError:
        return None


def _multiply(point: Point, scalar: int) -> Point | None:
    return _key(point).multiply(word(scalar)).point()


def _multiply_base(scalar: int) -> Point | None:
    # libsecp256k1's generator multiplication uses precomputed tables: about half a
    # general scalar multiplication
    return PublicKey.from_valid_secret(word(scalar)).point()


@functools.lru_cache(maxsize=8)
def _public_point(secret: bytes) -> Point:
    # A daemon proves with one key for its whole life: derive its public point once.
    return PublicKey.from_valid_secret(secret).point()


def _add(a: Point, b: Point) -> Point | None:
    try:
        return PublicKey.combine_keys([_key(a), _key(b)]).point()
    except ValueError:  # a = -b
        return None


FAST = CurveBackend(keccak256=keccak256, lift_x=_lift_x, multiply=_multiply, multiply_base=_multiply_base, add=_add)


# --- public API -----------------------------------------------------------------------------


def public_key(sk: int) -> Point:
    """sk·G as an affine point (x, y)."""
    _check_secret(sk)
    return _multiply_base(sk)  # type: ignore[return-value]  # sk in [1, n) is never infinity


def key_hash(pk: Point) -> bytes:
    """keccak256(abi.encode(pk)): the on-chain identifier of an oracle key."""
    return keccak256(point_bytes(pk))


def hash_to_curve(pk: Point, seed: int) -> Point:
    """Chainlink's hashToCurve(pk, seed): a point with even y."""
    return hash_to_curve_with(FAST, pk, seed)


def output_of(gamma: Point) -> int:
    """The VRF output for Γ: keccak256(abi.encode(3, gamma))."""
    return output_from_gamma(gamma, keccak256)


def rfc6979_nonces(secret: int, digest: bytes, extra: bytes = b"") -> Iterator[int]:
    """RFC 6979 section 3.2 candidates k in [1, n) for key `secret` and message hash `digest`
    (HMAC-SHA256, qlen = 256), with optional section 3.6 additional data `extra`."""
    key_material = word(secret) + word(int.from_bytes(digest, "big") % N) + extra
    k = b"\x00" * 32
    v = b"\x01" * 32
    k = hmac.digest(k, v + b"\x00" + key_material, "sha256")
    v = hmac.digest(k, v, "sha256")
    k = hmac.digest(k, v + b"\x01" + key_material, "sha256")
    v = hmac.digest(k, v, "sha256")
    while True:
        v = hmac.digest(k, v, "sha256")
        candidate = int.from_bytes(v, "big")
        if 1 <= candidate < N:
            yield candidate
        k = hmac.digest(k, v + b"\x00", "sha256")
        v = hmac.digest(k, v, "sha256")


def prove(sk: int, seed: int) -> Proof:
    """The proof that `output_of(sk·hashToCurve(pk, seed))` is this key's output for `seed`."""
    _check_secret(sk)
    if not 0 <= seed < 1 << 256:
        raise ValueError("seed must fit in a uint256")
    secret = word(sk)
    pk = _public_point(secret)
    h = hash_to_curve(pk, seed)
    h_key = _key(h)
    gamma_key = h_key.multiply(secret)
    gamma = gamma_key.point()
    for k in rfc6979_nonces(sk, hashlib.sha256(point_bytes(h)).digest(), NONCE_DOMAIN):
        nonce = word(k)
        u_address = address_of(PublicKey.from_valid_secret(nonce).point(), keccak256)
        v_key = h_key.multiply(nonce)
        c = challenge(keccak256, h, pk, gamma, v_key.point(), u_address)
        s = (k - c * sk) % N
        if not 0 < c < N or s == 0:
            continue
        c_gamma_x, c_gamma_y = c_gamma = gamma_key.multiply(word(c)).point()
        # s·H = V - c·Γ: a point addition instead of a sixth scalar multiplication
        s_hash = PublicKey.combine_keys([v_key, _key((c_gamma_x, P - c_gamma_y))]).point()
        if c_gamma[0] == s_hash[0]:
            continue
        _, _, z = projective_ec_add(c_gamma, s_hash)
        return Proof(
            pk=pk,
            gamma=gamma,
            c=c,
            s=s,
            seed=seed,
            u_witness=to_checksum_address(u_address, keccak256),
            c_gamma_witness=c_gamma,
            s_hash_witness=s_hash,
            z_inv=pow(z, -1, P),
        )
    raise AssertionError("rfc6979_nonces is an infinite generator")


def verify(proof: Proof, seed: int | None = None) -> int:
    """The proof's VRF output if the on-chain verifier would accept it (and, when `seed` is
    given, it is a proof for that seed); otherwise raises InvalidProof with the reason."""
    return verify_with(FAST, proof, seed)


def random_words(output: int, n: int) -> list[int]:
    """The coordinator's expansion of one output: word i = keccak256(abi.encode(output, i))."""
    if n < 0:
        raise ValueError("n must not be negative")
    return [int.from_bytes(keccak256(word(output) + word(i)), "big") for i in range(n)]


def request_seed(pre_seed: int, block_hash: bytes) -> int:
    """The seed actually proven: keccak256(abi.encodePacked(preSeed, blockhash(requestBlock)))."""
    if len(block_hash) != 32:
        raise ValueError("block_hash must be 32 bytes")
    return int.from_bytes(keccak256(word(pre_seed) + bytes(block_hash)), "big")


def request_id(consumer: str, salt: int) -> int:
    """keccak256(abi.encode(consumer, uint64 salt)): a request's id, which is also its preSeed
    (the consumer names its request with a salt it never reuses; a game of chance uses the bet's
    Vault lock id)."""
    if not 0 <= salt < 1 << 64:
        raise ValueError("salt must be a uint64")
    return int.from_bytes(keccak256(_address_word(consumer) + word(salt)), "big")


def _check_secret(sk: int) -> None:
    if not 0 < sk < N:
        raise ValueError("secret key must be in [1, n)")


def _address_word(address: str) -> bytes:
    digits = address[2:] if address[:2] in ("0x", "0X") else ""
    if len(digits) != 40:
        raise ValueError(f"not a 20-byte 0x-hex address: {address!r}")
    return bytes(12) + bytes.fromhex(digits)
