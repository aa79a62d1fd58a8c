"""Helpers for the backend tests: a private chain, raw-RPC contract deployment and calls (no
brownie state involved, so tests can reorg their own chain freely), manifests, databases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector, to_checksum_address

from fairstake import PROJECT_ROOT
from fairstake.manifest import DeployedContract, Manifest
from ops.chain import LocalChain, rpc_call
from ops.oracle_devnet import link

BUILD = PROJECT_ROOT / "build" / "contracts"
ETH = "0x0000000000000000000000000000000000000000"


def artifact(name: str) -> dict[str, Any]:
    return json.loads((BUILD / f"{name}.json").read_text())


def wait_receipt(url: str, tx: str, timeout: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        receipt = rpc_call(url, "eth_getTransactionReceipt", [tx])
        if receipt:
            assert isinstance(receipt, dict)
            if receipt["status"] != "0x1":
                raise AssertionError(f"transaction {tx} reverted")
            return receipt
        time.sleep(0.01)
    raise TimeoutError(tx)


def calldata(signature: str, *args: Any) -> str:
    """The 0x-hex call data of `signature` (plain types only) with `args`."""
    types = signature[signature.index("(") + 1 : -1].split(",") if not signature.endswith("()") else []
    return "0x" + (function_signature_to_4byte_selector(signature) + encode(types, list(args))).hex()


class Chain:
    """A LocalChain plus convenience calls with the first dev account."""

    def __init__(self, chain: LocalChain) -> None:
        self.local = chain
        self.url = chain.url
        accounts = rpc_call(self.url, "eth_accounts")
        assert isinstance(accounts, list)
        self.accounts = [to_checksum_address(a) for a in accounts]

    def rpc(self, method: str, params: list[Any] | None = None) -> Any:
        return rpc_call(self.url, method, params or [], timeout=30)

    def block_number(self) -> int:
        return int(self.rpc("eth_blockNumber"), 16)

    def deploy(
        self,
        name: str,
        types: list[str] | None = None,
        args: list[Any] | None = None,
        libraries: dict[str, str] | None = None,
    ) -> tuple[str, int]:
        code = artifact(name)["bytecode"]
        for library, address in (libraries or {}).items():
            code = link(code, library, address)
        code = code if code.startswith("0x") else "0x" + code
        if types:
            code += encode(types, args or []).hex()
        tx = self.rpc("eth_sendTransaction", [{"from": self.accounts[0], "data": code, "gas": hex(10_000_000)}])
        receipt = wait_receipt(self.url, tx)
        return to_checksum_address(receipt["contractAddress"]), int(receipt["blockNumber"], 16)

    def send(self, to: str, signature: str, *args: Any, sender: int = 0) -> dict[str, Any]:
        """Call `signature` (plain types only, e.g. "deposit(address,address,uint256)") on `to`."""
        tx = self.rpc(
            "eth_sendTransaction",
            [{"from": self.accounts[sender], "to": to, "data": calldata(signature, *args), "gas": hex(29_000_000)}],
        )
        return wait_receipt(self.url, tx)

    def mine(self, blocks: int = 1) -> None:
        self.rpc("anvil_mine", [hex(blocks)])


class Emitter:
    """The IndexerTestEmitter deployed on a chain, registered as the manifest's Vault."""

    def __init__(self, chain: Chain) -> None:
        self.chain = chain
        self.address, self.block = chain.deploy("IndexerTestEmitter")

    def manifest(self) -> Manifest:
        return Manifest(
            chain_id=1337,
            rpc_url=self.chain.url,
            deployment_block=self.block,
            contracts={
                "Vault": DeployedContract("Vault", self.address, self.block, artifact("IndexerTestEmitter")["abi"])
            },
        )

    def deposits(self, count: int, *, token: str = ETH, amount: int = 10**18, first: int = 0x1000, players: int = 50):
        return self.chain.send(
            self.address, "deposits(address,uint256,uint256,uint160,uint160)", token, amount, count, first, players
        )

    def deposit_tx(self, player: str, amount: int, token: str = ETH) -> dict[str, Any]:
        """An unsent deposit transaction (for anvil_reorg's replacement blocks)."""
        data = calldata("deposit(address,address,uint256)", player, token, amount)
        return {"from": self.chain.accounts[0], "to": self.address, "data": data}

    def deposit(self, player: str, amount: int, token: str = ETH) -> dict[str, Any]:
        return self.chain.send(self.address, "deposit(address,address,uint256)", player, token, amount)

    def withdraw(self, player: str, amount: int, token: str = ETH) -> dict[str, Any]:
        return self.chain.send(self.address, "withdraw(address,address,uint256)", player, token, amount)

    def lock_and_settle(self, player: str, amount: int, payout: int, rounds: int, token: str = ETH) -> dict[str, Any]:
        return self.chain.send(
            self.address,
            "lockAndSettle(address,address,uint256,uint256,uint256)",
            player,
            token,
            amount,
            payout,
            rounds,
        )

    def note(self, seq: int, text: str, data: bytes, values: list[int]) -> dict[str, Any]:
        return self.chain.send(self.address, "note(uint256,string,bytes,uint256[])", seq, text, data, values)


