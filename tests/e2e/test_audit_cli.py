"""`fairstake audit verify` re-verifies a real session from the chain alone: it passes on an
honest platform and catches a deliberately wrong payout (CheatingDice pays every bet as a win)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from brownie import MockStablecoin, Vault, accounts, web3

from fairstake.manifest import ETH, Manifest, load_manifest
from ops import simulation
from ops.deployment import DEPLOYER, REFEREE, deploy_script
from ops.platform import create_oracle_key, start_oracle
from ops.supervisor import Supervisor

# the bets each session's simulation skipped (too large for the exposure cap or the oracle's free
# bond at that moment), by manifest path: the bets placed are the ones planned less these
SKIPPED: dict[Path, int] = {}


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
        SKIPPED[manifest_path] = result.bets_skipped
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
    # planned: Dice 3 players x 4 + 3 batched bets; CoinToss, Roulette, Keno, Wheel and Plinko 3
    # players x 4 each; Jackpot 1 draw. Placed: those less the bets the simulation skipped.
    planned = {"dice": 15, "cointoss": 12, "roulette": 12, "keno": 12, "wheel": 12, "plinko": 12}
    chance_bets = {game: report["bets_checked"][game] for game in planned}
    assert all(0 < chance_bets[game] <= planned[game] for game in planned), chance_bets
    assert sum(chance_bets.values()) == sum(planned.values()) - SKIPPED[session], chance_bets
    requests = sum(chance_bets.values()) + 1
    assert report["proofs_checked"] == report["requests"] == requests
    # Jackpot counts like the API: one bet per ticket purchase (one round, each of the three
    # players who are not self-excluded buys once)
    assert report["bets_checked"]["jackpot"] == 3
    assert report["bets_checked"]["match"] == 1 and report["bets_checked"]["tournament"] == 1
    # the oracle key's bonds, re-derived from events, equal the coordinator's; nothing was slashed
    # and every request released its reservation
    assert {b["token"] for b in report["bonds"]} and report["slashes"] == 0
    for bond in report["bonds"]:
        assert bond["matches_chain"] is True and bond["open_reservations"] == 0 and bond["reserved"] == 0
    assert sum(b["reservations"] for b in report["bonds"]) == sum(b["released"] for b in report["bonds"]) == requests
    _assert_solvency_matches_the_chain(report["solvency"], load_manifest(session))
    human = audit(session)
    assert human.returncode == 0 and "mismatches: 0" in human.stdout and "agrees with the coordinator" in human.stdout
    # amounts in token units, never raw base units
    assert "solvency ETH: the Vault holds " in human.stdout and ": OK" in human.stdout
    assert not re.search(r"(?<![\d.,])\d{13,}", human.stdout)  # no raw base units (a fraction may be long)


def test_audit_fails_when_the_vault_holds_less_than_it_owes(session: Path) -> None:
    """A Vault short of ETH (anvil rewrites its balance to one wei less than its liabilities) is a
    failed audit with a solvency mismatch, and only that."""
    manifest = load_manifest(session)
    vault = Vault.at(manifest.contract("Vault").address)
    owed = sum(
        int(getattr(vault, view)(ETH)) for view in ("freeBalanceTotal", "lockedTotal", "bankrollAssets", "accruedFees")
    ) + int(vault.bankrollPending(ETH)[0])
    web3.provider.make_request("anvil_setBalance", [vault.address, hex(owed - 1)])
    done = audit(session, "--json")
    assert done.returncode == 1, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert [(m["kind"], m["ref"]) for m in report["mismatches"]] == [("solvency", "ETH")]
    eth = next(row for row in report["solvency"] if row["symbol"] == "ETH")
    assert (eth["balance"], eth["liabilities"], eth["surplus"], eth["solvent"]) == (owed - 1, owed, -1, False)
    assert "solvency ETH" in audit(session).stdout and "NOT SOLVENT" in audit(session).stdout


def _assert_solvency_matches_the_chain(rows: list[dict[str, Any]], manifest: Manifest) -> None:
    """The report's reserves against reads of our own: the Vault's token balance, and its players'
    free balances summed account by account (every dev account and every deployed contract)."""
    vault = Vault.at(manifest.contract("Vault").address)
    holders = [str(a) for a in accounts] + [c.address for c in manifest.contracts.values()]
    assert {row["symbol"] for row in rows} == set(manifest.tokens)
    for row in rows:
        token = manifest.tokens[row["symbol"]].address
        held = web3.eth.get_balance(vault.address) if token == ETH else MockStablecoin.at(token).balanceOf(vault)
        assert row["balance"] == held
        assert row["free"] == sum(int(vault.balanceOf(holder, token)) for holder in holders)
        assert row["liabilities"] == sum(row[k] for k in ("free", "locked", "bankroll", "pending", "fees"))
        assert row["solvent"] is True and row["surplus"] == held - row["liabilities"] >= 0


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
