"""The bankroll's side of a bet: the protocol fee and what the LPs can expect. Mirrors Vault.lock.

A bankroll lock declares its house edge E (stake minus expected payout, in token units); the
Vault takes the protocol fee E * fee_bps / 10000 (rounded down) out of the bankroll when the bet is
locked, whatever the outcome, and the bankroll then keeps the stake or pays the win. So the LPs'
expected result on a bet is E - fee >= 0 for every fee governance can set (<= 20 %), and the fee
cannot depend on the outcome, on withholding or on a refund.

`legacy_fee` is the rule the audit found (fee on the house's gain of each settled bet, nothing
netted on the bets it loses), kept only so the tests can show why it was replaced.
"""

from __future__ import annotations

from fractions import Fraction

from fairstake.rules import dice

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


def legacy_fee(stake: int, payout: int, fee_bps: int) -> int:
    """The replaced rule: fee_bps of the house's gain when it wins, nothing when it loses."""
    return (stake - payout) * fee_bps // BPS if payout < stake else 0


def dice_lp_result(stake: int, target: int, edge_bps: int, fee_bps: int, roll: int) -> int:
    """The bankroll's result on one Dice bet settled with `roll`, the fee included."""
    won = roll < target
    payout = dice.payout_if_win(stake, target, edge_bps) if won else 0
    return stake - payout - protocol_fee(dice.house_edge(stake, target, edge_bps), fee_bps)


def dice_lp_expectation(stake: int, target: int, edge_bps: int, fee_bps: int, *, legacy: bool = False) -> Fraction:
    """The bankroll's exact expected result on one Dice bet, over the 100 equally likely rolls."""
    total = Fraction(0)
    win_payout = dice.payout_if_win(stake, target, edge_bps)
    for roll in range(dice.ROLL_RANGE):
        payout = win_payout if roll < target else 0
        if legacy:
            total += stake - payout - legacy_fee(stake, payout, fee_bps)
        else:
            total += dice_lp_result(stake, target, edge_bps, fee_bps, roll)
    return total / dice.ROLL_RANGE
