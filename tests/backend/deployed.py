"""The whole platform deployed on brownie's chain for the backend's end-to-end tests (apart from
support.py, whose helpers keep clear of brownie so tests can reorg their own chains)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from brownie import accounts, web3

from fairstake.manifest import load_manifest
from ops.deployment import DEPLOYER, deploy_script
from oracle import ecvrf


class DeployedPlatform:
    """Every contract deployed and wired by ops/deploy.py, with the oracle key of `secret`; its
    manifest saved in `folder`. `roles` go to deploy_platform (e.g. attestor=...)."""

    def __init__(self, folder: Path, secret: int, **roles: Any) -> None:
        self.script = deploy_script()
        pk = ecvrf.public_key(secret)
        self.contracts, self.key_hash = self.script.deploy_platform(accounts[DEPLOYER], oracle_pk=pk, **roles)
        manifest = self.script.platform_manifest(self.contracts, self.key_hash, pk)
        manifest.rpc_url = str(web3.provider.endpoint_uri)
        self.manifest_path = manifest.save(folder / "deployment.json")
        self.manifest = load_manifest(self.manifest_path)
        self.rpc = manifest.rpc_url
