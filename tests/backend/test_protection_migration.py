"""Migrations on a database indexed before them. 0005 (from 0004): the protection projection gains
the time-out, the wallet's person (KYC subject) and the person's registry account, empty for the
rows it already holds. 0007: the refusals table. 0008: a randomness request's data word, null for
the requests already indexed."""

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
    assert version == "0008"  # the head (0006: bankroll requests; 0007: refusals; 0008: request data)
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
    assert version == "0008"
    assert columns[:2] == ["block_number", "tx_index"] and "error" in columns and "player" in columns
    engine.dispose()


def test_migration_0008_adds_the_request_data_column_to_an_existing_database(tmp_path: Any) -> None:
    import sqlalchemy as sa

    from backend.store.db import migrate, open_store

    engine = open_store(f"sqlite:///{tmp_path / 'old.db'}", writer=True)
    key_hash, tx = "0x" + "11" * 32, "0x" + "22" * 32
    consumer = "0x" + "ab" * 20
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE randomness_requests DROP COLUMN data"))
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0007'"))
        conn.execute(
            sa.text(
                "INSERT INTO randomness_requests (request_id, key_hash, consumer, pre_seed, block_num,"
                " deadline_block, callback_gas_limit, num_words, status, requested_uid, request_tx)"
                " VALUES ('5', :k, :c, '5', 10, 138, 120000, 1, 'pending', 1, :t)"
            ),
            {"k": key_hash, "c": consumer, "t": tx},
        )
    migrate(engine)
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT * FROM randomness_requests")).mappings().one()
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    assert version == "0008"
    # the row indexed before it keeps everything and has no data word recorded
    assert (row["request_id"], row["consumer"], row["block_num"], row["status"]) == ("5", consumer, 10, "pending")
    assert row["data"] is None
    engine.dispose()
