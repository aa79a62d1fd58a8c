"""EventDecoder's one-word fast path against eth-abi: same values, same order, same errors."""

from __future__ import annotations

import random
from typing import Any

import pytest
from eth_abi import encode

from backend.ingest.decoder import DecodeError, EventSpec, to_checksum_address

ABI: dict[str, Any] = {
    "type": "event",
    "name": "Mixed",
    "inputs": [
        {"name": "amount", "type": "uint256", "indexed": False},
        {"name": "player", "type": "address", "indexed": True},
        {"name": "delta", "type": "int64", "indexed": False},
        {"name": "id", "type": "uint96", "indexed": True},
        {"name": "won", "type": "bool", "indexed": False},
        {"name": "tag", "type": "bytes4", "indexed": False},
        {"name": "who", "type": "address", "indexed": False},
    ],
}
DATA_TYPES = ["uint256", "int64", "bool", "bytes4", "address"]


def _log(rng: random.Random) -> tuple[list[str], str, dict[str, Any]]:
    player = to_checksum_address(f"0x{rng.getrandbits(160):040x}")
    who = to_checksum_address(f"0x{rng.getrandbits(160):040x}")
    values = {
        "amount": rng.getrandbits(256),
        "player": player,
        "delta": rng.randrange(-(2**63), 2**63),
        "id": rng.getrandbits(96),
        "won": rng.random() < 0.5,
        "tag": "0x" + rng.randbytes(4).hex(),
        "who": who,
    }
    topics = ["0x" + "00" * 32, "0x" + "00" * 12 + player[2:].lower(), f"0x{values['id']:064x}"]
    data = encode(DATA_TYPES, [values["amount"], values["delta"], values["won"], bytes.fromhex(values["tag"][2:]), who])
    return topics, "0x" + data.hex(), values


def test_one_word_fast_path_decodes_like_eth_abi_in_argument_order() -> None:
    spec = EventSpec.from_abi("C", ABI)
    assert spec.word_plan is not None
    rng = random.Random(7)
    for _ in range(300):
        topics, data, values = _log(rng)
        decoded = spec.decode_args(topics, data)
        assert decoded == values
        assert list(decoded) == [i["name"] for i in ABI["inputs"]]


@pytest.mark.parametrize(
    ("word", "value"),
    [(2, "02"), (3, "ff" * 31 + "00"), (4, "00" * 4 + "ff" * 28)],
    ids=["bool-out-of-range", "bytes4-padding", "address-padding"],
)
def test_malformed_words_fall_back_to_eth_abi_errors(word: int, value: str) -> None:
    spec = EventSpec.from_abi("C", ABI)
    topics, data, _ = _log(random.Random(1))
    words = [data[2 + 64 * i : 66 + 64 * i] for i in range(len(DATA_TYPES))]
    words[word] = value.rjust(64, "0") if word == 2 else value
    with pytest.raises(DecodeError):
        spec.decode_args(topics, "0x" + "".join(words))


def test_wrong_topic_count_or_data_length_is_a_decode_error() -> None:
    spec = EventSpec.from_abi("C", ABI)
    topics, data, _ = _log(random.Random(2))
    with pytest.raises(DecodeError):
        spec.decode_args(topics[:2], data)
    with pytest.raises(DecodeError):
        spec.decode_args(topics, data[:-64])
