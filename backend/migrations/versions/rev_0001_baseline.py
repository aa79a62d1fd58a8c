"""Baseline: every table of backend/store/schema.py as first released.

Later revisions change the schema with explicit operations (op.add_column, ...). Everything in
the store is derived from the chain, so a revision may also just drop projections and let the
indexer rebuild them from the raw event log.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op

from backend.store.schema import metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    metadata.create_all(bind=op.get_bind())


def downgrade() -> None:
    metadata.drop_all(bind=op.get_bind())
