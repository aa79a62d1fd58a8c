"""The indexer against a real local chain (anvil) and both stores: decoding and projections,
live following, convergence after reorgs and rollbacks, and exactly-once after SIGKILL."""

from __future__ import annotations

import gc
import json
import os
import random
import signal
import threading
import time
from pathlib import Path

import pytest
from support import ETH, Chain, Databases, Emitter, index_process, save_manifest

from backend.ingest.fetcher import CaughtUp, FetchConfig, FetchedBatch, gc_paused
from backend.ingest.indexer import Indexer, IndexerConfig
from backend.ingest.prefetch import FetchThread
from backend.store import schema
from backend.store.db import content_hash, open_store
from backend.store.writer import read_cursor
from fairstake.manifest import Manifest
from ops.chain import LocalChain

SOAK = os.environ.get("FAIRSTAKE_SOAK") == "1"


def index_to_head(manifest: Manifest, db: str, **config: object) -> Indexer:
    engine = open_store(db, writer=True)
    indexer = Indexer(manifest, engine, manifest.rpc_url, IndexerConfig(progress=False, workers=0, **config))  # type: ignore[arg-type]
    indexer.run(follow=False)
    return indexer


def fresh_hash(manifest: Manifest, db: str) -> str:
    indexer = index_to_head(manifest, db)
    try:
        return content_hash(indexer.engine)
    finally:
        indexer.engine.dispose()


def stored_hash(db: str) -> str:
    """The content hash of the store at `db`, which another process indexed."""
    engine = open_store(db, run_migrations=False)
    try:
        return content_hash(engine)
    finally:
        engine.dispose()


def rows(engine, table) -> list[dict]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(table.select()).mappings()]


def test_backfill_decodes_every_log_and_projects_balances(chain: Chain, emitter: Emitter, db_url: str) -> None:
    player = chain.accounts[1]
    emitter.deposits(350, players=7, amount=2 * 10**18)
    emitter.deposit(player, 5 * 10**18)
    emitter.withdraw(player, 2 * 10**18)
    emitter.lock_and_settle(player, 10**18, 3 * 10**18, rounds=2)
    emitter.lock_and_settle(player, 10**18, 0, rounds=1)
    emitter.note(7, 'héllo\t\n\\ "quoted"', b"\x01\x02\xff", [1, 2**256 - 1])

    indexer = index_to_head(emitter.manifest(), db_url)
    engine = indexer.engine
    try:
        logs = chain.rpc("eth_getLogs", [{"fromBlock": "0x0", "toBlock": "latest", "address": emitter.address}])
        events = rows(engine, schema.events)
        assert len(events) == len(logs) == 350 + 2 + 2 * 3 + 1
        assert [e["uid"] for e in events] == sorted(e["uid"] for e in events)
        assert {(int(log["blockNumber"], 16), int(log["logIndex"], 16)) for log in logs} == {
            (e["block_number"], e["log_index"]) for e in events
        }

        balances = {(b["player"], b["token"]): b for b in rows(engine, schema.balances)}
        for i in range(7):
            synthetic = "0x" + f"{0x1000 + i:040x}"
            assert balances[(synthetic, ETH)]["free"] == 50 * 2 * 10**18
        assert balances[(player, ETH)]["free"] == 6 * 10**18
        assert balances[(player, ETH)]["deposited"] == 5 * 10**18
        assert balances[(player, ETH)]["withdrawn"] == 2 * 10**18

        totals = rows(engine, schema.token_totals)[0]
        assert totals["free"] == 700 * 10**18 + 6 * 10**18
        assert totals["locked"] == 0 and totals["reserved"] == 0
        assert totals["bankroll"] == (1 - 3) * 2 * 10**18 + 10**18  # the house paid out net 3 ETH

        locks = rows(engine, schema.locks)
        assert sorted(lock["status"] for lock in locks) == ["settled"] * 3
        assert sorted(lock["payout"] for lock in locks) == [0, 3 * 10**18, 3 * 10**18]

        note = next(e for e in events if e["event"] == "Note")
        assert json.loads(note["args"]) == {
            "seq": "7",
            "from": chain.accounts[0],
            "text": 'héllo\t\n\\ "quoted"',
            "data": "0x0102ff",
            "values": ["1", str(2**256 - 1)],
        }
    finally:
        engine.dispose()


