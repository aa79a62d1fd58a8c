"""EIP-712 signing for Fairstake: referee and player results of skill Matches and Tournaments,
and KYC attestations for the PlayerRegistry.

The type strings and domain names here are the ones the contracts hash (Match.sol,
Tournament.sol, PlayerRegistry.sol); a mismatch makes every signature fail on chain, so the
tests compare the digests built here with the contracts' own digest views.

Each domain binds the chain id and the verifying contract, and each message a per-game id and
nonce, so a signature is worthless on any other chain, contract, game or nonce. Signatures are
always produced with low s (eth_account does), which is the only form the contracts accept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import is_address, keccak, to_checksum_address

DOMAIN_VERSION = "1"
MATCH_DOMAIN = "Fairstake Match"
TOURNAMENT_DOMAIN = "Fairstake Tournament"
REGISTRY_DOMAIN = "Fairstake PlayerRegistry"

# secp256k1 group order: the contracts reject s > N/2 (malleable twins of valid signatures).
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141

_DOMAIN_FIELDS = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]


def _result_fields(id_name: str, ranking_name: str) -> list[dict[str, str]]:
    """A skill game's result struct (SignedResults): the game's id, the nonce, the ranked addresses."""
    return [
        {"name": id_name, "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": ranking_name, "type": "address[]"},
    ]


MATCH_RESULT_FIELDS = _result_fields("matchId", "ranking")
TOURNAMENT_RESULT_FIELDS = _result_fields("tournamentId", "winners")
KYC_ATTESTATION_FIELDS = [
    {"name": "player", "type": "address"},
    {"name": "level", "type": "uint8"},
    {"name": "expiry", "type": "uint64"},
    {"name": "jurisdictionHash", "type": "bytes32"},
    {"name": "nonce", "type": "uint64"},
    {"name": "issuedAt", "type": "uint64"},
    {"name": "subject", "type": "bytes32"},
]

UINT64_MAX = 2**64 - 1

# What the manifest publishes under "eip712": per contract, the domain (chainId and
# verifyingContract are the manifest's chainId and that contract's address) and the one struct
# it verifies, so an integrator signs without reading Solidity.
_SIGNED_STRUCTS = {
    "Match": (MATCH_DOMAIN, "MatchResult", MATCH_RESULT_FIELDS),
    "Tournament": (TOURNAMENT_DOMAIN, "TournamentResult", TOURNAMENT_RESULT_FIELDS),
    "PlayerRegistry": (REGISTRY_DOMAIN, "KycAttestation", KYC_ATTESTATION_FIELDS),
}


def type_string(primary: str, fields: list[dict[str, str]]) -> str:
    """The EIP-712 encodeType of a struct without nested structs, e.g.
    "MatchResult(uint256 matchId,uint256 nonce,address[] ranking)"."""
    members = ",".join(f"{f['type']} {f['name']}" for f in fields)
    return f"{primary}({members})"


def manifest_types() -> dict[str, dict[str, Any]]:
    """The manifest's "eip712" section (see _SIGNED_STRUCTS)."""
    return {
        contract: {
            "domain": {"name": name, "version": DOMAIN_VERSION},
            "primaryType": primary,
            "types": {primary: [dict(f) for f in fields]},
            "typeString": type_string(primary, fields),
        }
        for contract, (name, primary, fields) in _SIGNED_STRUCTS.items()
    }


class SigningError(ValueError):
    """Input that cannot be turned into a valid typed-data message or signature."""


@dataclass(frozen=True)
class Signed:
    """A signature over a typed-data message, with everything needed to submit or check it."""

    signer: str
    signature: bytes
    digest: bytes

    @property
    def r(self) -> int:
        return int.from_bytes(self.signature[:32], "big")

    @property
    def s(self) -> int:
        return int.from_bytes(self.signature[32:64], "big")

    @property
    def v(self) -> int:
        return self.signature[64]

    def to_json(self) -> dict[str, Any]:
        return {
            "signer": self.signer,
            "signature": "0x" + self.signature.hex(),
            "digest": "0x" + self.digest.hex(),
            "r": hex(self.r),
            "s": hex(self.s),
            "v": self.v,
        }


def checksum(address: str) -> str:
    """`address` in checksum form; SigningError when it is not a 20-byte hex address."""
    if not isinstance(address, str) or not is_address(address):
        raise SigningError(f"not an address: {address!r}")
    return to_checksum_address(address)


def _uint(value: int, name: str, bits: int = 256) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**bits:
        raise SigningError(f"{name} must be an integer in [0, 2**{bits}), got {value!r}")
    return value


def _domain(name: str, chain_id: int, contract: str) -> dict[str, Any]:
    return {
        "name": name,
        "version": DOMAIN_VERSION,
        "chainId": _uint(chain_id, "chain id"),
        "verifyingContract": checksum(contract),
    }


def _typed(
    primary: str, fields: list[dict[str, str]], domain: dict[str, Any], message: dict[str, Any]
) -> dict[str, Any]:
    return {
        "types": {"EIP712Domain": _DOMAIN_FIELDS, primary: fields},
        "primaryType": primary,
        "domain": domain,
        "message": message,
    }


