"""Tournament payouts. Mirrors contracts/games/tournament/Tournament.sol; the payout rule itself is the one
Match uses (fairstake.rules.match.split_pool): rake floors, each place floors, and first place
takes the rest, including the shares of places left empty when fewer players entered than the
prize table has places.

A result ranks min(places, entrants) winners; a tournament needs at least two entrants to be
settled (fewer: cancelled and refunded). An empty winners list voids it (full refunds).
"""

from __future__ import annotations

from collections.abc import Sequence

from fairstake.rules.match import PoolSplit, RulesError, require_distinct, split_pool, validate_shares

MIN_ENTRANTS = 2
MAX_ENTRANTS = 4096


def winners_expected(places: int, entrants: int) -> int:
    """How many winners a result must rank."""
    return min(places, entrants)


def tournament_split(entry_fee: int, entrants: int, rake_bps: int, prizes: Sequence[int]) -> PoolSplit:
    """Payouts by place of a tournament with `entrants` paid entries."""
    if entry_fee <= 0:
        raise RulesError("the entry fee must be positive")
    if not MIN_ENTRANTS <= entrants <= MAX_ENTRANTS:
        raise RulesError(f"a tournament settles with {MIN_ENTRANTS}..{MAX_ENTRANTS} entrants, got {entrants}")
    validate_shares(prizes, MAX_ENTRANTS)
    return split_pool(entry_fee * entrants, rake_bps, prizes, winners_expected(len(prizes), entrants))


def tournament_payouts(
    entry_fee: int, entrants: int, rake_bps: int, prizes: Sequence[int], winners: Sequence[str]
) -> dict[str, int]:
    """Each winner's prize, keyed as given; `winners` first place first."""
    expected = winners_expected(len(prizes), entrants)
    if len(winners) != expected:
        raise RulesError(f"the result must rank {expected} winners, got {len(winners)}")
    require_distinct(winners)
    split = tournament_split(entry_fee, entrants, rake_bps, prizes)
    return dict(zip(winners, split.payouts, strict=True))
