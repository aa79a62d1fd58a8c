"""ABI event decoding with eth-abi, from a (address, topic0) → event map built once per ABI.

Values are converted once into two forms: Python values for the projections (ints stay ints,
addresses are checksummed, bytes become 0x-hex, structs become dicts) and canonical JSON for the
raw event log, where every integer is a decimal string so no client loses precision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import ujson
from eth_utils import keccak

try:  # the mypyc-compiled drop-in is much faster when present; same API
    from faster_eth_abi import decode as abi_decode
except ImportError:  # pragma: no cover - depends on the environment
    from eth_abi import decode as abi_decode

from backend.addresses import to_checksum_address
from backend.store.events import Event, event_uid, to_json_value

Converter = Callable[[Any], Any]


class DecodeError(ValueError):
    """A log matched a known event signature but its topics/data do not fit the ABI."""


def abi_type(param: Mapping[str, Any]) -> str:
    """The canonical type string of an ABI parameter, expanding tuples: `(uint256,address)[2]`."""
    kind = str(param["type"])
    if kind.startswith("tuple"):
        inner = ",".join(abi_type(c) for c in param.get("components", []))
        return f"({inner}){kind[len('tuple') :]}"
    return kind


def _array_dims(kind: str) -> tuple[str, int]:
    """('uint256', 2) for 'uint256[3][]': the base and how many array suffixes it has."""
    depth = 0
    while kind.endswith("]"):
        kind = kind[: kind.rindex("[")]
        depth += 1
    return kind, depth


def _to_python(param: Mapping[str, Any]) -> Converter:
    """Converter from eth-abi's decoded value to the projection-friendly Python value."""
    base, depth = _array_dims(str(param["type"]))
    if base == "tuple":
        names = [str(c.get("name") or f"_{i}") for i, c in enumerate(param.get("components", []))]
        parts = [_to_python(c) for c in param.get("components", [])]

        def element(value: Any) -> Any:
            return {n: f(v) for n, f, v in zip(names, parts, value, strict=True)}

    elif base == "address":

        def element(value: Any) -> Any:
            return to_checksum_address(value)

    elif base.startswith("bytes"):

        def element(value: Any) -> Any:
            return "0x" + bytes(value).hex()

    else:  # ints, bools, strings are already right

        def element(value: Any) -> Any:
            return value

    for _ in range(depth):
        element = (lambda inner: lambda value: [inner(v) for v in value])(element)
    return element


def _from_json(param: Mapping[str, Any], indexed: bool) -> Converter:
    """JSON value → Python value (inverse of to_json_value for this parameter's type)."""
    base, depth = _array_dims(str(param["type"]))
    if indexed and (depth or base in ("string", "bytes", "tuple")):
        element: Converter = str  # an indexed dynamic value is stored as its topic hash
        depth = 0
    elif base == "tuple":
        parts = {str(c.get("name") or f"_{i}"): _from_json(c, False) for i, c in enumerate(param["components"])}

        def element(value: Any) -> Any:
            return {n: parts[n](v) for n, v in value.items()}

    elif base.startswith(("uint", "int")):
        element = int
    else:

        def element(value: Any) -> Any:
            return value

    for _ in range(depth):
        element = (lambda inner: lambda value: [inner(v) for v in value])(element)
    return element


def _topic_decoder(param: Mapping[str, Any]) -> Callable[[str], Any]:
    """Decoder for one indexed parameter's topic (a 0x-hex 32-byte word)."""
    kind = abi_type(param)
    base, depth = _array_dims(str(param["type"]))
    if depth or base in ("string", "bytes", "tuple"):
        return lambda topic: topic.lower()  # dynamic values are indexed by hash only
    if base == "address":
        return lambda topic: to_checksum_address("0x" + topic[-40:])
    if base.startswith("uint"):
        return lambda topic: int(topic, 16)
    if base == "bool":
        return lambda topic: int(topic, 16) != 0
    if base.startswith("bytes"):
        size = int(base[5:])
        return lambda topic: topic[: 2 + 2 * size].lower()
    return lambda topic: abi_decode([kind], bytes.fromhex(topic[2:]))[0]


