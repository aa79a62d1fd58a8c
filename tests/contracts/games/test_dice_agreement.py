"""fairstake.rules.dice and fairstake.rules.multiroll equal the Solidity rules: thousands of random
words evaluated in a few eth_calls through Dice's own views (`outcomesOf`, `quote`, `playOf`, which
run the hooks and the engine's multi-roll loop), and real settlements through Dice."""

from __future__ import annotations

import random
from typing import Any

import pytest
from agreement_support import assert_multi_roll_agrees, assert_outcomes_agree, assert_terms_agree
from chance_support import EDGE_BPS, TIMEOUT_BLOCKS, deliver, dice_choice, placed_bets
from contract_support import ETHER

from fairstake.manifest import ETH
from fairstake.rules import bankroll as bankroll_rules
from fairstake.rules import dice as rules


@pytest.mark.parametrize(
    ("stake", "target", "over", "edge_bps"),
    [
        (ETHER, 50, False, 100),
        (ETHER, 50, True, 100),
        (10**6 + 7, 1, False, 500),
        (10**6 + 7, 98, True, 500),
        (2**96 - 1, 99, False, 0),
        (2**96 - 1, 0, True, 0),
        (123_456_789, 37, True, 250),
        (1, 2, False, 1),
    ],
)
def test_outcomes_agree_for_random_words(dice: Any, stake: int, target: int, over: bool, edge_bps: int) -> None:
    rng = random.Random(f"{stake}-{target}-{over}-{edge_bps}")
    first = [0, 99, 100, target, target + 1, 2**256 - 1]
    choice, sent = rules.encode_choice(target, over), dice_choice(target, over)
    assert_outcomes_agree(dice, rules, rng, stake, choice, edge_bps, first, chain_choice=sent)


def test_terms_agree_for_random_bets(dice: Any, owner: Any) -> None:
    """`quote` (the engine's `_rollTerms`: win payout and house edge) against the Python rules, over
    every edge governance may set and both directions."""

    def draw(rng: random.Random) -> tuple[int, bytes, bytes]:
        over = rng.random() < 0.5
        target = rng.randint(0, 98) if over else rng.randint(1, 99)
        stake = rng.randrange(1, 2**96) if rng.random() < 0.5 else rng.randrange(1, 10**20)
        return stake, rules.encode_choice(target, over), dice_choice(target, over)

    assert_terms_agree(dice, owner, rules, random.Random(7), (0, 1, 100, 333, 500), draw)


def test_multi_roll_play_agrees_for_random_bets(dice: Any) -> None:
    """The engine's multi-roll loop (`playOf`: derived words, stops, unplayed stakes) against
    fairstake.rules.multiroll, over random words, rolls, stops and choices: 200 bets, ~10,000 rolls."""
    rng = random.Random(9)
    for _ in range(200):
        over = rng.random() < 0.5
        target = rng.randint(0, 98) if over else rng.randint(1, 99)
        choice = rules.encode_choice(target, over)
        stake, edge = rng.randrange(10**6, 10**20), rng.choice((0, 100, 500))
        rolls = rng.choice((1, 2, 10, 50, 100))
        assert_multi_roll_agrees(dice, rules, rng, stake, choice, edge, rolls, chain_choice=dice_choice(target, over))


def test_settled_bets_agree_with_the_rules(dice: Any, vault: Any, coordinator: Any, alice: Any, funded: int) -> None:
    """End to end: what Dice emits and the Vault credits equals the Python rule; over the whole
    random sequence the protocol took exactly the fee share of each bet's house edge, and the LPs'
    result is the stakes kept less the payouts and those fees (fairstake/rules/bankroll.py)."""
    rng = random.Random(11)
    fee_bps = vault.protocolFeeBps()
    assets, fees = vault.bankrollAssets(ETH), vault.accruedFees(ETH)
    kept = expected_fees = 0
    for _ in range(3):  # batches shorter than the request timeout (one block per delivery)
        bets = [(rng.randint(1, 98), rng.random() < 0.5) for _ in range(TIMEOUT_BLOCKS // 2)]
        stakes = [rng.randrange(10**15, ETHER // 10) for _ in bets]
        tx = dice.placeBets(ETH, stakes, [dice_choice(t, o) for t, o in bets], 0, {"from": alice})
        placed = placed_bets(tx)
        for event, locked, (target, over) in zip(placed, tx.events["Locked"], bets, strict=True):
            fee = bankroll_rules.protocol_fee(rules.house_edge(event["stake"], target, EDGE_BPS, over), fee_bps)
            assert locked["fee"] == fee
            expected_fees += fee
        kept += _settle_and_check(vault, coordinator, alice, placed, bets, rng)
    assert expected_fees > 0
    assert vault.accruedFees(ETH) == fees + expected_fees
    assert vault.bankrollAssets(ETH) == assets + kept - expected_fees


def _settle_and_check(
    vault: Any, coordinator: Any, alice: Any, events: Any, bets: list[tuple[int, bool]], rng: random.Random
) -> int:
    """Settle each bet with a random word; returns what the bankroll kept: stakes less payouts."""
    kept = 0
    for event, (target, over) in zip(events, bets, strict=True):
        assert event["maxPayout"] == rules.payout_if_win(event["stake"], target, EDGE_BPS, over)
        balance = vault.balanceOf(alice, ETH)
        word = rng.getrandbits(256)
        settled = deliver(coordinator, event["betId"], word).events["BetSettled"]
        expected = rules.outcome(word, event["stake"], target, EDGE_BPS, over)
        assert (settled["rollsPlayed"], settled["payout"]) == (1, expected.payout)
        assert vault.balanceOf(alice, ETH) == balance + expected.payout
        kept += event["stake"] - expected.payout
    return kept
