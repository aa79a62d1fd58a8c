"""Regulator views of player protection, indexed from the real platform (scripts/deploy.py).

One person with two wallets (both attested to one subject) sets a wager limit through the first
wallet, raises it (cooling off), and self-excludes through the second; the first wallet's Dice bet
is then refused. A third wallet with a deposit limit has a deposit refused, and a bet refused for
a reason that is not player protection (a bad target). The views must show per subject both
wallets' events and the refusal with its reason, per address the wallet's own history, and the
export's running hash must verify and break when a line is altered. Expected times and amounts are
written out from the transactions made here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from brownie import accounts, history, web3
from brownie.exceptions import VirtualMachineError
from deployed import DeployedPlatform
from starlette.testclient import TestClient
from support import ETH, api_fixtures, get_json

from backend.store import schema
from backend.store.db import open_store
from fairstake import signing
from ops import bankroll
from ops.deployment import ATTESTOR, FIRST_PLAYER, LIQUIDITY_PROVIDER

ETHER = 10**18
DAY = 86_400
SIX_MONTHS = 184 * DAY
SECRET = 0x5E1F_E8C1
SUBJECT = signing.subject_id(b"regulator view test salt", "customer 77")
WAGER, DAY_WINDOW, DEPOSIT = 1, 0, 2

# Dice choices, abi.encode(uint8 target, bool over): roll under 50, and roll under 0 (no such target)
CHOICE_50 = (50).to_bytes(32, "big") + bytes(32)
BAD_TARGET = bytes(64)


def _refused(call: Any, *args: Any) -> Any:
    """Send `call` although it reverts, so the failed transaction is mined; returns it."""
    with pytest.raises(VirtualMachineError):
        call(*args[:-1], {**args[-1], "gas_limit": 3_000_000, "allow_revert": True})
    assert history[-1].status == 0
    return history[-1]


class Scenario(DeployedPlatform):
    def __init__(self, folder: Path) -> None:
        super().__init__(folder, SECRET, attestor=accounts[ATTESTOR])
        contracts = self.contracts
        vault, dice, registry = contracts["Vault"], contracts["Dice"], contracts["PlayerRegistry"]
        self.first, self.second, self.third = (accounts[FIRST_PLAYER + i] for i in range(3))
        bankroll.fund(contracts, accounts[LIQUIDITY_PROVIDER], {ETH: 100 * ETHER})
        for wallet in (self.first, self.second, self.third):
            vault.depositFor(wallet, ETH, 5 * ETHER, {"from": wallet, "value": 5 * ETHER})
        for wallet in (self.first, self.second):
            now = web3.eth.get_block("latest")["timestamp"]
            typed = signing.kyc_attestation(
                registry.address, web3.eth.chain_id, wallet.address, 2, now + 365 * DAY, b"\0" * 32, 1, now, SUBJECT
            )
            signed = signing.sign(typed, signing.dev_private_key(ATTESTOR))
            registry.attest(
                (wallet.address, 2, now + 365 * DAY, b"\0" * 32, 1, now, SUBJECT), signed.signature, {"from": wallet}
            )
        self.person = registry.personOf(self.first)
        self.limit_tx = registry.setLimit(ETH, WAGER, DAY_WINDOW, ETHER, {"from": self.first})
        self.raise_tx = registry.setLimit(ETH, WAGER, DAY_WINDOW, 2 * ETHER, {"from": self.first})
        self.exclude_tx = registry.selfExclude(SIX_MONTHS, {"from": self.second})
        self.refused_bet = _refused(dice.placeBet, ETH, 10**17, CHOICE_50, 0, {"from": self.first})
        registry.setLimit(ETH, DEPOSIT, DAY_WINDOW, ETHER, {"from": self.third})
        self.refused_deposit = _refused(
            vault.depositFor, self.third, ETH, 2 * ETHER, {"from": self.third, "value": 2 * ETHER}
        )
        self.bad_target = _refused(dice.placeBet, ETH, 10**17, BAD_TARGET, 0, {"from": self.third})


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return Scenario(tmp_path_factory.mktemp("protection"))


indexed, client = api_fixtures("scenario")


def _subject() -> str:
    return "0x" + SUBJECT.hex()


def test_an_excluded_players_refused_stake_shows_with_its_reason(client: TestClient, scenario: Scenario) -> None:
    view = get_json(client, f"/audit/protection/address/{scenario.first.address}")
    assert view["subject"] == _subject()
    assert view["person"] == scenario.person
    refusals = [r for r in view["records"] if r["kind"] == "refusal"]
    until = scenario.exclude_tx.timestamp + SIX_MONTHS
    assert [(r["tx"], r["name"], r["contract"], r["sender"], r["until"]) for r in refusals] == [
        (scenario.refused_bet.txid, "SelfExcluded", "Dice", scenario.first.address, until)
    ]
    assert refusals[0]["args"] == {"player": scenario.first.address, "until": str(until)}
    assert refusals[0]["block"] == scenario.refused_bet.block_number


def test_events_per_subject_cover_both_wallets_of_the_person(client: TestClient, scenario: Scenario) -> None:
    view = get_json(client, f"/audit/protection/subject/{_subject()}")
    first, second, person = scenario.first.address, scenario.second.address, scenario.person
    assert view["wallets"] == sorted([first, second])
    names = [(r["name"], r["player"]) for r in view["records"]]
    assert ("SubjectBound", first) in names and ("SubjectBound", second) in names
    exclusion = [r for r in view["records"] if r["name"] == "SelfExclusionSet"]
    assert [(r["player"], r["until"]) for r in exclusion] == [(second, scenario.exclude_tx.timestamp + SIX_MONTHS)]
    limits = [(r["player"], r["args"]["value"], r["effective_at"]) for r in view["records"] if r["name"] == "LimitSet"]
    set_at, raised_at = scenario.limit_tx.timestamp, scenario.raise_tx.timestamp
    assert limits == [
        (first, str(ETHER), set_at),
        (person, str(ETHER), set_at),
        (first, str(2 * ETHER), raised_at + DAY),  # a raise waits out the 24 h cooling-off
        (person, str(2 * ETHER), raised_at + DAY),
    ]
    assert [r["name"] for r in view["records"] if r["kind"] == "refusal"] == ["SelfExcluded"]
    blocks = [(r["block"], r["id"]) for r in view["records"]]
    assert [b for b, _ in blocks] == sorted(b for b, _ in blocks)


def test_only_protection_refusals_are_kept(client: TestClient, scenario: Scenario, indexed: str) -> None:
    view = get_json(client, f"/audit/protection/address/{scenario.third.address}")
    refusals = [r for r in view["records"] if r["kind"] == "refusal"]
    assert [(r["tx"], r["name"], r["contract"]) for r in refusals] == [
        (scenario.refused_deposit.txid, "DepositLimitExceeded", "Vault")
    ]
    assert refusals[0]["args"]["limit"] == str(ETHER) and refusals[0]["args"]["wouldBe"] == str(2 * ETHER)
    engine = open_store(indexed)
    with engine.connect() as conn:
        stored = {row.tx_hash for row in conn.execute(schema.refusals.select())}
    engine.dispose()
    assert stored == {scenario.refused_bet.txid, scenario.refused_deposit.txid}  # not the bad target


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_the_export_hash_verifies_and_breaks_when_a_row_is_altered(
    client: TestClient, scenario: Scenario, fmt: str
) -> None:
    view = get_json(client, f"/audit/protection/subject/{_subject()}")
    response = client.get(f"/audit/protection/export?subject={_subject()}&format={fmt}")
    assert response.status_code == 200, response.text
    text = response.text
    lines = text.splitlines()
    header = 1 if fmt == "csv" else 0
    assert len(lines) == header + len(view["records"])
    verified = client.post("/audit/events/verify", content=text.encode()).json()
    assert verified["valid"] and verified["lines"] == len(lines)
    refusal = next(i for i, line in enumerate(lines) if scenario.refused_bet.txid in line)
    altered = lines[refusal].replace("SelfExcluded", "TimedOut", 1)
    assert altered != lines[refusal]
    tampered = "\n".join([*lines[:refusal], altered, *lines[refusal + 1 :]]) + "\n"
    broken = client.post("/audit/events/verify", content=tampered.encode()).json()
    assert not broken["valid"] and broken["first_bad_line"] == refusal + 1


def test_bad_requests_get_a_message(client: TestClient) -> None:
    unknown = "0x" + "ab" * 32
    response = client.get(f"/audit/protection/subject/{unknown}")
    assert response.status_code == 404 and unknown in response.json()["detail"]
    assert client.get("/audit/protection/address/0x1234").status_code == 422
    assert client.get("/audit/protection/subject/nope").status_code == 422
    both = client.get(f"/audit/protection/export?subject={_subject()}&address=0x" + "00" * 20)
    assert both.status_code == 400 and "exactly one" in both.json()["detail"]
    assert client.get("/audit/protection/export").status_code == 400


def _stored_refusals(db: str) -> list[tuple[Any, ...]]:
    engine = open_store(db)
    with engine.connect() as conn:
        rows = [tuple(row) for row in conn.execute(schema.refusals.select().order_by(schema.refusals.c.block_number))]
    engine.dispose()
    return rows


def test_refusals_survive_a_resume_and_a_rollback_to_before_them(
    scenario: Scenario, indexed: str, tmp_path: Path
) -> None:
    """Indexed in two runs (stopped between the two refusals, as after a crash) and rolled back to
    before the first refusal then re-indexed (as after a reorg): the same rows as one backfill."""
    from backend.ingest.indexer import Indexer, IndexerConfig
    from backend.store import writer

    db = str(tmp_path / "resumed.sqlite")
    engine = open_store(db, writer=True)
    config = IndexerConfig(progress=False, workers=0)
    block_by_block = IndexerConfig(progress=False, workers=0, initial_range=1, max_range=1)
    Indexer(scenario.manifest, engine, scenario.rpc, block_by_block).run(
        follow=False, until_block=scenario.refused_bet.block_number
    )
    assert len(_stored_refusals(db)) == 1
    indexer = Indexer(scenario.manifest, engine, scenario.rpc, config)
    indexer.run(follow=False)
    assert _stored_refusals(db) == _stored_refusals(indexed)
    ancestor = scenario.refused_bet.block_number - 1
    if writer.rollback(engine, ancestor) is None:
        writer.rebuild_projections(engine, ancestor, None, indexer.parse_args)
    assert _stored_refusals(db) == []
    Indexer(scenario.manifest, engine, scenario.rpc, config).run(follow=False)
    engine.dispose()
    assert _stored_refusals(db) == _stored_refusals(indexed)


def test_the_fallbacks_recover_the_same_refusals(scenario: Scenario, indexed: str) -> None:
    """Without eth_getBlockReceipts and without call traces (receipts per transaction, the call
    re-run on the previous block's state) the finder reads the same refusals."""
    from backend.ingest.refusals import RefusalFinder
    from backend.rpc import RpcClient

    finder = RefusalFinder(
        RpcClient(scenario.rpc), {c.name: (c.address, c.abi) for c in scenario.manifest.contracts.values()}
    )
    finder.block_receipts = finder.tracing = False
    found = finder.find(scenario.manifest.deployment_block, web3.eth.block_number, {})
    assert [tuple(vars_of(r)) for r in found] == _stored_refusals(indexed)


def vars_of(refusal: Any) -> list[Any]:
    return [getattr(refusal, column.name) for column in schema.refusals.columns]