def _word_decoder(param: Mapping[str, Any]) -> Callable[[str], Any] | None:
    """Decoder of one static 32-byte ABI word given as 64 hex digits, or None when the type is
    not a single static word. Equivalent to eth-abi's strict decoding for these types (padding
    is checked; anything unusual raises so the caller falls back to eth-abi's error)."""
    kind = str(param["type"])
    if kind.startswith("uint"):
        return lambda word: int(word, 16)
    if kind.startswith("int") and not kind.endswith("]"):
        bits = int(kind[3:] or 256)

        def signed(word: str) -> Any:
            value = int(word, 16)
            if value >= 1 << 255:
                value -= 1 << 256
            if not -(1 << (bits - 1)) <= value < 1 << (bits - 1):
                raise ValueError("int out of range")
            return value

        return signed
    if kind == "address":

        def address(word: str) -> Any:
            if word[:24].strip("0"):
                raise ValueError("non-zero address padding")
            return to_checksum_address("0x" + word[24:])

        return address
    if kind == "bool":

        def boolean(word: str) -> Any:
            value = int(word, 16)
            if value > 1:
                raise ValueError("bool out of range")
            return value == 1

        return boolean
    if kind.startswith("bytes") and kind[5:].isdigit():
        size = int(kind[5:])

        def fixed_bytes(word: str) -> Any:
            if word[2 * size :].strip("0"):
                raise ValueError("non-zero bytes padding")
            return "0x" + word[: 2 * size].lower()

        return fixed_bytes
    return None


def _to_json(param: Mapping[str, Any]) -> Converter:
    """Python value of this parameter → its JSON form (ints as decimal strings)."""
    base, depth = _array_dims(str(param["type"]))
    if depth == 0 and base.startswith(("uint", "int")):
        return str
    if depth == 0 and base in ("address", "bool", "string") or (base.startswith("bytes") and depth == 0):
        return lambda value: value
    return to_json_value


@dataclass(frozen=True)
class EventSpec:
    """One event of one contract, with everything needed to decode its logs."""

    contract: str
    name: str
    signature: str
    topic0: str
    names: tuple[str, ...]
    indexed_names: tuple[str, ...]
    topic_decoders: tuple[Callable[[str], Any], ...]
    data_names: tuple[str, ...]
    data_types: tuple[str, ...]
    data_converters: tuple[Converter, ...]
    word_decoders: tuple[Callable[[str], Any], ...] | None  # fast path: all data are static words
    # The fast path as one plan in argument order: (name, from a topic?, topic index or hex
    # offset of the data word, decoder); None unless every data value is a static word.
    word_plan: tuple[tuple[str, bool, int, Callable[[str], Any]], ...] | None
    to_json: tuple[tuple[str, Converter], ...]
    json_to_python: tuple[tuple[str, Converter], ...]

    @classmethod
    def from_abi(cls, contract: str, entry: Mapping[str, Any]) -> EventSpec:
        inputs = list(entry.get("inputs", []))
        signature = f"{entry['name']}({','.join(abi_type(i) for i in inputs)})"
        names = tuple(str(i.get("name") or f"_{n}") for n, i in enumerate(inputs))
        indexed = [(n, i) for n, i in zip(names, inputs, strict=True) if i.get("indexed")]
        data = [(n, i) for n, i in zip(names, inputs, strict=True) if not i.get("indexed")]
        words = [_word_decoder(i) for _, i in data]
        return cls(
            contract=contract,
            name=str(entry["name"]),
            signature=signature,
            topic0="0x" + keccak(text=signature).hex(),
            names=names,
            indexed_names=tuple(n for n, _ in indexed),
            topic_decoders=tuple(_topic_decoder(i) for _, i in indexed),
            data_names=tuple(n for n, _ in data),
            data_types=tuple(abi_type(i) for _, i in data),
            data_converters=tuple(_to_python(i) for _, i in data),
            word_decoders=tuple(w for w in words if w is not None) if all(w is not None for w in words) else None,
            word_plan=cls._word_plan(names, indexed, data, words),
            to_json=tuple((n, _to_json(i)) for n, i in zip(names, inputs, strict=True)),
            json_to_python=tuple(
                (n, _from_json(i, bool(i.get("indexed")))) for n, i in zip(names, inputs, strict=True)
            ),
        )

    @staticmethod
    def _word_plan(
        names: tuple[str, ...],
        indexed: list[tuple[str, Mapping[str, Any]]],
        data: list[tuple[str, Mapping[str, Any]]],
        words: list[Callable[[str], Any] | None],
    ) -> tuple[tuple[str, bool, int, Callable[[str], Any]], ...] | None:
        if not all(w is not None for w in words):
            return None
        where: dict[str, tuple[bool, int, Callable[[str], Any]]] = {}
        for i, (name, param) in enumerate(indexed):
            where[name] = (True, 1 + i, _topic_decoder(param))
        for i, ((name, _), word) in enumerate(zip(data, words, strict=True)):
            assert word is not None
            where[name] = (False, 2 + 64 * i, word)
        return tuple((name, *where[name]) for name in names)

    def decode_args(self, topics: list[str], data: str) -> dict[str, Any]:
        plan = self.word_plan
        if (
            plan is not None
            and len(topics) == 1 + len(self.topic_decoders)
            and len(data) == 2 + 64 * len(self.data_names)
        ):
            # One pass in argument order: the common case of logs whose values are all one word.
            try:
                return {
                    name: decode(topics[at] if in_topic else data[at : at + 64]) for name, in_topic, at, decode in plan
                }
            except ValueError:
                pass  # the general path below raises the authoritative error
        if len(topics) != 1 + len(self.topic_decoders):
            raise DecodeError(f"{self.signature}: expected {1 + len(self.topic_decoders)} topics, got {len(topics)}")
        values: dict[str, Any] = {}
        for name, decode, topic in zip(self.indexed_names, self.topic_decoders, topics[1:], strict=True):
            values[name] = decode(topic)
        if self.data_types:
            if self.word_decoders is not None and len(data) == 2 + 64 * len(self.word_decoders):
                try:
                    for i, (name, decode) in enumerate(zip(self.data_names, self.word_decoders, strict=True)):
                        values[name] = decode(data[2 + 64 * i : 66 + 64 * i])
                    return {name: values[name] for name in self.names}
                except ValueError:
                    pass  # let eth-abi produce the authoritative error below
            try:
                decoded = abi_decode(self.data_types, bytes.fromhex(data[2:]))
            except Exception as exc:  # eth-abi raises several unrelated types for bad input
                raise DecodeError(f"{self.signature}: bad data: {exc}") from exc
            for name, convert, value in zip(self.data_names, self.data_converters, decoded, strict=True):
                values[name] = convert(value)
        return {name: values[name] for name in self.names}

    def args_to_json(self, args: dict[str, Any]) -> str:
        return ujson.dumps(
            {name: convert(args[name]) for name, convert in self.to_json},
            ensure_ascii=False,
            escape_forward_slashes=False,
        )

    def args_from_json(self, text: str) -> dict[str, Any]:
        raw = ujson.loads(text)
        return {name: convert(raw[name]) for name, convert in self.json_to_python}


