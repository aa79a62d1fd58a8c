"""The proof's JSON form: exact keys, lenient integer encodings, strict rejection of the rest."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import strategies as st

# brownie.test.given reverts the chain per example; nothing here touches a chain
from hypothesis.core import given

from oracle import ecvrf
from oracle.proof import JSON_KEYS, MalformedProof, Proof, parse_address, parse_uint256

words = st.integers(min_value=0, max_value=2**256 - 1)
PROOF = ecvrf.prove(0xF00D, 0xBEEF)


def encodings(value: int) -> st.SearchStrategy[Any]:
    """Every way the JSON may spell `value`."""
    return st.sampled_from([value, str(value), hex(value), f"0x{value:064x}", f"0X{value:X}"])


@given(value=words, data=st.data())
def test_integers_parse_from_numbers_decimal_and_hex_strings(value: int, data: st.DataObject) -> None:
    assert parse_uint256(data.draw(encodings(value))) == value


def test_to_json_uses_the_exact_keys_and_round_trips() -> None:
    document = PROOF.to_json()
    assert tuple(document) == JSON_KEYS
    assert all(isinstance(document[k], list) and len(document[k]) == 2 for k in ("pk", "gamma"))
    assert Proof.from_json(json.loads(json.dumps(document))) == PROOF


@given(data=st.data())
def test_lenient_encodings_of_every_field_parse_to_the_same_proof(data: st.DataObject) -> None:
    document: dict[str, Any] = {}
    for key, value in PROOF.to_json().items():
        if key == "uWitness":
            document[key] = data.draw(st.sampled_from([value, value.lower(), "0x" + value[2:].upper()]))
        elif isinstance(value, list):
            document[key] = [data.draw(encodings(int(v, 16))) for v in value]
        else:
            document[key] = data.draw(encodings(int(value, 16)))
    assert Proof.from_json(json.loads(json.dumps(document))) == PROOF


def test_as_solidity_follows_the_struct_order() -> None:
    assert PROOF.as_solidity() == (
        PROOF.pk,
        PROOF.gamma,
        PROOF.c,
        PROOF.s,
        PROOF.seed,
        PROOF.u_witness,
        PROOF.c_gamma_witness,
        PROOF.s_hash_witness,
        PROOF.z_inv,
    )


def _with(**changes: Any) -> dict[str, Any]:
    document = PROOF.to_json()
    for key, value in changes.items():
        if value is _MISSING:
            del document[key]
        else:
            document[key] = value
    return document


_MISSING = object()


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "must be a JSON object"),
        ("proof", "must be a JSON object"),
        (_with(zInv=_MISSING), "missing key(s): zInv"),
        (_with(extra=1), "unknown key(s): extra"),
        (_with(u_witness="0x00"), "unknown key(s): u_witness"),
        (_with(c=-1), "outside the uint256 range"),
        (_with(c=2**256), "outside the uint256 range"),
        (_with(s=hex(2**256)), "outside the uint256 range"),
        (_with(seed="-5"), "neither a decimal nor a 0x-hex"),
        (_with(seed="12abc"), "neither a decimal nor a 0x-hex"),
        (_with(seed=""), "neither a decimal nor a 0x-hex"),
        (_with(seed="0x"), "neither a decimal nor a 0x-hex"),
        (_with(seed=1.5), "expected an integer, got float"),
        (_with(seed=True), "got a boolean"),
        (_with(seed=None), "expected an integer, got NoneType"),
        (_with(pk=[1]), "pk: expected a 2-element array"),
        (_with(pk=[1, 2, 3]), "pk: expected a 2-element array"),
        (_with(gamma={"x": 1, "y": 2}), "gamma: expected a 2-element array"),
        (_with(cGammaWitness=[1, "y"]), "cGammaWitness[1]"),
        (_with(uWitness="0x1234"), "uWitness: expected a 0x-prefixed 20-byte hex address"),
        (_with(uWitness=12345), "uWitness: expected a 0x-prefixed 20-byte hex address"),
        (_with(uWitness="0x" + "g" * 40), "uWitness: expected a 0x-prefixed 20-byte hex address"),
    ],
)
def test_malformed_documents_are_rejected_with_a_clear_message(document: object, message: str) -> None:
    with pytest.raises(MalformedProof) as excinfo:
        Proof.from_json(document)
    assert message in str(excinfo.value)


def test_a_wrong_checksum_is_rejected_but_single_case_addresses_are_not() -> None:
    checksummed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"  # the EIP-55 specification's example
    assert parse_address(checksummed.lower()) == checksummed
    assert parse_address("0x" + checksummed[2:].upper()) == checksummed
    flipped = checksummed[:3] + checksummed[3].swapcase() + checksummed[4:]
    with pytest.raises(MalformedProof, match="bad EIP-55 checksum"):
        parse_address(flipped)
