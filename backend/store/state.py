"""A write-back cache of projection rows for one batch of events.

Projection handlers read and modify rows through `BatchState` instead of issuing SQL per event:
rows are bulk-loaded (prefetched by primary key), modified in memory in event order, and
flushed once per batch as bulk INSERT / UPDATE / DELETE. Because every touched row is loaded
before it changes, the state also knows each row's value before the batch: exactly the undo
record a reorg needs to restore it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Table, select, tuple_
from sqlalchemy.engine import Connection

from backend.store.schema import TABLES_BY_NAME, U256

PK = tuple[Any, ...]
Row = dict[str, Any]
# Keys per IN (...) lookup: SQLite allows 32766 bound parameters per statement (3.32+).
_IN_CHUNK = 5_000


class UndoRecord(NamedTuple):
    table: str
    pk: PK
    row: Row | None  # the row before the batch; None when it did not exist


class _TableCache:
    __slots__ = ("table", "pk_columns", "key_of", "current", "original", "dirty")

    def __init__(self, table: Table) -> None:
        self.table = table
        self.pk_columns = tuple(c.name for c in table.primary_key.columns)
        getter = itemgetter(*self.pk_columns)
        self.key_of: Callable[[Row], PK] = (lambda row: (getter(row),)) if len(self.pk_columns) == 1 else getter
        self.current: dict[PK, Row | None] = {}
        self.original: dict[PK, Row | None] = {}
        self.dirty: set[PK] = set()


class BatchState:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._tables: dict[str, _TableCache] = {}

    def _cache(self, table: str) -> _TableCache:
        cache = self._tables.get(table)
        if cache is None:
            cache = self._tables[table] = _TableCache(TABLES_BY_NAME[table])
        return cache

    def pk_columns(self, table: str) -> tuple[str, ...]:
        return self._cache(table).pk_columns

    def _load(self, cache: _TableCache, pks: list[PK]) -> None:
        t = cache.table
        cols = cache.pk_columns
        found: dict[PK, Row] = {}
        step = _IN_CHUNK // len(cols)
        for start in range(0, len(pks), step):
            chunk = pks[start : start + step]
            if len(cols) == 1:
                where = t.c[cols[0]].in_([pk[0] for pk in chunk])
            else:
                where = tuple_(*(t.c[c] for c in cols)).in_(chunk)
            for mapping in self.conn.execute(select(t).where(where)).mappings():
                values = dict(mapping)
                found[cache.key_of(values)] = values
        for pk in pks:
            row = found.get(pk)
            cache.original[pk] = row
            cache.current[pk] = dict(row) if row is not None else None

    # ------------------------------------------------------------------ handler API
    def prefetch(self, table: str, pks: Iterable[PK]) -> None:
        cache = self._cache(table)
        missing = [pk for pk in set(pks) if pk not in cache.current]
        if missing:
            self._load(cache, missing)

    def peek(self, table: str, *pk: Any) -> Row | None:
        """The cached row, without loading it (for prefetch hints)."""
        cache = self._tables.get(table)
        return None if cache is None else cache.current.get(pk)

    def get(self, table: str, *pk: Any) -> Row | None:
        """The row as of the current event (a mutable dict; call `put` after changing it)."""
        cache = self._tables.get(table) or self._cache(table)
        try:
            return cache.current[pk]
        except KeyError:
            self._load(cache, [pk])
            return cache.current[pk]

    def find(self, table: str, **criteria: Any) -> list[Row]:
        """Every row (as of the current event) whose columns equal `criteria`: stored rows are
        loaded into the cache first, so rows created or changed earlier in the batch count too."""
        cache = self._tables.get(table) or self._cache(table)
        t = cache.table
        query = select(t).where(*(t.c[name] == value for name, value in criteria.items()))
        for mapping in self.conn.execute(query).mappings():
            values = dict(mapping)
            pk = cache.key_of(values)
            if pk not in cache.current:
                cache.original[pk] = values
                cache.current[pk] = dict(values)
        return [
            row
            for row in cache.current.values()
            if row is not None and all(row[name] == value for name, value in criteria.items())
        ]

    def put(self, table: str, row: Row) -> None:
        cache = self._tables.get(table) or self._cache(table)
        pk = cache.key_of(row)
        if pk not in cache.current:
            self._load(cache, [pk])
        cache.current[pk] = row
        cache.dirty.add(pk)

    def delete(self, table: str, *pk: Any) -> None:
        cache = self._tables.get(table) or self._cache(table)
        if pk not in cache.current:
            self._load(cache, [pk])
        cache.current[pk] = None
        cache.dirty.add(pk)

    # ------------------------------------------------------------------ flush
    def flush(self, *, undo_records: bool = True) -> list[UndoRecord]:
        """Write every changed row; returns the undo records (pre-batch values) of the changes,
        or nothing when `undo_records` is False (final batches keep none)."""
        undo: list[UndoRecord] = []
        for name, cache in self._tables.items():
            if not cache.dirty:
                continue
            inserts: list[Row] = []
            updates: list[Row] = []
            deletes: list[PK] = []
            for pk in cache.dirty:
                before, after = cache.original[pk], cache.current[pk]
                if before == after:
                    continue
                if undo_records:
                    undo.append(UndoRecord(name, pk, before))
                if after is None:
                    deletes.append(pk)
                elif before is None:
                    inserts.append(after)
                else:
                    updates.append(after)
            write_rows(self.conn, cache.table, cache.pk_columns, inserts=inserts, updates=updates, deletes=deletes)
            for pk in cache.dirty:
                row = cache.current[pk]
                cache.original[pk] = dict(row) if row is not None else None
            cache.dirty.clear()
        return undo


def _text_positions(t: Table, dialect: str, names: Sequence[str]) -> list[int]:
    """Positions in `names` of the values the driver needs as text: U256 columns on SQLite
    (stored as TEXT; psycopg2 adapts big ints to NUMERIC literals itself)."""
    if dialect != "sqlite":
        return []
    return [i for i, name in enumerate(names) if isinstance(t.c[name].type, U256)]


def _driver_rows(rows: Iterable[Any], names: Sequence[str], text: list[int], *, keyed: bool) -> list[Any]:
    """Parameter rows for the driver: `rows` are dicts (keyed) or tuples already in `names`
    order. One itemgetter call per row, then only the U256 values are touched: this runs
    for every row a backfill writes."""
    if keyed:
        get = itemgetter(*names)
        values: list[Any] = [get(row) for row in rows] if len(names) > 1 else [(get(row),) for row in rows]
    else:
        values = list(rows)
    if not text:
        return values
    converted = []
    for row in values:
        items = list(row)
        for i in text:
            if items[i] is not None:
                items[i] = str(items[i])
        converted.append(tuple(items))
    return converted


def _executemany(conn: Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """Run `sql` (with %s/? placeholders for the dialect) for every row, straight through the driver:
    the projections' write-back is on the backfill's hot path."""
    if conn.dialect.name == "postgresql":
        from psycopg2.extras import execute_batch

        cur = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            execute_batch(cur, sql, rows, page_size=500)
        finally:
            cur.close()
    else:
        conn.exec_driver_sql(sql, rows)


def _insert_many(conn: Connection, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """INSERT every row. PostgreSQL gets multi-row INSERT ... VALUES statements: one statement
    per page to parse and plan instead of one per row (execute_batch only saves round trips)."""
    names = ", ".join(f'"{c}"' for c in columns)
    if conn.dialect.name == "postgresql":
        from psycopg2.extras import execute_values

        cur = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            execute_values(cur, f'INSERT INTO "{table}" ({names}) VALUES %s', rows, page_size=1000)
        finally:
            cur.close()
    else:
        conn.exec_driver_sql(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" for _ in columns)})', rows)


def write_rows(
    conn: Connection,
    t: Table,
    pk_columns: tuple[str, ...],
    *,
    inserts: Sequence[Row] = (),
    updates: Sequence[Row] = (),
    deletes: Sequence[PK] = (),
) -> None:
    """Bulk-apply row changes to table `t` (updates and deletes by primary key)."""
    dialect = conn.dialect.name
    mark = "%s" if dialect == "postgresql" else "?"
    names = [c.name for c in t.columns]
    pk_where = " AND ".join(f'"{c}" = {mark}' for c in pk_columns)
    if deletes:
        sql = f'DELETE FROM "{t.name}" WHERE {pk_where}'
        _executemany(conn, sql, _driver_rows(deletes, pk_columns, _text_positions(t, dialect, pk_columns), keyed=False))
    if inserts:
        _insert_many(conn, t.name, names, _driver_rows(inserts, names, _text_positions(t, dialect, names), keyed=True))
    if updates:
        others = [c for c in names if c not in pk_columns]
        assignments = ", ".join(f'"{c}" = {mark}' for c in others)
        sql = f'UPDATE "{t.name}" SET {assignments} WHERE {pk_where}'
        order = [*others, *pk_columns]
        _executemany(conn, sql, _driver_rows(updates, order, _text_positions(t, dialect, order), keyed=True))
