"""The ingester's write path. Each batch — raw events, projection changes, block hashes, undo
records and the cursor — commits in ONE transaction, so the database always equals "the chain
up to the cursor block" and a restart after any crash resumes exactly where the last commit
ended (exactly-once).

Reorgs: `rollback` restores unfinalized batches from their undo records (newest first) and
deletes their raw events; if the reorg reaches below the undo window it reports that the
projections must be rebuilt from the raw log (`rebuild_projections`), which is keyed by block.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field

import ujson
from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from backend.store import schema
from backend.store.events import RAW_LOG_COLUMNS, Event, Refusal, event_uid, raw_log_row
from backend.store.projections import apply_events
from backend.store.state import BatchState, write_rows

ArgsParser = Callable[[str, str, str], dict]  # (contract, event, args_json) -> args
REBUILD_CHUNK = 20_000


@dataclass(frozen=True)
class Cursor:
    block_number: int
    block_hash: str | None


@dataclass
class Batch:
    """What the ingester fetched for blocks from_block..to_block (inclusive)."""

    from_block: int
    to_block: int
    to_hash: str
    parent_hash: str | None  # hash of from_block - 1 (the previous cursor), when known
    events: list[Event]
    headers: dict[int, str] = field(default_factory=dict)  # unfinalized blocks' hashes
    undoable: bool = False  # keep undo records (the batch is not final yet)
    finalized_block: int = 0  # blocks at or below this are final: prune their undo data
    refusals: list[Refusal] = field(default_factory=list)  # transactions the player registry refused


def read_cursor(conn: Connection) -> Cursor | None:
    row = conn.execute(select(schema.cursor.c.block_number, schema.cursor.c.block_hash)).first()
    return Cursor(int(row[0]), row[1]) if row else None


def _write_cursor(conn: Connection, cursor: Cursor) -> None:
    values = {"block_number": cursor.block_number, "block_hash": cursor.block_hash}
    if conn.execute(update(schema.cursor).where(schema.cursor.c.id == 1).values(**values)).rowcount == 0:
        conn.execute(insert(schema.cursor).values(id=1, **values))


def read_meta(conn: Connection) -> dict[str, str]:
    return {k: v for k, v in conn.execute(select(schema.meta.c.key, schema.meta.c.value))}


def write_meta(conn: Connection, values: dict[str, str]) -> None:
    for key, value in values.items():
        if conn.execute(update(schema.meta).where(schema.meta.c.key == key).values(value=value)).rowcount == 0:
            conn.execute(insert(schema.meta).values(key=key, value=value))


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: object) -> str:
    return value.translate(_COPY_ESCAPES) if isinstance(value, str) else str(value)


def insert_events(conn: Connection, events: Sequence[Event]) -> None:
    """Bulk-insert raw events through the driver directly: this is the hot path of backfill,
    and the rows need no type processing (plain ints and strings)."""
    rows = list(map(raw_log_row, events))
    columns = ", ".join(RAW_LOG_COLUMNS)
    if conn.dialect.name == "postgresql":
        # COPY is several times faster than multi-row INSERTs; text format needs \\, \t, \n, \r escaped.
        buffer = io.StringIO()
        write = buffer.write
        for row in rows:
            write("\t".join(_copy_text(v) for v in row))
            write("\n")
        buffer.seek(0)
        cur = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cur.copy_expert(f"COPY events ({columns}) FROM STDIN", buffer)
        finally:
            cur.close()
    else:
        marks = ", ".join("?" for _ in RAW_LOG_COLUMNS)
        conn.exec_driver_sql(f"INSERT INTO events ({columns}) VALUES ({marks})", rows)


def commit_batch(engine: Engine, batch: Batch) -> None:
    with engine.begin() as conn:
        current = read_cursor(conn)
        if current is not None and current.block_number != batch.from_block - 1:
            raise RuntimeError(f"batch starts at {batch.from_block} but the cursor is at {current.block_number}")
        if batch.events:
            insert_events(conn, batch.events)
        if batch.refusals:
            conn.execute(insert(schema.refusals), [asdict(r) for r in batch.refusals])
        state = BatchState(conn)
        apply_events(batch.events, state)
        undo_records = state.flush(undo_records=batch.undoable)

        hashes: dict[int, tuple[str, bool]] = {n: (h, False) for n, h in batch.headers.items()}
        for e in batch.events:
            hashes[e.block_number] = (e.block_hash, True)
        for r in batch.refusals:
            hashes[r.block_number] = (r.block_hash, True)
        hashes.setdefault(batch.to_block, (batch.to_hash, False))
        if hashes:
            conn.execute(
                insert(schema.blocks),
                [{"number": n, "hash": h, "has_events": has} for n, (h, has) in sorted(hashes.items())],
            )
        if batch.undoable:
            conn.execute(
                insert(schema.batches).values(
                    from_block=batch.from_block,
                    to_block=batch.to_block,
                    to_hash=batch.to_hash,
                    parent_hash=batch.parent_hash,
                )
            )
            if undo_records:
                conn.execute(
                    insert(schema.undo),
                    [
                        {
                            "from_block": batch.from_block,
                            "table_name": r.table,
                            "pk": ujson.dumps(list(r.pk)),
                            "row": None if r.row is None else ujson.dumps(r.row),
                        }
                        for r in undo_records
                    ],
                )
        _prune(conn, batch.finalized_block, batch.to_block)
        _write_cursor(conn, Cursor(batch.to_block, batch.to_hash))


def _prune(conn: Connection, finalized: int, cursor_block: int) -> None:
    """Drop undo data of final batches and hashes of final blocks without events (except the
    newest one we hold, which anchors the parent-hash check)."""
    if finalized <= 0:
        return
    final = select(schema.batches.c.from_block).where(schema.batches.c.to_block <= finalized)
    conn.execute(delete(schema.undo).where(schema.undo.c.from_block.in_(final)))
    conn.execute(delete(schema.batches).where(schema.batches.c.to_block <= finalized))
    conn.execute(
        delete(schema.blocks).where(
            schema.blocks.c.number < min(finalized, cursor_block), schema.blocks.c.has_events.is_(False)
        )
    )


def known_hashes_below(conn: Connection, block: int, limit: int) -> list[tuple[int, str]]:
    """Block hashes we recorded at or below `block`, newest first (for the common-ancestor walk)."""
    query = (
        select(schema.blocks.c.number, schema.blocks.c.hash)
        .where(schema.blocks.c.number <= block)
        .order_by(schema.blocks.c.number.desc())
        .limit(limit)
    )
    return [(int(n), str(h)) for n, h in conn.execute(query)]


def rollback(engine: Engine, ancestor: int) -> Cursor | None:
    """Undo every batch above `ancestor` using undo records. Returns the new cursor (at or
    below `ancestor`), or None when the undo window does not reach that far (then call
    `rebuild_projections`); in that case nothing was changed."""
    with engine.begin() as conn:
        cursor = read_cursor(conn)
        if cursor is None or cursor.block_number <= ancestor:
            return cursor
        rows = conn.execute(
            select(schema.batches).where(schema.batches.c.to_block > ancestor).order_by(schema.batches.c.from_block)
        ).all()
        if not rows or rows[0].from_block > ancestor + 1 or rows[-1].to_block != cursor.block_number:
            return None
        for previous, nxt in zip(rows, rows[1:], strict=False):
            if previous.to_block + 1 != nxt.from_block:
                return None
        first = rows[0]
        records = conn.execute(
            select(schema.undo).where(schema.undo.c.from_block >= first.from_block).order_by(schema.undo.c.id.desc())
        ).all()
        for record in records:
            _restore(
                conn,
                record.table_name,
                ujson.loads(record.pk),
                None if record.row is None else ujson.loads(record.row),
            )
        conn.execute(delete(schema.undo).where(schema.undo.c.from_block >= first.from_block))
        conn.execute(delete(schema.batches).where(schema.batches.c.from_block >= first.from_block))
        _delete_above(conn, first.from_block - 1)
        new_cursor = Cursor(first.from_block - 1, first.parent_hash)
        _write_cursor(conn, new_cursor)
        return new_cursor


def _restore(conn: Connection, table_name: str, pk: list, row: dict | None) -> None:
    table = schema.TABLES_BY_NAME[table_name]
    cols = tuple(c.name for c in table.primary_key.columns)
    write_rows(conn, table, cols, deletes=[tuple(pk)])
    if row is not None:
        write_rows(conn, table, cols, inserts=[row])


def _delete_above(conn: Connection, block: int) -> None:
    conn.execute(delete(schema.events).where(schema.events.c.uid >= event_uid(block + 1, 0)))
    conn.execute(delete(schema.refusals).where(schema.refusals.c.block_number > block))
    conn.execute(delete(schema.blocks).where(schema.blocks.c.number > block))


def stored_events(conn: Connection, parse_args: ArgsParser, chunk: int = REBUILD_CHUNK) -> Iterator[list[Event]]:
    """The raw log in chain order, as Event chunks (keyset pagination: no cursor held open)."""
    after = -1
    t = schema.events
    while True:
        rows = conn.execute(select(t).where(t.c.uid > after).order_by(t.c.uid).limit(chunk)).all()
        if not rows:
            return
        yield [
            Event(
                uid=r.uid,
                block_number=r.block_number,
                block_hash=r.block_hash,
                block_time=r.block_time,
                tx_hash=r.tx_hash,
                tx_index=r.tx_index,
                log_index=r.log_index,
                contract=r.contract,
                address=r.address,
                name=r.event,
                args=parse_args(r.contract, r.event, r.args),
                args_json=r.args,
            )
            for r in rows
        ]
        after = rows[-1].uid


def rebuild_projections(engine: Engine, ancestor: int, ancestor_hash: str | None, parse_args: ArgsParser) -> Cursor:
    """Drop everything above `ancestor` and recompute every projection from the raw event
    log, in one transaction. Used when a reorg reaches below the undo window, and by
    `fairstake index --rebuild` after projection rules changed."""
    with engine.begin() as conn:
        _delete_above(conn, ancestor)
        conn.execute(delete(schema.undo))
        conn.execute(delete(schema.batches))
        for table in schema.PROJECTION_TABLES:
            conn.execute(delete(table))
        for events in stored_events(conn, parse_args):
            state = BatchState(conn)
            apply_events(events, state)
            state.flush(undo_records=False)
        cursor = Cursor(ancestor, ancestor_hash)
        _write_cursor(conn, cursor)
        return cursor


def event_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.events)).scalar_one())
