"""Alembic environment: migrations run programmatically (backend.store.db.migrate), which hands
over an open connection in `config.attributes["connection"]`."""

from __future__ import annotations

from alembic import context

from backend.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through backend.store.db.migrate(engine)")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
