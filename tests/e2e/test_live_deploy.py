"""`fairstake up --rpc ... --deployer-keystore ...` against a chain run like a public one (anvil
with chain id 84532, 1 s blocks and a 1 gwei base fee, so brownie treats it as a live network):
the deployment completes (brownie's own live deployment records used to crash it), and
afterwards the timelock owns every contract with nothing pending, its delay is the live default,
and the referee and attestor are the dedicated keys given, not the deployer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from eth_account import Account
from web3 import Web3

from fairstake import PROJECT_ROOT
from fairstake.manifest import load_manifest
from ops.chain import LocalChain, reserved_port
from ops.deployment import LIVE_TIMELOCK_DELAY, _dev_key

PUBLIC_CHAIN_ID = 84532
ZERO = "0x" + "00" * 20


def test_live_deployment_with_keystores_hands_everything_to_the_timelock(tmp_path: Path) -> None:
    deployer = Account.from_key(_dev_key(0))  # funded by the chain's genesis, nothing else
    referee, attestor = Account.create(), Account.create()
    deployer_keystore, referee_keystore = tmp_path / "deployer.json", tmp_path / "referee.json"
    deployer_keystore.write_text(json.dumps(Account.encrypt(deployer.key, "pw", kdf="pbkdf2", iterations=2)))
    referee_keystore.write_text(json.dumps(Account.encrypt(referee.key, "other", kdf="pbkdf2", iterations=2)))
    data_dir = tmp_path / "platform"

    with LocalChain(chain_id=PUBLIC_CHAIN_ID, block_time=1, base_fee=10**9) as chain, reserved_port() as api_port:
        # fmt: off
        argv = [
            sys.executable, "-m", "ops.cli.main", "up", "--rpc", chain.url,
            "--deployer-keystore", str(deployer_keystore), "--referee", str(referee_keystore),
            "--attestor", attestor.address, "--no-simulate", "--exit-when-done",
            "--api-port", str(api_port), "--data-dir", str(data_dir),
        ]
        # fmt: on
        env = {**os.environ, "FAIRSTAKE_DEPLOYER_PASSWORD": "pw", "FAIRSTAKE_ORACLE_TX_KEY": _dev_key(1)}
        env.pop("FAIRSTAKE_REFEREE_ACCOUNT", None)
        env.pop("FAIRSTAKE_ATTESTOR_ACCOUNT", None)
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]

        manifest = load_manifest(data_dir / "deployment.json")
        assert manifest.chain_id == PUBLIC_CHAIN_ID
        assert "TestGame" not in manifest.contracts
        w3 = Web3(Web3.HTTPProvider(chain.url))

        def at(name: str):  # type: ignore[no-untyped-def]
            entry = manifest.contract(name)
            return w3.eth.contract(address=entry.address, abi=entry.abi)

        timelock = at("TimelockController")
        owned = [name for name, entry in manifest.contracts.items() if any(i.get("name") == "owner" for i in entry.abi)]
        assert set(owned) >= {"Vault", "RandomnessCoordinator", "PlayerRegistry", "Dice", "Jackpot", "Match"}
        assert "Tournament" in owned
        for name in owned:
            contract = at(name)
            assert contract.functions.owner().call() == timelock.address, name
            if any(i.get("name") == "pendingOwner" for i in manifest.contract(name).abi):
                assert contract.functions.pendingOwner().call() == ZERO, name
        assert timelock.functions.getMinDelay().call() == LIVE_TIMELOCK_DELAY
        admin = b"\x00" * 32
        assert not timelock.functions.hasRole(admin, deployer.address).call()
        assert timelock.functions.hasRole(admin, timelock.address).call()
        for name in ("Match", "Tournament"):
            assert at(name).functions.isReferee(referee.address).call()
            assert not at(name).functions.isReferee(deployer.address).call()
        assert at("PlayerRegistry").functions.isAttestor(attestor.address).call()
        assert not at("PlayerRegistry").functions.isAttestor(deployer.address).call()
        # The Vault asks the registry before deposits, and the registry takes its reports only.
        assert at("Vault").functions.playerRegistry().call() == at("PlayerRegistry").address
        assert at("PlayerRegistry").functions.isVault(at("Vault").address).call()
        assert not at("PlayerRegistry").functions.isVault(deployer.address).call()
    # brownie's deployment records were not written (the map stays valid JSON for the next run)
    deployment_map = PROJECT_ROOT / "build" / "deployments" / "map.json"
    assert str(PUBLIC_CHAIN_ID) not in (json.loads(deployment_map.read_text()) if deployment_map.exists() else {})
