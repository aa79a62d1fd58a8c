"""Jackpot: one winner per round, drawn in proportion to tickets. Mirrors
contracts/games/jackpot/JackpotRules.sol.

Purchases append ranges of ticket numbers: purchase i holds tickets
[cumulative_ends[i-1], cumulative_ends[i]) (the first starts at 0). The winning ticket is
word % total_tickets and the winning purchase is the first whose cumulative end exceeds it,
found by binary search. Rake is taken on the round's ticket sales only: a prize rolled over
from an earlier round was raked there already.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

BPS = 10_000
MAX_RAKE_BPS = 500
WORD_LIMIT = 2**256


def winning_ticket(word: int, total_tickets: int) -> int:
    """The winning ticket number (0-based) a random word gives."""
    if not 0 <= word < WORD_LIMIT:
        raise ValueError("a random word is a uint256")
    if total_tickets <= 0:
        raise ValueError("a round without tickets has no winner")
    return word % total_tickets


def winner_index(cumulative_ends: Sequence[int], ticket: int) -> int:
    """Index of the purchase holding `ticket`: the first with cumulative end > ticket."""
    if not cumulative_ends or not 0 <= ticket < cumulative_ends[-1]:
        raise ValueError(f"ticket {ticket} is outside the sold range")
    return bisect_right(cumulative_ends, ticket)


def prize_and_rake(pool_total: int, rake_bps: int, rolled_over: int = 0) -> tuple[int, int]:
    """(prize, rake) of a drawn round whose pool holds `pool_total`, `rolled_over` of which
    came from earlier rounds' unclaimed prizes. Rake rounds down; the prize is the rest."""
    if not 0 <= rake_bps <= MAX_RAKE_BPS:
        raise ValueError(f"rake must be in 0..{MAX_RAKE_BPS} bps, got {rake_bps}")
    if not 0 <= rolled_over <= pool_total:
        raise ValueError("the rolled-over amount is part of the pool")
    rake = (pool_total - rolled_over) * rake_bps // BPS
    return pool_total - rake, rake


def draw(word: int, cumulative_ends: Sequence[int]) -> tuple[int, int]:
    """(winning ticket, winning purchase index) for a round's purchases."""
    ticket = winning_ticket(word, cumulative_ends[-1] if cumulative_ends else 0)
    return ticket, winner_index(cumulative_ends, ticket)
