"""Keno: pick 1..10 of the numbers 1..40, ten are drawn. Mirrors contracts/games/keno/KenoRules.sol
(and the table checks of contracts/games/keno/Keno.sol); web/src/games/keno/rules.js mirrors this.

A bet's choice is abi.encode(uint32 tableId, uint64 picksMask): bit n - 1 of the mask picks number
n. The table (set by governance under an id, immutable once added) gives one row of multipliers
per pick count k = 1..10, row k holding k + 1 multipliers in basis points (10_000 = 1x) for
0..k hits. A roll pays stake * row[hits] // 10_000.

The draw, the one derivation shared by the three languages: with x = word and the pool
[1, ..., 40], for j = 0..9 take n = 40 - j, r = x % n, x //= n and swap pool[j] with pool[j + r];
the drawn numbers are pool[0..9] in that order (a partial Fisher-Yates shuffle on the word's
mixed-radix digits; the digits use fewer than 2^52 of its 2^256 values, so each ordered draw is
equally likely up to a bias below 2^-200).

With k picks, P(h hits) = C(k, h) C(40 - k, 10 - h) / C(40, 10). Governance's tables are refused
unless every row's return to player lies in MIN_RTP_BPS..MAX_RTP_BPS, every multiplier is at most
MAX_MULTIPLIER_BPS and some outcome of every row pays more than the stake. The engine's edge is
unused by Keno: its house edge comes from the table, so the edge in force is always 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from math import comb
from typing import Any

NUMBERS = 40
DRAWN = 10
MAX_PICKS = 10
BPS = 10_000
DRAWS = comb(NUMBERS, DRAWN)
# Hard caps in Keno.sol: a table row's RTP lies in [MIN_RTP_BPS, MAX_RTP_BPS] (a house edge of
# 2..5 %), no multiplier exceeds MAX_MULTIPLIER_BPS (100,000x).
MIN_RTP_BPS = 9_500
MAX_RTP_BPS = 9_800
MAX_MULTIPLIER_BPS = 1_000_000_000
MAX_EDGE_BPS = 0  # the engine's edge is unused: the table sets the house edge
WORD_LIMIT = 2**256
_UINT32 = 2**32
_UINT64 = 2**64

Row = tuple[int, ...]
KenoTable = tuple[Row, ...]


def _check_word(word: int) -> None:
    if not 0 <= word < WORD_LIMIT:
        raise ValueError("a random word is a uint256")


def draw(word: int) -> tuple[int, ...]:
    """The ten drawn numbers (1..40) of a random word, in draw order."""
    _check_word(word)
    pool = list(range(1, NUMBERS + 1))
    x = word
    for j in range(DRAWN):
        left = NUMBERS - j
        x, r = divmod(x, left)
        pool[j], pool[j + r] = pool[j + r], pool[j]
    return tuple(pool[:DRAWN])


def mask_of(numbers: Iterable[int]) -> int:
    """The mask naming `numbers` (bit n - 1 for number n)."""
    mask = 0
    for n in numbers:
        if not 1 <= n <= NUMBERS:
            raise ValueError(f"a number is 1..{NUMBERS}, got {n}")
        if mask >> (n - 1) & 1:
            raise ValueError(f"number {n} named twice")
        mask |= 1 << (n - 1)
    return mask


def numbers_of(mask: int) -> tuple[int, ...]:
    """The numbers a mask names, ascending."""
    return tuple(n for n in range(1, NUMBERS + 1) if mask >> (n - 1) & 1)


def drawn_mask(word: int) -> int:
    return mask_of(draw(word))


def pick_count(picks_mask: int) -> int:
    """How many numbers a valid picks mask names (1..10); ValueError otherwise (Keno.sol: BadPicks)."""
    if not 0 < picks_mask < 2**NUMBERS:
        raise ValueError(f"picks must name numbers within 1..{NUMBERS}, got mask {picks_mask:#x}")
    count = picks_mask.bit_count()
    if count > MAX_PICKS:
        raise ValueError(f"at most {MAX_PICKS} picks, got {count}")
    return count


def hits(picks_mask: int, word: int) -> int:
    """How many of the picked numbers the word draws."""
    pick_count(picks_mask)
    return (picks_mask & drawn_mask(word)).bit_count()


def encode_choice(table_id: int, picks_mask: int) -> bytes:
    """abi.encode(uint32 tableId, uint64 picksMask)."""
    if not 0 <= table_id < _UINT32:
        raise ValueError("a table id is a uint32")
    if not 0 <= picks_mask < _UINT64:
        raise ValueError("a picks mask is a uint64")
    return table_id.to_bytes(32, "big") + picks_mask.to_bytes(32, "big")


def decode_choice(choice: bytes) -> tuple[int, int]:
    """(table id, picks mask) of an encoded choice; ValueError if it is not abi.encode(uint32, uint64)."""
    if len(choice) != 64:
        raise ValueError(f"a Keno choice is 64 bytes, got {len(choice)}")
    table_id = int.from_bytes(choice[:32], "big")
    picks_mask = int.from_bytes(choice[32:], "big")
    if table_id >= _UINT32 or picks_mask >= _UINT64:
        raise ValueError("a Keno choice is abi.encode(uint32 tableId, uint64 picksMask)")
    return table_id, picks_mask


@cache
def weights(picks: int) -> tuple[int, ...]:
    """For h = 0..picks: how many of the C(40, 10) drawn sets give h hits with `picks` numbers."""
    if not 1 <= picks <= MAX_PICKS:
        raise ValueError(f"picks is 1..{MAX_PICKS}, got {picks}")
    return tuple(comb(picks, h) * comb(NUMBERS - picks, DRAWN - h) for h in range(picks + 1))


def hit_probability(picks: int, hit_count: int) -> Fraction:
    return Fraction(weights(picks)[hit_count], DRAWS)


def payout(stake: int, multiplier_bps: int) -> int:
    return stake * multiplier_bps // BPS


def rtp_numerator(row: Sequence[int]) -> int:
    """sum_h weight * multiplier: the row's RTP times DRAWS * BPS (KenoRules.rtpNumerator)."""
    return sum(w * m for w, m in zip(weights(len(row) - 1), row, strict=True))


