"""The ECVRF proof as a value: Chainlink's 13-word layout, its JSON form and its Solidity tuple.

This module only shapes data. Whether a proof is *valid* is `oracle.ecvrf.verify`'s question;
here we only reject what cannot even be written into `IRandomnessCoordinator.Proof`
(missing or unknown keys, values that do not fit a uint256, a uWitness that is not an address).
It imports no C extension unless one is available, so the pure-Python auditor path can use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

Point = tuple[int, int]

UINT256_LIMIT = 1 << 256
JSON_KEYS = ("pk", "gamma", "c", "s", "seed", "uWitness", "cGammaWitness", "sHashWitness", "zInv")
_POINT_KEYS = frozenset({"pk", "gamma", "cGammaWitness", "sHashWitness"})
_ADDRESS_RE = re.compile(r"0x[0-9a-fA-F]{40}")
_DECIMAL_RE = re.compile(r"[0-9]+")
_HEX_RE = re.compile(r"0[xX][0-9a-fA-F]+")


class MalformedProof(ValueError):
    """The input cannot be read as a proof at all (shape, keys, encodings, uint256 ranges)."""


class Reason(StrEnum):
    """Why `verify` rejected a proof; one value per check the on-chain verifier performs."""

    SEED_MISMATCH = "proof is for a different seed"
    WORD_OUT_OF_RANGE = "a field does not fit in a uint256"
    COORDINATE_OUT_OF_RANGE = "a point coordinate is not below the field size p"
    C_OUT_OF_RANGE = "c is not in [1, n)"
    S_OUT_OF_RANGE = "s is not in [1, n)"
    PK_NOT_ON_CURVE = "public key is not on the curve"
    GAMMA_NOT_ON_CURVE = "gamma is not on the curve"
    C_GAMMA_WITNESS_NOT_ON_CURVE = "cGammaWitness is not on the curve"
    S_HASH_WITNESS_NOT_ON_CURVE = "sHashWitness is not on the curve"
    BAD_U_WITNESS = "uWitness is not a non-zero address"
    UNRECOVERABLE_POINT = "a point's x-coordinate is not below n, so ecrecover cannot multiply it"
    U_WITNESS_MISMATCH = "address(c*pk + s*G) != uWitness"
    WITNESSES_NOT_DISTINCT = "cGammaWitness and sHashWitness share an x-coordinate"
    C_GAMMA_WITNESS_MISMATCH = "cGammaWitness != c*gamma"
    S_HASH_WITNESS_MISMATCH = "sHashWitness != s*hashToCurve(pk, seed)"
    BAD_Z_INVERSE = "zInv is not the inverse of the projective z of cGammaWitness + sHashWitness"
    CHALLENGE_MISMATCH = "c differs from the recomputed challenge hash"


class InvalidProof(Exception):
    """A well-formed proof that the on-chain verifier would reject."""

    def __init__(self, reason: Reason | str) -> None:
        super().__init__(str(reason))
        self.reason = reason


@dataclass(frozen=True)
class Proof:
    """Chainlink VRF v2 proof. `u_witness` is an EIP-55 checksummed address string."""

    pk: Point
    gamma: Point
    c: int
    s: int
    seed: int
    u_witness: str
    c_gamma_witness: Point
    s_hash_witness: Point
    z_inv: int

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict; every integer is a 0x-prefixed 64-digit hex string."""
        return {
            "pk": [hex_word(v) for v in self.pk],
            "gamma": [hex_word(v) for v in self.gamma],
            "c": hex_word(self.c),
            "s": hex_word(self.s),
            "seed": hex_word(self.seed),
            "uWitness": self.u_witness,
            "cGammaWitness": [hex_word(v) for v in self.c_gamma_witness],
            "sHashWitness": [hex_word(v) for v in self.s_hash_witness],
            "zInv": hex_word(self.z_inv),
        }

    @classmethod
    def from_json(cls, obj: object) -> Proof:
        """Parse a decoded JSON object. Integers may be JSON numbers, decimal strings or
        0x-hex strings; uWitness may be lower/upper case or correctly checksummed."""
        if not isinstance(obj, Mapping):
            raise MalformedProof(f"a proof must be a JSON object, not {type(obj).__name__}")
        keys = set(obj)
        missing = [k for k in JSON_KEYS if k not in keys]
        unknown = sorted(str(k) for k in keys - set(JSON_KEYS))
        if missing:
            raise MalformedProof(f"missing key(s): {', '.join(missing)}")
        if unknown:
            raise MalformedProof(f"unknown key(s): {', '.join(unknown)}")
        fields: dict[str, Any] = {}
        for key in JSON_KEYS:
            value = obj[key]
            if key == "uWitness":
                fields[key] = parse_address(value, key)
            elif key in _POINT_KEYS:
                fields[key] = parse_point(value, key)
            else:
                fields[key] = parse_uint256(value, key)
        return cls(
            pk=fields["pk"],
            gamma=fields["gamma"],
            c=fields["c"],
            s=fields["s"],
            seed=fields["seed"],
            u_witness=fields["uWitness"],
            c_gamma_witness=fields["cGammaWitness"],
            s_hash_witness=fields["sHashWitness"],
            z_inv=fields["zInv"],
        )

    def as_solidity(self) -> tuple[Any, ...]:
        """Arguments for `IRandomnessCoordinator.Proof`, in struct order."""
        return (
            self.pk,
            self.gamma,
            self.c,
            self.s,
            self.seed,
            self.u_witness,
            self.c_gamma_witness,
            self.s_hash_witness,
            self.z_inv,
        )


