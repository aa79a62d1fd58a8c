"""Time-outs, separate from self-exclusion, and wallets bound to a person: the `protection`
projection's `timed_out_until`, `kyc_subject` and `kyc_person`.

The baseline creates the tables of the current schema, so on a fresh database the column already
exists and this step adds nothing. Existing rows get NULL (no time-out known); a deployment with
the new registry is indexed from scratch anyway (the manifest fingerprint changes with every
deployment).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.store import schema

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_NEW_COLUMNS = (("protection", ("timed_out_until", "kyc_subject", "kyc_person")),)


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for table_name, columns in _NEW_COLUMNS:
        existing = {c["name"] for c in inspector.get_columns(table_name)}
        for name in columns:
            if name not in existing:
                column = schema.TABLES_BY_NAME[table_name].c[name]
                op.add_column(table_name, sa.Column(name, column.type, nullable=column.nullable))


def downgrade() -> None:
    for table_name, columns in _NEW_COLUMNS:
        for name in columns:
            op.drop_column(table_name, name)
