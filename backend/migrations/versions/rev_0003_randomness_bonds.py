"""Randomness bonds: the `bonds` and `bond_reservations` projections, requests' time deadline,
keys' operators, and Vault payIn/transfer columns on balances and token totals.

The baseline creates the tables of the current schema, so on a fresh database everything here
already exists: each step only adds what is missing. Existing rows get neutral values (nothing
was paid in, no deadline time known); a deployment with the bonded contracts is indexed from
scratch anyway (the manifest fingerprint changes with every deployment).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.store import schema

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_NEW_TABLES = (schema.bonds, schema.bond_reservations)
_NEW_COLUMNS = (
    ("balances", ("paid_in", "transferred_in", "transferred_out")),
    ("token_totals", ("paid_in_credited", "paid_in_bankroll")),
    ("randomness_requests", ("deadline_time",)),
    ("oracle_keys", ("operator",)),
)


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    for table_name, columns in _NEW_COLUMNS:
        existing = {c["name"] for c in inspector.get_columns(table_name)}
        for name in columns:
            if name not in existing:
                column = schema.TABLES_BY_NAME[table_name].c[name]
                default = None if column.nullable else "0"
                op.add_column(
                    table_name, sa.Column(name, column.type, nullable=column.nullable, server_default=default)
                )
    schema.metadata.create_all(bind=bind, tables=list(_NEW_TABLES), checkfirst=True)


def downgrade() -> None:
    schema.metadata.drop_all(bind=op.get_bind(), tables=list(_NEW_TABLES), checkfirst=True)
    for table_name, columns in _NEW_COLUMNS:
        for name in columns:
            op.drop_column(table_name, name)