def parse_uint256(value: object, name: str = "value") -> int:
    """A JSON number, decimal string or 0x-hex string holding an integer in [0, 2^256)."""
    if isinstance(value, bool):
        raise MalformedProof(f"{name}: expected an integer, got a boolean")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if _HEX_RE.fullmatch(text):
            number = int(text[2:], 16)
        elif _DECIMAL_RE.fullmatch(text):
            number = int(text, 10)
        else:
            raise MalformedProof(f"{name}: {value!r} is neither a decimal nor a 0x-hex integer")
    else:
        raise MalformedProof(f"{name}: expected an integer, got {type(value).__name__}")
    if not 0 <= number < UINT256_LIMIT:
        raise MalformedProof(f"{name}: {number} is outside the uint256 range")
    return number


def parse_point(value: object, name: str = "point") -> Point:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise MalformedProof(f"{name}: expected a 2-element array [x, y]")
    return parse_uint256(value[0], f"{name}[0]"), parse_uint256(value[1], f"{name}[1]")


def parse_address(value: object, name: str = "address") -> str:
    """An Ethereum address as its EIP-55 form; mixed-case input must carry a correct checksum."""
    if not isinstance(value, str) or not _ADDRESS_RE.fullmatch(value):
        raise MalformedProof(f"{name}: expected a 0x-prefixed 20-byte hex address")
    checksummed = to_checksum_address(bytes.fromhex(value[2:]))
    digits = value[2:]
    if digits != digits.lower() and digits != digits.upper() and value != checksummed:
        raise MalformedProof(f"{name}: bad EIP-55 checksum (expected {checksummed})")
    return checksummed


def to_checksum_address(address: bytes, keccak256: Callable[[bytes], bytes] | None = None) -> str:
    """EIP-55 mixed-case encoding of a 20-byte address."""
    if len(address) != 20:
        raise ValueError("an address is 20 bytes")
    lower = address.hex()
    digest = (keccak256 or default_keccak256())(lower.encode()).hex()
    # a letter is upper-cased where the matching hex digit of the digest is 8 or more
    return "0x" + "".join(ch.upper() if d >= "8" else ch for ch, d in zip(lower, digest, strict=False))


@cache
def default_keccak256() -> Callable[[bytes], bytes]:
    """pycryptodome's keccak when installed, else the pure-Python permutation."""
    try:
        from Crypto.Hash import keccak
    except ImportError:  # the auditor path: no C extensions installed
        from oracle.ecvrf_pure import keccak256 as pure_keccak256

        return pure_keccak256

    def fast_keccak256(data: bytes) -> bytes:
        return keccak.new(data=data, digest_bits=256).digest()

    return fast_keccak256


def hex_word(value: int) -> str:
    return f"0x{value:064x}"