def test_sqlite_and_postgres_build_the_same_database(emitter: Emitter, tmp_path: Path, pg_server_dsn: str) -> None:
    emitter.deposits(200, players=13)
    emitter.lock_and_settle(emitter.chain.accounts[2], 10**17, 2 * 10**17, rounds=5)
    emitter.withdraw(emitter.chain.accounts[2], 10**17)
    manifest = emitter.manifest()
    postgres = Databases("postgres", tmp_path, pg_server_dsn)
    try:
        assert fresh_hash(manifest, str(tmp_path / "a.sqlite")) == fresh_hash(manifest, postgres.new())
    finally:
        postgres.drop_all()


def test_rebuild_from_raw_log_equals_incremental_projections(emitter: Emitter, db_url: str) -> None:
    for i in range(5):
        emitter.deposits(40, players=3 + i)
        emitter.lock_and_settle(emitter.chain.accounts[1], 10**17, i * 10**17, rounds=3)
    indexer = index_to_head(emitter.manifest(), db_url, initial_range=1)
    try:
        before = content_hash(indexer.engine)
        indexer.rebuild()
        assert content_hash(indexer.engine) == before
    finally:
        indexer.engine.dispose()


class LiveIndexer:
    """An in-process indexer following the chain in a background thread."""

    def __init__(self, manifest: Manifest, db: str, **config: object) -> None:
        self.engine = open_store(db, writer=True)
        self.indexer = Indexer(
            manifest,
            self.engine,
            manifest.rpc_url,
            IndexerConfig(progress=False, poll_interval=0.05, **config),  # type: ignore[arg-type]
        )
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.indexer.run(follow=True)
        except BaseException as exc:  # surfaced by wait_synced / stop
            self.error = exc

    def wait_synced(self, chain: Chain, timeout: float = 30.0) -> float:
        """Seconds until the stored cursor equals the chain head (block and hash)."""
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            if self.error:
                raise self.error
            head = chain.rpc("eth_getBlockByNumber", ["latest", False])
            with self.engine.connect() as conn:
                cursor = read_cursor(conn)
            if cursor and cursor.block_number == int(head["number"], 16) and cursor.block_hash == head["hash"]:
                return time.monotonic() - began
            time.sleep(0.02)
        raise AssertionError("the indexer did not reach the head in time")

    def stop(self) -> None:
        self.indexer.stop_requested.set()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive()
        if self.error:
            raise self.error
        self.engine.dispose()


@pytest.mark.parametrize("workers", [0, 1])
def test_live_mode_follows_new_blocks(chain: Chain, emitter: Emitter, db_url: str, workers: int) -> None:
    live = LiveIndexer(emitter.manifest(), db_url, workers=workers)
    try:
        live.wait_synced(chain)
        for i in range(8):
            emitter.deposit(chain.accounts[3], 10**15 * (i + 1))
            live.wait_synced(chain, timeout=10)
        with live.engine.connect() as conn:
            balance = conn.execute(schema.balances.select()).mappings().one()
        assert balance["free"] == 10**15 * 36
    finally:
        live.stop()


def test_fetch_thread_restart_discards_what_it_prefetched(chain: Chain, emitter: Emitter) -> None:
    for _ in range(6):
        emitter.deposits(10)
    manifest = emitter.manifest()
    head = int(str(chain.rpc("eth_blockNumber")), 16)
    contracts = {c.name: (c.address, c.abi) for c in manifest.contracts.values()}
    source = FetchThread(chain.url, contracts, FetchConfig(initial_range=1, max_range=1, target_events=1))
    try:
        source.start_at(emitter.block, None)
        first = source.get(timeout=30)
        assert isinstance(first, FetchedBatch) and first.from_block == emitter.block
        deadline = time.monotonic() + 30
        while source._messages.qsize() < 2 and time.monotonic() < deadline:  # the thread runs ahead
            time.sleep(0.01)
        assert source._messages.qsize() == 2
        # As after a reorg: back to an earlier position; the ranges queued past it must not surface.
        source.start_at(emitter.block, None)
        blocks = []
        while True:
            message = source.get(timeout=30)
            if isinstance(message, CaughtUp):
                break
            assert isinstance(message, FetchedBatch)
            blocks.append(message.from_block)
        assert blocks == list(range(emitter.block, head + 1))
    finally:
        source.close()


