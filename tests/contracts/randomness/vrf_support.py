"""Helpers for the randomness tests: the oracle key as the daemon would use it, commitments
read back from request events, and secp256k1 arithmetic to build forged proofs whose every
witness is consistent (so only the checks under test can reject them)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from brownie import web3
from coincurve import PublicKey
from eth_abi import encode as abi_encode
from eth_hash.auto import keccak
from eth_utils import to_checksum_address

from oracle import ecvrf
from oracle.daemon.work import commitment_from_event

Point = tuple[int, int]

FIELD_SIZE = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F
GROUP_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


@dataclass(frozen=True)
class OracleKey:
    """A VRF key: proves what the coordinator asks for, as the oracle daemon would."""

    secret: int

    @property
    def pk(self) -> Point:
        return ecvrf.public_key(self.secret)

    @property
    def key_hash(self) -> bytes:
        return ecvrf.key_hash(self.pk)

    def seed_for(self, rc: tuple) -> int:
        block_hash = bytes(web3.eth.get_block(rc[0])["hash"])
        return ecvrf.request_seed(rc[7], block_hash)

    def prove_for(self, rc: tuple) -> Any:
        return ecvrf.prove(self.secret, self.seed_for(rc))


def plain(value: Any) -> Any:
    """brownie's return and event values as plain Python (ints, hex strings, tuples), which
    compare and hash like the Python prover's values."""
    if isinstance(value, list | tuple):
        return tuple(plain(item) for item in value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return str(value)


def commitment_from(tx: Any) -> tuple:
    """The RequestCommitment of the request made in `tx`, in struct order."""
    event = tx.events["RandomnessRequested"]
    return tuple(plain(value) for value in commitment_from_event(event, int(tx.block_number)))


def request_id_of(rc: tuple) -> int:
    """A request's id is its preSeed (rc[7])."""
    return int(rc[7])


def expected_request_id(consumer: str, salt: int) -> int:
    """keccak256(abi.encode(consumer, uint64 salt)), encoded here with eth_abi (not the prover's code)."""
    return int.from_bytes(keccak(abi_encode(["address", "uint64"], [consumer, salt])), "big")


def _word(value: int) -> bytes:
    return value.to_bytes(32, "big")


def base_mul(scalar: int) -> Point:
    return PublicKey.from_secret(_word(scalar % GROUP_ORDER)).point()


def point_mul(point: Point, scalar: int) -> Point:
    return PublicKey.from_point(*point).multiply(_word(scalar % GROUP_ORDER)).point()


def point_add(a: Point, b: Point) -> Point:
    return PublicKey.combine_keys([PublicKey.from_point(*a), PublicKey.from_point(*b)]).point()


def negate(point: Point) -> Point:
    return point[0], FIELD_SIZE - point[1]


def address_of(point: Point) -> str:
    return to_checksum_address(keccak(_word(point[0]) + _word(point[1]))[12:])


def forge(proof: Any, gamma: Point, c: int, s: int) -> Any:
    """A proof for proof.pk and proof.seed claiming `gamma`, with challenge `c` and response `s`,
    whose witnesses (uWitness, c·Γ, s·H, zInv) are all correct for those values."""
    hash_point = ecvrf.hash_to_curve(proof.pk, proof.seed)
    c_gamma = point_mul(gamma, c)
    s_hash = point_mul(hash_point, s)
    run = (s_hash[0] - c_gamma[0]) % FIELD_SIZE
    z_inv = pow(pow(run, 5, FIELD_SIZE), -1, FIELD_SIZE) if run else 1
    return dataclasses.replace(
        proof,
        gamma=gamma,
        c=c,
        s=s,
        u_witness=address_of(point_add(point_mul(proof.pk, c), base_mul(s))),
        c_gamma_witness=c_gamma,
        s_hash_witness=s_hash,
        z_inv=z_inv,
    )


Mutation = Callable[[Any], tuple[Any, int]]


def _change(**fields: Callable[[Any], Any]) -> Mutation:
    """A mutation replacing proof fields by functions of the proof; verified with proof.seed."""

    def mutate(proof: Any) -> tuple[Any, int]:
        changed = dataclasses.replace(proof, **{name: make(proof) for name, make in fields.items()})
        return changed, changed.seed

    return mutate


def _another_key(pk: Point) -> Point:
    """A valid public key that is not `pk` (the secrets strategy can draw 7 itself)."""
    other = base_mul(7)
    return base_mul(8) if other == tuple(pk) else other


def _flip_low_bit(address: str) -> str:
    return to_checksum_address(f"0x{int(address, 16) ^ 1:040x}")


# name -> (mutation, the contract error that must name the failed check)
MUTATIONS: dict[str, tuple[Mutation, str]] = {
    "pk.x + 1": (_change(pk=lambda p: (p.pk[0] + 1, p.pk[1])), "PublicKeyNotOnCurve"),
    "pk.x = p": (_change(pk=lambda p: (FIELD_SIZE, p.pk[1])), "PublicKeyNotOnCurve"),
    "pk negated": (_change(pk=lambda p: negate(p.pk)), "WrongUWitness"),
    "pk of another key": (_change(pk=lambda p: _another_key(p.pk)), "WrongUWitness"),
    "gamma.y + 1": (_change(gamma=lambda p: (p.gamma[0], p.gamma[1] + 1)), "GammaNotOnCurve"),
    "gamma negated": (_change(gamma=lambda p: negate(p.gamma)), "WrongCGammaWitness"),
    "c + 1": (_change(c=lambda p: (p.c + 1) % GROUP_ORDER or 1), "WrongUWitness"),
    "c = 0": (_change(c=lambda p: 0), "ZeroScalar"),
    "c = n": (_change(c=lambda p: GROUP_ORDER), "ScalarNotReduced"),
    "s + 1": (_change(s=lambda p: (p.s + 1) % GROUP_ORDER or 1), "WrongUWitness"),
    "s = 0": (_change(s=lambda p: 0), "ZeroScalar"),
    "s = 2^256 - 1": (_change(s=lambda p: 2**256 - 1), "ScalarNotReduced"),
    "seed + 1": (_change(seed=lambda p: (p.seed + 1) % 2**256), "WrongSHashWitness"),
    "uWitness bit flipped": (_change(u_witness=lambda p: _flip_low_bit(p.u_witness)), "WrongUWitness"),
    "uWitness = 0": (_change(u_witness=lambda p: "0x" + "00" * 20), "ZeroUWitness"),
    "cGammaWitness.x + 1": (
        _change(c_gamma_witness=lambda p: (p.c_gamma_witness[0] + 1, p.c_gamma_witness[1])),
        "CGammaWitnessNotOnCurve",
    ),
    "cGammaWitness negated": (
        _change(c_gamma_witness=lambda p: negate(p.c_gamma_witness)),
        "WrongCGammaWitness",
    ),
    "sHashWitness.x + 1": (
        _change(s_hash_witness=lambda p: (p.s_hash_witness[0] + 1, p.s_hash_witness[1])),
        "SHashWitnessNotOnCurve",
    ),
    "sHashWitness negated": (_change(s_hash_witness=lambda p: negate(p.s_hash_witness)), "WrongSHashWitness"),
    "zInv + 1": (_change(z_inv=lambda p: (p.z_inv + 1) % 2**256), "ZInvMismatch"),
    "zInv = 0": (_change(z_inv=lambda p: 0), "ZInvMismatch"),
}


# IRandomnessCoordinator.Slash reserving nothing: (token, amount, beneficiary, beneficiaryAmount, residualToBankroll)
NO_SLASH = ("0x" + "00" * 20, 0, "0x" + "00" * 20, 0, False)
# A request's data word when the consumer sets none (RequestCommitment's last field)
NO_DATA = "0x" + "00" * 32
