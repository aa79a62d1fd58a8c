"""A randomness request's data word: the consumer's own word the coordinator commits with the
request (RandomnessRequested's `data`, the RequestCommitment's last field; a chance bet's lock
id, rolls, edge and packed choice).

As before, the baseline creates the current schema on a fresh database, so this step adds the
column only where it is missing. The rows already there get null (not recorded): reindex from
scratch (`fairstake index --reset`) to fill them.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from backend.store.migration_steps import add_missing_columns, drop_columns

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_NEW_COLUMNS = (("randomness_requests", ("data",)),)


def upgrade() -> None:
    add_missing_columns(_NEW_COLUMNS)


def downgrade() -> None:
    drop_columns(_NEW_COLUMNS)
