"""Dice: roll-under. Mirrors contracts/games/dice/DiceRules.sol.

A bet names a target in 1..99; the random word gives roll = word % 100 (0..99); the bet wins
iff roll < target, so it wins with probability target / 100. A win pays
stake * 100 * (10000 - edge_bps) // (target * 10000), which makes the expected return
(10000 - edge_bps) / 10000 of the stake for every target, up to rounding down.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

ROLL_RANGE = 100
MIN_TARGET = 1
MAX_TARGET = 99
BPS = 10_000
MAX_EDGE_BPS = 500
WORD_LIMIT = 2**256


@dataclass(frozen=True)
class DiceOutcome:
    roll: int
    won: bool
    payout: int


def _check_target(target: int) -> None:
    if not MIN_TARGET <= target <= MAX_TARGET:
        raise ValueError(f"target must be in {MIN_TARGET}..{MAX_TARGET}, got {target}")


def _check_edge(edge_bps: int) -> None:
    if not 0 <= edge_bps <= MAX_EDGE_BPS:
        raise ValueError(f"edge must be in 0..{MAX_EDGE_BPS} bps, got {edge_bps}")


def roll(word: int) -> int:
    """The roll (0..99) a 256-bit random word gives."""
    if not 0 <= word < WORD_LIMIT:
        raise ValueError("a random word is a uint256")
    return word % ROLL_RANGE


def payout_if_win(stake: int, target: int, edge_bps: int) -> int:
    """What a winning bet pays in total (stake included), rounded down."""
    _check_target(target)
    _check_edge(edge_bps)
    if stake < 0:
        raise ValueError("stake must not be negative")
    return stake * ROLL_RANGE * (BPS - edge_bps) // (target * BPS)


def house_edge(stake: int, target: int, edge_bps: int) -> int:
    """The bet's expected gain to the bankroll in token units, as Dice declares it to the Vault:
    stake minus the expected payout payout_if_win * target / 100 rounded up (DiceRules.houseEdge).
    The Vault's protocol fee is this times the fee share."""
    win_payout = payout_if_win(stake, target, edge_bps)
    return stake - -(-win_payout * target // ROLL_RANGE)


def outcome(word: int, stake: int, target: int, edge_bps: int) -> DiceOutcome:
    """The settled result of a bet for the random word the coordinator delivered."""
    rolled = roll(word)
    won = rolled < target
    win_payout = payout_if_win(stake, target, edge_bps)
    return DiceOutcome(roll=rolled, won=won, payout=win_payout if won else 0)


def win_probability(target: int) -> Fraction:
    _check_target(target)
    return Fraction(target, ROLL_RANGE)


def theoretical_rtp(edge_bps: int) -> float:
    """Expected payout per unit staked, ignoring rounding: the same for every target."""
    _check_edge(edge_bps)
    return (BPS - edge_bps) / BPS


def exact_rtp(stake: int, target: int, edge_bps: int) -> Fraction:
    """Expected payout per unit staked for this exact stake, rounding included."""
    if stake <= 0:
        raise ValueError("stake must be positive")
    return win_probability(target) * Fraction(payout_if_win(stake, target, edge_bps), stake)


def return_std_dev(target: int, edge_bps: int) -> float:
    """Standard deviation of one bet's return per unit staked (for statistical bounds)."""
    p = float(win_probability(target))
    multiplier = ROLL_RANGE * (BPS - edge_bps) / (target * BPS)
    return multiplier * (p * (1 - p)) ** 0.5
