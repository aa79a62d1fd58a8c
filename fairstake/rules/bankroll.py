"""The bankroll's side of a bet: the protocol fee and what the LPs can expect. Mirrors Vault.lock.

A bankroll lock declares its house edge E (stake minus expected payout, in token units); the
Vault takes the protocol fee E * fee_bps / 10000 (rounded down) out of the bankroll when the bet is
locked, whatever the outcome, and the bankroll then keeps the stake or pays the win. So the LPs'
expected result on a bet is E - fee >= 0 for every fee governance can set (<= 20 %), and the fee
cannot depend on the outcome, on withholding or on a refund. tests/rules/test_bankroll_fee_model.py
checks the LPs' expectation against the replaced rule (a fee on the house's gain of each bet it
won, nothing netted on the bets it lost).
"""

from __future__ import annotations

BPS = 10_000
MAX_PROTOCOL_FEE_BPS = 2_000
MAX_HOUSE_EDGE_BPS = 1_000


def protocol_fee(house_edge: int, fee_bps: int) -> int:
    """The fee a bankroll lock pays when it opens."""
    if not 0 <= fee_bps <= MAX_PROTOCOL_FEE_BPS:
        raise ValueError(f"fee must be in 0..{MAX_PROTOCOL_FEE_BPS} bps, got {fee_bps}")
    if house_edge < 0:
        raise ValueError("a house edge is not negative")
    return house_edge * fee_bps // BPS
