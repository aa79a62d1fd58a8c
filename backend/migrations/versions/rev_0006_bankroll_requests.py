"""Asynchronous bankroll entry and exit: pending deposit assets per token, and each provider's
pending deposit and redeem requests with the time each becomes claimable.

As in 0003, the baseline creates the current schema on a fresh database, so each step only adds
what is missing; existing rows get zeros (no request pending).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from backend.store.migration_steps import add_missing_columns, drop_columns

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_NEW_COLUMNS = (
    ("token_totals", ("bankroll_pending",)),
    ("lp_positions", ("pending_assets", "deposit_claimable_at", "pending_shares", "redeem_claimable_at")),
)


def upgrade() -> None:
    add_missing_columns(_NEW_COLUMNS)


def downgrade() -> None:
    drop_columns(_NEW_COLUMNS)
