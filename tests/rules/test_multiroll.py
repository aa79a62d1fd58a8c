"""The chance engine's multi-roll loop (fairstake.rules.multiroll), on cases worked out by hand
and against a literal re-reading of the spec with a toy game."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from eth_abi import encode as abi_encode
from eth_utils import keccak
from hypothesis import given
from hypothesis import strategies as st

from fairstake.rules import dice, multiroll


class Coin:
    """A toy game: a roll pays 2 x stake on an even word, 0 on an odd one; no edge."""

    @staticmethod
    def roll_terms(stake: int, choice: bytes, edge_bps: int) -> tuple[int, int]:
        return 2 * stake, 0

    @staticmethod
    def roll_payout(stake: int, choice: bytes, edge_bps: int, word: int) -> int:
        return 2 * stake if word % 2 == 0 else 0

    @staticmethod
    def decode_choice(choice: bytes) -> Any:
        return None

    @staticmethod
    def choice_details(choice: bytes) -> dict[str, Any]:
        return {}

    @staticmethod
    def roll_distribution(stake: int, choice: bytes, edge_bps: int) -> list[tuple[Fraction, int]]:
        return [(Fraction(1, 2), 2 * stake), (Fraction(1, 2), 0)]


def test_words_are_the_word_itself_or_keccak_of_word_and_index() -> None:
    assert multiroll.roll_word(12345, 0, 1) == 12345
    expected = int.from_bytes(keccak(abi_encode(["uint256", "uint256"], [12345, 3])), "big")
    assert multiroll.roll_word(12345, 3, 10) == expected


def _wins(word: int, rolls: int) -> list[bool]:
    return [multiroll.roll_word(word, i, rolls) % 2 == 0 for i in range(rolls)]


@given(word=st.integers(0, 2**256 - 1), rolls=st.integers(1, 100), gain=st.integers(0, 5), loss=st.integers(0, 5))
def test_play_follows_the_spec_literally(word: int, rolls: int, gain: int, loss: int) -> None:
    """Net +1 stake per win, -1 per loss; stop once up `gain` or down `loss` stakes (0: never)."""
    stake = 10
    net = played = 0
    for won in _wins(word, rolls):
        played += 1
        net += 1 if won else -1
        if (gain and net >= gain) or (loss and -net >= loss):
            break
    result = multiroll.play(Coin(), word, stake, b"", 0, rolls, gain * stake, loss * stake)
    assert result.rolls_played == played
    assert result.payout == stake * (played + net) + stake * (rolls - played)


def test_certain_rolls_by_hand() -> None:
    # stake 10, a roll pays at most 30 (net +20): stop-loss 25 needs 3 losses, stop-gain 41 needs 3 wins
    assert multiroll.certain_rolls(10, 30, 50, 0, 25) == 3
    assert multiroll.certain_rolls(10, 30, 50, 41, 0) == 3
    assert multiroll.certain_rolls(10, 30, 50, 41, 11) == 2
    assert multiroll.certain_rolls(10, 30, 2, 0, 1_000) == 2  # never more than the rolls
    assert multiroll.certain_rolls(10, 30, 50, 1, 0) == 1
    assert multiroll.certain_rolls(10, 30, 50, 0, 0) == 50


def test_bet_terms_and_refusals() -> None:
    choice = dice.encode_choice(50)
    terms = multiroll.bet_terms(dice, 1000, choice, 100, 10)
    assert (terms.staked, terms.max_payout, terms.house_edge) == (10_000, 19_800, 100)
    for rolls in (0, 101):
        with pytest.raises(ValueError, match="rolls"):
            multiroll.bet_terms(dice, 1000, choice, 100, rolls)
    with pytest.raises(ValueError, match="stop"):
        multiroll.bet_terms(dice, 1000, choice, 100, 10, 0, 10_001)
    with pytest.raises(ValueError, match="not more than the stake"):
        multiroll.bet_terms(dice, 1000, dice.encode_choice(99), 100)


@given(rolls=st.integers(2, 12), loss=st.integers(0, 12), gain=st.integers(0, 12))
def test_the_declared_edge_never_exceeds_the_expected_edge(rolls: int, loss: int, gain: int) -> None:
    """LPs must not lose on fair play: the declared edge (on which the fee is taken) is at most
    the house's exact expectation over every sequence of rolls of a 1 %-edge even-money dice."""
    stake, choice = 1000, dice.encode_choice(50)
    win = dice.payout_if_win(stake, 50, 100)
    stop_gain, stop_loss = min(gain * (win - stake), rolls * (win - stake)), min(loss * stake, rolls * stake)
    declared = multiroll.bet_terms(dice, stake, choice, 100, rolls, stop_gain, stop_loss).house_edge
    expected_gain = Fraction(0)
    for mask in range(2**rolls):  # every sequence of wins and losses, each with probability 2^-rolls
        paid = staked = 0
        for i in range(rolls):
            paid += win if mask >> i & 1 else 0
            staked += stake
            if (stop_gain and paid - staked >= stop_gain) or (stop_loss and staked - paid >= stop_loss):
                break
        expected_gain += Fraction(staked - paid, 2**rolls)
    assert declared <= expected_gain


def test_timeout_pays_the_maximum_when_expired() -> None:
    assert multiroll.timeout(100, 350, expired=True, backstop=False) == multiroll.Timeout(100, 350, 250, 100)
    assert multiroll.timeout(100, 350, expired=False, backstop=False) == multiroll.Timeout(100, 100, None, None)
