"""Keno in the operator tooling: its deployment (the default payout table) and the simulated
players' bets."""

from __future__ import annotations

from typing import Any

from fairstake.rules import keno as rules
from ops.deploy import DICE_LOCK_DURATION, USD, chance_deploy
from ops.simulation import GamePlay, Table, chance_still_due, place_chance_bets

# Callback gas of a one-roll bet (the engine adds its per-roll allowance for each further roll):
# keno_settle_callback (47,873) plus the Vault's report of it to the registry for a person with
# every limit (~53,000; the registry's afterSettle once made Dice's 120,000 fail in the system
# stateful test) and a margin. With Keno's ROLL_GAS of 5,000
# a 100-roll bet asks 170,000 + 99 * 5,000 = 665,000, under the deployed coordinator's 2,000,000 cap.
KENO_CALLBACK_GAS = 170_000
# The table id the deployment adds; a different table would be a new id.
DEFAULT_TABLE_ID = 1
# multipliers[k - 1][h]: what k picks with h hits pay per unit staked, in bps (10_000 = 1x).
# Every row returns 96.1..96.8 % (fairstake.rules.keno.row_rtp), within the contract's 95..98 %.
DEFAULT_TABLE: list[list[int]] = [
    [0, 38_600],
    [0, 14_500, 70_000],
    [0, 0, 37_500, 370_000],
    [0, 0, 16_000, 100_000, 1_000_000],
    [0, 0, 13_000, 37_500, 210_000, 2_700_000],
    [0, 0, 0, 37_000, 100_000, 950_000, 12_500_000],
    [0, 0, 0, 22_000, 65_000, 270_000, 3_200_000, 22_000_000],
    [0, 0, 0, 14_500, 39_000, 145_000, 950_000, 9_500_000, 50_000_000],
    [0, 0, 0, 9_500, 28_000, 93_000, 370_000, 2_800_000, 19_000_000, 95_000_000],
    [0, 0, 0, 10_000, 15_000, 50_000, 250_000, 1_000_000, 5_000_000, 50_000_000, 100_000_000],
]


def _add_default_table(keno: Any, deployer: Any) -> None:
    keno.addTable(DEFAULT_TABLE_ID, DEFAULT_TABLE, {"from": deployer})


def _random_choice(t: Table) -> bytes:
    picks = t.rng.sample(range(1, rules.NUMBERS + 1), t.rng.randint(1, rules.MAX_PICKS))
    return rules.encode_choice(DEFAULT_TABLE_ID, rules.mask_of(picks))


def _bets(t: Table) -> list[int]:
    return t.result.chance_bets.setdefault("keno", [])


def place_keno(t: Table) -> None:
    stakes = {"ETH": [10**15, 5 * 10**15, 10**16], "USDS": [USD, 5 * USD, 10 * USD]}
    place_chance_bets(t, "Keno", _bets(t), stakes, _random_choice)


# the edge is the table's: the engine's edge must be 0 for Keno
DEPLOY = chance_deploy(
    KENO_CALLBACK_GAS, (DICE_LOCK_DURATION,), (10**14, 10**18, 0), (USD // 10, 1_000 * USD, 0), _add_default_table
)
PLAY = GamePlay(
    place=place_keno,
    due=lambda t: len(_bets(t)),
    still_due=lambda t, head: chance_still_due(t, "Keno", _bets(t), head),
)
