"""Drop indexes no query uses (events by transaction, locks by pool, bets by request): each
costs a B-tree update per row on the backfill's hot path.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_DROPPED = (
    ("ix_events_tx_hash", "events", "tx_hash"),
    ("ix_locks_pool", "locks", "pool_id"),
    ("ix_bets_request", "bets", "request_id"),
)


def upgrade() -> None:
    for name, table, _column in _DROPPED:
        op.drop_index(name, table_name=table, if_exists=True)


def downgrade() -> None:
    existing = {
        i["name"] for table in ("events", "locks", "bets") for i in sa.inspect(op.get_bind()).get_indexes(table)
    }
    for name, table, column in _DROPPED:
        if name not in existing:
            op.create_index(name, table, [column])
