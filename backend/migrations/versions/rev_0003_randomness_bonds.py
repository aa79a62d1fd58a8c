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

from alembic import op

from backend.store import schema
from backend.store.migration_steps import add_missing_columns, drop_columns

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
    add_missing_columns(_NEW_COLUMNS)
    schema.metadata.create_all(bind=op.get_bind(), tables=list(_NEW_TABLES), checkfirst=True)


def downgrade() -> None:
    schema.metadata.drop_all(bind=op.get_bind(), tables=list(_NEW_TABLES), checkfirst=True)
    drop_columns(_NEW_COLUMNS)
