"""The indexer follows a closed pool's backstop on a real Vault: a pool its game paid only in part
and left, unwound lock by lock after the payout window, and a lock-less pool of rolled-in money
released to the bankroll. The pools, locks, balances and token totals it projects must equal the
chain's own books."""

from __future__ import annotations

import re
from typing import Any

from eth_abi import decode, encode
from eth_utils import function_signature_to_4byte_selector
from support import ETH, Chain, artifact, wait_receipt
from test_indexer import index_to_head, rows

from backend.store import schema
from fairstake.manifest import DeployedContract, Manifest

ETHER = 10**18
PAYOUT_WINDOW = 30 * 86_400

# ETH is the only token the Vault allows (compact id 1): its n-th lock's id is (1 << 40) + n.
LOCK = {n: (1 << 40) + n for n in (1, 2, 3)}


def _types(signature: str) -> list[str]:
    """The argument types of `signature`, split at its top-level commas (a struct is one tuple)."""
    return re.findall(r"\([^()]*\)|[^,()]+", signature[signature.index("(") + 1 : -1])


def _send(chain: Chain, to: str, signature: str, args: list[Any], *, sender: int = 0, value: int = 0) -> dict[str, Any]:
    data = function_signature_to_4byte_selector(signature) + encode(_types(signature), args)
    tx = chain.rpc(
        "eth_sendTransaction",
        [
            {
                "from": chain.accounts[sender],
                "to": to,
                "data": "0x" + data.hex(),
                "value": hex(value),
                "gas": hex(3_000_000),
            }
        ],
    )
    return wait_receipt(chain.url, tx)


def _call(chain: Chain, to: str, signature: str, args: list[Any], out: list[str]) -> tuple[Any, ...]:
    data = function_signature_to_4byte_selector(signature) + encode(_types(signature), args)
    result = chain.rpc("eth_call", [{"to": to, "data": "0x" + data.hex()}, "latest"])
    return tuple(decode(out, bytes.fromhex(result[2:])))


