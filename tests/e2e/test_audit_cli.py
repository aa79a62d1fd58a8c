"""`fairstake audit verify` re-verifies a real session from the chain alone: it passes on an
honest platform and catches a deliberately wrong payout (CheatingDice pays every bet as a win)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from brownie import accounts, web3

from ops import simulation
from ops.deployment import DEPLOYER, REFEREE, deploy_script
from ops.platform import create_oracle_key, start_oracle
from ops.supervisor import Supervisor


@pytest.fixture
def session(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """Deploy the platform (Dice or the cheating variant), run the oracle daemon, play a session;
    yields the deployment manifest."""
    dice = getattr(request, "param", "Dice")
    keystore, password, oracle_pk = create_oracle_key(tmp_path)
    script = deploy_script()
    contracts, key_hash = script.deploy_platform(
        accounts[DEPLOYER], oracle_pk=oracle_pk, referee=accounts[REFEREE], dice_contract=dice
    )
    manifest = script.platform_manifest(contracts, key_hash, oracle_pk)
    manifest_path = manifest.save(tmp_path / "deployment.json")
    supervisor = Supervisor(tmp_path / "logs")
    with supervisor.running():
        start_oracle(supervisor, manifest_path, keystore, password, web3.provider.endpoint_uri)
        result = simulation.play(contracts, players=4, bets_per_player=4)  # one self-excludes
        assert result.unsettled == 0
        yield manifest_path


def audit(manifest_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "ops.cli.main",
            "audit",
            "verify",
            "--rpc",
            web3.provider.endpoint_uri,
            "--deployment",
            str(manifest_path),
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_audit_passes_on_an_honest_session(session: Path) -> None:
    done = audit(session, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] and report["mismatches"] == []
    assert report["proofs_checked"] == report["requests"] == 16  # 3 players x 4 + 3 batched bets, 1 draw
    assert report["bets_checked"]["dice"] == 15
    assert report["bets_checked"]["jackpot"] == 1
    assert report["bets_checked"]["match"] == 1 and report["bets_checked"]["tournament"] == 1
    # the oracle key's bonds, re-derived from events, equal the coordinator's; nothing was slashed
    # and every request released its reservation
    assert {b["token"] for b in report["bonds"]} and report["slashes"] == 0
    for bond in report["bonds"]:
        assert bond["matches_chain"] is True and bond["open_reservations"] == 0 and bond["reserved"] == 0
    assert sum(b["reservations"] for b in report["bonds"]) == sum(b["released"] for b in report["bonds"]) == 16
    human = audit(session)
    assert human.returncode == 0 and "mismatches: 0" in human.stdout and "agrees with the coordinator" in human.stdout


@pytest.mark.parametrize("session", ["CheatingDice"], indirect=True)
def test_audit_catches_a_wrong_payout(session: Path) -> None:
    done = audit(session, "--json")
    assert done.returncode == 1, done.stdout + done.stderr
    report = json.loads(done.stdout)
    kinds = {m["kind"] for m in report["mismatches"]}
    assert "outcome" in kinds and "payout" in kinds
    # every proof is still valid: the cheat is in the payout, and the audit says so
    assert not kinds & {"proof", "seed", "output"}


def test_audit_rejects_unusable_input(tmp_path: Path) -> None:
    missing = audit(tmp_path / "nope.json")
    assert missing.returncode == 2 and "no deployment manifest" in missing.stderr
    (tmp_path / "bad.json").write_text("{not json")
    assert audit(tmp_path / "bad.json").returncode == 2
