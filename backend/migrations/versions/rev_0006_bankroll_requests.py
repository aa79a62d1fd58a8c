"""Asynchronous bankroll entry and exit: pending deposit assets per token, and each provider's
pending deposit and redeem requests with the time each becomes claimable.

As in 0003, the baseline creates the current schema on a fresh database, so each step only adds
what is missing; existing rows get zeros (no request pending).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.store import schema

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_NEW_COLUMNS = (
    ("token_totals", ("bankroll_pending",)),
    ("lp_positions", ("pending_assets", "deposit_claimable_at", "pending_shares", "redeem_claimable_at")),
)


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for table_name, columns in _NEW_COLUMNS:
        existing = {c["name"] for c in inspector.get_columns(table_name)}
        for name in columns:
            if name not in existing:
                column = schema.TABLES_BY_NAME[table_name].c[name]
                op.add_column(table_name, sa.Column(name, column.type, nullable=False, server_default="0"))


def downgrade() -> None:
    for table_name, columns in _NEW_COLUMNS:
        for name in columns:
            op.drop_column(table_name, name)
