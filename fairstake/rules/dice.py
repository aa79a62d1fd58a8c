"""Dice: roll-under or roll-over. Mirrors contracts/games/dice/DiceRules.sol and Dice.sol's hooks.

A bet's choice is abi.encode(uint8 target, bool over). The random word gives roll = word % 100
(0..99). Roll-under (over False, target 1..99) wins iff roll < target: `target` winning outcomes;
roll-over (over True, target 0..98) wins iff roll > target: 99 - target winning outcomes. A win
pays stake * 100 * (10000 - edge_bps) // (outcomes * 10000), which makes the expected return
(10000 - edge_bps) / 10000 of the stake for every bet, up to rounding down.

`roll_terms`, `roll_payout`, `encode_choice` and `decode_choice` are the engine's hooks
(fairstake/rules/multiroll.py plays a multi-roll bet with them); the rest are Dice's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

ROLL_RANGE = 100
MIN_TARGET = 1
MAX_TARGET = 99
MAX_OVER_TARGET = 98
BPS = 10_000
MAX_EDGE_BPS = 500
WORD_LIMIT = 2**256


@dataclass(frozen=True)
class DiceChoice:
    target: int
    over: bool = False

    @property
    def outcomes(self) -> int:
        """How many of the 100 rolls win."""
        return ROLL_RANGE - 1 - self.target if self.over else self.target


@dataclass(frozen=True)
class DiceOutcome:
    roll: int
    won: bool
    payout: int


def check_choice(target: int, over: bool = False) -> DiceChoice:
    low, high = (0, MAX_OVER_TARGET) if over else (MIN_TARGET, MAX_TARGET)
    if not low <= target <= high:
        direction = "roll-over" if over else "roll-under"
        raise ValueError(f"a {direction} target must be in {low}..{high}, got {target}")
    return DiceChoice(target, over)


def _check_edge(edge_bps: int) -> None:
    if not 0 <= edge_bps <= MAX_EDGE_BPS:
        raise ValueError(f"edge must be in 0..{MAX_EDGE_BPS} bps, got {edge_bps}")


def encode_choice(target: int, over: bool = False) -> bytes:
    """abi.encode(uint8 target, bool over): the `choice` Dice takes."""
    check_choice(target, over)
    return target.to_bytes(32, "big") + int(over).to_bytes(32, "big")


def decode_choice(choice: bytes) -> DiceChoice:
    """The inverse of encode_choice; raises ValueError where Dice reverts BadChoice or BadTarget."""
    if len(choice) != 64:
        raise ValueError(f"a Dice choice is 64 bytes (abi.encode(uint8, bool)), got {len(choice)}")
    target, over = int.from_bytes(choice[:32], "big"), int.from_bytes(choice[32:], "big")
    if target > 255 or over > 1:
        raise ValueError("a Dice choice is abi.encode(uint8 target, bool over)")
    return check_choice(target, bool(over))


def choice_details(choice: bytes) -> dict[str, Any]:
    """The decoded choice as the indexer stores it next to the bet."""
    decoded = decode_choice(choice)
    return {"target": decoded.target, "over": decoded.over}


def roll(word: int) -> int:
    """The roll (0..99) a 256-bit random word gives."""
    if not 0 <= word < WORD_LIMIT:
        raise ValueError("a random word is a uint256")
    return word % ROLL_RANGE


def wins(rolled: int, target: int, over: bool = False) -> bool:
    return rolled > target if over else rolled < target


def payout_if_win(stake: int, target: int, edge_bps: int, over: bool = False) -> int:
    """What a winning roll pays in total (stake included), rounded down."""
    outcomes = check_choice(target, over).outcomes
    _check_edge(edge_bps)
    if stake < 0:
        raise ValueError("stake must not be negative")
    return stake * ROLL_RANGE * (BPS - edge_bps) // (outcomes * BPS)


def house_edge(stake: int, target: int, edge_bps: int, over: bool = False) -> int:
    """One roll's expected gain to the bankroll in token units, as Dice declares it: stake minus
    the expected payout payout_if_win * outcomes / 100 rounded up (DiceRules.houseEdge)."""
    win_payout = payout_if_win(stake, target, edge_bps, over)
    return stake - -(-win_payout * check_choice(target, over).outcomes // ROLL_RANGE)


def outcome(word: int, stake: int, target: int, edge_bps: int, over: bool = False) -> DiceOutcome:
    """One roll's result for a random word."""
    rolled = roll(word)
    won = wins(rolled, target, over)
    win_payout = payout_if_win(stake, target, edge_bps, over)
    return DiceOutcome(roll=rolled, won=won, payout=win_payout if won else 0)


def roll_terms(stake: int, choice: bytes, edge_bps: int) -> tuple[int, int]:
    """The engine's `_rollTerms`: (the most one roll pays, its house edge)."""
    c = decode_choice(choice)
    return payout_if_win(stake, c.target, edge_bps, c.over), house_edge(stake, c.target, edge_bps, c.over)


def roll_payout(stake: int, choice: bytes, edge_bps: int, word: int) -> int:
    """The engine's `_rollPayout`: what one roll pays for a word."""
    c = decode_choice(choice)
    return outcome(word, stake, c.target, edge_bps, c.over).payout


def win_probability(target: int, over: bool = False) -> Fraction:
    return Fraction(check_choice(target, over).outcomes, ROLL_RANGE)


def roll_distribution(stake: int, choice: bytes, edge_bps: int) -> list[tuple[Fraction, int]]:
    """Every payout one roll can make with its exact probability."""
    c = decode_choice(choice)
    p = win_probability(c.target, c.over)
    return [(p, payout_if_win(stake, c.target, edge_bps, c.over)), (1 - p, 0)]


def choice_win_probability(choice: bytes) -> float:
    c = decode_choice(choice)
    return float(win_probability(c.target, c.over))


def theoretical_rtp(edge_bps: int) -> float:
    """Expected payout per unit staked, ignoring rounding: the same for every bet."""
    _check_edge(edge_bps)
    return (BPS - edge_bps) / BPS


def exact_rtp(stake: int, target: int, edge_bps: int, over: bool = False) -> Fraction:
    """Expected payout per unit staked for this exact stake, rounding included."""
    if stake <= 0:
        raise ValueError("stake must be positive")
    return win_probability(target, over) * Fraction(payout_if_win(stake, target, edge_bps, over), stake)


def choice_rtp(stake: int, choice: bytes, edge_bps: int) -> Fraction:
    """The exact theoretical RTP of one roll of `choice` at `stake` (rounding included)."""
    c = decode_choice(choice)
    return exact_rtp(stake, c.target, edge_bps, c.over)


def return_std_dev(target: int, edge_bps: int, over: bool = False) -> float:
    """Standard deviation of one roll's return per unit staked (for statistical bounds)."""
    outcomes = check_choice(target, over).outcomes
    p = outcomes / ROLL_RANGE
    multiplier = ROLL_RANGE * (BPS - edge_bps) / (outcomes * BPS)
    return multiplier * (p * (1 - p)) ** 0.5
