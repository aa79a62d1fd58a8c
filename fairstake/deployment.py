"""Deploy the whole platform from the CLI: brownie as a library, then scripts/deploy.py.

On the local development chain the deployer, referee, attestor and oracle sender are
well-known development accounts. On an external RPC the deployer comes from an encrypted
keystore (password from FAIRSTAKE_DEPLOYER_PASSWORD) and also acts as referee and attestor
until governance registers dedicated keys; the oracle sends from its own keystore.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from fairstake import PROJECT_ROOT
from fairstake.chain import DEV_CHAIN_ID

DEPLOYER_PASSWORD_ENV = "FAIRSTAKE_DEPLOYER_PASSWORD"
# Development account roles (indexes into the dev mnemonic's accounts).
DEPLOYER, ORACLE_SENDER, REFEREE, LIQUIDITY_PROVIDER, FIRST_PLAYER = 0, 1, 2, 3, 4


class DeploymentError(RuntimeError):
    """Deployment could not run; the message says why."""


@dataclass
class Deployed:
    manifest_path: Path
    contracts: dict[str, Any]
    oracle_tx_args: list[str] = field(default_factory=list)
    oracle_tx_env: dict[str, str] = field(default_factory=dict)


def deploy_script() -> ModuleType:
    """scripts/deploy.py, imported by path (scripts/ is a brownie folder, not a package)."""
    spec = importlib.util.spec_from_file_location("fairstake_deploy_script", PROJECT_ROOT / "scripts" / "deploy.py")
    if spec is None or spec.loader is None:
        raise DeploymentError("scripts/deploy.py is missing")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def connect(rpc_url: str) -> Any:
    """Load (compiling if needed) the brownie project and connect it to `rpc_url`.

    A local development chain is attached through brownie's `development` network (so dev
    conveniences such as chain.sleep work); anything else through an ad-hoc live network.
    """
    from urllib.parse import urlparse

    from brownie import network, project
    from brownie._config import CONFIG

    loaded = project.get_loaded_projects()
    proj = loaded[0] if loaded else project.load(PROJECT_ROOT, name="Fairstake")
    if network.is_connected():
        network.disconnect(kill_rpc=False)
    parsed = urlparse(rpc_url)
    if parsed.hostname in ("127.0.0.1", "localhost") and _chain_id(rpc_url) == DEV_CHAIN_ID:
        settings = CONFIG.networks["development"]
        settings["host"] = f"{parsed.scheme}://{parsed.hostname}"
        settings.setdefault("cmd_settings", {})["port"] = parsed.port or 80
        network.connect("development")
    else:
        CONFIG.networks["fairstake-rpc"] = {
            "id": "fairstake-rpc",
            "name": "Fairstake external RPC",
            "host": rpc_url,
            "chainid": _chain_id(rpc_url),
        }
        network.connect("fairstake-rpc")
    return proj


def _chain_id(rpc_url: str) -> int:
    from fairstake.chain import rpc_call

    return int(str(rpc_call(rpc_url, "eth_chainId")), 16)


def _dev_key(index: int) -> str:
    from eth_account import Account

    from fairstake.chain import DEV_MNEMONIC

    Account.enable_unaudited_hdwallet_features()
    return str(Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}").key.hex())


def deploy_platform(
    rpc_url: str, manifest_path: Path, *, oracle_pk: tuple[int, int], deployer_keystore: Path | None = None
) -> Deployed:
    from brownie import accounts

    connect(rpc_url)
    script = deploy_script()
    deployer: Any
    referee: Any
    if deployer_keystore is None:
        if _chain_id(rpc_url) != DEV_CHAIN_ID:
            raise DeploymentError("an external chain needs --deployer-keystore (a funded account)")
        deployer, referee = accounts[DEPLOYER], accounts[REFEREE]
        oracle_args = ["--from-account", f"dev:{ORACLE_SENDER}"]
    else:
        password = os.environ.get(DEPLOYER_PASSWORD_ENV)
        if not password:
            raise DeploymentError(f"set {DEPLOYER_PASSWORD_ENV} to unlock {deployer_keystore}")
        deployer = accounts.load(str(deployer_keystore), password=password)
        referee = deployer
        oracle_args = []
    contracts, key_hash = script.deploy_platform(deployer, oracle_pk=oracle_pk, referee=referee, attestor=referee)
    manifest = script.platform_manifest(contracts, key_hash, oracle_pk)
    manifest.rpc_url = rpc_url
    manifest.save(manifest_path)
    return Deployed(manifest_path, contracts, oracle_tx_args=oracle_args)
