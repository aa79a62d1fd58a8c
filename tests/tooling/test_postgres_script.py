"""tools/postgres.sh works wherever the clone lives: here a clone inside a `mktemp -d` folder
(mode 0700, so no other user can enter it). Run as root, the server runs as the `postgres` user,
which cannot reach .data/pg inside such a clone; the script must still start a working server,
answer `status`, create databases and stop."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest

from fairstake import PROJECT_ROOT
from ops.chain import reserved_port


@pytest.fixture
def private_clone() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="fairstake-private-"))
    try:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # what mktemp -d makes
        clone = folder / "clone"
        (clone / "tools").mkdir(parents=True)
        shutil.copy2(PROJECT_ROOT / "tools" / "postgres.sh", clone / "tools" / "postgres.sh")
        yield clone
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def port() -> Iterator[int]:
    """The server's port, reserved until the test ends (`ops.chain.reserve_port`)."""
    with reserved_port() as port:
        yield port


def script(clone: Path, *args: str, port: int) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAIRSTAKE_PG_")}
    env["FAIRSTAKE_PG_PORT"] = str(port)
    return subprocess.run(
        [str(clone / "tools" / "postgres.sh"), *args], env=env, capture_output=True, text=True, timeout=300
    )


def test_postgres_script_runs_from_a_folder_other_users_cannot_enter(private_clone: Path, port: int) -> None:
    started = script(private_clone, "start", port=port)
    data_dir: Path | None = None
    try:
        assert started.returncode == 0, started.stderr
        dsn = started.stdout.strip().splitlines()[-1]
        assert dsn == f"postgresql://postgres@127.0.0.1:{port}/fairstake"
        with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x integer); INSERT INTO t VALUES (41); SELECT x + 1 FROM t")
            assert cursor.fetchone() == (42,)

        status = script(private_clone, "status", port=port)
        assert status.returncode == 0 and f"running on 127.0.0.1:{port}" in status.stdout, status
        data_dir = Path(status.stdout.strip().rsplit("(", 1)[1].rstrip(")"))
        assert (data_dir / "PG_VERSION").is_file()

        created = script(private_clone, "createdb", "second", port=port)
        assert created.returncode == 0, created.stderr
        with psycopg2.connect(created.stdout.strip().splitlines()[-1]) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            assert cursor.fetchone() == ("second",)

        # a second start finds the running server (idempotent)
        again = script(private_clone, "start", port=port)
        assert again.returncode == 0 and again.stdout.strip().splitlines()[-1] == dsn, again.stderr
    finally:
        stopped = script(private_clone, "stop", port=port)
        if data_dir is not None and not data_dir.is_relative_to(private_clone):
            shutil.rmtree(data_dir, ignore_errors=True)  # the cluster kept outside the clone
    assert stopped.returncode == 0, stopped.stderr
    assert script(private_clone, "status", port=port).returncode == 3
