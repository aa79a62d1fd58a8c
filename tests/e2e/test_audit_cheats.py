"""Subtle cheats the auditors must catch, bet by bet. SubtleDice (contracts/test) settles every
bet honestly except the one it is told to cheat, and keeps that bet's events consistent with what
it paid (unlike CheatingDice, which reports every bet as a win):

- the right rule applied to another word (the previous request's);
- a payout off by one wei;
- a refund where the rules demand the delivered result's payout (the callback refuses the result);
- a refund where the rules demand the timeout payout (the bet's request reserved the bond's payout
  for the bankroll instead of the player, and expired);
- a Jackpot winner who is not the drawn ticket's buyer (SubtleJackpot hands the drawn purchase
  to someone else before the draw, then names and pays them).

The chain-only audit (`fairstake audit verify`) and the audit API (after indexing) must flag each
cheated bet, with the check that names its cheat, and no other bet. Every proof is real (this
module's oracle key, proved in process), so the randomness itself always verifies.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any

import pytest
from brownie import accounts, chain, web3
from brownie.exceptions import VirtualMachineError
from starlette.testclient import TestClient

from fairstake.manifest import ETH, Manifest
from fairstake.rules import jackpot as jackpot_rules
from fairstake.rules.dice import encode_choice as dice_choice
from ops import bankroll
from ops.deployment import DEPLOYER, LIQUIDITY_PROVIDER, ORACLE_SENDER, REFEREE, deploy_script
from ops.locks import lock_terms
from oracle import ecvrf
from oracle.daemon.work import commitment_from_event

ETHER = 10**18
SECRET = int.from_bytes(ecvrf.keccak256(b"fairstake/tests/e2e/audit-cheats"), "big") % ecvrf.N
# SubtleDice.Cheat
NONE, OTHER_WORD, OFF_BY_ONE_WEI, REFUSE_RESULT = 0, 1, 2, 3
CHEATS = {"other_word": OTHER_WORD, "off_by_one_wei": OFF_BY_ONE_WEI, "refuse_result": REFUSE_RESULT}


@dataclass
class Session:
    manifest_path: Path
    manifest: Manifest
    rpc: str
    honest: list[int] = field(default_factory=list)
    cheated: dict[str, int] = field(default_factory=dict)  # cheat -> bet id
    round_id: int = 0  # the Jackpot round whose winner was swapped
    purchases: list[str] = field(default_factory=list)  # that round's bet ids in the API


def _commitment(tx: Any) -> tuple[Any, ...]:
    rc = commitment_from_event(tx.events["RandomnessRequested"], int(tx.block_number))
    return tuple(int(v) if isinstance(v, int) else str(v) for v in rc)


def _proof(rc: tuple[Any, ...]) -> Any:
    return ecvrf.prove(SECRET, ecvrf.request_seed(rc[7], bytes(web3.eth.get_block(rc[0])["hash"])))


def _fulfil(coordinator: Any, rc: tuple[Any, ...]) -> Any:
    return coordinator.fulfil(_proof(rc).as_solidity(), rc, {"from": accounts[ORACLE_SENDER]})


def _refund_instead_of_timeout_payout(contracts: dict[str, Any], found: Session) -> None:
    """A bet whose request reserves no bond payout for its player, left to expire: the player gets
    the stake back where the rules demand W."""
    dice, coordinator, vault = contracts["Dice"], contracts["RandomnessCoordinator"], contracts["Vault"]
    player = accounts[5]
    tx = dice.placeBetWithoutBondPayout(ETH, ETHER // 2, dice_choice(50), {"from": player})
    bet_id = int(tx.events["BetPlaced"]["betId"])
    rc = _commitment(tx)
    chain.sleep(max(rc[2] - chain[-1].timestamp + 1, 0))
    chain.mine(max(rc[1] - chain.height + 1, 1))
    before = int(vault.balanceOf(player, ETH))
    expired = coordinator.expire(rc, {"from": accounts[9]})
    assert int(expired.events["BetTimedOut"]["payout"]) == int(tx.events["Locked"]["maxPayout"])
    assert int(vault.balanceOf(player, ETH)) - before == ETHER // 2  # the stake, not W
    found.cheated["timeout_payout"] = bet_id


def _storage(address: str, slot: int) -> int:
    return int.from_bytes(bytes(web3.eth.get_storage_at(address, slot)), "big")


def _purchase_slot(jackpot: Any, round_id: int, buyers: list[str], index: int) -> int:
    """The storage slot of purchase `index` of `round_id`: found by its layout (a mapping of
    arrays of one-word structs whose low 160 bits are the buyer), not assumed."""
    for base in range(64):
        array = int.from_bytes(ecvrf.keccak256(round_id.to_bytes(32, "big") + base.to_bytes(32, "big")), "big")
        first = int.from_bytes(ecvrf.keccak256(array.to_bytes(32, "big")), "big")
        if _storage(jackpot.address, array) == len(buyers) and all(
            _storage(jackpot.address, first + i) & (2**160 - 1) == int(buyer, 16) for i, buyer in enumerate(buyers)
        ):
            return first + index
    raise AssertionError("the Jackpot's purchases were not found in its storage")


def _swap_jackpot_winner(contracts: dict[str, Any], found: Session) -> None:
    """Two buyers in one round; before the draw is fulfilled, the purchase holding the ticket the
    verified word draws is handed to an outsider, who is then named and paid."""
    jackpot, coordinator = contracts["Jackpot"], contracts["RandomnessCoordinator"]
    round_id = int(jackpot.currentRound(ETH))
    price = int(jackpot.roundOf(round_id)["ticketPrice"])
    buyers = [accounts[5], accounts[6]]
    counts = [2, 3]
    first_tickets = []
    for buyer, count in zip(buyers, counts, strict=True):
        tx = jackpot.buyTickets(round_id, count, price * count, {"from": buyer, "value": price * count})
        first_tickets.append(int(tx.events["TicketsBought"]["fromTicket"]))
    chain.sleep(max(int(jackpot.roundOf(round_id)["end"]) - chain[-1].timestamp + 1, 1))
    chain.mine()
    drawn = jackpot.draw(round_id, {"from": accounts[9]})
    rc = _commitment(drawn)
    word = ecvrf.random_words(ecvrf.verify(_proof(rc)), 1)[0]
    _, index = jackpot_rules.draw(word, list(accumulate(counts)))
    slot = _purchase_slot(jackpot, round_id, [str(b) for b in buyers], index)
    swapped = (_storage(jackpot.address, slot) >> 160 << 160) | int(str(accounts[8]), 16)
    jackpot.poke(slot.to_bytes(32, "big"), swapped.to_bytes(32, "big"), {"from": accounts[9]})
    _fulfil(coordinator, rc)
    assert str(jackpot.roundOf(round_id)["winner"]) == str(accounts[8])
    # the Vault refuses `claim` here (the winning purchase's lock names the real buyer), so the
    # dishonest game pays the outsider from its closed pool
    with pytest.raises(VirtualMachineError, match="BadLockTerms"):
        jackpot.claim(round_id, {"from": accounts[9]})
    jackpot.payOutSwapped(round_id, {"from": accounts[9]})
    found.round_id = round_id
    found.purchases = [f"jackpot:{round_id}:{first}" for first in first_tickets]


@pytest.fixture(scope="module")
def session(module_isolation: None, tmp_path_factory: pytest.TempPathFactory) -> Session:
    """The platform with SubtleDice in Dice's place and funded bankrolls; one player's Dice bets,
    fulfilled one after another: honest, each cheat once, honest again."""
    folder = tmp_path_factory.mktemp("cheats")
    script = deploy_script()
    pk = ecvrf.public_key(SECRET)
    contracts, key_hash = script.deploy_platform(
        accounts[DEPLOYER],
        oracle_pk=pk,
        referee=accounts[REFEREE],
        dice_contract="SubtleDice",
        jackpot_contract="SubtleJackpot",
    )
    manifest = script.platform_manifest(contracts, key_hash, pk)
    manifest.rpc_url = str(web3.provider.endpoint_uri)
    found = Session(manifest.save(folder / "deployment.json"), manifest, manifest.rpc_url)
    bankroll.fund(contracts, accounts[LIQUIDITY_PROVIDER], {ETH: 100 * ETHER})
    dice, coordinator, vault = contracts["Dice"], contracts["RandomnessCoordinator"], contracts["Vault"]
    player = accounts[5]
    vault.depositFor(player, ETH, 20 * ETHER, {"from": player, "value": 20 * ETHER})
    plan = [None, "other_word", None, "off_by_one_wei", "refuse_result", None]
    for cheat in plan:
        tx = dice.placeBet(ETH, ETHER // 2, dice_choice(50), 0, {"from": player})
        bet_id = int(tx.events["BetPlaced"]["betId"])
        dice.setCheat(CHEATS[cheat] if cheat else NONE, bet_id, {"from": accounts[9]})
        fulfilled = _fulfil(coordinator, _commitment(tx))
        # the cheat that refuses the result fails the callback; anyone then refunds the bet
        assert bool(fulfilled.events["RandomnessFulfilled"]["callbackSuccess"]) is (cheat != "refuse_result")
        if cheat == "refuse_result":
            lock_id = int(tx.events["Locked"]["lockId"])
            terms = lock_terms(web3, vault.address, lock_id)
            refunded = dice.settleTimedOut(lock_id, terms, {"from": accounts[9]})
            assert int(refunded.events["BetTimedOut"]["payout"]) == ETHER // 2
        if cheat:
            found.cheated[cheat] = bet_id
        else:
            found.honest.append(bet_id)
    _swap_jackpot_winner(contracts, found)
    _refund_instead_of_timeout_payout(contracts, found)  # last: it moves the clock past the deadline
    return found


# The checks that name each cheat: the chain audit's mismatch kinds, the API's failing checks.
CLI_KINDS = {"other_word": "word", "off_by_one_wei": "payout", "refuse_result": "refused", "timeout_payout": "timeout"}
API_CHECKS = {
    "other_word": "word",
    "off_by_one_wei": "vault_paid",
    "refuse_result": "result_paid",
    "timeout_payout": "bond_pays_player",
}


def test_the_chain_audit_flags_each_cheated_bet_and_no_other(session: Session) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ops.cli.main", "audit", "verify", "--rpc", session.rpc]
        + ["--deployment", str(session.manifest_path), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    report = json.loads(done.stdout)
    by_bet: dict[str, set[str]] = {}
    for mismatch in report["mismatches"]:
        by_bet.setdefault(mismatch["ref"], set()).add(mismatch["kind"])
    cheated = {str(bet_id) for bet_id in session.cheated.values()}
    assert set(by_bet) == cheated | {str(session.round_id)}, report["mismatches"]
    # the round's ticket is the verified word's; the winner named and paid is not its buyer
    assert {"winner", "payout"} <= by_bet[str(session.round_id)], by_bet[str(session.round_id)]
    for cheat, bet_id in session.cheated.items():
        assert CLI_KINDS[cheat] in by_bet[str(bet_id)], (cheat, by_bet[str(bet_id)])
        # the randomness verifies: the cheat is the game's, and the audit says so
        assert not by_bet[str(bet_id)] & {"proof", "seed", "output", "key", "randomness"}
    # every Dice bet and the Jackpot draw asked for randomness; all but the expired one were proven
    assert report["requests"] == len(session.honest) + len(session.cheated) + 1
    assert report["proofs_checked"] == report["requests"] - 1 and report["expired"] == 1


@pytest.fixture(scope="module")
def api(session: Session, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from backend.api.app import Settings, create_app
    from backend.ingest.indexer import Indexer, IndexerConfig
    from backend.store.db import open_store

    db = f"sqlite:///{tmp_path_factory.mktemp('index') / 'index.sqlite'}"
    engine = open_store(db, writer=True)
    Indexer(session.manifest, engine, session.rpc, IndexerConfig(progress=False, workers=0)).run(follow=False)
    engine.dispose()
    with TestClient(create_app(Settings(db=db, deployment=session.manifest_path, rpc_url=session.rpc))) as client:
        yield client


def _audit(api: TestClient, bet_id: int) -> dict[str, Any]:
    response = api.get(f"/audit/bets/dice:{bet_id}")
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_the_audit_api_flags_each_cheated_bet_and_no_other(api: TestClient, session: Session) -> None:
    for bet_id in session.honest:
        report = _audit(api, bet_id)
        assert report["ok"], [c for c in report["checks"] if not c["ok"]]
    for cheat, bet_id in session.cheated.items():
        report = _audit(api, bet_id)
        failed = {c["name"] for c in report["checks"] if not c["ok"]}
        assert not report["ok"] and API_CHECKS[cheat] in failed, (cheat, failed)
        assert not failed & {"seed", "proof_seed", "key", "proof_valid", "output"}, (cheat, failed)
    # every purchase of the swapped round: the drawn ticket is right, the winner is not its buyer
    for purchase in session.purchases:
        response = api.get(f"/audit/bets/{purchase}")
        assert response.status_code == 200, response.text
        failed = {c["name"] for c in response.json()["checks"] if not c["ok"]}
        assert "winner" in failed and "winning_ticket" not in failed, (purchase, failed)
