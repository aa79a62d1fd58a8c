"""fairstake.rules.cointoss against a model written here: exact fractions and the two faces."""

from __future__ import annotations

from fractions import Fraction

import pytest
from eth_abi import encode
from hypothesis import given
from hypothesis import strategies as st

from fairstake.rules import cointoss

words = st.integers(min_value=0, max_value=2**256 - 1)
edges = st.integers(min_value=0, max_value=cointoss.MAX_EDGE_BPS)
stakes = st.integers(min_value=1, max_value=2**128)


def test_choice_is_abi_encoded_bool() -> None:
    for heads in (True, False):
        assert cointoss.encode_choice(heads) == encode(["bool"], [heads])
        assert cointoss.decode_choice(encode(["bool"], [heads])) is heads


@pytest.mark.parametrize("choice", [b"", b"\x01", (2).to_bytes(32, "big"), b"\x01" + bytes(31), bytes(33), bytes(64)])
def test_malformed_choices_are_refused(choice: bytes) -> None:
    with pytest.raises(ValueError):
        cointoss.decode_choice(choice)


def test_examples() -> None:
    heads = cointoss.encode_choice(True)
    # 1 % edge: 1.98x, and the bankroll's expected gain is 1 % of the stake
    assert cointoss.roll_terms(10**18, heads, 100) == (198 * 10**16, 10**16)
    assert cointoss.roll_payout(10**18, heads, 100, 0) == 198 * 10**16  # even word: heads
    assert cointoss.roll_payout(10**18, heads, 100, 2**256 - 1) == 0  # odd word: tails
    assert cointoss.roll_payout(10**18, cointoss.encode_choice(False), 100, 7) == 198 * 10**16
    # rounding: 3 wei at 5 % pays floor(5.7) = 5; expected 2.5 rounded up to 3, so no edge claimed
    assert cointoss.roll_terms(3, heads, 500) == (5, 0)


@given(stake=stakes, edge=edges, heads=st.booleans())
def test_terms_match_the_model(stake: int, edge: int, heads: bool) -> None:
    win = Fraction(stake * 2 * (10_000 - edge), 10_000)
    max_payout, house_edge = cointoss.roll_terms(stake, cointoss.encode_choice(heads), edge)
    assert max_payout == int(win)  # floor
    expected = Fraction(max_payout, 2)
    assert house_edge == stake - (expected.numerator + expected.denominator - 1) // expected.denominator
    assert 0 <= house_edge <= Fraction(stake * edge, 10_000) + 1
    assert cointoss.exact_rtp(stake, edge) == expected / stake


@given(word=words, stake=stakes, edge=edges, heads=st.booleans())
def test_payout_is_the_win_payout_iff_the_face_matches(word: int, stake: int, edge: int, heads: bool) -> None:
    face_is_heads = word & 1 == 0  # the lowest bit of the word is the coin
    paid = cointoss.roll_payout(stake, cointoss.encode_choice(heads), edge, word)
    assert paid == (stake * 2 * (10_000 - edge) // 10_000 if face_is_heads == heads else 0)


def test_the_two_faces_are_equally_likely_over_every_low_byte() -> None:
    """Every residue of the word's low byte, enumerated: each face wins exactly half of them."""
    for heads in (True, False):
        choice = cointoss.encode_choice(heads)
        wins = sum(1 for word in range(256) if cointoss.roll_payout(100, choice, 0, word) > 0)
        assert Fraction(wins, 256) == cointoss.win_probability() == Fraction(1, 2)


def test_theoretical_rtp_and_spread() -> None:
    assert cointoss.theoretical_rtp(250) == 0.975
    # payout 2(1-e) with probability 1/2: sd of the return = (1-e)
    assert cointoss.return_std_dev(100) == pytest.approx(0.99)
    with pytest.raises(ValueError):
        cointoss.theoretical_rtp(501)
    with pytest.raises(ValueError):
        cointoss.payout_if_win(1, -1)
