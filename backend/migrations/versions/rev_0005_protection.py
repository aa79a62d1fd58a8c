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

from backend.store.migration_steps import add_missing_columns, drop_columns

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_NEW_COLUMNS = (("protection", ("timed_out_until", "kyc_subject", "kyc_person")),)


def upgrade() -> None:
    add_missing_columns(_NEW_COLUMNS)


def downgrade() -> None:
    drop_columns(_NEW_COLUMNS)
