"""Migration 0005 on a database indexed before it (at 0004): the protection projection gains the
time-out, the wallet's person (KYC subject) and the person's registry account, empty for the rows
it already holds."""

from __future__ import annotations

from typing import Any


def test_migration_adds_the_protection_columns_to_an_existing_database(tmp_path: Any) -> None:
    import sqlalchemy as sa

    from backend.store.db import migrate, open_store

    engine = open_store(f"sqlite:///{tmp_path / 'old.db'}", writer=True)
    new = ("timed_out_until", "kyc_subject", "kyc_person")
    player = "0x" + "ab" * 20
    with engine.begin() as conn:
        for name in new:
            conn.execute(sa.text(f"ALTER TABLE protection DROP COLUMN {name}"))
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0004'"))
        conn.execute(
            sa.text("INSERT INTO protection (player, excluded_until, updated_uid) VALUES (:p, 123, 1)"),
            {"p": player},
        )
    migrate(engine)
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT * FROM protection")).mappings().one()
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    assert version == "0007"  # the head (0006: bankroll requests; 0007: refusals)
    assert (row["player"], row["excluded_until"]) == (player, 123)
    assert (row["timed_out_until"], row["kyc_subject"], row["kyc_person"]) == (None, None, None)
    engine.dispose()


def test_migration_0007_creates_the_refusals_table_on_an_existing_database(tmp_path: Any) -> None:
    import sqlalchemy as sa

    from backend.store.db import migrate, open_store

    engine = open_store(f"sqlite:///{tmp_path / 'old.db'}", writer=True)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE refusals"))
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0006'"))
    migrate(engine)
    with engine.connect() as conn:
        columns = [c["name"] for c in sa.inspect(conn).get_columns("refusals")]
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    assert version == "0007"
    assert columns[:2] == ["block_number", "tx_index"] and "error" in columns and "player" in columns
    engine.dispose()
