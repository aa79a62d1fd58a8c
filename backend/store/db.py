"""Opening the store: SQLite in WAL mode under .data/ by default (nothing to install), or
PostgreSQL when given a DSN. The schema is brought to the latest Alembic revision at start."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import ujson
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from backend.store import schema
from fairstake import PROJECT_ROOT

DEFAULT_DB_PATH = PROJECT_ROOT / ".data" / "index.sqlite"
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
# Serialises concurrent migrations (indexer and API starting together) on PostgreSQL.
_PG_MIGRATION_LOCK = 0x46534D47  # "FSMG"


class StoreError(RuntimeError):
    """The database is unusable for this deployment (wrong chain, wrong manifest, bad URL)."""


def database_url(db: str | Path | None) -> str:
    """`--db` value → SQLAlchemy URL: a path (or nothing, for the default) means SQLite;
    postgres:// and postgresql:// DSNs use psycopg2."""
    if db is None or str(db) == "":
        db = DEFAULT_DB_PATH
    value = str(db)
    if value.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg2://" + value.split("://", 1)[1]
    if "://" in value:
        return value
    path = Path(value).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def redact(url: str) -> str:
    """The URL with any password replaced, for logs."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in credentials else url


def create_store_engine(url: str, *, writer: bool = False, pool_size: int = 16) -> Engine:
    """An engine with transactional semantics that are the same on both backends.

    SQLite: WAL (readers never block the writer), synchronous=NORMAL (a killed process loses
    nothing committed; WAL stays consistent), and explicit BEGIN so DDL is transactional too;
    writers take the write lock up front (BEGIN IMMEDIATE) so they never deadlock upgrading."""
    if url.startswith("sqlite"):
        engine = (
            create_engine(url, connect_args={"check_same_thread": False, "timeout": 60}, poolclass=NullPool)
            if writer
            else create_engine(
                url,
                connect_args={"check_same_thread": False, "timeout": 60},
                pool_size=pool_size,
                max_overflow=4 * pool_size,
            )
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.execute("PRAGMA cache_size=-65536")
            cur.execute("PRAGMA temp_store=MEMORY")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

        return engine
    if url.startswith("postgresql"):
        return create_engine(
            url,
            pool_pre_ping=True,
            pool_size=pool_size,
            max_overflow=pool_size,
            insertmanyvalues_page_size=2000,
        )
    raise StoreError(f"unsupported database URL {redact(url)!r}: use a file path, sqlite:/// or postgresql://")


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest Alembic revision (idempotent, safe to race)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def open_store(db: str | Path | None, *, writer: bool = False, run_migrations: bool = True) -> Engine:
    engine = create_store_engine(database_url(db), writer=writer)
    if run_migrations:
        migrate(engine)
    return engine


def content_hash(engine: Engine) -> str:
    """sha256 over the chain-derived content (raw log, projections, cursor), independent of
    how the ingester batched its work and of the backend (SQLite and PostgreSQL agree)."""
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for table in sorted(schema.CONTENT_TABLES, key=lambda t: t.name):
            digest.update(f"\x00{table.name}\x00".encode())
            order = [c for c in table.primary_key.columns]
            for row in conn.execute(select(table).order_by(*order)):
                values = [None if v is None else str(v) if not isinstance(v, bool) else v for v in row]
                digest.update(ujson.dumps(values).encode())
                digest.update(b"\n")
    return digest.hexdigest()
