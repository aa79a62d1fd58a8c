"""Use brownie as a library (CLI commands, benchmarks, the local stack) instead of through
`brownie run` or pytest.

    project = load_project()              # compiles when sources changed
    with LocalChain() as local:
        connect(local)                    # or connect("http://127.0.0.1:8545")
        vault = project.Vault.deploy(owner, {"from": accounts[0]})
        ...
        disconnect()

brownie attaches to a node that already listens where its `development` network points, so
`connect` points that network at the chain (host and port) and checks that something answers
there first; otherwise brownie would try to launch its own node on that port.

brownie's compiled internals are imported inside functions: importing them at module level
from project code that tests import breaks brownie's test collection (see tests/conftest.py).
"""

from __future__ import annotations

import importlib
import sys
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from fairstake import PROJECT_ROOT
from fairstake.chain import ChainError, LocalChain, rpc_call

PROJECT_NAME = "FairstakeProject"
NETWORK = "development"


def load_project(root: Path = PROJECT_ROOT) -> Any:
    """The brownie project at `root`, loaded (and compiled if its sources changed) once per process."""
    from brownie import project

    for loaded in project.get_loaded_projects():
        if loaded._path is not None and Path(loaded._path).resolve() == root.resolve():
            return loaded
    return project.load(str(root), name=PROJECT_NAME)


def connect(target: LocalChain | str, network: str = NETWORK) -> None:
    """Connect brownie to a running local chain (a LocalChain or its RPC URL).

    Any previous brownie connection is closed first. Raises ChainError when nothing answers.
    """
    from brownie import network as brownie_network
    from brownie._config import CONFIG

    url = target.url if isinstance(target, LocalChain) else target
    parts = urlsplit(url)
    if not parts.scheme or not parts.hostname:
        raise ChainError(f"not an RPC URL: {url!r}")
    try:
        rpc_call(url, "eth_chainId", timeout=5.0)
    except OSError as exc:
        raise ChainError(f"no chain answers at {url}: {exc}") from None

    if brownie_network.is_connected():
        brownie_network.disconnect(kill_rpc=False)
    settings = CONFIG.networks[network]
    settings["host"] = url
    if parts.port:
        settings.setdefault("cmd_settings", {})["port"] = parts.port
    with warnings.catch_warnings():
        # "Development network has a block height of N": expected when attaching to a used chain
        warnings.simplefilter("ignore")
        brownie_network.connect(network)


def disconnect() -> None:
    """Disconnect brownie, leaving the chain process running (its owner stops it)."""
    from brownie import network as brownie_network

    if brownie_network.is_connected():
        brownie_network.disconnect(kill_rpc=False)


def deploy_script() -> ModuleType:
    """scripts/deploy.py as a module (deploy_core, govern, build_manifest, ...).

    Installed entry points do not have the project root on sys.path, so it is added here.
    """
    root = str(PROJECT_ROOT)
    if root not in sys.path:
        sys.path.insert(0, root)
    return importlib.import_module("scripts.deploy")


def dev_accounts() -> list[Any]:
    """brownie's accounts on the connected development chain (the DEV_MNEMONIC accounts)."""
    from brownie import accounts

    return list(accounts)
