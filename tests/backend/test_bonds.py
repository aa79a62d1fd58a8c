"""Provider bonds end to end, without the oracle daemon: the real platform deployed with
ops/deploy.py, one Dice bet fulfilled with a proof made here (oracle.ecvrf), one Dice bet and
one Jackpot draw left to expire (chain time travel past both deadlines) and slashed, one bet left
pending, part of the bond unbonding. The indexed bonds, reservations, balances and solvency must
equal the chain; the API's audit views and the chain-only auditor must pass and report the bonds."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from brownie import accounts, chain, web3
from deployed import DeployedPlatform
from starlette.testclient import TestClient
from support import ETH, api_fixtures, table_rows
from support import get_json as get

from backend.ingest.indexer import Indexer, IndexerConfig
from backend.store import schema
from backend.store.db import content_hash, open_store
from fairstake.rules import dice as dice_rules
from ops import bankroll
from ops.deployment import DEPLOYER, FIRST_PLAYER, LIQUIDITY_PROVIDER
from ops.simulation import round_field
from oracle import ecvrf
from oracle.daemon.work import commitment_from_event

SECRET = 0x5EC2E7_0F_7E57_0AC1E
ETHER = 10**18


class Scenario(DeployedPlatform):
    def __init__(self, folder: Path) -> None:
        super().__init__(folder, SECRET)
        self.timeout_seconds = self.script.COORDINATOR_TIMEOUT_SECONDS
        self.timeout_blocks = self.script.COORDINATOR_TIMEOUT_BLOCKS
        self.play()

    def request_of(self, tx: Any, request_id: int) -> tuple[Any, ...]:
        event = next(e for e in tx.events["RandomnessRequested"] if int(e["requestId"]) == request_id)
        return commitment_from_event(event, int(tx.block_number))

    def play(self) -> None:
        vault, dice, jackpot = self.contracts["Vault"], self.contracts["Dice"], self.contracts["Jackpot"]
        coordinator = self.contracts["RandomnessCoordinator"]
        lp, a, b = accounts[LIQUIDITY_PROVIDER], accounts[FIRST_PLAYER], accounts[FIRST_PLAYER + 1]
        self.players = [str(a), str(b)]
        bankroll.fund(self.contracts, lp, {ETH: 100 * ETHER})
        for player in (a, b):
            vault.depositFor(player, ETH, 10 * ETHER, {"from": player, "value": 10 * ETHER})
        placed = [dice.placeBet(ETH, 10**17, dice_rules.encode_choice(50), 0, {"from": a}) for _ in range(2)]
        self.bets = [int(tx.events["BetPlaced"]["betId"]) for tx in placed]
        self.requests = {bet: self.request_of(tx, bet) for bet, tx in zip(self.bets, placed, strict=True)}
        # bet 0: fulfilled with a real proof
        rc = self.requests[self.bets[0]]
        chain.mine(1)
        seed = ecvrf.request_seed(int(rc[7]), bytes(web3.eth.get_block(int(rc[0]))["hash"]))
        coordinator.fulfil(ecvrf.prove(SECRET, seed).as_solidity(), rc, {"from": a})
        # a Jackpot round with two purchases, drawn
        round_id = int(jackpot.currentRound(ETH))
        jackpot.buyTickets(round_id, 3, 0, {"from": a})
        jackpot.buyTickets(round_id, 2, 0, {"from": b})
        end = int(jackpot.roundOf(round_id)[round_field(jackpot, "end")])
        chain.sleep(max(0, end - int(chain.time())) + 1)
        tx = jackpot.draw(round_id, {"from": a})
        self.round_id = round_id
        draw_request = int(jackpot.drawRequestOf(round_id))
        draw_rc = self.request_of(tx, draw_request)
        # bet 1 and the draw expire past both deadlines; a bet placed after that stays pending
        chain.sleep(self.timeout_seconds + 1)
        chain.mine(self.timeout_blocks + 1)
        late = dice.placeBet(ETH, 10**17, dice_rules.encode_choice(50), 0, {"from": b})
        self.pending_bet = int(late.events["BetPlaced"]["betId"])
        self.pending_lock = int(late.events["Locked"]["lockId"])
        self.requests[self.pending_bet] = self.request_of(late, self.pending_bet)
        coordinator.expire(self.requests[self.bets[1]], {"from": b})
        coordinator.expire(draw_rc, {"from": b})
        jackpot.refundTickets(round_id, [1], {"from": b})
        jackpot.refundTickets(round_id, [0], {"from": a})
        # part of the bond starts unbonding
        coordinator.requestUnbond(self.key_hash, ETH, ETHER, {"from": accounts[DEPLOYER]})
        self.draw_request = draw_request


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return Scenario(tmp_path_factory.mktemp("bonds"))


indexed, client = api_fixtures("scenario")


def test_bonds_and_reservations_equal_the_coordinator(scenario: Scenario, indexed: str) -> None:
    coordinator = scenario.contracts["RandomnessCoordinator"]
    usds = str(scenario.contracts["MockStablecoin"])
    bonds = {(b["key_hash"], b["token"]): b for b in table_rows(indexed, schema.bonds)}
    assert set(bonds) == {(scenario.key_hash, ETH), (scenario.key_hash, usds)}
    for (key_hash, token), row in bonds.items():
        view = coordinator.bondOf(key_hash, token)
        assert (row["total"], row["reserved"], row["unbonding"]) == (int(view[0]), int(view[1]), int(view[2]))
        assert row["total"] == row["deposited"] - row["withdrawn"] - row["slashed"]
    eth = bonds[(scenario.key_hash, ETH)]
    assert eth["slashes"] == 2 and eth["unbonding"] == ETHER and eth["unbondable_at"]
    reservations = {r["request_id"]: r for r in table_rows(indexed, schema.bond_reservations)}
    first, expired = scenario.bets[0], scenario.bets[1]
    assert reservations[first]["status"] == "released"
    assert reservations[expired]["status"] == "slashed"
    assert reservations[scenario.pending_bet]["status"] == "reserved"
    assert reservations[scenario.draw_request]["status"] == "slashed"
    assert not reservations[scenario.draw_request]["residual_to_bankroll"]
    for request_id, row in reservations.items():
        # the reservation lives in the request's commitment: held exactly while it is stored
        assert (int(coordinator.commitmentOf(request_id).hex(), 16) != 0) == (row["status"] == "reserved")
    requests = {r["request_id"]: r for r in table_rows(indexed, schema.randomness_requests)}
    assert all(r["deadline_time"] for r in requests.values())
    keys = table_rows(indexed, schema.oracle_keys)
    assert keys[0]["operator"] == str(accounts[DEPLOYER])


def _data_word(lock_id: int, rolls: int, edge_bps: int, choice_words: tuple[int, ...]) -> str:
    """A chance bet's data word by the layout ChanceGame's `Bet` NatSpec states: lockId at bits
    0..55, rolls 56..63, edgeBps 64..79, hasStops bit 88 (none here), and at 96.. the choice packed
    (bit 159 set, bit 158 for a choice of two ABI words, the words at bits 0 and 79)."""
    tail = (1 << 159) | ((1 << 158) if len(choice_words) == 2 else 0) | choice_words[0]
    if len(choice_words) == 2:
        tail |= choice_words[1] << 79
    word = lock_id | (rolls << 56) | (edge_bps << 64) | (tail << 96)
    return "0x" + word.to_bytes(32, "big").hex()


def test_indexed_requests_keep_their_data_word(scenario: Scenario, indexed: str) -> None:
    dice = scenario.contracts["Dice"]
    requests = {r["request_id"]: r for r in table_rows(indexed, schema.randomness_requests)}
    for request_id, rc in scenario.requests.items():
        assert requests[request_id]["data"] == "0x" + bytes(rc[13]).hex()
    # the pending bet's word is the bet as placed (one roll under 50 at the token's edge, on the
    # lock its Locked names), and its id names its lock
    lock_id = scenario.pending_lock
    assert scenario.pending_bet == ecvrf.request_id(str(dice), lock_id) == requests[scenario.pending_bet]["pre_seed"]
    expected = _data_word(lock_id, 1, int(dice.tokenConfig(ETH)[3]), (50, 0))
    assert requests[scenario.pending_bet]["data"] == expected
    # a Jackpot draw requests with a zero data word
    assert requests[scenario.draw_request]["data"] == "0x" + "00" * 32


def test_an_indexed_bet_joins_its_terms_from_its_transactions_logs(scenario: Scenario, client: TestClient) -> None:
    """BetPlaced names the bet alone: its terms are the other logs of its transaction (the
    request's data word, the lock's Locked). The indexed bet has them all, as placed (0.1 ETH, one
    roll under 50 at the token's edge, no stops), and no house edge of its own."""
    dice = scenario.contracts["Dice"]
    edge = int(dice.tokenConfig(ETH)[3])
    stake = 10**17
    win = dice_rules.payout_if_win(stake, 50, edge)
    bet = get(client, f"/bets/dice:{scenario.pending_bet}")
    assert (bet["lock_id"], bet["request_id"]) == (str(scenario.pending_lock), str(scenario.pending_bet))
    assert (bet["token"], int(bet["stake"]), int(bet["max_payout"])) == (ETH, stake, win)
    details = bet["details"]
    assert (int(details["rolls"]), int(details["edgeBps"]), int(details["maxPayout"])) == (1, edge, win)
    assert int(details["rollStake"]) == stake and "houseEdge" not in details
    assert (int(details["stopGain"]), int(details["stopLoss"])) == (0, 0)
    # the player is the lock's (placed by the second player), the choice the data word's
    assert bet["player"].lower() == scenario.players[1].lower()
    assert (int(details["target"]), details["over"]) == (50, False)


def test_a_commitment_rebuilt_from_the_api_is_the_one_the_coordinator_holds(
    scenario: Scenario, client: TestClient
) -> None:
    """The bet audit's request and reservation are the whole RequestCommitment of a pending bet:
    rebuilt from them, it hashes to what the coordinator stores (so a client can expire it)."""
    coordinator = scenario.contracts["RandomnessCoordinator"]
    report = get(client, f"/audit/bets/dice:{scenario.pending_bet}")
    request, reservation = report["request"], report["reservation"]
    assert request["status"] == "pending" and reservation["status"] == "reserved"
    # the audit finds the bet's id and data word as its lock and its terms say
    checks = {c["name"]: c["ok"] for c in report["checks"]}
    assert checks["request_id"] is True and checks["request_data"] is True
    rc = (
        request["block"],
        request["deadline_block"],
        request["deadline_time"],
        request["callback_gas_limit"],
        request["num_words"],
        request["consumer"],
        request["key_hash"],
        int(request["pre_seed"]),
        reservation["token"],
        int(reservation["amount"]),
        reservation["beneficiary"],
        int(reservation["beneficiary_amount"]),
        reservation["residual_to_bankroll"],
        request["data"],
    )
    on_chain = coordinator.commitmentOf(scenario.pending_bet)
    assert int(on_chain.hex(), 16) != 0
    assert coordinator.hashOfCommitment(rc) == on_chain
    # a different data word is a different commitment
    other = (*rc[:13], "0x" + "00" * 31 + "01")
    assert coordinator.hashOfCommitment(other) != on_chain


def test_balances_and_solvency_reconcile_with_paid_in(scenario: Scenario, client: TestClient) -> None:
    vault, jackpot = scenario.contracts["Vault"], scenario.contracts["Jackpot"]
    for person in [*scenario.players, str(jackpot)]:
        view = get(client, f"/players/{person}")
        free = {b["token"]: b for b in view["balances"]}.get(ETH, {"free": "0"})
        assert int(free["free"]) == int(vault.balanceOf(person, ETH)), person
    player = get(client, f"/players/{scenario.players[0]}")
    eth = next(b for b in player["balances"] if b["token"] == ETH)
    assert int(eth["paid_in"]) > 0 and int(eth["transferred_in"]) > 0  # bond for the bet, share of the pot
    report = get(client, "/audit/solvency")
    row = next(r for r in report["tokens"] if r["token"] == ETH)
    assert row["views_match_events"] is True and row["solvent"] is True, row
    assert int(row["paid_in_credited"]) > 0 and int(row["paid_in_bankroll"]) == 10**17  # the expired bet's stake


def test_timed_out_bet_audit_checks_refund_and_slash(scenario: Scenario, client: TestClient) -> None:
    expired = scenario.bets[1]
    bet = get(client, f"/bets/dice:{expired}")
    assert bet["status"] == "timed_out" and bet["payout"] == bet["max_payout"]
    assert bet["details"]["unwound"] == "expired"
    report = get(client, f"/audit/bets/dice:{expired}")
    names = {c["name"] for c in report["checks"]}
    assert {"refund", "bond_slashed", "bond_pays_player", "bond_pays_bankroll", "ends_with_max"} <= names
    assert report["ok"], report["checks"]
    assert report["reservation"]["status"] == "slashed"
    assert report["request"]["deadline_time"]
    fulfilled = get(client, f"/audit/bets/dice:{scenario.bets[0]}")
    assert fulfilled["ok"] and fulfilled["reservation"]["status"] == "released"
    page = get(client, "/bets?game=jackpot&limit=50")
    refunds = [b for b in page["items"] if b["ref"] == str(scenario.round_id)]
    assert len(refunds) == 2 and all(b["status"] == "refunded" for b in refunds)
    assert sum(int(b["details"]["compensation"]) for b in refunds) == 5 * int(
        scenario.contracts["Jackpot"].roundOf(scenario.round_id)[
            round_field(scenario.contracts["Jackpot"], "ticketPrice")
        ]
    )
    for item in refunds:
        audit = get(client, f"/audit/bets/{item['id']}")
        assert audit["ok"], audit["checks"]


def test_bond_views(scenario: Scenario, client: TestClient) -> None:
    view = get(client, "/audit/bonds")
    eth = next(b for b in view["bonds"] if b["token"] == ETH)
    assert eth["operator"] == str(accounts[DEPLOYER]) and eth["slashes"] == 2 and eth["open_reservations"] == 1
    assert int(eth["free"]) == int(eth["total"]) - int(eth["reserved"]) - int(eth["unbonding"])
    assert {s["request_id"] for s in view["slashes"]} == {str(scenario.bets[1]), str(scenario.draw_request)}
    assert [r["request_id"] for r in view["open_reservations"]] == [str(scenario.pending_bet)]
    summary = get(client, "/audit/summary")
    assert summary["reservations"] == {"released": 1, "slashed": 2, "reserved": 1}
    assert summary["requests"]["expired"] == 2 and summary["timed_out_bets"] == 1


def test_rebuild_from_raw_log_reproduces_the_bond_projections(scenario: Scenario, indexed: str) -> None:
    engine = open_store(indexed, writer=True)
    indexer = Indexer(scenario.manifest, engine, scenario.rpc, IndexerConfig(progress=False, workers=0))
    try:
        before = content_hash(engine)
        indexer.rebuild()
        assert content_hash(engine) == before
    finally:
        engine.dispose()


def test_chain_auditor_checks_slashes_and_reports_bonds(scenario: Scenario) -> None:
    from ops.auditor import run_audit

    report = run_audit(web3, scenario.manifest)
    assert report.ok, report.mismatches
    data = report.as_dict()
    assert data["slashes"] == 2 and data["expired"] == 2
    eth = next(b for b in data["bonds"] if b["token"] == ETH)
    assert eth["matches_chain"] is True and eth["open_reservations"] == 1 and eth["released"] == 1


def test_auditor_flags_a_refund_without_the_slash() -> None:
    from ops.auditor import AuditReport
    from ops.auditor.chance import _audit_timeout

    report = AuditReport(0, 1)
    report.expired_requests = {7: True}
    bet = SimpleNamespace(stake=100, rolls=1, maxPayout=190, player="0xabc")
    event = SimpleNamespace(args=SimpleNamespace(betId=7, payout=100), transactionHash=b"t")
    refund = SimpleNamespace(args=SimpleNamespace(amount=100), transactionHash=b"t")
    _audit_timeout(report, bet, event, refund)
    assert [m.kind for m in report.mismatches] == ["timeout"]
    assert "not slashed" in report.mismatches[0].detail


def test_auditor_flags_a_request_that_does_not_carry_its_bet() -> None:
    """The chain auditor's request check: a bet's id must be the request id of its lock and its
    request's data word the bet its BetPlaced describes (the word the engine settles by)."""
    from ops.auditor import AuditReport
    from ops.auditor.chance import _audit_requests

    game, choice = "0x" + "cd" * 20, dice_rules.encode_choice(50)

    def placed(bet_id: int, lock_id: int) -> SimpleNamespace:
        args = SimpleNamespace(
            betId=bet_id, lockId=lock_id, rolls=1, edgeBps=100, stopGain=0, stopLoss=0, choice=choice
        )
        return SimpleNamespace(args=args)

    def requested(request_id: int, word: str) -> SimpleNamespace:
        return SimpleNamespace(args=SimpleNamespace(requestId=request_id, data=bytes.fromhex(word[2:])))

    honest, other_edge, misnamed = ecvrf.request_id(game, 7), ecvrf.request_id(game, 8), ecvrf.request_id(game, 10)
    events = [
        requested(honest, _data_word(7, 1, 100, (50, 0))),
        requested(other_edge, _data_word(8, 1, 200, (50, 0))),  # committed at another edge
        requested(misnamed, _data_word(9, 1, 100, (50, 0))),
    ]
    reader = SimpleNamespace(events=lambda contract, event: events)
    report = AuditReport(0, 1)
    bets = {honest: placed(honest, 7), other_edge: placed(other_edge, 8), misnamed: placed(misnamed, 9)}
    _audit_requests(reader, report, game, bets)  # type: ignore[arg-type]
    assert sorted((m.ref, m.kind) for m in report.mismatches) == sorted(
        [(str(other_edge), "request"), (str(misnamed), "request")]
    )
