"""Tamper-evident export of the event log: every line carries a hash chaining it to all the lines
before, and the verification that finds the first altered line. Plain text functions."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import Any

import ujson
from sqlalchemy import Select
from sqlalchemy.engine import Engine, RowMapping

from backend.api import models
from backend.store import schema

GENESIS_HASH = "0" * 64
CSV_COLUMNS = ("uid", "block", "block_hash", "time", "tx", "log_index", "contract", "address", "event", "args")
CSV_HEADER = ",".join((*CSV_COLUMNS, "chain_hash"))
_EXPORT_CHUNK = 5_000


def chain_hash(previous: str, content: str) -> str:
    """The running hash: sha256(previous line's hash ‖ this line's content)."""
    return hashlib.sha256((previous + content).encode()).hexdigest()


def _record(row: RowMapping) -> dict[str, Any]:
    return {
        "uid": str(row["uid"]),
        "block": row["block_number"],
        "block_hash": row["block_hash"],
        "time": row["block_time"],
        "tx": row["tx_hash"],
        "log_index": row["log_index"],
        "contract": row["contract"],
        "address": row["address"],
        "event": row["event"],
        "args": ujson.loads(row["args"]),
    }


def _csv_field(value: object) -> str:
    text = value if isinstance(value, str) else "" if value is None else str(value)
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def export_lines(rows: Iterable[RowMapping], fmt: str) -> Iterator[str]:
    """Export lines (each ending in "\\n") of raw-log rows; see `chained_lines`."""
    return chained_lines(map(_record, rows), fmt)


def chained_lines(records: Iterable[dict[str, Any]], fmt: str) -> Iterator[str]:
    """Export lines (each ending in "\\n") of records with the CSV_COLUMNS keys. Every line carries
    the hash chaining it to all previous lines, so editing, dropping or reordering any line breaks
    every later hash.

    JSONL: `{...record..., "chain": H}` where H = sha256(H_prev ‖ the line's text up to the
    `,"chain"` suffix plus "}"). CSV: a header, then `fields...,H` with H over the text before
    the last comma (an absent value is an empty field)."""
    previous = GENESIS_HASH
    if fmt == "csv":
        yield CSV_HEADER + "\n"
    for record in records:
        if fmt == "csv":
            content = ",".join(
                _csv_field(ujson.dumps(record[c], ensure_ascii=False) if c == "args" else record[c])
                for c in CSV_COLUMNS
            )
            previous = chain_hash(previous, content)
            yield f"{content},{previous}\n"
        else:
            content = ujson.dumps(record, ensure_ascii=False, escape_forward_slashes=False)
            previous = chain_hash(previous, content)
            yield f'{content[:-1]},"chain":"{previous}"}}\n'


def verify_export(text: str) -> models.ExportVerification:
    """Check an export's hash chain line by line (format detected from the first line)."""
    lines = text.splitlines()
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        return models.ExportVerification(valid=False, lines=0, final_hash=None, first_bad_line=None, reason="empty")
    csv = lines[0] == CSV_HEADER
    previous = GENESIS_HASH
    start = 1 if csv else 0
    for number, line in enumerate(lines[start:], start=start + 1):
        if csv:
            content, _, claimed = line.rpartition(",")
        else:
            suffix = line[-76:]
            if not (suffix.startswith(',"chain":"') and suffix.endswith('"}')):
                return models.ExportVerification(
                    valid=False, lines=len(lines), final_hash=None, first_bad_line=number, reason="no chain hash"
                )
            content, claimed = line[:-76] + "}", suffix[10:-2]
        expected = chain_hash(previous, content)
        if claimed != expected:
            return models.ExportVerification(
                valid=False,
                lines=len(lines),
                final_hash=None,
                first_bad_line=number,
                reason="the line or one before it was modified, removed or reordered",
            )
        previous = expected
    return models.ExportVerification(
        valid=True, lines=len(lines), final_hash=previous, first_bad_line=None, reason=None
    )


def stream_rows(engine: Engine, query: Select[Any]) -> Iterator[RowMapping]:
    """All rows of an events query in uid order, in chunks (no transaction held across chunks
    would be inconsistent; the export reads one snapshot per chunk, keyed by uid)."""
    e = schema.events
    after = -1
    while True:
        with engine.connect() as conn:
            rows = conn.execute(query.where(e.c.uid > after).order_by(e.c.uid).limit(_EXPORT_CHUNK)).mappings().all()
        if not rows:
            return
        yield from rows
        after = rows[-1]["uid"]