def test_indexer_projects_the_closed_pool_backstop(chain: Chain, db_url: str) -> None:
    owner = chain.accounts[0]
    alice, bob = chain.accounts[1], chain.accounts[2]
    library, _ = chain.deploy("VaultBankroll")
    vault, block = chain.deploy("Vault", ["address"], [owner], libraries={"VaultBankroll": library})
    game, _ = chain.deploy("TestGame", ["address"], [vault])
    _send(chain, vault, "setToken(address,bool)", [ETH, True])
    _send(chain, vault, "setGame(address,bool)", [game, True])
    for index, who in ((1, alice), (2, bob)):
        _send(
            chain, vault, "depositFor(address,address,uint256)", [who, ETH, 10 * ETHER], sender=index, value=10 * ETHER
        )
    now = int(chain.rpc("eth_getBlockByNumber", ["latest", False])["timestamp"], 16)
    deadline = now + 3_600

    # pool 1: alice stakes 3, bob 1; the game pays bob 2 and stops
    _send(chain, game, "openPool(address)", [ETH])
    _send(
        chain, game, "lock(address,uint256,uint256,uint64,uint256)", [ETH, 3 * ETHER, 3 * ETHER, deadline, 1], sender=1
    )
    _send(chain, game, "lock(address,uint256,uint256,uint64,uint256)", [ETH, ETHER, ETHER, deadline, 1], sender=2)
    _send(chain, game, "closePool(uint256)", [1])
    _send(chain, game, "payFromPool(uint256,address,uint256)", [1, bob, 2 * ETHER])
    # pool 3: alice stakes 1, is paid half, the other half rolls into pool 2, which has no lock
    _send(chain, game, "openPool(address)", [ETH])  # pool 2: receives rolled-in money only
    _send(chain, game, "openPool(address)", [ETH])  # pool 3
    _send(chain, game, "lock(address,uint256,uint256,uint64,uint256)", [ETH, ETHER, ETHER, deadline, 3], sender=1)
    _send(chain, game, "closePool(uint256)", [3])
    _send(chain, game, "payFromPool(uint256,address,uint256)", [3, alice, ETHER // 2])
    _send(chain, game, "movePool(uint256,uint256,uint256)", [3, 2, ETHER // 2])
    _send(chain, game, "closePool(uint256)", [2])

    chain.rpc("evm_increaseTime", [PAYOUT_WINDOW + 1])
    chain.mine()
    # each lock's terms, as its Locked event carries them (the Vault keeps only their hash)
    refund = "refundClosedPool(uint256,(address,address,address,uint256,uint256,uint256))"
    _send(chain, vault, refund, [LOCK[2], (bob, ETH, game, ETHER, ETHER, 1)], sender=3)  # bob's lock: 1/4 of 2 ETH
    _send(chain, vault, refund, [LOCK[1], (alice, ETH, game, 3 * ETHER, 3 * ETHER, 1)], sender=3)  # alice's: the rest
    _send(chain, vault, refund, [LOCK[3], (alice, ETH, game, ETHER, ETHER, 3)], sender=3)  # pool 3 is empty: 0
    _send(chain, vault, "releaseClosedPool(uint256)", [2], sender=3)  # 0.5 ETH to the bankroll

    manifest = Manifest(
        chain_id=1337,
        rpc_url=chain.url,
        deployment_block=block,
        contracts={"Vault": DeployedContract("Vault", vault, block, artifact("Vault")["abi"])},
    )
    indexer = index_to_head(manifest, db_url)
    try:
        pools = {int(p["pool_id"]): p for p in rows(indexer.engine, schema.pools)}
        assert pools[1]["status"] == pools[2]["status"] == pools[3]["status"] == "unwinding"
        assert (pools[1]["closed_total"], pools[1]["closed_stakes"]) == (4 * ETHER, 4 * ETHER)
        assert (pools[2]["closed_total"], pools[2]["closed_stakes"]) == (ETHER // 2, 0)
        assert (pools[1]["unwound"], pools[1]["paid"], pools[1]["balance"]) == (2 * ETHER, 2 * ETHER, 0)
        assert (pools[2]["released"], pools[2]["balance"]) == (ETHER // 2, 0)
        assert pools[3]["balance"] == pools[3]["unwound"] == 0
        for pool_id, pool in pools.items():
            chain_pool = _call(
                chain,
                vault,
                "getPool(uint256)",
                [pool_id],
                ["(address,address,uint8,uint256,uint256,uint64,uint256)"],
            )[0]
            assert pool["pay_by"] == chain_pool[5]
            assert pool["balance"] == chain_pool[3]

        locks = {int(lk["lock_id"]): lk for lk in rows(indexer.engine, schema.locks)}
        assert {i: (lk["status"], lk["payout"]) for i, lk in locks.items()} == {
            LOCK[1]: ("unwound", 3 * ETHER // 2),
            LOCK[2]: ("unwound", ETHER // 2),
            LOCK[3]: ("unwound", 0),
        }
        balances = {(b["player"], b["token"]): b["free"] for b in rows(indexer.engine, schema.balances)}
        for who in (alice, bob):
            (on_chain,) = _call(chain, vault, "balanceOf(address,address)", [who, ETH], ["uint256"])
            assert balances[(who, ETH)] == on_chain
        assert balances[(alice, ETH)] == 10 * ETHER - 4 * ETHER + 3 * ETHER // 2 + ETHER // 2

        totals = rows(indexer.engine, schema.token_totals)[0]
        books = _call(
            chain,
            vault,
            "getBooks(address)",
            [ETH],
            ["(uint256,bool,uint16,uint256,uint256,uint256,uint256,uint256,uint256)"],
        )[0]
        held, _, _, free, locked, bankroll, _, fees, _ = books
        assert (totals["free"], totals["locked"] + totals["pooled"], totals["bankroll"], totals["fees"]) == (
            free,
            locked,
            bankroll,
            fees,
        )
        assert bankroll == ETHER // 2
        assert held == free + locked + bankroll + fees
    finally:
        indexer.engine.dispose()


def test_migration_adds_the_backstop_columns_to_an_existing_database(tmp_path: Any) -> None:
    """A database indexed before the backstop (at revision 0003, pools without its columns)
    gains them, with neutral values for the pools it already holds."""
    import sqlalchemy as sa

    from backend.store.db import migrate, open_store

    engine = open_store(f"sqlite:///{tmp_path / 'old.db'}", writer=True)
    new = ("closed_stakes", "pay_by", "unwound", "released")
    with engine.begin() as conn:
        for name in new:
            conn.execute(sa.text(f"ALTER TABLE pools DROP COLUMN {name}"))
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0003'"))
        conn.execute(
            sa.text(
                "INSERT INTO pools (pool_id, game, token, status, balance, staked, refunded, paid, fee, moved_in,"
                " moved_out, created_uid) VALUES ('7', :a, :a, 'closed', '5', '5', '0', '0', '0', '0', '0', 1)"
            ),
            {"a": ETH},
        )
    migrate(engine)
    with engine.connect() as conn:
        pool = conn.execute(sa.text("SELECT * FROM pools")).mappings().one()
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    assert version == "0008"  # the head: 0004 (this backstop), 0005 (player protection), 0006, 0007, 0008
    assert (pool["closed_stakes"], pool["pay_by"], int(pool["unwound"]), int(pool["released"])) == (None, None, 0, 0)
    engine.dispose()
