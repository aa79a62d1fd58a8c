"""Steps the Alembic revisions share (backend/migrations/versions).

The baseline creates the current schema on a fresh database, so a later revision only adds what
an older database lacks: each column it names, as `schema` declares it, when it is missing (a
non-null column gets the default 0 for the rows already there).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from alembic import op

from backend.store import schema

NewColumns = Iterable[tuple[str, Iterable[str]]]


def add_missing_columns(new_columns: NewColumns) -> None:
    inspector = sa.inspect(op.get_bind())
    for table_name, columns in new_columns:
        existing = {c["name"] for c in inspector.get_columns(table_name)}
        for name in columns:
            if name not in existing:
                column = schema.TABLES_BY_NAME[table_name].c[name]
                default = None if column.nullable else "0"
                op.add_column(
                    table_name, sa.Column(name, column.type, nullable=column.nullable, server_default=default)
                )


def drop_columns(new_columns: NewColumns) -> None:
    for table_name, columns in new_columns:
        for name in columns:
            op.drop_column(table_name, name)
