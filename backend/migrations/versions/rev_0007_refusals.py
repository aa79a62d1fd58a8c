"""Stakes and deposits the player registry refused, recovered from failed transactions' receipts:
the `refusals` table (backend.ingest.refusals).

As before, the baseline creates the current schema on a fresh database, so this step creates the
table only where it is missing. An index built before it holds no refusals for the blocks it
already has: reindex from scratch (`fairstake index --reset`) to recover them.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.store import schema

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if not sa.inspect(op.get_bind()).has_table("refusals"):
        schema.refusals.create(op.get_bind())


def downgrade() -> None:
    op.drop_table("refusals")
