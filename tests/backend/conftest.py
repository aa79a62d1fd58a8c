"""Backend test fixtures: a private anvil per test (tests reorg and roll back their own chain),
and the store on BOTH SQLite and PostgreSQL (`db_url` is parametrised). The PostgreSQL server
comes from FAIRSTAKE_TEST_PG_DSN, or tools/postgres.sh starts a project-local one; every test
gets a fresh database on it."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import Chain, Databases, Emitter

from fairstake import PROJECT_ROOT
from ops.chain import LocalChain


@pytest.fixture(scope="session")
def pg_server_dsn() -> str:
    dsn = os.environ.get("FAIRSTAKE_TEST_PG_DSN")
    if dsn:
        return dsn
    result = subprocess.run(
        [str(PROJECT_ROOT / "tools" / "postgres.sh"), "start"], capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0:
        raise RuntimeError(f"tools/postgres.sh failed: {result.stderr}")
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(params=["sqlite", "postgres"])
def databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Databases]:
    pg = request.getfixturevalue("pg_server_dsn") if request.param == "postgres" else None
    dbs = Databases(request.param, tmp_path, pg)
    try:
        yield dbs
    finally:
        dbs.drop_all()


@pytest.fixture
def db_url(databases: Databases) -> str:
    return databases.new()


@pytest.fixture
def chain() -> Iterator[Chain]:
    with LocalChain() as local:
        yield Chain(local)


@pytest.fixture
def emitter(chain: Chain) -> Emitter:
    return Emitter(chain)
