"""The decoded event the ingester hands to the store: one chain log, its position, and its
arguments both as Python values (for projections) and as canonical JSON (for the raw log)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any

# Ethereum log indexes are block-wide; even a 30M-gas block holds far fewer than 2**20 logs.
LOG_INDEX_BITS = 20


def event_uid(block_number: int, log_index: int) -> int:
    """A deterministic, totally ordered id for a log: the same on every run and after reorgs."""
    return (block_number << LOG_INDEX_BITS) | log_index


def uid_position(uid: int) -> tuple[int, int]:
    """(block_number, log_index) of an event uid."""
    return uid >> LOG_INDEX_BITS, uid & ((1 << LOG_INDEX_BITS) - 1)


def to_json_value(value: Any) -> Any:
    """Python event value → JSON value: ints (not bools) become decimal strings, so no JSON
    client loses precision on uint256 values."""
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is str or kind is bool or value is None or kind is float:
        return value
    if isinstance(value, bool | str | float):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return {k: to_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json_value(v) for v in value]
    raise TypeError(f"not JSON-serialisable: {value!r}")


@dataclass(slots=True)
class Event:
    uid: int
    block_number: int
    block_hash: str
    block_time: int
    tx_hash: str
    tx_index: int
    log_index: int
    contract: str
    address: str
    name: str
    args: dict[str, Any]
    args_json: str


@dataclass(slots=True)
class Refusal:
    """A transaction the player registry refused (backend.ingest.refusals): a row of `refusals`."""

    block_number: int
    tx_index: int
    block_hash: str
    block_time: int
    tx_hash: str
    sender: str
    contract: str
    address: str
    player: str
    error: str
    args: str  # canonical JSON: {name: value}, integers as decimal strings


# Event fields in declaration order: an Event as a plain tuple (cheap to pickle between
# processes; `Event(*t)` turns it back).
event_to_tuple: Callable[[Event], tuple[Any, ...]] = attrgetter(*(f.name for f in fields(Event)))
# Columns of the raw log (`events` table) in order, and the Event field each one stores.
RAW_LOG_COLUMNS = (
    "uid",
    "block_number",
    "block_hash",
    "block_time",
    "tx_hash",
    "tx_index",
    "log_index",
    "contract",
    "address",
    "event",
    "args",
)
raw_log_row: Callable[[Event], tuple[Any, ...]] = attrgetter(*(RAW_LOG_COLUMNS[:-2] + ("name", "args_json")))
