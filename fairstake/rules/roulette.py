"""Single-zero (European) roulette. Mirrors contracts/games/roulette/RouletteRules.sol.

A word lands the ball in pocket word % 37 (0..36). A bet is 1..16 number sets, each a bit mask
over the pockets (bit n = number n) with its part of the stake, the parts summing to the stake;
the choice is the canonical `abi.encode(uint64[] masks, uint256[] parts)`. A set of k numbers
that holds the pocket pays part * 36 * (10000 - edge_bps) // (k * 10000); the bet pays the sum
over the sets that hold the pocket. The standard bets of the European table are named below
(`straight`, `split`, `street`, `corner`, `six_line`, `red`, `dozen`, `column`, ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

BPS = 10_000
POCKETS = 37
PAYOUT_NUMBERS = 36
MAX_SETS = 16
MAX_EDGE_BPS = 200
ALL_POCKETS = (1 << POCKETS) - 1
WORD_LIMIT = 2**256
_WORD = 32
_UINT64 = 2**64

# The European wheel's red numbers; every other number but 0 is black.
RED_NUMBERS = frozenset((1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36))


def mask_of(numbers: Sequence[int]) -> int:
    """The bit mask of a set of numbers 0..36."""
    mask = 0
    for n in numbers:
        if not 0 <= n <= 36:
            raise ValueError(f"roulette numbers are 0..36, got {n}")
        mask |= 1 << n
    return mask


def numbers_of(mask: int) -> tuple[int, ...]:
    return tuple(n for n in range(POCKETS) if mask >> n & 1)


# The table: numbers 1..36 in 12 rows of three (row r holds 3r-2, 3r-1, 3r), zero above them.
def straight(n: int) -> int:
    return mask_of([n])


def split(a: int, b: int) -> int:
    """Two neighbours on the table: side by side in a row, one above the other, or 0 with 1, 2 or 3."""
    low, high = sorted((a, b))
    if low < 0 or high > 36:
        raise ValueError(f"roulette numbers are 0..36, got {a} and {b}")
    beside = low >= 1 and high - low == 1 and low % 3 != 0
    above = low >= 1 and high - low == 3
    if not (beside or above or (low == 0 and high <= 3)):
        raise ValueError(f"{a} and {b} are not neighbours on the table")
    return mask_of([low, high])


def street(row: int) -> int:
    """A row of three: row 1..12 holds 3*row-2 .. 3*row."""
    if not 1 <= row <= 12:
        raise ValueError(f"a street is row 1..12, got {row}")
    return mask_of(range(3 * row - 2, 3 * row + 1))


def corner(top_left: int) -> int:
    """The four numbers whose smallest is `top_left` (not in the third column, at most 32)."""
    if not (1 <= top_left <= 32 and top_left % 3 != 0):
        raise ValueError(f"no corner starts at {top_left}")
    return mask_of([top_left, top_left + 1, top_left + 3, top_left + 4])


def six_line(row: int) -> int:
    """Two neighbouring rows: row 1..11 and the next."""
    if not 1 <= row <= 11:
        raise ValueError(f"a six line starts at row 1..11, got {row}")
    return street(row) | street(row + 1)


def first_four() -> int:
    return mask_of([0, 1, 2, 3])


def red() -> int:
    return mask_of(sorted(RED_NUMBERS))


def black() -> int:
    return mask_of([n for n in range(1, 37) if n not in RED_NUMBERS])


def odd() -> int:
    return mask_of(range(1, 37, 2))


def even() -> int:
    return mask_of(range(2, 37, 2))


def low() -> int:
    return mask_of(range(1, 19))


def high() -> int:
    return mask_of(range(19, 37))


def dozen(n: int) -> int:
    """Dozen 1..3: 1-12, 13-24, 25-36."""
    if not 1 <= n <= 3:
        raise ValueError(f"a dozen is 1..3, got {n}")
    return mask_of(range(12 * n - 11, 12 * n + 1))


def column(n: int) -> int:
    """Column 1..3: the numbers 1..36 that are n modulo 3 (column 3: the multiples of 3)."""
    if not 1 <= n <= 3:
        raise ValueError(f"a column is 1..3, got {n}")
    return mask_of(range(n, 37, 3))


def _check_edge(edge_bps: int) -> None:
    if not 0 <= edge_bps <= MAX_EDGE_BPS:
        raise ValueError(f"edge must be in 0..{MAX_EDGE_BPS} bps, got {edge_bps}")


def encode_choice(masks: Sequence[int], parts: Sequence[int]) -> bytes:
    """The canonical `abi.encode(uint64[] masks, uint256[] parts)`."""
    if len(masks) != len(parts):
        raise ValueError("one part per set")
    count = len(masks)
    if not all(0 <= m < _UINT64 for m in masks) or not all(0 <= p < WORD_LIMIT for p in parts):
        raise ValueError("masks are uint64, parts uint256")
    words = [2 * _WORD, (3 + count) * _WORD, count, *masks, count, *parts]
    return b"".join(w.to_bytes(_WORD, "big") for w in words)


def decode_choice(choice: bytes) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(masks, parts) of a choice; anything but the canonical encoding is refused, as the
    contract does (BadChoice)."""
    length = len(choice)
    if length < 4 * _WORD or (length - 4 * _WORD) % (2 * _WORD):
        raise ValueError("a roulette choice is abi.encode(uint64[] masks, uint256[] parts)")
    count = (length - 4 * _WORD) // (2 * _WORD)
    words = [int.from_bytes(choice[i : i + _WORD], "big") for i in range(0, length, _WORD)]
    if words[0] != 2 * _WORD or words[1] != (3 + count) * _WORD or words[2] != count or words[3 + count] != count:
        raise ValueError("a roulette choice is abi.encode(uint64[] masks, uint256[] parts) of equal lengths")
    masks = tuple(words[3 : 3 + count])
    if any(m >= _UINT64 for m in masks):
        raise ValueError("roulette masks are uint64")
    return masks, tuple(words[4 + count :])


