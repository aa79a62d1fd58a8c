"""fairstake.rules.dice and fairstake.rules.multiroll equal the Solidity rules: thousands of random
words evaluated in a few eth_calls through Dice's own views (`outcomesOf`, `quote`, `playOf`, which
run the hooks and the engine's multi-roll loop), and real settlements through Dice."""

# Fixtures are imported from chance_support, so test arguments shadow the imported names.
# ruff: noqa: F811

from __future__ import annotations

import random
from typing import Any

import pytest
from chance_support import (  # noqa: F401  (fixtures)
    EDGE_BPS,
    ETHER,
    TIMEOUT_BLOCKS,
    bankroll,
    coordinator,
    deliver,
    dice,
    dice_choice,
    funded,
    registry,
    usds,
    vault,
)

from fairstake.manifest import ETH
from fairstake.rules import bankroll as bankroll_rules
from fairstake.rules import dice as rules
from fairstake.rules import multiroll

WORDS_PER_CASE = 1_000


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
    words = [rng.getrandbits(256) for _ in range(WORDS_PER_CASE)]
    words[:6] = [0, 99, 100, target, target + 1, 2**256 - 1]
    payouts = dice.outcomesOf(words, stake, dice_choice(target, over), edge_bps)
    for word, paid in zip(words, payouts, strict=True):
        assert paid == rules.roll_payout(stake, rules.encode_choice(target, over), edge_bps, word), word


def test_terms_agree_for_random_bets(dice: Any, owner: Any) -> None:
    """`quote` (the engine's `_rollTerms`: win payout and house edge) against the Python rules, over
    every edge governance may set and both directions."""
    rng = random.Random(7)
    for edge in (0, 1, 100, 333, 500):
        dice.configureToken(ETH, True, 1, 2**96 - 1, edge, {"from": owner})
        for _ in range(40):
            over = rng.random() < 0.5
            target = rng.randint(0, 98) if over else rng.randint(1, 99)
            stake = rng.randrange(1, 2**96) if rng.random() < 0.5 else rng.randrange(1, 10**20)
            expected = rules.roll_terms(stake, rules.encode_choice(target, over), edge)
            assert tuple(dice.quote(ETH, stake, dice_choice(target, over))) == expected, (stake, target, over, edge)


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
        roll_max, _ = rules.roll_terms(stake, choice, edge)
        if roll_max <= stake:
            continue
        stop_gain = rng.choice((0, 0, roll_max - stake, rng.randrange(1, rolls * (roll_max - stake) + 1)))
        stop_loss = rng.choice((0, 0, stake, rng.randrange(1, rolls * stake + 1)))
        word = rng.getrandbits(256)
        expected = multiroll.play(rules, word, stake, choice, edge, rolls, stop_gain, stop_loss)
        played, payout = dice.playOf(word, stake, dice_choice(target, over), edge, rolls, stop_gain, stop_loss)
        assert (played, payout) == (expected.rolls_played, expected.payout), (word, stake, target, over, rolls)


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
        placed = tx.events["BetPlaced"]
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
