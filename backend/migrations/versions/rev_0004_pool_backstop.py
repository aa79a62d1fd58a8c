"""Closed pools' backstop: the `pools` table records each pool's stakes at close, the end of its
payout window, and what the Vault's backstop returned to its locks or gave to the bankroll.

The baseline creates the tables of the current schema, so on a fresh database these columns
already exist: the step only adds what is missing. Existing rows get neutral values (nothing
unwound or released, stakes and payout window unknown); a deployment with the backstop is indexed
from scratch anyway (the manifest fingerprint changes with every deployment).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.store import schema

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_NEW_COLUMNS = (("pools", ("closed_stakes", "pay_by", "unwound", "released")),)


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for table_name, columns in _NEW_COLUMNS:
        existing = {c["name"] for c in inspector.get_columns(table_name)}
        for name in columns:
            if name not in existing:
                column = schema.TABLES_BY_NAME[table_name].c[name]
                default = None if column.nullable else "0"
                op.add_column(
                    table_name, sa.Column(name, column.type, nullable=column.nullable, server_default=default)
                )


def downgrade() -> None:
    for table_name, columns in _NEW_COLUMNS:
        for name in columns:
            op.drop_column(table_name, name)
