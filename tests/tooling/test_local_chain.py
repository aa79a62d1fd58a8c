"""A local chain leaves nothing behind: anvil pages old states out to $HOME/.foundry/anvil/tmp and
keeps them after it stops (over a gigabyte after a long system test, 75 GB once after a day of
runs), so each chain started by the tooling runs with a HOME of its own that stop() removes."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ops.chain import LocalChain, free_port, rpc_call


def test_an_anvil_chain_keeps_its_states_in_its_own_home_and_removes_them(tmp_path: Path) -> None:
    chain = LocalChain(kind="anvil").start()
    try:
        home = Path(str(chain._home))
        assert home.is_dir() and home != Path.home()
        # enough blocks that anvil pages states out of memory
        rpc_call(chain.url, "anvil_mine", ["0x200", "0x0"])
        assert int(str(rpc_call(chain.url, "eth_blockNumber")), 16) >= 0x200
        states = home / ".foundry" / "anvil" / "tmp"
        assert states.is_dir() and any(states.iterdir()), "anvil wrote its states somewhere else"
    finally:
        chain.stop()
    assert not home.exists()


def _blocks_of_a_fixed_clock_chain(start: int) -> list[tuple[int, str]]:
    """(timestamp, hash) of blocks 1..3 of a fresh fixed-clock anvil: an empty block, a transfer
    and an empty block."""
    chain = LocalChain(kind="anvil", fixed_clock=start).start()
    try:
        rpc_call(chain.url, "evm_mine")
        sender, receiver = rpc_call(chain.url, "eth_accounts")[:2]  # type: ignore[index]
        rpc_call(chain.url, "eth_sendTransaction", [{"from": sender, "to": receiver, "value": "0x1"}])
        rpc_call(chain.url, "evm_mine")
        blocks = [rpc_call(chain.url, "eth_getBlockByNumber", [hex(n), False]) for n in (1, 2, 3)]
        return [(int(block["timestamp"], 16), str(block["hash"])) for block in blocks]  # type: ignore[index]
    finally:
        chain.stop()


def test_a_fixed_clock_chain_repeats_its_blocks_whenever_it_runs() -> None:
    """`bench gas` needs the same block hashes (so the same VRF words) on every run: a fixed-clock
    chain starts at its timestamp and moves one second a block, whatever the wall clock did."""
    first = _blocks_of_a_fixed_clock_chain(1_800_000_000)
    time.sleep(1.5)  # a wall-clock second apart
    second = _blocks_of_a_fixed_clock_chain(1_800_000_000)
    assert [stamp for stamp, _ in first] == [1_800_000_001, 1_800_000_002, 1_800_000_003]
    assert second == first
    assert _blocks_of_a_fixed_clock_chain(1_800_000_100)[0][0] == 1_800_000_101


def test_two_chains_handed_the_same_free_port_still_get_a_chain_each(monkeypatch: Any) -> None:
    """The race two runs on one machine can meet: the OS hands both the same free port before
    either node binds it. The second chain must pass over the port the first reserved, and each
    must answer on its own port with its own blocks (on one shared port the second run's
    readiness check was answered by the first run's node)."""
    import ops.chain

    contested = free_port()
    handed = iter([contested, contested])
    real = ops.chain.free_port
    monkeypatch.setattr(ops.chain, "free_port", lambda: next(handed, None) or real())
    first, second = LocalChain(kind="anvil"), LocalChain(kind="anvil")
    assert first.port == contested and second.port != contested
    first.start()
    try:
        second.start()
        try:
            rpc_call(first.url, "anvil_mine", ["0x5", "0x0"])
            assert int(str(rpc_call(first.url, "eth_blockNumber")), 16) == 5
            assert int(str(rpc_call(second.url, "eth_blockNumber")), 16) == 0
        finally:
            second.stop()
    finally:
        first.stop()


def test_a_transaction_the_pool_leaves_pending_gets_a_block() -> None:
    """anvil's automine can miss a ready transaction (foundry-rs/foundry#10122). The same state,
    made on purpose by switching automine off: the chain's watch mines a block for the transaction
    once it has waited STUCK_AFTER seconds, and the sender's wait ends."""
    with LocalChain(kind="anvil") as chain:
        sender, receiver = rpc_call(chain.url, "eth_accounts")[:2]  # type: ignore[index]
        rpc_call(chain.url, "evm_setAutomine", [False])
        sent = rpc_call(chain.url, "eth_sendTransaction", [{"from": sender, "to": receiver, "value": "0x1"}])
        assert rpc_call(chain.url, "eth_getTransactionReceipt", [sent]) is None
        deadline = time.monotonic() + 15
        while rpc_call(chain.url, "eth_getTransactionReceipt", [sent]) is None:
            assert time.monotonic() < deadline, "the stuck transaction was never mined"
            time.sleep(0.5)
        assert chain._watch is not None and chain._watch.blocks_mined == 1


def test_the_watch_mines_nothing_on_a_chain_that_mines_by_itself() -> None:
    with LocalChain(kind="anvil") as chain:
        sender, receiver = rpc_call(chain.url, "eth_accounts")[:2]  # type: ignore[index]
        for _ in range(3):
            rpc_call(chain.url, "eth_sendTransaction", [{"from": sender, "to": receiver, "value": "0x1"}])
        time.sleep(7)
        assert int(str(rpc_call(chain.url, "eth_blockNumber")), 16) == 3
        assert chain._watch is not None and chain._watch.blocks_mined == 0
