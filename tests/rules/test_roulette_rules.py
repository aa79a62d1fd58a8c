"""fairstake.rules.roulette against a model written here: the European table described
independently (red by its classic rule, dozens and columns by position), exact fractions over
the 37 pockets, and eth_abi for the choice's encoding."""

from __future__ import annotations

import contextlib
import random
from fractions import Fraction

import pytest
from eth_abi import encode
from hypothesis import given
from hypothesis import strategies as st

from fairstake.rules import roulette

# The classic rule: in 1-10 and 19-28 the odd numbers are red, in 11-18 and 29-36 the even ones.
MODEL_RED = {n for n in range(1, 37) if (n % 2 == 1) == (1 <= n <= 10 or 19 <= n <= 28)}
# The table as a grid: row r (0..11), column c (0..2) holds 3r + c + 1.
GRID = {(r, c): 3 * r + c + 1 for r in range(12) for c in range(3)}


def numbers(mask: int) -> set[int]:
    return {n for n in range(37) if mask & (1 << n)}


def test_named_sets_are_the_european_table() -> None:
    assert numbers(roulette.red()) == MODEL_RED and len(MODEL_RED) == 18
    assert numbers(roulette.black()) == set(range(1, 37)) - MODEL_RED
    assert numbers(roulette.odd()) == {n for n in range(1, 37) if n % 2}
    assert numbers(roulette.even()) == {n for n in range(1, 37) if n % 2 == 0}
    assert numbers(roulette.low()) == set(range(1, 19)) and numbers(roulette.high()) == set(range(19, 37))
    for d in range(3):
        assert numbers(roulette.dozen(d + 1)) == {GRID[r, c] for r in range(4 * d, 4 * d + 4) for c in range(3)}
    for c in range(3):
        assert numbers(roulette.column(c + 1)) == {GRID[r, c] for r in range(12)}
    for r in range(12):
        assert numbers(roulette.street(r + 1)) == {GRID[r, c] for c in range(3)}
    for r in range(11):
        assert numbers(roulette.six_line(r + 1)) == {GRID[r + i, c] for i in range(2) for c in range(3)}
    corners = {frozenset(GRID[r + i, c + j] for i in range(2) for j in range(2)) for r in range(11) for c in range(2)}
    assert {frozenset(numbers(roulette.corner(n))) for n in range(1, 33) if n % 3} == corners
    assert numbers(roulette.first_four()) == {0, 1, 2, 3}
    assert numbers(roulette.straight(0)) == {0}


def test_splits_are_exactly_the_neighbouring_pairs() -> None:
    model = {frozenset((0, n)) for n in (1, 2, 3)}
    model |= {frozenset((GRID[r, c], GRID[r, c + 1])) for r in range(12) for c in range(2)}
    model |= {frozenset((GRID[r, c], GRID[r + 1, c])) for r in range(11) for c in range(3)}
    found = set()
    for a in range(37):
        for b in range(a + 1, 37):
            with contextlib.suppress(ValueError):
                found.add(frozenset(numbers(roulette.split(a, b))))
    assert found == model and len(model) == 3 + 24 + 33


def test_choice_is_the_canonical_abi_encoding() -> None:
    rng = random.Random(37)
    for count in range(17):
        masks = [rng.randrange(1, 2**37) for _ in range(count)]
        parts = [rng.randrange(1, 2**128) for _ in range(count)]
        choice = encode(["uint64[]", "uint256[]"], [masks, parts])
        assert roulette.encode_choice(masks, parts) == choice
        assert roulette.decode_choice(choice) == (tuple(masks), tuple(parts))