def _result(
    contract_name: str, contract: str, chain_id: int, game_id: int, nonce: int, ranking: Sequence[str]
) -> dict[str, Any]:
    """Typed data of a result of `contract_name` (a skill game of _SIGNED_STRUCTS)."""
    domain, primary, fields = _SIGNED_STRUCTS[contract_name]
    id_name, _, ranking_name = (f["name"] for f in fields)
    return _typed(
        primary,
        fields,
        _domain(domain, chain_id, contract),
        {
            id_name: _uint(game_id, f"{contract_name.lower()} id"),
            "nonce": _uint(nonce, "nonce"),
            ranking_name: [checksum(a) for a in ranking],
        },
    )


def match_result(contract: str, chain_id: int, match_id: int, nonce: int, ranking: Sequence[str]) -> dict[str, Any]:
    """Typed data of a Match result: `ranking[0]` finished first. An empty ranking voids the match."""
    return _result("Match", contract, chain_id, match_id, nonce, ranking)


def tournament_result(
    contract: str, chain_id: int, tournament_id: int, nonce: int, winners: Sequence[str]
) -> dict[str, Any]:
    """Typed data of a Tournament result: `winners[i]` takes prize place i + 1."""
    return _result("Tournament", contract, chain_id, tournament_id, nonce, winners)


def jurisdiction_hash(code: str) -> bytes:
    """keccak256 of the upper-cased ISO-style jurisdiction code (e.g. "MT", "GB-GBM"): the only
    jurisdiction data that goes on chain."""
    normalized = code.strip().upper()
    if not normalized:
        raise SigningError("jurisdiction code must not be empty")
    return keccak(text=normalized)


def kyc_attestation(
    registry: str,
    chain_id: int,
    player: str,
    level: int,
    expiry: int,
    jurisdiction: bytes,
    nonce: int,
    issued_at: int,
    subject: bytes,
) -> dict[str, Any]:
    """Typed data of a KYC attestation; `jurisdiction` is a 32-byte hash (see `jurisdiction_hash`).

    `issued_at` (unix seconds) is when the attestor signs: the registry accepts it only if it is
    later than the player's last revocation and not ahead of the chain's clock. `subject` (32 bytes,
    not zero) names the person (see `subject_id`): the registry binds the wallet to it for good."""
    if len(jurisdiction) != 32:
        raise SigningError("jurisdiction hash must be 32 bytes")
    if len(subject) != 32 or not any(subject):
        raise SigningError("subject must be 32 bytes, not all zero")
    return _typed(
        "KycAttestation",
        KYC_ATTESTATION_FIELDS,
        _domain(REGISTRY_DOMAIN, chain_id, registry),
        {
            "player": checksum(player),
            "level": _uint(level, "level", 8),
            "expiry": _uint(expiry, "expiry", 64),
            "jurisdictionHash": bytes(jurisdiction),
            "nonce": _uint(nonce, "nonce", 64),
            "issuedAt": _uint(issued_at, "issuedAt", 64),
            "subject": bytes(subject),
        },
    )


def subject_id(salt: bytes, person_reference: str) -> bytes:
    """The on-chain subject of a person: keccak256(salt || reference), where the reference is the
    attestor's own identifier of the person (never published) and the salt a secret of the attestor,
    so the chain learns which wallets belong to one person, never who the person is."""
    if len(salt) < 16:
        raise SigningError("the salt must be at least 16 bytes")
    reference = person_reference.strip()
    if not reference:
        raise SigningError("the person reference must not be empty")
    return keccak(salt + reference.encode())


def digest(typed_data: dict[str, Any]) -> bytes:
    """The 32-byte EIP-712 hash a signer signs: keccak256(0x1901 || domainSeparator || structHash)."""
    signable = encode_typed_data(full_message=typed_data)
    return keccak(b"\x19" + signable.version + signable.header + signable.body)


def sign(typed_data: dict[str, Any], private_key: bytes | str) -> Signed:
    """Sign typed data with a raw private key (low-s, v in {27, 28})."""
    try:
        account = Account.from_key(private_key)
    except (ValueError, TypeError) as exc:
        raise SigningError(f"invalid private key: {exc}") from None
    signed = account.sign_message(encode_typed_data(full_message=typed_data))
    return Signed(signer=account.address, signature=bytes(signed.signature), digest=digest(typed_data))


def recover(typed_data: dict[str, Any], signature: bytes) -> str:
    """The address that signed `typed_data`; SigningError for malformed or malleable (high-s) signatures,
    which the contracts refuse too."""
    if len(signature) != 65:
        raise SigningError(f"a signature is 65 bytes, got {len(signature)}")
    if int.from_bytes(signature[32:64], "big") > SECP256K1_N // 2:
        raise SigningError("high-s signature (malleable): the contracts reject it")
    try:
        return str(Account.recover_message(encode_typed_data(full_message=typed_data), signature=signature))
    except Exception as exc:  # eth_keys raises several unrelated types for bad (r, s, v)
        raise SigningError(f"cannot recover a signer: {exc}") from None


def dev_private_key(index: int) -> bytes:
    """The private key of development account `index` (the well-known test mnemonic anvil and
    ganache both derive; brownie's dev accounts are unlocked on the node and carry no key)."""
    from fairstake.devchain import DEV_MNEMONIC

    Account.enable_unaudited_hdwallet_features()
    return bytes(Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}").key)


def malleable_twin(signature: bytes) -> bytes:
    """The high-s twin (r, n - s, v ^ 1) of a signature: recovers to the same key under plain ecrecover,
    which is exactly what the contracts must refuse. For tests and audits."""
    s = int.from_bytes(signature[32:64], "big")
    v = signature[64]
    return signature[:32] + (SECP256K1_N - s).to_bytes(32, "big") + bytes([55 - v if v in (27, 28) else v ^ 1])
