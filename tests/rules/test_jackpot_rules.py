from itertools import accumulate

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairstake.rules import jackpot


def test_winning_ticket() -> None:
    assert jackpot.winning_ticket(10, 3) == 1
    assert jackpot.winning_ticket(2**256 - 1, 1) == 0
    with pytest.raises(ValueError):
        jackpot.winning_ticket(5, 0)
    with pytest.raises(ValueError):
        jackpot.winning_ticket(2**256, 3)


def test_winner_index_boundaries() -> None:
    ends = [3, 4, 10]
    assert [jackpot.winner_index(ends, t) for t in range(10)] == [0, 0, 0, 1, 2, 2, 2, 2, 2, 2]
    with pytest.raises(ValueError):
        jackpot.winner_index(ends, 10)
    with pytest.raises(ValueError):
        jackpot.winner_index([], 0)


@given(
    counts=st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=40),
    word=st.integers(0, 2**256 - 1),
)
def test_winner_holds_the_ticket(counts: list[int], word: int) -> None:
    ends = list(accumulate(counts))
    ticket, index = jackpot.draw(word, ends)
    start = ends[index - 1] if index else 0
    assert start <= ticket < ends[index]


def test_winner_is_proportional_to_tickets() -> None:
    ends = list(accumulate([1, 3, 6]))
    wins = [0, 0, 0]
    for word in range(ends[-1] * 100):
        wins[jackpot.draw(word, ends)[1]] += 1
    assert wins == [100, 300, 600]


def test_prize_and_rake() -> None:
    assert jackpot.prize_and_rake(1000, 500) == (950, 50)
    assert jackpot.prize_and_rake(999, 500) == (950, 49)
    # rolled-over money is not raked twice
    assert jackpot.prize_and_rake(1500, 500, rolled_over=500) == (1450, 50)
    assert jackpot.prize_and_rake(0, 0) == (0, 0)
    for bad in [(100, 501), (100, -1), (100, 100, 101)]:
        with pytest.raises(ValueError):
            jackpot.prize_and_rake(*bad)


@given(total=st.integers(0, 10**30), rake_bps=st.integers(0, 500), data=st.data())
def test_prize_plus_rake_is_the_pool(total: int, rake_bps: int, data: st.DataObject) -> None:
    rolled = data.draw(st.integers(0, total))
    prize, rake = jackpot.prize_and_rake(total, rake_bps, rolled)
    assert prize + rake == total
    assert rake * 10_000 <= (total - rolled) * rake_bps < (rake + 1) * 10_000
