"""ops/deploy.py: the core deployment, its wiring and the manifest it writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from brownie import BatchCaller, MockStablecoin, PlayerRegistry, TestGame, Vault, VaultBankroll, VaultTimelock, web3
from vault_helpers import ETH

from fairstake.manifest import load_manifest
from ops import bankroll


def test_core_is_wired(core: dict[str, Any], owner: Any, guardian: Any) -> None:
    vault, timelock, usds, game = (
        core["Vault"],
        core["TimelockController"],
        core["MockStablecoin"],
        core["TestGame"],
    )
    assert vault.owner() == timelock
    assert vault.isTokenAllowed(ETH) and vault.isTokenAllowed(usds)
    assert vault.riskFractionBps(ETH) == vault.riskFractionBps(usds) == 500
    assert vault.protocolFeeBps() == 1_000
    assert vault.feeRecipient() == timelock
    assert vault.guardian() == guardian
    assert vault.isGame(game)
    assert game.vault() == vault
    assert game.operator() == owner
    assert (usds.name(), usds.symbol(), usds.decimals()) == ("Fairstake USD", "USDS", 6)


def test_hand_over_can_wait_for_later_components(owner: Any) -> None:
    from ops.deploy import deploy_core, hand_over_governance, register_game

    core = deploy_core(owner, hand_over=False)
    vault = core["Vault"]
    timelock = core["TimelockController"]
    assert vault.owner() == owner
    assert vault.guardian() == owner  # the deployer guards a dev deployment by default
    assert timelock.getMinDelay() == 0  # the bootstrap delay, until the hand-over sets the real one
    later = TestGame.deploy(vault, {"from": owner})
    register_game(vault, owner, later)  # a plain call while the deployer owns the Vault
    hand_over_governance(timelock, owner, [vault], delay=60)
    assert vault.owner() == timelock
    assert timelock.getMinDelay() == 60
    assert vault.isGame(later)


def test_manifest_round_trip(core: dict[str, Any], tmp_path: Path) -> None:
    from ops.deploy import build_manifest, core_tokens

    manifest = build_manifest(core, core_tokens(core))
    path = manifest.save(tmp_path / "deployment.json")
    loaded = load_manifest(path)

    assert loaded.chain_id == web3.eth.chain_id == 1337
    assert set(loaded.contracts) == {"TimelockController", "Vault", "MockStablecoin", "TestGame"}
    for name, contract in core.items():
        entry = loaded.contract(name)
        assert entry.address == contract.address
        assert entry.block == contract.tx.block_number
        assert entry.abi == contract.abi
    assert loaded.contract("Vault").abi == Vault.abi
    assert loaded.contract("TimelockController").abi == VaultTimelock.abi
    assert loaded.contract("MockStablecoin").abi == MockStablecoin.abi
    assert loaded.deployment_block == min(c.tx.block_number for c in core.values())
    assert loaded.tokens["ETH"].address == ETH and loaded.tokens["ETH"].decimals == 18
    assert loaded.tokens["USDS"].address == core["MockStablecoin"].address
    assert loaded.tokens["USDS"].decimals == 6
    assert loaded.rpc_url.startswith("http://127.0.0.1:")


def test_main_writes_the_manifest(tmp_path: Path) -> None:
    from ops.deploy import main

    manifest = main(tmp_path / "deployment.json")
    assert load_manifest(tmp_path / "deployment.json").to_json() == manifest.to_json()
    assert Vault.at(manifest.contract("Vault").address).owner() == manifest.contract("TimelockController").address


def test_token_registry_is_bounded(owner: Any, reverts_with: Any) -> None:
    batch = BatchCaller.deploy({"from": owner})
    VaultBankroll.deploy({"from": owner})  # the library the Vault links to
    vault = Vault.deploy(batch, {"from": owner})
    allow = [vault.setToken.encode_input(f"0x{index:040x}", True) for index in range(1, 257)]
    # compact token ids run out at 255 tokens ever allow-listed
    batch.callAll(vault, allow[:128], {"from": owner})
    batch.callAll(vault, allow[128:255], {"from": owner})
    with reverts_with("RegistryFull"):
        batch.callAll(vault, allow[255:], {"from": owner})
    relist = [vault.setToken.encode_input(f"0x{1:040x}", flag) for flag in (False, True)]
    batch.callAll(vault, relist, {"from": owner})  # relisting reuses the token's id
    assert vault.isTokenAllowed(f"0x{1:040x}")


def test_platform_vault_asks_the_registry_before_bankroll_deposits(owner: Any, alice: Any, reverts_with: Any) -> None:
    """deploy_platform wires the Vault to the PlayerRegistry for good, before the timelock owns it."""
    from ops.deploy import deploy_platform, govern

    contracts, _ = deploy_platform(owner, oracle_pk=None)
    vault, registry = contracts["Vault"], contracts["PlayerRegistry"]
    assert vault.playerRegistry() == registry
    assert vault.owner() == contracts["TimelockController"]
    registry.selfExclude(184 * 86_400, {"from": alice})
    with reverts_with("SelfExcluded"):
        bankroll.deposit(vault, ETH, 10**18, alice)
    # Not even governance can re-wire it.
    with reverts_with("PlayerRegistryAlreadySet"):
        govern(vault, owner, "setPlayerRegistry", PlayerRegistry.deploy(owner, {"from": owner}))
