"""fairstake.rules.tournament (chain equality: tests/contracts/games/test_tournament_rules_chain.py)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairstake.rules.match import RulesError
from fairstake.rules.tournament import tournament_payouts, tournament_split, winners_expected

PLAYERS = [f"0x{i:040x}" for i in range(1, 40)]


def test_prize_table() -> None:
    payouts = tournament_payouts(10, 10, 0, [5_000, 3_000, 2_000], PLAYERS[:3])
    assert payouts == {PLAYERS[0]: 50, PLAYERS[1]: 30, PLAYERS[2]: 20}


def test_unfilled_places_go_to_first_place() -> None:
    prizes = [5_000, 2_500, 1_500, 1_000]
    assert winners_expected(len(prizes), 2) == 2
    payouts = tournament_payouts(100, 2, 1_000, prizes, PLAYERS[:2])
    assert payouts == {PLAYERS[0]: 180 - 45, PLAYERS[1]: 45}


def test_winner_count_must_match() -> None:
    with pytest.raises(RulesError):
        tournament_payouts(10, 5, 0, [6_000, 4_000], PLAYERS[:1])
    with pytest.raises(RulesError):
        tournament_payouts(10, 5, 0, [6_000, 4_000], PLAYERS[:3])
    with pytest.raises(RulesError):
        tournament_payouts(10, 5, 0, [6_000, 4_000], [PLAYERS[0], PLAYERS[0]])


def test_bad_parameters() -> None:
    with pytest.raises(RulesError):
        tournament_split(10, 1, 0, [10_000])
    with pytest.raises(RulesError):
        tournament_split(10, 4097, 0, [10_000])
    with pytest.raises(RulesError):
        tournament_split(0, 2, 0, [10_000])
    with pytest.raises(RulesError):
        tournament_split(10, 2, 2_000, [10_000])


@given(
    fee=st.integers(1, 10**24),
    entrants=st.integers(2, 4096),
    rake=st.integers(0, 1_000),
    prizes=st.lists(st.integers(1, 100), min_size=1, max_size=16),
)
def test_conservation(fee: int, entrants: int, rake: int, prizes: list[int]) -> None:
    # Scale arbitrary weights to a valid table summing to 10000 (remainder to the first place).
    table = [w * 10_000 // sum(prizes) for w in prizes]
    table[0] += 10_000 - sum(table)
    split = tournament_split(fee, entrants, rake, table)
    assert len(split.payouts) == min(len(table), entrants)
    assert split.rake + sum(split.payouts) == fee * entrants
