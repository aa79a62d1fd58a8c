"""CoinToss: heads or tails. Mirrors contracts/games/cointoss/CoinTossRules.sol.

The choice is `abi.encode(bool heads)`. The coin a word tosses shows heads iff the word is even,
so each side comes up with probability 1/2; a win pays stake * 2 * (10000 - edge_bps) // 10000,
a loss nothing. The engine plays this once per roll (fairstake/rules/multiroll.py).
"""

from __future__ import annotations

from fractions import Fraction

BPS = 10_000
MAX_EDGE_BPS = 500
WORD_LIMIT = 2**256
CHOICE_LENGTH = 32


def _check_edge(edge_bps: int) -> None:
    if not 0 <= edge_bps <= MAX_EDGE_BPS:
        raise ValueError(f"edge must be in 0..{MAX_EDGE_BPS} bps, got {edge_bps}")


def encode_choice(heads: bool) -> bytes:
    """`abi.encode(bool heads)`."""
    return int(bool(heads)).to_bytes(CHOICE_LENGTH, "big")


def decode_choice(choice: bytes) -> bool:
    """The side bet on; the contract refuses anything but one word holding 0 or 1 (BadChoice)."""
    if len(choice) != CHOICE_LENGTH or int.from_bytes(choice, "big") > 1:
        raise ValueError(f"a coin toss choice is abi.encode(bool), got 0x{bytes(choice).hex()}")
    return choice[-1] == 1


def shows_heads(word: int) -> bool:
    """Whether the coin a 256-bit random word tosses shows heads."""
    if not 0 <= word < WORD_LIMIT:
        raise ValueError("a random word is a uint256")
    return word % 2 == 0


def payout_if_win(stake: int, edge_bps: int) -> int:
    """What a winning toss pays in total (stake included), rounded down."""
    _check_edge(edge_bps)
    if stake < 0:
        raise ValueError("stake must not be negative")
    return stake * 2 * (BPS - edge_bps) // BPS


def house_edge(stake: int, edge_bps: int) -> int:
    """Stake minus the expected payout payout_if_win / 2 rounded up (CoinTossRules.houseEdge)."""
    return stake - -(-payout_if_win(stake, edge_bps) // 2)


def roll_terms(stake: int, choice: bytes, edge_bps: int) -> tuple[int, int]:
    """(maximum payout, house edge) of one toss, as the contract's `_rollTerms`."""
    decode_choice(choice)
    return payout_if_win(stake, edge_bps), house_edge(stake, edge_bps)


def roll_payout(stake: int, choice: bytes, edge_bps: int, word: int) -> int:
    """What one toss pays for `word`, as the contract's `_rollPayout`."""
    return payout_if_win(stake, edge_bps) if shows_heads(word) == decode_choice(choice) else 0


def choice_details(choice: bytes) -> dict[str, bool]:
    """The decoded choice, as the indexer stores it in a bet's details."""
    return {"heads": decode_choice(choice)}


def roll_distribution(stake: int, choice: bytes, edge_bps: int) -> list[tuple[Fraction, int]]:
    """Every payout of one toss with its probability."""
    decode_choice(choice)
    return [(Fraction(1, 2), payout_if_win(stake, edge_bps)), (Fraction(1, 2), 0)]


def win_probability() -> Fraction:
    return Fraction(1, 2)


def theoretical_rtp(edge_bps: int) -> float:
    """Expected payout per unit staked, ignoring rounding."""
    _check_edge(edge_bps)
    return (BPS - edge_bps) / BPS


def exact_rtp(stake: int, edge_bps: int) -> Fraction:
    """Expected payout per unit staked for this exact stake, rounding included."""
    if stake <= 0:
        raise ValueError("stake must be positive")
    return win_probability() * Fraction(payout_if_win(stake, edge_bps), stake)


def return_std_dev(edge_bps: int) -> float:
    """Standard deviation of one toss's return per unit staked."""
    _check_edge(edge_bps)
    return (BPS - edge_bps) / BPS
