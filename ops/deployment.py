"""Deploy the whole platform from the CLI: brownie as a library, then ops/deploy.py.

On the local development chain the deployer, referee, attestor and oracle sender are
well-known development accounts (four different ones) and the timelock delay is 60 s.
A live deployment (`--deployer-keystore`) is held to the security model before anything is
sent (`live_settings`): the deployer comes from an encrypted keystore (password from
FAIRSTAKE_DEPLOYER_PASSWORD); the referee and the attestor must be given (`--referee`,
`--attestor` or FAIRSTAKE_REFEREE_ACCOUNT / FAIRSTAKE_ATTESTOR_ACCOUNT, each an address or a
keystore file whose address is read without decrypting it) and must differ from the deployer;
the timelock delay defaults to LIVE_TIMELOCK_DELAY (2 days) and may not be below
MIN_LIVE_TIMELOCK_DELAY (1 day), so the 60 s development delay is refused. The development
TestGame (operated by the deployer) is not deployed. The oracle sends from its own account.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from fairstake import PROJECT_ROOT
from fairstake.devchain import DEV_CHAIN_ID

DEPLOYER_PASSWORD_ENV = "FAIRSTAKE_DEPLOYER_PASSWORD"
REFEREE_ENV = "FAIRSTAKE_REFEREE_ACCOUNT"
ATTESTOR_ENV = "FAIRSTAKE_ATTESTOR_ACCOUNT"
# Development account roles (indexes into the dev mnemonic's accounts). Simulated players take
# accounts FIRST_PLAYER.. (at most 14, up to 17); the attestor comes after them.
DEPLOYER, ORACLE_SENDER, REFEREE, LIQUIDITY_PROVIDER, FIRST_PLAYER = 0, 1, 2, 3, 4
ATTESTOR = 18
DAY = 86_400
LIVE_TIMELOCK_DELAY = 2 * DAY
MIN_LIVE_TIMELOCK_DELAY = DAY


class DeploymentError(RuntimeError):
    """Deployment could not run; the message says why."""


@dataclass(frozen=True)
class LiveSettings:
    """What a live deployment registers, checked against the security model by `live_settings`."""

    deployer: str
    referee: str
    attestor: str
    timelock_delay: int


def account_address(value: str, *, what: str) -> str:
    """The checksummed address `value` names: a 0x address, or a keystore file (its `address`
    field is read; nothing is decrypted)."""
    from eth_utils import is_address, to_checksum_address

    text = value.strip()
    if not text.startswith("0x") and Path(text).is_file():
        try:
            text = "0x" + str(json.loads(Path(text).read_text())["address"]).lower().removeprefix("0x")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise DeploymentError(f"the {what} keystore {value} has no readable address: {exc}") from None
    if not is_address(text):
        raise DeploymentError(f"the {what} must be an address or a keystore file, not {value!r}")
    address = str(to_checksum_address(text))
    if int(address, 16) == 0:
        raise DeploymentError(f"the {what} cannot be the zero address")
    return address


def live_settings(
    deployer_keystore: Path,
    *,
    referee: str | None = None,
    attestor: str | None = None,
    timelock_delay: int | None = None,
    env: Mapping[str, str] | None = None,
) -> LiveSettings:
    """Check a live deployment's roles and delay before anything is sent; DeploymentError says
    what is wrong. `referee` / `attestor` fall back to FAIRSTAKE_REFEREE_ACCOUNT /
    FAIRSTAKE_ATTESTOR_ACCOUNT in `env` (default os.environ)."""
    env = os.environ if env is None else env
    deployer = account_address(str(deployer_keystore), what="deployer")
    delay = LIVE_TIMELOCK_DELAY if timelock_delay is None else timelock_delay
    if delay < MIN_LIVE_TIMELOCK_DELAY:
        raise DeploymentError(
            f"a live timelock delay must be at least {MIN_LIVE_TIMELOCK_DELAY} s (1 day), not {delay} s: "
            f"players need time to leave before a governance change applies (default {LIVE_TIMELOCK_DELAY} s)"
        )
    roles = {}
    for what, given, variable, flag in (
        ("referee", referee, REFEREE_ENV, "--referee"),
        ("attestor", attestor, ATTESTOR_ENV, "--attestor"),
    ):
        value = given or env.get(variable)
        if not value:
            raise DeploymentError(
                f"a live deployment needs a dedicated {what} key: pass {flag} ADDRESS|KEYSTORE or set {variable}"
            )
        roles[what] = account_address(value, what=what)
        if roles[what] == deployer:
            raise DeploymentError(
                f"the {what} {roles[what]} is the deployer: use a key of its own, so the deployer "
                f"keeps no power over {'skill payouts' if what == 'referee' else 'KYC levels'}"
            )
    return LiveSettings(deployer, roles["referee"], roles["attestor"], delay)


@dataclass
class Deployed:
    manifest_path: Path
    contracts: dict[str, Any]
    oracle_tx_args: list[str] = field(default_factory=list)
    oracle_tx_env: dict[str, str] = field(default_factory=dict)


def deploy_script() -> ModuleType:
    """The deployment module (ops.deploy). Imported when first needed: it imports brownie, which
    only the tooling's `brownie` extra installs."""
    return importlib.import_module("ops.deploy")


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


