"""A live deployment (`up --rpc ... --deployer-keystore ...`) is held to the security model before
anything is sent: a dedicated referee and attestor, neither of them the deployer, and a timelock
delay of days (the 60 s development delay is refused). No network is needed for these checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eth_account import Account
from typer.testing import CliRunner

from ops.cli.main import app
from ops.deployment import (
    ATTESTOR_ENV,
    LIVE_TIMELOCK_DELAY,
    MIN_LIVE_TIMELOCK_DELAY,
    REFEREE_ENV,
    DeploymentError,
    deploy_platform,
    live_settings,
)

DEPLOYER = Account.from_key(b"\x01" * 32)
REFEREE = Account.from_key(b"\x02" * 32).address
ATTESTOR = Account.from_key(b"\x03" * 32).address
NO_ENV: dict[str, str] = {}
UNREACHABLE_RPC = "http://127.0.0.1:9"  # discard port: nothing answers JSON-RPC there
runner = CliRunner()


@pytest.fixture(scope="module")
def deployer_keystore(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "deployer.json"
    path.write_text(json.dumps(Account.encrypt(DEPLOYER.key, "pw", kdf="pbkdf2", iterations=2)))
    return path


def test_a_complete_live_configuration(deployer_keystore: Path) -> None:
    settings = live_settings(deployer_keystore, referee=REFEREE.lower(), attestor=ATTESTOR, env=NO_ENV)
    assert settings.deployer == DEPLOYER.address
    assert (settings.referee, settings.attestor) == (REFEREE, ATTESTOR)
    assert settings.timelock_delay == LIVE_TIMELOCK_DELAY == 2 * 86_400


def test_roles_from_the_environment_and_from_keystores(deployer_keystore: Path, tmp_path: Path) -> None:
    referee_keystore = tmp_path / "referee.json"
    referee_keystore.write_text(json.dumps({"address": REFEREE[2:].lower(), "crypto": {}}))
    env = {REFEREE_ENV: str(referee_keystore), ATTESTOR_ENV: ATTESTOR}
    settings = live_settings(deployer_keystore, timelock_delay=3 * 86_400, env=env)
    assert (settings.referee, settings.attestor, settings.timelock_delay) == (REFEREE, ATTESTOR, 3 * 86_400)


@pytest.mark.parametrize("missing", ["referee", "attestor"])
def test_a_missing_role_is_refused(deployer_keystore: Path, missing: str) -> None:
    given = {"referee": REFEREE, "attestor": ATTESTOR}
    del given[missing]
    with pytest.raises(DeploymentError, match=f"needs a dedicated {missing} key: pass --{missing}"):
        live_settings(deployer_keystore, env=NO_ENV, **given)


@pytest.mark.parametrize("role", ["referee", "attestor"])
@pytest.mark.parametrize("as_keystore", [False, True], ids=["address", "keystore"])
def test_the_deployer_cannot_be_referee_or_attestor(deployer_keystore: Path, role: str, as_keystore: bool) -> None:
    given = {"referee": REFEREE, "attestor": ATTESTOR}
    given[role] = str(deployer_keystore) if as_keystore else DEPLOYER.address
    with pytest.raises(DeploymentError, match=f"the {role} {DEPLOYER.address} is the deployer"):
        live_settings(deployer_keystore, env=NO_ENV, **given)


@pytest.mark.parametrize("delay", [0, 60, MIN_LIVE_TIMELOCK_DELAY - 1])
def test_short_delays_are_refused(deployer_keystore: Path, delay: int) -> None:
    with pytest.raises(DeploymentError, match="live timelock delay must be at least 86400 s"):
        live_settings(deployer_keystore, referee=REFEREE, attestor=ATTESTOR, timelock_delay=delay, env=NO_ENV)
    assert live_settings(
        deployer_keystore, referee=REFEREE, attestor=ATTESTOR, timelock_delay=MIN_LIVE_TIMELOCK_DELAY, env=NO_ENV
    )


@pytest.mark.parametrize("bad", ["0x1234", "not-an-address", "0x" + "00" * 20])
def test_malformed_roles_are_refused(deployer_keystore: Path, bad: str) -> None:
    with pytest.raises(DeploymentError, match="referee"):
        live_settings(deployer_keystore, referee=bad, attestor=ATTESTOR, env=NO_ENV)


def test_the_library_checks_before_connecting(deployer_keystore: Path, tmp_path: Path) -> None:
    """ops.deployment.deploy_platform refuses before it touches the (here unreachable) RPC."""
    with pytest.raises(DeploymentError, match="needs a dedicated referee"):
        deploy_platform(
            UNREACHABLE_RPC, tmp_path / "deployment.json", oracle_pk=(1, 2), deployer_keystore=deployer_keystore
        )


def _up(deployer_keystore: Path, tmp_path: Path, *extra: str, env: dict[str, str | None] | None = None) -> tuple:
    result = runner.invoke(
        app,
        [
            "up",
            "--rpc",
            UNREACHABLE_RPC,
            "--deployer-keystore",
            str(deployer_keystore),
            "--data-dir",
            str(tmp_path / "platform"),
            "--exit-when-done",
            *extra,
        ],
        env={REFEREE_ENV: None, ATTESTOR_ENV: None, "FAIRSTAKE_DEPLOYER_PASSWORD": "pw", **(env or {})},
    )
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    "extra, message",
    [
        ([], "needs a dedicated referee key: pass --referee ADDRESS|KEYSTORE or set FAIRSTAKE_REFEREE_ACCOUNT"),
        (["--referee", REFEREE], "needs a dedicated attestor key"),
        (["--referee", DEPLOYER.address, "--attestor", ATTESTOR], "is the deployer"),
        (["--referee", REFEREE, "--attestor", ATTESTOR, "--timelock-delay", "60"], "at least 86400 s"),
    ],
    ids=["no-referee", "no-attestor", "deployer-referee", "dev-delay"],
)
def test_up_refuses_an_unsafe_live_deployment(
    deployer_keystore: Path, tmp_path: Path, extra: list[str], message: str
) -> None:
    code, err = _up(deployer_keystore, tmp_path, *extra)
    assert code == 2
    assert message in " ".join(err.split())
    assert not (tmp_path / "platform").exists()  # refused before starting anything


def test_up_goes_on_with_a_safe_live_configuration(deployer_keystore: Path, tmp_path: Path) -> None:
    """The same command with the roles from the environment passes the checks and only then
    fails where it should: nothing answers at the RPC URL."""
    code, err = _up(deployer_keystore, tmp_path, env={REFEREE_ENV: REFEREE, ATTESTOR_ENV: ATTESTOR})
    assert code == 1
    assert f"no JSON-RPC node answers at {UNREACHABLE_RPC}" in err


def test_role_flags_need_a_live_deployment(tmp_path: Path) -> None:
    result = runner.invoke(app, ["up", "--referee", REFEREE, "--data-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "--referee and --attestor go with --rpc and --deployer-keystore" in result.stderr