def check_choice(masks: Sequence[int], parts: Sequence[int], stake: int) -> None:
    """What the contract refuses, in its order: BadSetCount, BadNumberSet, ZeroPart, PartsNotStake."""
    if not 1 <= len(masks) <= MAX_SETS:
        raise ValueError(f"a bet covers 1..{MAX_SETS} number sets, got {len(masks)}")
    for i, (mask, part) in enumerate(zip(masks, parts, strict=True)):
        if mask == 0 or mask & ~ALL_POCKETS:
            raise ValueError(f"set {i} must be a non-empty set of the numbers 0..36")
        if part == 0:
            raise ValueError(f"set {i} has no part of the stake")
    if sum(parts) != stake:
        raise ValueError(f"the parts add up to {sum(parts)}, not the stake {stake}")


def pocket(word: int) -> int:
    """The pocket (0..36) a 256-bit random word lands the ball in."""
    if not 0 <= word < WORD_LIMIT:
        raise ValueError("a random word is a uint256")
    return word % POCKETS


def set_payout(part: int, mask: int, edge_bps: int) -> int:
    """What one set pays when the pocket is in it, rounded down."""
    _check_edge(edge_bps)
    return part * PAYOUT_NUMBERS * (BPS - edge_bps) // (mask.bit_count() * BPS)


def payout(word: int, masks: Sequence[int], parts: Sequence[int], edge_bps: int) -> int:
    hit = pocket(word)
    return sum(set_payout(p, m, edge_bps) for m, p in zip(masks, parts, strict=True) if m >> hit & 1)


def payouts_by_pocket(masks: Sequence[int], parts: Sequence[int], edge_bps: int) -> tuple[int, ...]:
    """What the bet pays for each pocket 0..36."""
    paid = [set_payout(p, m, edge_bps) for m, p in zip(masks, parts, strict=True)]
    return tuple(sum(w for m, w in zip(masks, paid, strict=True) if m >> n & 1) for n in range(POCKETS))


def terms(masks: Sequence[int], parts: Sequence[int], stake: int, edge_bps: int) -> tuple[int, int]:
    """(true maximum payout over the 37 pockets, house edge = stake - expected payout rounded up)."""
    expected37 = sum(set_payout(p, m, edge_bps) * m.bit_count() for m, p in zip(masks, parts, strict=True))
    return max(payouts_by_pocket(masks, parts, edge_bps)), stake - -(-expected37 // POCKETS)


def roll_terms(stake: int, choice: bytes, edge_bps: int) -> tuple[int, int]:
    """(maximum payout, house edge) of one spin, as the contract's `_rollTerms`."""
    masks, parts = decode_choice(choice)
    check_choice(masks, parts, stake)
    return terms(masks, parts, stake, edge_bps)


def roll_payout(stake: int, choice: bytes, edge_bps: int, word: int) -> int:
    """What one spin pays for `word`, as the contract's `_rollPayout`."""
    masks, parts = decode_choice(choice)
    return payout(word, masks, parts, edge_bps)


def choice_details(choice: bytes) -> dict[str, list[list[int]] | list[str]]:
    """The decoded choice, as the indexer stores it in a bet's details: each set's numbers and
    its part (a decimal string: parts exceed what a JSON number holds exactly)."""
    masks, parts = decode_choice(choice)
    return {"sets": [list(numbers_of(m)) for m in masks], "parts": [str(p) for p in parts]}


def roll_distribution(stake: int, choice: bytes, edge_bps: int) -> list[tuple[Fraction, int]]:
    """Every pocket's payout of one spin with its probability, 1/37."""
    masks, parts = decode_choice(choice)
    return [(Fraction(1, POCKETS), w) for w in payouts_by_pocket(masks, parts, edge_bps)]


def theoretical_rtp(edge_bps: int) -> float:
    """Expected payout per unit staked, ignoring rounding: the same for every bet."""
    _check_edge(edge_bps)
    return PAYOUT_NUMBERS / POCKETS * (BPS - edge_bps) / BPS


def exact_rtp(stake: int, choice: bytes, edge_bps: int) -> Fraction:
    """Expected payout per unit staked of this exact bet, rounding included."""
    masks, parts = decode_choice(choice)
    check_choice(masks, parts, stake)
    return Fraction(sum(payouts_by_pocket(masks, parts, edge_bps)), POCKETS * stake)


def payout_moments(stake: int, choice: bytes, edge_bps: int) -> tuple[Fraction, Fraction]:
    """(mean, variance) of one spin's payout in token units, exactly."""
    masks, parts = decode_choice(choice)
    by_pocket = payouts_by_pocket(masks, parts, edge_bps)
    mean = Fraction(sum(by_pocket), POCKETS)
    return mean, Fraction(sum(w * w for w in by_pocket), POCKETS) - mean * mean
