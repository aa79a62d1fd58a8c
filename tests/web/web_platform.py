"""The local platform for the browser tests, built like `./run up` builds it: the platform
deployment of ops/deploy.py (every contract wired, owners handed to the timelock) on the
test session's chain, bankrolls funded, then the real oracle daemon and the API + indexer as
supervised processes, the API serving the built page."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fairstake.manifest import ETH
from ops import bankroll
from ops.chain import reserved_port
from ops.deployment import ATTESTOR, DEPLOYER, LIQUIDITY_PROVIDER, REFEREE
from ops.platform import WEB_DIST, create_oracle_key, fairstake_argv, start_oracle
from ops.simulation import open_for_play
from ops.supervisor import Supervisor, http_ok

ETHER = 10**18
USD = 10**6
REFEREE_INDEX = REFEREE  # dev account whose key signs Match/Tournament results
ATTESTOR_INDEX = ATTESTOR  # dev account whose key signs KYC attestations


def deploy_local(data_dir: Path) -> tuple[dict[str, Any], Path, str, Path]:
    """Deploy on the chain brownie is connected to; returns the manifest (JSON), its path, and
    the oracle's keystore password and path."""
    from brownie import accounts, web3

    from ops.deploy import deploy_platform, platform_manifest

    keystore, password, oracle_pk = create_oracle_key(data_dir)
    contracts, key_hash = deploy_platform(
        accounts[DEPLOYER], oracle_pk=oracle_pk, referee=accounts[REFEREE], attestor=accounts[ATTESTOR]
    )
    lp = accounts[LIQUIDITY_PROVIDER]
    vault, usds = contracts["Vault"], contracts["MockStablecoin"]
    usds.mint(lp, 10_000_000 * USD, {"from": lp})
    usds.approve(vault, 10_000_000 * USD, {"from": lp})
    bankroll.fund(contracts, lp, {ETH: 5_000 * ETHER, usds: 10_000_000 * USD})
    # as `./run up` leaves it: a selling Jackpot round per token, an open Match and Tournament
    open_for_play(contracts, lp)
    manifest = platform_manifest(contracts, key_hash, oracle_pk)
    manifest.rpc_url = str(web3.provider.endpoint_uri)  # type: ignore[attr-defined]
    path = manifest.save(data_dir / "deployment.json")
    return manifest.to_json(), path, password, keystore


@contextlib.contextmanager
def platform_processes(
    data_dir: Path, manifest_path: Path, rpc_url: str, password: str, keystore: Path
) -> Iterator[tuple[str, int]]:
    """The oracle daemon (`fairstake oracle run`, sending from the dev oracle account) and the
    API with its indexer serving web/dist (`fairstake api --index --static`); yields the API URL
    and the oracle's process id (tests pause it to leave a request unanswered)."""
    supervisor = Supervisor(data_dir / "logs")
    with reserved_port() as port, supervisor.running():
        api = fairstake_argv(
            *("api", "--deployment", str(manifest_path), "--rpc", rpc_url, "--index", "--port", str(port)),
            *("--db", str(data_dir / "index.sqlite"), "--static", str(WEB_DIST)),
        )
        url = f"http://127.0.0.1:{port}"
        oracle = start_oracle(supervisor, manifest_path, keystore, password, rpc_url)
        child = supervisor.start("api", api)
        supervisor.wait_until(child, lambda: http_ok(f"{url}/health"), timeout=90)
        yield url, oracle.process.pid
        supervisor.check_alive()