def test_gc_paused_restores_the_collector_state_even_on_errors() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("batch failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # an embedding application that turned GC off keeps it off
    finally:
        gc.enable()


@pytest.mark.parametrize("finality", [0, 6], ids=["rebuild", "undo"])
@pytest.mark.parametrize("how", ["reorg", "rollback"])
def test_reorgs_converge_to_a_fresh_index(
    chain: Chain,
    emitter: Emitter,
    databases,
    finality: int,
    how: str,  # type: ignore[no-untyped-def]
) -> None:
    manifest = emitter.manifest()
    live = LiveIndexer(manifest, databases.new(), finality_depth=finality, workers=0)
    rng = random.Random(finality * 7 + len(how))
    try:
        for round_ in range(3):
            for _ in range(5):
                emitter.deposit(chain.accounts[rng.randrange(1, 6)], rng.randrange(1, 10**18))
                emitter.lock_and_settle(chain.accounts[1], 10**16, rng.choice([0, 2 * 10**16]), rounds=2)
            live.wait_synced(chain)
            if how == "reorg":
                replacement = [[emitter.deposit_tx(chain.accounts[7], 1000 + round_ * 10 + k), k] for k in range(3)]
                chain.rpc("anvil_reorg", [4, replacement])
            else:
                chain.rpc("anvil_rollback", [3])
                emitter.deposit(chain.accounts[8], 2000 + round_)
            emitter.deposit(chain.accounts[9], 3000 + round_)
            live.wait_synced(chain)
        assert live.indexer.reorgs >= 3
        if finality == 0:
            assert live.indexer.rebuilds >= 3
        else:
            assert live.indexer.rebuilds == 0
        final = content_hash(live.engine)
    finally:
        live.stop()
    assert final == fresh_hash(manifest, databases.new())


def _cursor_block(db: str) -> int:
    engine = open_store(db, run_migrations=False)
    try:
        with engine.connect() as conn:
            cursor = read_cursor(conn)
        return cursor.block_number if cursor else -1
    except Exception:  # the first run may be killed before the schema exists
        return -1
    finally:
        engine.dispose()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_sigkill_at_random_moments_is_exactly_once(
    chain: Chain,
    emitter: Emitter,
    databases,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    """SIGKILL `fairstake index` at random moments during backfill and live following; after a
    final run the database equals an uninterrupted index of the same chain."""
    rng = random.Random(20240501)
    for i in range(300 if SOAK else 150):
        emitter.deposits(150, players=40 + i, amount=10**15 + i)
        emitter.lock_and_settle(chain.accounts[1 + i % 5], 10**15, (i % 3) * 10**15, rounds=25)
    backfill_head = chain.block_number()
    manifest = emitter.manifest()
    manifest_path = save_manifest(manifest, tmp_path)
    db = databases.new()
    log = tmp_path / "index.log"

    stop_producing = threading.Event()

    def produce() -> None:
        k = 0
        while not stop_producing.wait(0.05):
            emitter.deposits(50, players=9, first=0x5000 + k % 3)
            k += 1

    producer = threading.Thread(target=produce, daemon=True)
    kills = []
    rounds = 50 if SOAK else 20
    for round_ in range(rounds):
        if not producer.is_alive() and (round_ == rounds // 2 or (kills and kills[-1] >= backfill_head)):
            producer.start()  # later rounds kill while new blocks keep coming
        # Alternate inline and worker-process ingestion (the worker must die with its parent).
        process = index_process(manifest_path, db, "--workers", str(round_ % 2), log=log)
        # Wait until this run commits something (start-up takes a while on a busy machine),
        # then kill at a random moment of its work.
        previous = kills[-1] if kills else -1
        deadline = time.monotonic() + 60
        while _cursor_block(db) <= previous and time.monotonic() < deadline and process.poll() is None:
            if previous >= chain.block_number():
                break  # caught up with a chain that has not moved: nothing to commit, kill it idle
            time.sleep(0.02)
        # Round 0 kills right at its first commit, so at least one kill always lands mid-backfill
        # however fast the machine is; later rounds kill at random moments.
        time.sleep(rng.uniform(0, 1.5) if round_ else 0)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        kills.append(_cursor_block(db))
        deadline = time.monotonic() + 10
        while _group_alive(process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _group_alive(process.pid), "the fetch worker outlived its killed parent"
    stop_producing.set()
    producer.join(timeout=10)

    final = index_process(manifest_path, db, "--once", log=log)
    assert final.wait(timeout=300) == 0, log.read_text()[-3000:]
    assert any(0 <= k < backfill_head for k in kills), f"no kill landed during backfill: {kills}"

    assert stored_hash(db) == fresh_hash(manifest, databases.new())


def test_ganache_backfill_live_and_revert_converge(databases, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """ganache puts no blockTimestamp on logs (the indexer reads headers instead) and reverts
    with evm_snapshot/evm_revert: the same convergence must hold there."""
    with LocalChain(kind="ganache") as local:
        chain = Chain(local)
        emitter = Emitter(chain)
        emitter.deposits(40, players=4)
        manifest = emitter.manifest()
        live = LiveIndexer(manifest, databases.new(), finality_depth=3, workers=0)
        try:
            live.wait_synced(chain)
            snapshot = chain.rpc("evm_snapshot")
            for i in range(4):
                emitter.deposit(chain.accounts[2], 10**16 + i)
            live.wait_synced(chain)
            chain.rpc("evm_revert", [snapshot])
            emitter.withdraw(chain.accounts[3], 5)
            emitter.lock_and_settle(chain.accounts[3], 10**15, 0, rounds=3)
            live.wait_synced(chain)
            assert live.indexer.reorgs >= 1
            with live.engine.connect() as conn:
                times = [r.block_time for r in conn.execute(schema.events.select())]
            assert all(t > 1_600_000_000 for t in times)
            final = content_hash(live.engine)
        finally:
            live.stop()
        assert final == fresh_hash(manifest, databases.new())


def test_follows_the_chain_across_rpc_node_restarts(databases, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The RPC node stops under a live `fairstake index` and comes back (same chain, reloaded from
    its saved state): the indexer rides out the outage by itself and ends equal to a fresh index."""
    node = LocalChain(state_file=tmp_path / "anvil-state.json").start()
    try:
        chain = Chain(node)
        emitter = Emitter(chain)
        emitter.deposits(40, players=4)
        manifest = emitter.manifest()
        db = databases.new()
        log = tmp_path / "index.log"
        process = index_process(save_manifest(manifest, tmp_path), db, log=log)
        try:
            for outage in range(3 if SOAK else 2):
                _wait_cursor(db, chain.block_number(), process, log)
                node.stop()
                time.sleep(2.0)  # the indexer keeps polling a dead node meanwhile
                assert process.poll() is None, log.read_text()[-3000:]
                node.start()
                emitter.deposits(10, players=3, first=0x7000 + outage)
                emitter.lock_and_settle(chain.accounts[2], 10**15, 0, rounds=2)
            _wait_cursor(db, chain.block_number(), process, log)
        finally:
            process.terminate()
            process.wait(timeout=30)
        assert "rpc fault" in log.read_text()
        assert stored_hash(db) == fresh_hash(manifest, databases.new())
    finally:
        node.stop()


def _wait_cursor(db: str, block: int, process, log: Path, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while _cursor_block(db) < block:
        assert process.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, f"indexer stuck below block {block}: {log.read_text()[-3000:]}"
        time.sleep(0.05)
