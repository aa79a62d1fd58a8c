"""docs/integrating.md's two examples run against a fresh `up --no-simulate`, and what they did is
checked from the chain alone: the bet settled by the Dice rules, the match paid by the Match rules,
every wei of the players' wallets and Vault balances accounted for, and the manifest's EIP-712
type strings equal to the ones the contracts hash."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import eth_abi
import pytest
from eth_account import Account
from eth_typing import ChecksumAddress
from web3 import Web3
from web3.contract import Contract
from web3.logs import DISCARD

from fairstake import PROJECT_ROOT
from fairstake.devchain import DEV_MNEMONIC
from fairstake.manifest import DEFAULT_MANIFEST, ETH
from fairstake.rules import dice as dice_rules
from fairstake.rules import match as match_rules
from ops.chain import reserved_port
from ops.platform import DEFAULT_DATA_DIR
from ops.supervisor import http_ok

ETHER = 10**18
# What the guide says each example does (docs/integrating.md), in wei.
DEPOSIT, STAKE, TARGET, ENTRY = ETHER, ETHER // 100, 50, 5 * ETHER // 100


@dataclass
class Platform:
    manifest_path: Path
    manifest: dict[str, Any]
    w3: Web3

    def contract(self, name: str) -> Contract:
        entry = self.manifest["contracts"][name]
        return self.w3.eth.contract(address=entry["address"], abi=entry["abi"])


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    data_dir = tmp_path_factory.mktemp("integrating") / "platform"
    with reserved_port() as chain_port, reserved_port() as api_port:
        yield from _platform(data_dir, chain_port, api_port)


def _platform(data_dir: Path, chain_port: int, api_port: int) -> Iterator[Platform]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "ops.cli.main", "up", "--no-simulate", "--port", str(chain_port)]
        + ["--api-port", str(api_port), "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 300
        # The bankrolls are funded after the API answers; the manifest's last line says so.
        while not (http_ok(f"http://127.0.0.1:{api_port}/health") and _serving(data_dir)):
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            assert time.monotonic() < deadline, "the platform did not come up"
            time.sleep(0.5)
        manifest_path = data_dir / "deployment.json"
        manifest = json.loads(manifest_path.read_text())
        yield Platform(manifest_path, manifest, Web3(Web3.HTTPProvider(manifest["rpcUrl"])))
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=60)


def _serving(data_dir: Path) -> bool:
    """`up` has finished setting up once its Vault holds an ETH bankroll (funded last)."""
    path = data_dir / "deployment.json"
    if not path.exists():
        return False
    manifest = json.loads(path.read_text())
    w3 = Web3(Web3.HTTPProvider(manifest["rpcUrl"]))
    vault = manifest["contracts"]["Vault"]
    return int(w3.eth.contract(address=vault["address"], abi=vault["abi"]).functions.bankrollAssets(ETH).call()) > 0


def dev_address(index: int) -> ChecksumAddress:
    Account.enable_unaudited_hdwallet_features()
    return Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}").address


def gas_paid(w3: Web3, sender: str, first_block: int, last_block: int) -> int:
    total = 0
    for number in range(first_block, last_block + 1):
        transactions: list[Any] = list(w3.eth.get_block(number, full_transactions=True)["transactions"])
        for tx in transactions:
            if tx["from"] == sender:
                receipt = w3.eth.get_transaction_receipt(tx["hash"])
                total += receipt["gasUsed"] * receipt["effectiveGasPrice"]
    return total


EXAMPLES = {
    "ethers": ([shutil.which("node") or "node", "examples/integrate.mjs"], 10, 11),
    "web3.py": ([sys.executable, "examples/integrate.py"], 12, 13),
}


@pytest.mark.parametrize("example", list(EXAMPLES))
def test_example_moves_money_as_the_rules_say(platform: Platform, example: str) -> None:
    argv, player_index, opponent_index = EXAMPLES[example]
    w3 = platform.w3
    player, opponent = dev_address(player_index), dev_address(opponent_index)
    vault, dice, match = platform.contract("Vault"), platform.contract("Dice"), platform.contract("Match")
    first_block = w3.eth.block_number + 1
    wallet_before = {a: w3.eth.get_balance(a) for a in (player, opponent)}
    assert vault.functions.balanceOf(player, ETH).call() == 0  # a fresh account per example

    env = {**os.environ, "FAIRSTAKE_DEPLOYMENT": str(platform.manifest_path)}
    run = subprocess.run(argv, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    last_block = w3.eth.block_number

    # The Dice bet, from the chain: placed by the player as documented, settled by the rules.
    bet_id = int(summary["betId"])
    [placed] = dice.events.BetPlaced.get_logs(from_block=first_block, argument_filters={"betId": bet_id})
    # BetPlaced names the bet; its terms are its transaction's other logs: the request's data word
    # (lock id, rolls, the packed choice) and the lock (player, token, stakes), as docs/integrating.md says
    receipt = w3.eth.get_transaction_receipt(placed.transactionHash)
    coordinator = platform.contract("RandomnessCoordinator")
    [requested] = coordinator.events.RandomnessRequested().process_receipt(receipt, errors=DISCARD)
    [locked] = vault.events.Locked().process_receipt(receipt, errors=DISCARD)
    assert not dice.events.BetTerms().process_receipt(receipt, errors=DISCARD)  # no stops, a choice that packs
    assert (locked.args.player, locked.args.token, locked.args.amount) == (player, ETH, STAKE)
    word = int.from_bytes(bytes(requested.args.data), "big")
    assert (requested.args.requestId, word >> 56 & 0xFF, word & (1 << 56) - 1) == (bet_id, 1, locked.args.lockId)
    # the choice (target, over) packed from bit 96: the target's word, then the `over` flag's word at bit 175
    assert (word >> 255, word >> 96 & (1 << 79) - 1, word >> 175 & (1 << 79) - 1) == (1, TARGET, 0)
    assert dice_rules.encode_choice(TARGET) == eth_abi.encode(["uint256", "bool"], [TARGET, False])
    edge_bps = int(dice.functions.tokenConfig(ETH).call()[3])
    [settled] = dice.events.BetSettled.get_logs(from_block=first_block, argument_filters={"betId": bet_id})
    expected = dice_rules.outcome(settled.args.word, STAKE, TARGET, edge_bps)
    assert (settled.args.rollsPlayed, settled.args.payout) == (1, expected.payout)
    assert locked.args.maxPayout == dice_rules.payout_if_win(STAKE, TARGET, edge_bps)

    # The match, co-signed: the player first, paid by the split less the rake it was created with.
    match_id = int(summary["matchId"])
    [created] = match.events.MatchCreated.get_logs(from_block=first_block, argument_filters={"matchId": match_id})
    [paid] = match.events.MatchSettled.get_logs(from_block=first_block, argument_filters={"matchId": match_id})
    assert list(paid.args.ranking) == [player, opponent]
    assert paid.args.referee == "0x0000000000000000000000000000000000000000"  # co-signed, no referee
    payouts = match_rules.match_payouts(ENTRY, created.args.rakeBps, [10_000], [player, opponent])
    assert list(paid.args.payouts) == [payouts[player], payouts[opponent]]

    # Every wei: the player withdrew exactly what the rules left in its Vault balance, and each
    # wallet moved by that less what it sent and the gas it paid.
    [withdrawn] = vault.events.Withdrawn.get_logs(from_block=first_block, argument_filters={"player": player})
    # paid in: the deposit and the entry sent with `join`; staked: the bet and the entry
    expected_withdrawal = (DEPOSIT + ENTRY) - (STAKE + ENTRY) + expected.payout + payouts[player]
    assert withdrawn.args.amount == expected_withdrawal
    assert vault.functions.balanceOf(player, ETH).call() == 0
    assert vault.functions.balanceOf(opponent, ETH).call() == payouts[opponent] == 0
    player_gas = gas_paid(w3, player, first_block, last_block)
    opponent_gas = gas_paid(w3, opponent, first_block, last_block)
    assert player_gas > 0 and opponent_gas > 0
    assert w3.eth.get_balance(player) == wallet_before[player] - DEPOSIT - ENTRY + expected_withdrawal - player_gas
    assert w3.eth.get_balance(opponent) == wallet_before[opponent] - ENTRY - opponent_gas


def test_manifest_type_strings_are_the_ones_the_contracts_hash(platform: Platform) -> None:
    typehash = {"Match": "RESULT_TYPEHASH", "Tournament": "RESULT_TYPEHASH", "PlayerRegistry": "ATTESTATION_TYPEHASH"}
    published = platform.manifest["eip712"]
    assert set(published) == set(typehash)
    for name, constant in typehash.items():
        on_chain = bytes(getattr(platform.contract(name).functions, constant)().call())
        assert Web3.keccak(text=published[name]["typeString"]) == on_chain, name
        # the types an EIP-712 library takes spell the same struct as the type string
        fields = published[name]["types"][published[name]["primaryType"]]
        members = ",".join(f"{f['type']} {f['name']}" for f in fields)
        assert published[name]["typeString"] == f"{published[name]['primaryType']}({members})"


def test_audit_verify_needs_no_rpc_option(platform: Platform) -> None:
    """The auditor reads the node from the manifest (and, by default, the manifest from where `up`
    writes it: one default for every tool)."""
    done = subprocess.run(
        [sys.executable, "-m", "ops.cli.main", "audit", "verify", "--deployment", str(platform.manifest_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "mismatches: 0" in done.stdout
    assert DEFAULT_MANIFEST == DEFAULT_DATA_DIR / "deployment.json"
    for command in (["audit", "verify"], ["oracle", "run"], ["index"]):
        shown = subprocess.run(
            [sys.executable, "-m", "ops.cli.main", *command, "--help"],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "COLUMNS": "300"},
        )
        assert ".data/platform/deployment.json" in shown.stdout, (command, shown.stdout)