@pytest.mark.parametrize(
    "choice",
    [
        b"",
        bytes(96),
        encode(["uint64[]", "uint256[]"], [[1], [1]])[:-1],
        encode(["uint64[]", "uint256[]"], [[1, 2], [1]]) + bytes(32),  # lengths differ
        encode(["uint256[]", "uint256[]"], [[2**64], [1]]),  # a mask above uint64
        encode(["uint256[]", "uint64[]"], [[1], [1]])[:32] + (1).to_bytes(32, "big") + bytes(64),
    ],
)
def test_malformed_choices_are_refused(choice: bytes) -> None:
    with pytest.raises(ValueError):
        roulette.decode_choice(choice)


@pytest.mark.parametrize(
    ("masks", "parts", "stake"),
    [
        ([], [], 0),
        ([1] * 17, [1] * 17, 17),
        ([0], [5], 5),
        ([1 << 37], [5], 5),
        ([1, 2], [5, 0], 5),
        ([1, 2], [5, 5], 11),
    ],
)
def test_bad_bets_are_refused(masks: list[int], parts: list[int], stake: int) -> None:
    with pytest.raises(ValueError):
        roulette.roll_terms(stake, roulette.encode_choice(masks, parts), 0)


def model_payouts(masks: list[int], parts: list[int], edge: int) -> list[int]:
    """Per pocket: every set holding it pays floor(part * 36/k * (1 - edge)), summed."""
    out = []
    for n in range(37):
        total = 0
        for mask, part in zip(masks, parts, strict=True):
            if n in numbers(mask):
                exact = Fraction(part * 36, len(numbers(mask))) * Fraction(10_000 - edge, 10_000)
                total += exact.numerator // exact.denominator
        out.append(total)
    return out


sets = st.lists(
    st.tuples(st.integers(min_value=1, max_value=2**37 - 1), st.integers(min_value=1, max_value=2**100)),
    min_size=1,
    max_size=16,
)


@given(bet=sets, edge=st.integers(min_value=0, max_value=roulette.MAX_EDGE_BPS), word=st.integers(0, 2**256 - 1))
def test_terms_and_payouts_match_the_model(bet: list[tuple[int, int]], edge: int, word: int) -> None:
    masks, parts = [m for m, _ in bet], [p for _, p in bet]
    stake = sum(parts)
    choice = roulette.encode_choice(masks, parts)
    by_pocket = model_payouts(masks, parts, edge)
    expected = Fraction(sum(by_pocket), 37)
    max_payout, house_edge = roulette.roll_terms(stake, choice, edge)
    assert max_payout == max(by_pocket)
    assert house_edge == stake - -(-expected.numerator // expected.denominator)
    assert roulette.roll_payout(stake, choice, edge, word) == by_pocket[word % 37]
    assert roulette.exact_rtp(stake, choice, edge) == expected / stake
    mean, variance = roulette.payout_moments(stake, choice, edge)
    assert mean == expected and variance == sum((Fraction(w) - mean) ** 2 for w in by_pocket) / 37


def test_rtp_without_rounding_is_36_37ths_less_the_edge() -> None:
    # parts divisible by every set size: no rounding, so every bet returns 36/37 * (1 - edge)
    stake = 37 * 36 * 35 * 10_000
    for mask in (roulette.red(), roulette.straight(0), roulette.dozen(2), roulette.corner(1), roulette.split(0, 3)):
        choice = roulette.encode_choice([mask], [stake])
        assert roulette.exact_rtp(stake, choice, 150) == Fraction(36, 37) * Fraction(9_850, 10_000)
    assert roulette.theoretical_rtp(0) == pytest.approx(36 / 37)


def test_example_bet_red_and_seventeen() -> None:
    choice = roulette.encode_choice([roulette.red(), roulette.straight(17), roulette.straight(19)], [100, 10, 10])
    assert roulette.roll_payout(120, choice, 0, 17) == 360  # 17 is black
    assert roulette.roll_payout(120, choice, 0, 19) == 200 + 360  # 19 is red
    assert roulette.roll_payout(120, choice, 0, 37) == 0  # the zero
    assert roulette.roll_terms(120, choice, 0)[0] == 560
