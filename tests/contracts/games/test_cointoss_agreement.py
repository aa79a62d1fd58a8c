"""fairstake.rules.cointoss (with fairstake.rules.multiroll) equals CoinToss on chain: thousands of
random words evaluated in a few eth_calls through the game's own views (`outcomesOf`, `quote`,
`playOf`, which run its hooks and the engine's multi-roll loop), and real settlements."""

from __future__ import annotations

import random
from typing import Any

import pytest
from agreement_support import assert_multi_roll_agrees, assert_outcomes_agree, assert_terms_agree
from chance_support import EDGE_BPS, TIMEOUT_BLOCKS, deliver, placed_bets
from contract_support import ETHER

from fairstake.manifest import ETH
from fairstake.rules import bankroll as bankroll_rules
from fairstake.rules import cointoss as rules


@pytest.mark.parametrize(
    ("stake", "heads", "edge_bps"),
    [(ETHER, True, 100), (10**6 + 7, False, 500), (2**96 - 1, True, 0), (123_456_789, False, 250), (3, True, 1)],
)
def test_tosses_agree_for_random_words(cointoss: Any, stake: int, heads: bool, edge_bps: int) -> None:
    rng = random.Random(f"{stake}-{heads}-{edge_bps}")
    assert_outcomes_agree(cointoss, rules, rng, stake, rules.encode_choice(heads), edge_bps, [0, 1, 2, 2**256 - 1])


def test_terms_agree_for_random_stakes(cointoss: Any, owner: Any) -> None:
    def draw(rng: random.Random) -> tuple[int, bytes, bytes]:
        stake, heads = rng.randrange(1, 2**96), rng.random() < 0.5
        return stake, rules.encode_choice(heads), rules.encode_choice(heads)

    assert_terms_agree(cointoss, owner, rules, random.Random(9), (0, 1, 100, 333, 500), draw)


@pytest.mark.parametrize(
    "choice",
    [b"", bytes(31), (2).to_bytes(32, "big"), bytes(33), b"\x01" + bytes(31)],
    ids=["empty", "short", "two", "long", "high-byte"],
)
def test_malformed_choices_are_refused_by_both(cointoss: Any, choice: bytes, reverts_with: Any) -> None:
    with reverts_with("BadChoice"):
        cointoss.quote(ETH, ETHER, choice)
    with pytest.raises(ValueError):
        rules.roll_terms(ETHER, choice, EDGE_BPS)


def test_multi_roll_play_agrees_for_random_bets(cointoss: Any) -> None:
    """The engine's loop over CoinToss's hooks (`playOf`) against fairstake.rules.multiroll: 150
    bets with random words, rolls and stops."""
    rng = random.Random(10)
    for _ in range(150):
        choice = rules.encode_choice(rng.random() < 0.5)
        stake, edge, rolls = rng.randrange(10**6, 10**20), rng.choice((0, 100, 500)), rng.choice((1, 2, 10, 100))
        assert_multi_roll_agrees(cointoss, rules, rng, stake, choice, edge, rolls)


def test_settled_tosses_agree_with_the_rules(
    cointoss: Any, vault: Any, coordinator: Any, alice: Any, funded: int
) -> None:
    """End to end: the fee the Vault takes at each lock, what CoinToss emits and what the Vault
    credits equal the Python rules."""
    rng = random.Random(11)
    fee_bps = vault.protocolFeeBps()
    sides = [rng.random() < 0.5 for _ in range(TIMEOUT_BLOCKS // 2)]
    stakes = [rng.randrange(10**15, ETHER // 10) for _ in sides]
    tx = cointoss.placeBets(ETH, stakes, [rules.encode_choice(s) for s in sides], 0, {"from": alice})
    for event, locked, heads in zip(placed_bets(tx), tx.events["Locked"], sides, strict=True):
        choice = rules.encode_choice(heads)
        max_payout, house_edge = rules.roll_terms(event["stake"], choice, EDGE_BPS)
        assert event["maxPayout"] == max_payout
        assert locked["fee"] == bankroll_rules.protocol_fee(house_edge, fee_bps)
        balance, word = vault.balanceOf(alice, ETH), rng.getrandbits(256)
        settled = deliver(coordinator, event["betId"], word).events["BetSettled"]
        expected = rules.roll_payout(event["stake"], choice, EDGE_BPS, word)
        assert (settled["rollsPlayed"], settled["payout"]) == (1, expected)
        assert vault.balanceOf(alice, ETH) == balance + expected
