from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairstake.rules import dice

words = st.integers(min_value=0, max_value=2**256 - 1)
targets = st.integers(min_value=dice.MIN_TARGET, max_value=dice.MAX_TARGET)
edges = st.integers(min_value=0, max_value=dice.MAX_EDGE_BPS)
stakes = st.integers(min_value=0, max_value=10**30)


def test_roll_is_word_mod_100() -> None:
    assert dice.roll(0) == 0
    assert dice.roll(99) == 99
    assert dice.roll(100) == 0
    assert dice.roll(2**256 - 1) == (2**256 - 1) % 100


def test_payout_examples() -> None:
    # even odds, 1 % edge: 1.98x
    assert dice.payout_if_win(10**18, 50, 100) == 198 * 10**16
    # no edge: fair multiplier, rounded down
    assert dice.payout_if_win(10, 3, 0) == 333
    assert dice.payout_if_win(1, 99, 0) == 1


def test_outcome_win_and_loss() -> None:
    assert dice.outcome(49, 100, 50, 0) == dice.DiceOutcome(roll=49, won=True, payout=200)
    assert dice.outcome(150, 100, 50, 0) == dice.DiceOutcome(roll=50, won=False, payout=0)
    assert dice.outcome(0, 100, 1, 500).won


@pytest.mark.parametrize(
    ("call", "args"),
    [
        (dice.payout_if_win, (1, 0, 0)),
        (dice.payout_if_win, (1, 100, 0)),
        (dice.payout_if_win, (1, 50, 501)),
        (dice.payout_if_win, (1, 50, -1)),
        (dice.payout_if_win, (-1, 50, 0)),
        (dice.roll, (-1,)),
        (dice.roll, (2**256,)),
        (dice.theoretical_rtp, (501,)),
        (dice.exact_rtp, (0, 50, 0)),
    ],
)
def test_invalid_inputs_raise(call, args) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        call(*args)


@given(word=words, stake=stakes, target=targets, edge=edges)
def test_outcome_consistent(word: int, stake: int, target: int, edge: int) -> None:
    result = dice.outcome(word, stake, target, edge)
    assert result.roll == word % 100
    assert result.won == (result.roll < target)
    assert result.payout == (dice.payout_if_win(stake, target, edge) if result.won else 0)


@given(stake=st.integers(min_value=10**6, max_value=10**30), target=targets, edge=edges)
def test_exact_rtp_never_exceeds_theory(stake: int, target: int, edge: int) -> None:
    exact = dice.exact_rtp(stake, target, edge)
    theory = Fraction(dice.BPS - edge, dice.BPS)
    assert exact <= theory
    # rounding costs less than one unit per win
    assert theory - exact <= Fraction(target, 100 * stake)


def test_theoretical_rtp_matches_enumeration() -> None:
    stake, edge = 10**18, 150
    for target in (1, 7, 50, 99):
        total = sum(dice.outcome(word, stake, target, edge).payout for word in range(100))
        assert Fraction(total, 100 * stake) == dice.exact_rtp(stake, target, edge)
        assert abs(total / (100 * stake) - dice.theoretical_rtp(edge)) < 1e-12


def test_std_dev_formula() -> None:
    # target 50 without edge: +-1 around the mean
    assert dice.return_std_dev(50, 0) == pytest.approx(1.0)
