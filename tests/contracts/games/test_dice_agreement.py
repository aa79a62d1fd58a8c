"""fairstake.rules.dice equals the Solidity rule: thousands of random words evaluated in a few
eth_calls through ChanceRulesHarness (which runs DiceRules), and real settlements through Dice."""

# Fixtures are imported from chance_support, so test arguments shadow the imported names.
# ruff: noqa: F811

from __future__ import annotations

import random
from typing import Any

import pytest
from brownie import ChanceRulesHarness
from chance_support import (  # noqa: F401  (fixtures)
    EDGE_BPS,
    ETHER,
    TIMEOUT_BLOCKS,
    bankroll,
    coordinator,
    deliver,
    dice,
    funded,
    registry,
    usds,
    vault,
)

from fairstake.manifest import ETH
from fairstake.rules import bankroll as bankroll_rules
from fairstake.rules import dice as rules

WORDS_PER_CASE = 1_000


@pytest.fixture(scope="module")
def harness(module_isolation: None, owner: Any) -> Any:
    return ChanceRulesHarness.deploy({"from": owner})


@pytest.mark.parametrize(
    ("stake", "target", "edge_bps"),
    [(ETHER, 50, 100), (10**6 + 7, 1, 500), (2**112 - 1, 99, 0), (123_456_789, 37, 250), (1, 2, 1)],
)
def test_outcomes_agree_for_random_words(harness: Any, stake: int, target: int, edge_bps: int) -> None:
    rng = random.Random(f"{stake}-{target}-{edge_bps}")
    words = [rng.getrandbits(256) for _ in range(WORDS_PER_CASE)]
    words[:4] = [0, 99, 100, 2**256 - 1]
    rolls, won, payouts = harness.diceOutcomes(words, stake, target, edge_bps)
    for i, word in enumerate(words):
        expected = rules.outcome(word, stake, target, edge_bps)
        assert (rolls[i], won[i], payouts[i]) == (expected.roll, expected.won, expected.payout), word


def test_payouts_agree_for_random_bets(harness: Any) -> None:
    rng = random.Random(7)
    stakes = [rng.randrange(1, 2**112) if i % 2 else rng.randrange(1, 10**20) for i in range(2_000)]
    targets = [rng.randint(1, 99) for _ in stakes]
    edges = [rng.randint(0, 500) for _ in stakes]
    payouts = harness.dicePayouts(stakes, targets, edges)
    assert list(payouts) == [rules.payout_if_win(s, t, e) for s, t, e in zip(stakes, targets, edges, strict=True)]


def test_house_edges_agree_for_random_bets(harness: Any) -> None:
    rng = random.Random(8)
    stakes = [rng.randrange(10**6, 2**112) if i % 2 else rng.randrange(10**6, 10**20) for i in range(2_000)]
    targets = [rng.randint(1, 99) for _ in stakes]
    edges = [rng.randint(0, 500) for _ in stakes]
    house_edges = harness.diceHouseEdges(stakes, targets, edges)
    assert list(house_edges) == [rules.house_edge(s, t, e) for s, t, e in zip(stakes, targets, edges, strict=True)]


def test_settled_bets_agree_with_the_rules(dice: Any, vault: Any, coordinator: Any, alice: Any, funded: int) -> None:
    """End to end: what Dice emits and the Vault credits equals the Python rule; over the whole
    random sequence the protocol took exactly the fee share of each bet's house edge, and the LPs'
    result is the stakes kept less the payouts and those fees (fairstake/rules/bankroll.py)."""
    rng = random.Random(11)
    fee_bps = vault.protocolFeeBps()
    assets, fees = vault.bankrollAssets(ETH), vault.accruedFees(ETH)
    kept = expected_fees = 0
    for _ in range(3):  # batches shorter than the request timeout (one block per delivery)
        targets = [rng.randint(1, 98) for _ in range(TIMEOUT_BLOCKS // 2)]
        stakes = [rng.randrange(10**15, ETHER // 10) for _ in targets]
        tx = dice.placeBets(ETH, stakes, targets, 0, {"from": alice})
        placed = tx.events["BetPlaced"]
        for event, locked in zip(placed, tx.events["Locked"], strict=True):
            fee = bankroll_rules.protocol_fee(rules.house_edge(event["stake"], event["target"], EDGE_BPS), fee_bps)
            assert locked["fee"] == fee
            expected_fees += fee
        kept += _settle_and_check(dice, vault, coordinator, alice, placed, rng)
    assert expected_fees > 0
    assert vault.accruedFees(ETH) == fees + expected_fees
    assert vault.bankrollAssets(ETH) == assets + kept - expected_fees


def _settle_and_check(dice: Any, vault: Any, coordinator: Any, alice: Any, events: Any, rng: random.Random) -> int:
    """Settle each bet with a random word; returns what the bankroll kept: stakes less payouts."""
    kept = 0
    for event in events:
        assert event["payoutIfWin"] == rules.payout_if_win(event["stake"], event["target"], EDGE_BPS)
        balance = vault.balanceOf(alice, ETH)
        word = rng.getrandbits(256)
        settled = deliver(coordinator, event["betId"], word).events["BetSettled"]
        expected = rules.outcome(word, event["stake"], event["target"], EDGE_BPS)
        assert (settled["roll"], settled["won"], settled["payout"]) == (expected.roll, expected.won, expected.payout)
        assert vault.balanceOf(alice, ETH) == balance + expected.payout
        kept += event["stake"] - expected.payout
    return kept
