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

from backend.store.migration_steps import add_missing_columns, drop_columns

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_NEW_COLUMNS = (("pools", ("closed_stakes", "pay_by", "unwound", "released")),)


def upgrade() -> None:
    add_missing_columns(_NEW_COLUMNS)


def downgrade() -> None:
    drop_columns(_NEW_COLUMNS)