def row_rtp(row: Sequence[int]) -> Fraction:
    """A row's exact return to player per unit staked (the multipliers' rounding aside)."""
    return Fraction(rtp_numerator(row), DRAWS * BPS)


def check_table(table: Sequence[Sequence[int]]) -> KenoTable:
    """The table as Keno.sol stores it, or ValueError naming the first rule it breaks (the order of
    Keno.addTable's checks: shape, multiplier cap, a win above the stake, the RTP range)."""
    if len(table) != MAX_PICKS:
        raise ValueError(f"a table has one row per pick count 1..{MAX_PICKS}, got {len(table)} rows")
    for picks, row in enumerate(table, start=1):
        if len(row) != picks + 1:
            raise ValueError(f"the row for {picks} picks has {picks + 1} multipliers, got {len(row)}")
        for hit_count, multiplier in enumerate(row):
            if not 0 <= multiplier <= MAX_MULTIPLIER_BPS:
                raise ValueError(
                    f"{picks} picks, {hit_count} hits: multiplier {multiplier} bps above the cap {MAX_MULTIPLIER_BPS}"
                )
        if max(row) <= BPS:
            raise ValueError(f"the row for {picks} picks never pays more than the stake")
        numerator = rtp_numerator(row)
        if not MIN_RTP_BPS * DRAWS <= numerator <= MAX_RTP_BPS * DRAWS:
            raise ValueError(
                f"the row for {picks} picks returns {float(row_rtp(row)):.4%}, "
                f"outside {MIN_RTP_BPS / 100}..{MAX_RTP_BPS / 100} %"
            )
    return tuple(tuple(row) for row in table)


def _row(choice: bytes, table: KenoTable) -> tuple[int, Row]:
    _, picks_mask = decode_choice(choice)
    return picks_mask, table[pick_count(picks_mask) - 1]


def _paid_total(stake: int, row: Sequence[int]) -> int:
    """sum_h weight * payout: the expected payout, every payout rounded down as paid, times DRAWS."""
    return sum(w * payout(stake, m) for w, m in zip(weights(len(row) - 1), row, strict=True))


