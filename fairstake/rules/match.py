"""Skill Match payouts. Mirrors contracts/games/match/Match.sol and the payout rule of
contracts/games/base/SignedResults.sol, integer for integer:

    rake = total * rake_bps // 10000
    net  = total - rake
    place i (0-based, for the places that have a ranked player) gets net * share[i] // 10000
    the first-ranked player also gets everything left over: the rounding dust and the shares of
    places nobody filled (tournaments with fewer entrants than places)

A Match ranks every player (first place first); the pool is entry * players. An empty ranking
voids the match: every entry is refunded and nothing is paid or raked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BPS = 10_000
MAX_RAKE_BPS = 1_000
MAX_PLACES = 16
MAX_PLAYERS = 16
MIN_PLAYERS = 2


class RulesError(ValueError):
    """Parameters or a result the contracts would reject."""


@dataclass(frozen=True)
class PoolSplit:
    """How a closed pool is paid out: `payouts[i]` to the player ranked i (0 = first place)."""

    total: int
    rake: int
    payouts: tuple[int, ...]

    @property
    def net(self) -> int:
        return self.total - self.rake


def validate_shares(shares: Sequence[int], max_places: int) -> None:
    """A share table as the contracts accept it: 1..min(16, max_places) places in bps summing to 10000."""
    if not 1 <= len(shares) <= min(MAX_PLACES, max_places):
        raise RulesError(f"a share table has 1..{min(MAX_PLACES, max_places)} places, got {len(shares)}")
    if any(not 0 <= s < 2**16 for s in shares) or sum(shares) != BPS:
        raise RulesError(f"shares must be uint16 basis points summing to {BPS}, got {list(shares)}")


def split_pool(total: int, rake_bps: int, shares: Sequence[int], ranked: int) -> PoolSplit:
    """The payout rule shared by Match and Tournament for `ranked` ranked players (see module doc)."""
    if total < 0:
        raise RulesError("a pool total cannot be negative")
    if not 0 <= rake_bps <= MAX_RAKE_BPS:
        raise RulesError(f"rake must be 0..{MAX_RAKE_BPS} bps, got {rake_bps}")
    if ranked < 1:
        raise RulesError("a result ranks at least one player")
    rake = total * rake_bps // BPS
    net = total - rake
    payouts = [0] * ranked
    for place in range(min(ranked, len(shares))):
        payouts[place] = net * shares[place] // BPS
    payouts[0] += net - sum(payouts)
    return PoolSplit(total=total, rake=rake, payouts=tuple(payouts))


def require_distinct(players: Sequence[str]) -> None:
    """RulesError unless every address appears once (case-insensitive), as the contracts require."""
    lowered = [p.lower() for p in players]
    if len(set(lowered)) != len(lowered):
        raise RulesError("a result lists every player at most once")


def match_split(entry: int, rake_bps: int, shares: Sequence[int], players: int) -> PoolSplit:
    """Payouts by rank of a full match of `players` seats at `entry` each."""
    if entry <= 0:
        raise RulesError("the entry must be positive")
    if not MIN_PLAYERS <= players <= MAX_PLAYERS:
        raise RulesError(f"a match seats {MIN_PLAYERS}..{MAX_PLAYERS} players, got {players}")
    validate_shares(shares, players)
    return split_pool(entry * players, rake_bps, shares, players)


def match_payouts(entry: int, rake_bps: int, shares: Sequence[int], ranking: Sequence[str]) -> dict[str, int]:
    """Each player's payout (0 for unpaid ranks) for `ranking`, first place first, keyed as given."""
    require_distinct(ranking)
    split = match_split(entry, rake_bps, shares, len(ranking))
    return dict(zip(ranking, split.payouts, strict=True))