@contextlib.contextmanager
def no_brownie_deployment_records() -> Iterator[None]:
    """Deploy on a live network without brownie's own deployment records.

    eth-brownie 1.22 (its mypyc build) crashes recording a live deployment: `_add_deployment`
    raises `TypeError: dict object expected; got brownie.project.sources.Sources`, and the
    deployment map it then writes fails with `'<' not supported between instances of 'int' and
    'str'`, leaving an empty build/deployments/map.json that breaks every later live connection.
    The manifest is this project's record of a deployment, so both are switched off here and
    restored afterwards. Records such a crash left behind (build/deployments/<chain id>/ and the
    map) are removed first: brownie reloads them on every live connection and crashes again on
    the same int/str mix. build/ is brownie's generated cache; development records are kept.
    """
    from brownie.network import contract as brownie_contract

    records = PROJECT_ROOT / "build" / "deployments"
    for chain_dir in records.glob("[0-9]*"):
        for record in chain_dir.glob("*.json"):
            record.unlink()
    stale_map = records / "map.json"
    if stale_map.exists():
        try:
            kept = {key: value for key, value in json.loads(stale_map.read_text()).items() if key == "dev"}
        except (ValueError, AttributeError):
            kept = {}
        stale_map.write_text(json.dumps(kept))
    saved = brownie_contract._add_deployment, brownie_contract._DeployedContractBase._save_deployment
    brownie_contract._add_deployment = lambda *args, **kwargs: None
    brownie_contract._DeployedContractBase._save_deployment = lambda self: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        brownie_contract._add_deployment = saved[0]
        brownie_contract._DeployedContractBase._save_deployment = saved[1]  # type: ignore[method-assign]


def _chain_id(rpc_url: str) -> int:
    from ops.chain import rpc_call

    return int(str(rpc_call(rpc_url, "eth_chainId")), 16)


def _dev_key(index: int) -> str:
    from eth_account import Account

    from fairstake.devchain import DEV_MNEMONIC

    Account.enable_unaudited_hdwallet_features()
    return str(Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}").key.hex())


def deploy_platform(
    rpc_url: str,
    manifest_path: Path,
    *,
    oracle_pk: tuple[int, int],
    deployer_keystore: Path | None = None,
    referee: str | None = None,
    attestor: str | None = None,
    timelock_delay: int | None = None,
) -> Deployed:
    """Deploy on the dev chain with dev accounts, or live with `deployer_keystore` after
    `live_settings` accepted the roles and the delay (checked before connecting)."""
    settings = None
    if deployer_keystore is not None:
        settings = live_settings(deployer_keystore, referee=referee, attestor=attestor, timelock_delay=timelock_delay)
        password = os.environ.get(DEPLOYER_PASSWORD_ENV)
        if not password:
            raise DeploymentError(f"set {DEPLOYER_PASSWORD_ENV} to unlock {deployer_keystore}")
    with no_brownie_deployment_records():
        connect(rpc_url)
        roles = (referee, attestor, timelock_delay)
        return _deploy(rpc_url, manifest_path, oracle_pk, settings, deployer_keystore, *roles)


def _deploy(
    rpc_url: str,
    manifest_path: Path,
    oracle_pk: tuple[int, int],
    settings: LiveSettings | None,
    deployer_keystore: Path | None,
    referee: str | None,
    attestor: str | None,
    timelock_delay: int | None,
) -> Deployed:
    from brownie import accounts

    script = deploy_script()
    if settings is None:
        if _chain_id(rpc_url) != DEV_CHAIN_ID:
            raise DeploymentError("an external chain needs --deployer-keystore (a funded account)")
        contracts, key_hash = script.deploy_platform(
            accounts[DEPLOYER],
            oracle_pk=oracle_pk,
            referee=referee or accounts[REFEREE],
            attestor=attestor or accounts[ATTESTOR],
            timelock_delay=script.DEV_TIMELOCK_DELAY if timelock_delay is None else timelock_delay,
        )
        oracle_args = ["--from-account", f"dev:{ORACLE_SENDER}"]
    else:
        deployer = accounts.load(str(deployer_keystore), password=os.environ[DEPLOYER_PASSWORD_ENV])
        if str(deployer) != settings.deployer:
            raise DeploymentError(f"{deployer_keystore} unlocked {deployer}, not {settings.deployer}")
        contracts, key_hash = script.deploy_platform(
            deployer,
            oracle_pk=oracle_pk,
            referee=settings.referee,
            attestor=settings.attestor,
            timelock_delay=settings.timelock_delay,
            test_game=False,
        )
        oracle_args = []
    manifest = script.platform_manifest(contracts, key_hash, oracle_pk)
    manifest.rpc_url = rpc_url
    manifest.save(manifest_path)
    return Deployed(manifest_path, contracts, oracle_tx_args=oracle_args)
