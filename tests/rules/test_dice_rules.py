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


def test_roll_over_wins_above_the_target() -> None:
    # roll-over 50 wins on 51..99: 49 outcomes, 100 * 100 // 49 = 204 at no edge
    assert dice.outcome(51, 100, 50, 0, over=True) == dice.DiceOutcome(roll=51, won=True, payout=204)
    assert dice.outcome(50, 100, 50, 0, over=True) == dice.DiceOutcome(roll=50, won=False, payout=0)
    # roll-over 0 wins on 1..99, roll-over 98 only on 99
    assert dice.payout_if_win(99, 0, 0, over=True) == 100
    assert dice.payout_if_win(1, 98, 0, over=True) == 100
    for bad in (-1, 99, 100):
        with pytest.raises(ValueError, match="roll-over"):
            dice.payout_if_win(1, bad, 0, over=True)


@given(target=st.integers(min_value=0, max_value=98), edge=edges)
def test_roll_over_t_pays_like_roll_under_99_minus_t(target: int, edge: int) -> None:
    """Both win on 99 - t of the 100 rolls, so both pay the same; they win on different rolls."""
    if target == 0:
        return  # roll-under 99 is the same bet size, checked by the general formula below
    assert dice.payout_if_win(10**18, target, edge, over=True) == dice.payout_if_win(10**18, 99 - target, edge)
    assert dice.win_probability(target, True) == Fraction(99 - target, 100)


@given(word=words, stake=stakes, target=st.integers(min_value=0, max_value=98), edge=edges)
def test_roll_over_outcome_consistent(word: int, stake: int, target: int, edge: int) -> None:
    result = dice.outcome(word, stake, target, edge, over=True)
    assert result.won == (word % 100 > target)
    expected = stake * 100 * (10_000 - edge) // ((99 - target) * 10_000)
    assert result.payout == (expected if result.won else 0)


def test_choice_encoding_is_abi_encode_uint8_bool() -> None:
    encoded = dice.encode_choice(42, True)
    assert encoded == bytes(31) + b"\x2a" + bytes(31) + b"\x01"
    assert dice.decode_choice(encoded) == dice.DiceChoice(42, True)
    assert dice.choice_details(dice.encode_choice(7)) == {"target": 7, "over": False}
    for bad in (encoded[:63], encoded + b"\x00", bytes(31) + b"\x2a" + bytes(31) + b"\x02", b"\x01" + encoded[1:]):
        with pytest.raises(ValueError):
            dice.decode_choice(bad)
    with pytest.raises(ValueError, match="roll-under"):
        dice.decode_choice(bytes(64))  # roll-under 0


def test_roll_hooks_are_the_rules() -> None:
    choice = dice.encode_choice(25)
    assert dice.roll_terms(1000, choice, 100) == (3960, 10)  # 1000 * 100 * 9900 // 250000; 1000 - 990
    assert [dice.roll_payout(1000, choice, 100, w) for w in (24, 25)] == [3960, 0]
    assert dice.roll_distribution(1000, choice, 100) == [(Fraction(1, 4), 3960), (Fraction(3, 4), 0)]
    assert dice.choice_rtp(1000, choice, 100) == Fraction(990, 1000)
