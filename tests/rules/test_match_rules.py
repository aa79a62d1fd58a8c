"""fairstake.rules.match: the payout rule in isolation (chain equality is proven in
tests/contracts/games/test_match_rules_chain.py)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairstake.rules.match import (
    RulesError,
    match_payouts,
    match_split,
    split_pool,
    validate_shares,
)

PLAYERS = [f"0x{i:040x}" for i in range(1, 17)]


@st.composite
def share_tables(draw: st.DrawFn, max_places: int = 16) -> list[int]:
    places = draw(st.integers(1, max_places))
    cuts = sorted(draw(st.lists(st.integers(0, 10_000), min_size=places - 1, max_size=places - 1)))
    bounds = [0, *cuts, 10_000]
    return [bounds[i + 1] - bounds[i] for i in range(places)]


def test_winner_takes_all_with_rake() -> None:
    assert match_payouts(100, 500, [10_000], PLAYERS[:2]) == {PLAYERS[0]: 190, PLAYERS[1]: 0}


def test_dust_goes_to_first_place() -> None:
    split = split_pool(total=100, rake_bps=0, shares=[3_333, 3_333, 3_334], ranked=3)
    assert split.payouts == (34, 33, 33)
    split = split_pool(total=7, rake_bps=1_000, shares=[5_000, 5_000], ranked=2)
    assert (split.rake, split.payouts) == (0, (4, 3))


def test_rake_floors() -> None:
    assert split_pool(total=19, rake_bps=1_000, shares=[10_000], ranked=2).rake == 1
    assert split_pool(total=9, rake_bps=1_000, shares=[10_000], ranked=2).rake == 0


def test_unpaid_ranks_get_zero() -> None:
    payouts = match_payouts(10, 0, [7_000, 3_000], PLAYERS[:4])
    assert payouts == {PLAYERS[0]: 28, PLAYERS[1]: 12, PLAYERS[2]: 0, PLAYERS[3]: 0}


@pytest.mark.parametrize(
    "shares",
    [[], [10_001], [5_000, 4_999], [2**16, 10_000 - 2**16], [625] * 16 + [0]],
)
def test_bad_share_tables(shares: list[int]) -> None:
    with pytest.raises(RulesError):
        validate_shares(shares, 16)


def test_bad_parameters() -> None:
    with pytest.raises(RulesError):
        match_split(0, 0, [10_000], 2)
    with pytest.raises(RulesError):
        match_split(1, 0, [10_000], 1)
    with pytest.raises(RulesError):
        match_split(1, 0, [10_000], 17)
    with pytest.raises(RulesError):
        match_split(1, 1_001, [10_000], 2)
    with pytest.raises(RulesError):
        match_split(1, 0, [5_000, 2_500, 2_500], 2)  # more places than seats
    with pytest.raises(RulesError):
        match_payouts(1, 0, [10_000], [PLAYERS[0], PLAYERS[0].upper().replace("0X", "0x")])


@given(
    entry=st.integers(1, 10**30),
    seats=st.integers(2, 16),
    rake=st.integers(0, 1_000),
    data=st.data(),
)
def test_every_unit_is_paid_or_raked(entry: int, seats: int, rake: int, data: st.DataObject) -> None:
    shares = data.draw(share_tables(max_places=seats))
    split = match_split(entry, rake, shares, seats)
    assert split.rake + sum(split.payouts) == entry * seats
    assert split.rake <= entry * seats * 1_000 // 10_000
    assert all(p >= 0 for p in split.payouts)
    # Rounding only ever favours first place, and by less than one unit per paid place.
    for place, share in enumerate(shares):
        exact = split.net * share // 10_000
        if place == 0:
            assert 0 <= split.payouts[0] - exact < len(shares)
        else:
            assert split.payouts[place] == exact