class EventDecoder:
    """Decodes logs of the given contracts. `contracts` maps a contract name to (address, abi)."""

    def __init__(self, contracts: Mapping[str, tuple[str, Iterable[Mapping[str, Any]]]]) -> None:
        self.by_address_topic: dict[tuple[str, str], EventSpec] = {}
        self.by_contract_name: dict[tuple[str, str], EventSpec] = {}
        self.addresses: dict[str, str] = {}
        for contract, (address, abi) in contracts.items():
            address = to_checksum_address(address)
            self.addresses[address.lower()] = contract
            for entry in abi:
                if entry.get("type") != "event" or entry.get("anonymous"):
                    continue
                spec = EventSpec.from_abi(contract, entry)
                self.by_address_topic[(address.lower(), spec.topic0)] = spec
                self.by_contract_name[(contract, spec.name)] = spec

    def spec_for(self, contract: str, name: str) -> EventSpec:
        return self.by_contract_name[(contract, name)]

    def decode_log(self, log: Mapping[str, Any], block_time: int | None = None) -> Event | None:
        """Decode one eth_getLogs entry; None for logs of unknown events (e.g. anonymous ones)."""
        topics = log["topics"]
        if not topics:
            return None
        address = log["address"].lower()
        spec = self.by_address_topic.get((address, topics[0].lower()))
        if spec is None:
            return None
        args = spec.decode_args(topics, log["data"])
        block_number = int(log["blockNumber"], 16)
        log_index = int(log["logIndex"], 16)
        if block_time is None:
            block_time = int(log["blockTimestamp"], 16)
        return Event(
            uid=event_uid(block_number, log_index),
            block_number=block_number,
            block_hash=log["blockHash"].lower(),
            block_time=block_time,
            tx_hash=log["transactionHash"].lower(),
            tx_index=int(log["transactionIndex"], 16),
            log_index=log_index,
            contract=spec.contract,
            address=to_checksum_address(address),
            name=spec.name,
            args=args,
            args_json=spec.args_to_json(args),
        )
