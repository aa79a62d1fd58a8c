"""fairstake.rules.keno against models written here: the draw against hand-worked words and a
sparse Fisher-Yates written another way, the hit probabilities against a sequential-draw
recursion (not the binomial formula the module uses), the choice against eth_abi, and a long
seeded run of random words against the model's RTP."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest
from eth_abi import encode
from hypothesis import given
from hypothesis import strategies as st

from fairstake.rules import keno
from ops.games.keno import DEFAULT_TABLE

words = st.integers(min_value=0, max_value=2**256 - 1)
pick_lists = st.lists(st.integers(1, 40), min_size=1, max_size=10, unique=True)
# The deployed default table (ops/games/keno.py): row k holds k + 1 multipliers in bps.
TABLE = keno.check_table(DEFAULT_TABLE)


def model_draw(word: int) -> list[int]:
    """The documented draw, written as a sparse shuffle: only displaced positions are stored."""
    moved: dict[int, int] = {}
    drawn = []
    for j in range(10):
        n = 40 - j
        r = j + (word // math.prod(range(40, n, -1))) % n
        at_r, at_j = moved.get(r, r + 1), moved.get(j, j + 1)
        moved[r], moved[j] = at_j, at_r
        drawn.append(at_r)
    return drawn


def model_hit_probabilities(picks: int) -> list[Fraction]:
    """P(h hits) by drawing the ten numbers one at a time: the j-th draw (j numbers gone) hits a
    pick with probability (picks - hits so far) / (40 - j)."""
    state = {0: Fraction(1)}
    for j in range(10):
        following: dict[int, Fraction] = {}
        for got, p in state.items():
            hit = Fraction(picks - got, 40 - j)
            following[got + 1] = following.get(got + 1, Fraction(0)) + p * hit
            following[got] = following.get(got, Fraction(0)) + p * (1 - hit)
        state = following
    return [state.get(h, Fraction(0)) for h in range(picks + 1)]


def choice(picks: list[int], table_id: int = 0) -> bytes:
    return encode(["uint32", "uint64"], [table_id, sum(1 << (n - 1) for n in picks)])


def test_draw_of_hand_worked_words() -> None:
    assert keno.draw(0) == tuple(range(1, 11))  # every digit 0: no swap
    assert keno.draw(1) == (2, 1, *range(3, 11))  # first digit 1: swap positions 0 and 1
    assert keno.draw(39) == (40, *range(2, 11))  # first digit 39: the last number first
    assert keno.draw(40) == (1, 3, 2, *range(4, 11))  # second digit 1: swap positions 1 and 2
    assert keno.draw(40 * 38) == (1, 40, *range(3, 11))  # second digit 38: the last number second


@given(word=words)
def test_draw_equals_the_sparse_model(word: int) -> None:
    drawn = keno.draw(word)
    assert list(drawn) == model_draw(word)
    assert len(set(drawn)) == 10 and all(1 <= n <= 40 for n in drawn)
    assert keno.drawn_mask(word) == sum(1 << (n - 1) for n in drawn)


def test_first_two_digits_give_every_ordered_pair_once() -> None:
    pairs = {keno.draw(word)[:2] for word in range(40 * 39)}
    assert pairs == {(a, b) for a in range(1, 41) for b in range(1, 41) if a != b}


@pytest.mark.parametrize("picks", range(1, 11))
def test_hit_probabilities_equal_the_sequential_model(picks: int) -> None:
    expected = model_hit_probabilities(picks)
    assert [keno.hit_probability(picks, h) for h in range(picks + 1)] == expected
    assert sum(keno.weights(picks)) == keno.DRAWS == math.comb(40, 10)


@given(table_id=st.integers(0, 2**32 - 1), mask=st.integers(0, 2**64 - 1))
def test_choice_is_the_abi_encoding(table_id: int, mask: int) -> None:
    encoded = keno.encode_choice(table_id, mask)
    assert encoded == encode(["uint32", "uint64"], [table_id, mask])
    assert keno.decode_choice(encoded) == (table_id, mask)


@pytest.mark.parametrize(
    "bad",
    [b"", bytes(63), bytes(65), encode(["uint256", "uint256"], [2**32, 1]), encode(["uint256", "uint256"], [0, 2**64])],
)
def test_malformed_choices_are_refused(bad: bytes) -> None:
    with pytest.raises(ValueError):
        keno.decode_choice(bad)


@pytest.mark.parametrize(
    "mask", [0, 1 << 40, (1 << 11) - 1, (1 << 40) - 1, 1 | 1 << 45], ids=["none", "41", "11", "all", "beyond"]
)
def test_bad_picks_are_refused(mask: int) -> None:
    with pytest.raises(ValueError):
        keno.roll_terms(10**18, keno.encode_choice(0, mask), 0, TABLE)


def test_pick_counts_of_valid_masks() -> None:
    assert keno.pick_count(1) == 1
    assert keno.pick_count(1 << 39) == 1
    assert keno.pick_count((1 << 10) - 1) == 10
    assert keno.mask_of([40, 1]) == (1 << 39) | 1
    assert keno.numbers_of((1 << 39) | 1) == (1, 40)


@given(word=words, picks=pick_lists, stake=st.integers(1, 2**96))
def test_roll_payout_is_the_row_entry_of_the_hits(word: int, picks: list[int], stake: int) -> None:
    got = len(set(picks) & set(model_draw(word)))
    multiplier = TABLE[len(picks) - 1][got]
    assert keno.roll_payout(stake, choice(picks), 0, word, TABLE) == math.floor(Fraction(stake * multiplier, 10_000))


@given(picks=pick_lists, stake=st.integers(1, 2**96))
def test_roll_terms_are_the_row_maximum_and_the_rounded_expectation(picks: list[int], stake: int) -> None:
    row = TABLE[len(picks) - 1]
    probabilities = model_hit_probabilities(len(picks))
    payouts = [stake * m // 10_000 for m in row]
    expected = sum((p * x for p, x in zip(probabilities, payouts, strict=True)), Fraction(0))
    max_payout, house_edge = keno.roll_terms(stake, choice(picks), 0, TABLE)
    assert max_payout == max(payouts)
    assert house_edge == stake - math.ceil(expected)
    assert keno.exact_rtp(stake, choice(picks), TABLE) == expected / stake


@pytest.mark.parametrize("picks", range(1, 11))
def test_row_rtp_equals_the_model(picks: int) -> None:
    row = TABLE[picks - 1]
    expected = sum(p * Fraction(m, 10_000) for p, m in zip(model_hit_probabilities(picks), row, strict=True))
    assert keno.theoretical_rtp(choice(list(range(1, picks + 1))), TABLE) == expected
    assert Fraction(96, 100) <= expected <= Fraction(97, 100)  # the deployed default's design range


def _with_row(picks: int, row: list[int]) -> list[list[int]]:
    table = [list(r) for r in TABLE]
    table[picks - 1] = row
    return table


def test_tables_outside_the_caps_are_refused() -> None:
    # one pick wins with probability 1/4, so its RTP is multiplier / 4
    assert keno.check_table(_with_row(1, [0, 39_200]))[0] == (0, 39_200)  # 98 %: at the cap
    with pytest.raises(ValueError, match="outside"):
        keno.check_table(_with_row(1, [0, 39_201]))  # 98.0025 %
    assert keno.check_table(_with_row(1, [0, 38_000]))[0] == (0, 38_000)  # 95 %: at the floor
    with pytest.raises(ValueError, match="outside"):
        keno.check_table(_with_row(1, [0, 37_999]))
    with pytest.raises(ValueError, match="cap"):
        keno.check_table(_with_row(10, [0, 0, 0, 10_000, 15_000, 50_000, 250_000, 1_000_000, 5_000_000, 1, 10**9 + 1]))
    with pytest.raises(ValueError, match="never pays more"):
        keno.check_table(_with_row(2, [9_600, 10_000, 10_000]))
    with pytest.raises(ValueError, match="multipliers"):
        keno.check_table(_with_row(3, [0, 0, 37_500]))
    with pytest.raises(ValueError, match="one row per pick count"):
        keno.check_table(TABLE[:9])


def test_seeded_run_returns_the_model_rtp_within_its_interval() -> None:
    """60,000 random words per pick count; each row's observed return per unit staked lies within
    4.5 standard deviations of the model's mean (a fair rule fails with probability ~1e-5 per row).
    Rows with a high variance (a 10,000x top prize) get a wide but honest bound."""
    rng = random.Random(1559)
    rolls = 60_000
    stake = 10**18
    for picks in range(1, 11):
        row = TABLE[picks - 1]
        probabilities = model_hit_probabilities(picks)
        returns = [Fraction(stake * m // 10_000, stake) for m in row]
        mean = sum((p * x for p, x in zip(probabilities, returns, strict=True)), Fraction(0))
        variance = sum((p * (x - mean) ** 2 for p, x in zip(probabilities, returns, strict=True)), Fraction(0))
        pick = choice(list(range(1, picks + 1)))
        paid = sum(keno.roll_payout(stake, pick, 0, rng.getrandbits(256), TABLE) for _ in range(rolls))
        bound = 4.5 * math.sqrt(variance / rolls)
        assert abs(paid / (rolls * stake) - float(mean)) <= bound, picks


@given(picks=pick_lists, stake=st.integers(1, 2**96), word=words)
def test_table_rules_and_distribution_follow_the_model(picks: list[int], stake: int, word: int) -> None:
    bound = keno.Tables({3: TABLE})
    pick = choice(picks, table_id=3)
    row = TABLE[len(picks) - 1]
    expected = list(zip(model_hit_probabilities(len(picks)), [stake * m // 10_000 for m in row], strict=True))
    assert bound.roll_distribution(stake, pick, 0) == expected
    assert bound.roll_terms(stake, pick, 0) == keno.roll_terms(stake, pick, 0, TABLE)
    assert bound.roll_payout(stake, pick, 0, word) == keno.roll_payout(stake, pick, 0, word, TABLE)
    assert bound.choice_details(pick) == {"tableId": 3, "picks": sorted(picks)}


def test_tables_refuse_an_unknown_table() -> None:
    with pytest.raises(ValueError, match="no payout table 4"):
        keno.Tables({3: TABLE}).roll_payout(1, choice([1], table_id=4), 0, 0)


def test_row_rules_are_the_tables_row_and_refuse_another_pick_count() -> None:
    row = keno.RowRules(TABLE[2])
    pick = choice([4, 5, 6])
    assert row.roll_terms(10**18, pick, 0) == keno.roll_terms(10**18, pick, 0, TABLE)
    assert row.roll_payout(10**18, pick, 0, 7) == keno.roll_payout(10**18, pick, 0, 7, TABLE)
    with pytest.raises(ValueError, match="row is for 3 picks"):
        row.roll_terms(10**18, choice([4, 5]), 0)