def save_manifest(manifest: Manifest, directory: Path) -> Path:
    return manifest.save(directory / f"manifest-{uuid.uuid4().hex[:8]}.json")


def index_process(manifest_path: Path, db: str, *extra: str, log: Path | None = None) -> subprocess.Popen[bytes]:
    """`fairstake index` as a real subprocess (so SIGKILL is real)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PROJECT_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ops.cli.main",
            "index",
            "-d",
            str(manifest_path),
            "--db",
            db,
            "--quiet",
            *extra,
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=out,
        stderr=out,
        start_new_session=True,
    )


def _admin(dsn: str, sql: str) -> None:
    """Run one statement outside a transaction (CREATE/DROP DATABASE)."""
    import psycopg2

    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
    finally:
        conn.close()


class Databases:
    """Creates fresh databases of one backend for a test and drops them afterwards."""

    def __init__(self, kind: str, tmp_path: Path, pg_dsn: str | None) -> None:
        self.kind = kind
        self.tmp_path = tmp_path
        self.pg_dsn = pg_dsn
        self.created: list[str] = []

    def new(self) -> str:
        if self.kind == "sqlite":
            return str(self.tmp_path / f"index-{uuid.uuid4().hex[:8]}.sqlite")
        assert self.pg_dsn is not None
        name = f"fs_test_{uuid.uuid4().hex[:12]}"
        _admin(self.pg_dsn, f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return f"{self.pg_dsn.rsplit('/', 1)[0]}/{name}"

    def drop_all(self) -> None:
        for name in self.created:
            _admin(self.pg_dsn or "", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def indexed_database(request: Any, deployment: Any, tmp_path_factory: Any) -> Any:
    """A database of `request.param` (sqlite | postgres) holding the whole chain of `deployment`
    (anything with `manifest` and `rpc`), indexed in one backfill; a generator for a fixture."""
    from backend.ingest.indexer import Indexer, IndexerConfig
    from backend.store.db import open_store

    pg = request.getfixturevalue("pg_server_dsn") if request.param == "postgres" else None
    dbs = Databases(request.param, tmp_path_factory.mktemp("db"), pg)
    db = dbs.new()
    engine = open_store(db, writer=True)
    Indexer(deployment.manifest, engine, deployment.rpc, IndexerConfig(progress=False, workers=0)).run(follow=False)
    engine.dispose()
    try:
        yield db
    finally:
        dbs.drop_all()


def api_client(db: str, deployment: Any) -> Any:
    """A TestClient of the API over `db` for `deployment` (with `manifest_path` and `rpc`); a generator."""
    from starlette.testclient import TestClient

    from backend.api.app import Settings, create_app

    app = create_app(Settings(db=db, deployment=deployment.manifest_path, rpc_url=deployment.rpc))
    with TestClient(app) as test_client:
        yield test_client


def api_fixtures(deployment: str, kinds: tuple[str, ...] = ("sqlite", "postgres")) -> tuple[Any, Any]:
    """A module's `indexed` and `client` fixtures (assign them under those names): its whole
    deployment, the module's fixture named `deployment`, indexed into a database of each of `kinds`
    (module-scoped), and the API over it."""

    @pytest.fixture(scope="module", params=kinds)
    def indexed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
        yield from indexed_database(request, request.getfixturevalue(deployment), tmp_path_factory)

    @pytest.fixture(scope="module")
    def client(request: pytest.FixtureRequest, indexed: str) -> Any:
        yield from api_client(indexed, request.getfixturevalue(deployment))

    return indexed, client


def table_rows(db: str, table: Any) -> list[dict[str, Any]]:
    """Every row of `table` in the store at `db`, as dicts."""
    from backend.store.db import open_store

    engine = open_store(db, run_migrations=False)
    try:
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(table.select()).mappings()]
    finally:
        engine.dispose()


def get_json(client: Any, url: str) -> Any:
    """GET `url`, which must answer 200, as JSON."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.text)
    return response.json()
