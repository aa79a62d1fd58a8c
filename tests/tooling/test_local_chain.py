"""A local chain leaves nothing behind: anvil pages old states out to $HOME/.foundry/anvil/tmp and
keeps them after it stops (over a gigabyte after a long system test, 75 GB once after a day of
runs), so each chain started by the tooling runs with a HOME of its own that stop() removes."""

from __future__ import annotations

from pathlib import Path

from ops.chain import LocalChain, free_port, rpc_call


def test_an_anvil_chain_keeps_its_states_in_its_own_home_and_removes_them(tmp_path: Path) -> None:
    chain = LocalChain(kind="anvil", port=free_port()).start()
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