def expected_payout_up(stake: int, row: Sequence[int]) -> int:
    """The expected payout rounded up (KenoRules.expectedPayoutUp): the edge is never overstated."""
    return -(-_paid_total(stake, row) // DRAWS)


def _terms(stake: int, row: Sequence[int]) -> tuple[int, int]:
    if stake <= 0:
        raise ValueError("stake must be positive")
    return payout(stake, max(row)), stake - expected_payout_up(stake, row)


def _distribution(stake: int, row: Sequence[int]) -> list[tuple[Fraction, int]]:
    return [(hit_probability(len(row) - 1, h), payout(stake, m)) for h, m in enumerate(row)]


def roll_terms(stake: int, choice: bytes, edge_bps: int, table: KenoTable) -> tuple[int, int]:
    """(max payout, house edge) of one roll: the row's largest payout, and stake minus the
    expected payout rounded up. `edge_bps` is unused (the table sets the edge)."""
    del edge_bps
    _, row = _row(choice, table)
    return _terms(stake, row)


def roll_payout(stake: int, choice: bytes, edge_bps: int, word: int, table: KenoTable) -> int:
    """What one roll pays for the random word. `edge_bps` is unused (the table sets the edge)."""
    del edge_bps
    picks_mask, row = _row(choice, table)
    return payout(stake, row[hits(picks_mask, word)])


def theoretical_rtp(choice: bytes, table: KenoTable) -> Fraction:
    """Exact return to player of the choice's row per unit staked (the payouts' rounding aside)."""
    _, row = _row(choice, table)
    return row_rtp(row)


def exact_rtp(stake: int, choice: bytes, table: KenoTable) -> Fraction:
    """Expected payout per unit staked at this exact stake, every payout's rounding included."""
    if stake <= 0:
        raise ValueError("stake must be positive")
    _, row = _row(choice, table)
    return Fraction(_paid_total(stake, row), DRAWS * stake)


def roll_distribution(stake: int, choice: bytes, edge_bps: int, table: KenoTable) -> list[tuple[Fraction, int]]:
    """Every payout of one roll with its exact probability (one entry per hit count)."""
    del edge_bps
    _, row = _row(choice, table)
    return _distribution(stake, row)


def choice_details(choice: bytes) -> dict[str, Any]:
    """The decoded choice as the indexer stores it: the table id and the picked numbers."""
    table_id, picks_mask = decode_choice(choice)
    pick_count(picks_mask)
    return {"tableId": table_id, "picks": list(numbers_of(picks_mask))}


@dataclass(frozen=True)
class RowRules:
    """The rules of the bets on one row of a payout table (the indexer records each bet's row):
    the engine's hooks, for choices picking len(multipliers) - 1 numbers."""

    multipliers: tuple[int, ...]

    def _mask(self, choice: bytes) -> int:
        _, picks_mask = decode_choice(choice)
        picks = pick_count(picks_mask)
        if picks != len(self.multipliers) - 1:
            raise ValueError(f"the row is for {len(self.multipliers) - 1} picks, the choice has {picks}")
        return picks_mask

    def roll_terms(self, stake: int, choice: bytes, edge_bps: int) -> tuple[int, int]:
        self._mask(choice)
        return _terms(stake, self.multipliers)

    def roll_payout(self, stake: int, choice: bytes, edge_bps: int, word: int) -> int:
        return payout(stake, self.multipliers[hits(self._mask(choice), word)])

    def roll_distribution(self, stake: int, choice: bytes, edge_bps: int) -> list[tuple[Fraction, int]]:
        self._mask(choice)
        return _distribution(stake, self.multipliers)

    def decode_choice(self, choice: bytes) -> tuple[int, int]:
        return decode_choice(choice)

    def choice_details(self, choice: bytes) -> dict[str, Any]:
        return choice_details(choice)


@dataclass(frozen=True)
class Tables:
    """Keno's rules given its payout tables by id (from its TableAdded events or the contract's
    tableOf): the engine's hooks with the table and row looked up from the choice, as the contract
    does (fairstake.rules.multiroll and the audits call these)."""

    tables: Mapping[int, Sequence[Sequence[int]]]

    def row(self, choice: bytes) -> RowRules:
        table_id, picks_mask = decode_choice(choice)
        if table_id not in self.tables:
            raise ValueError(f"no payout table {table_id}")
        return RowRules(check_table(self.tables[table_id])[pick_count(picks_mask) - 1])

    def roll_terms(self, stake: int, choice: bytes, edge_bps: int) -> tuple[int, int]:
        return self.row(choice).roll_terms(stake, choice, edge_bps)

    def roll_payout(self, stake: int, choice: bytes, edge_bps: int, word: int) -> int:
        return self.row(choice).roll_payout(stake, choice, edge_bps, word)

    def roll_distribution(self, stake: int, choice: bytes, edge_bps: int) -> list[tuple[Fraction, int]]:
        return self.row(choice).roll_distribution(stake, choice, edge_bps)

    def decode_choice(self, choice: bytes) -> tuple[int, int]:
        return decode_choice(choice)

    def choice_details(self, choice: bytes) -> dict[str, Any]:
        return choice_details(choice)
