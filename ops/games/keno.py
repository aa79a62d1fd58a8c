"""Keno in the operator tooling: its deployment (the default payout table) and the simulated
players' bets."""

from __future__ import annotations

from typing import Any

from fairstake.manifest import ETH
from fairstake.rules import keno as rules
from ops.deploy import DICE_LOCK_DURATION, USD, GameDeploy, Wiring
from ops.simulation import GamePlay, Table, affordable_stake

# Callback gas of a one-roll bet (the engine adds its per-roll allowance for each further roll):
# the measured keno_settle_callback with a margin.
KENO_CALLBACK_GAS = 150_000
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


def deploy_keno(deployer: Any, w: Wiring, contract: str) -> Any:
    return w.chance_game(deployer, contract, KENO_CALLBACK_GAS, DICE_LOCK_DURATION)


def configure_keno(deployer: Any, keno: Any, usds: Any, referee: Any) -> None:
    # the edge is the table's: the engine's edge must be 0 for Keno
    keno.configureToken(ETH, True, 10**14, 10**18, 0, {"from": deployer})
    keno.configureToken(usds, True, USD // 10, 1_000 * USD, 0, {"from": deployer})
    keno.addTable(DEFAULT_TABLE_ID, DEFAULT_TABLE, {"from": deployer})


def place_keno(t: Table) -> None:
    keno, usds, result, progress = t.contracts["Keno"], t.contracts["MockStablecoin"], t.result, t.progress
    bets = result.chance_bets.setdefault("keno", [])
    task = progress.add_task("keno bets", total=len(t.people) * t.bets_per_player)
    for player in t.people:
        for _ in range(t.bets_per_player):
            if t.rng.random() < 0.5:
                wanted, token, symbol = t.rng.choice([10**15, 5 * 10**15, 10**16]), ETH, "ETH"
            else:
                wanted, token, symbol = t.rng.choice([1, 5, 10]) * USD, usds.address, "USDS"
            picks = t.rng.sample(range(1, rules.NUMBERS + 1), t.rng.randint(1, rules.MAX_PICKS))
            choice = rules.encode_choice(DEFAULT_TABLE_ID, rules.mask_of(picks))
            # one bet in five plays several rolls, half of those with a stop-loss
            rolls = t.rng.choice([2, 5, 10]) if t.rng.random() < 0.2 else 1
            stake = affordable_stake(t.contracts, token, wanted, choice, rolls, game="Keno")
            if stake is None:
                result.bets_skipped += 1
                progress.advance(task)
                continue
            result.stakes_lowered += stake != wanted
            if rolls == 1:
                tx = keno.placeBet(token, stake, choice, 0, {"from": player})
            else:
                stop_loss = stake * (rolls // 2) if t.rng.random() < 0.5 else 0
                tx = keno.placeMultiBet(token, stake, choice, rolls, 0, stop_loss, 0, {"from": player})
            bets.append(int(tx.events["BetPlaced"]["betId"]))
            result.volume[symbol] += stake * rolls
            progress.advance(task)


def keno_still_due(t: Table, head: int) -> int:
    keno = t.contracts["Keno"]
    start = int(keno.tx.block_number)
    # a bet the oracle missed is expired by the daemon (--expire-overdue): the bond pays it
    resolved = [
        *keno.events.BetSettled.get_logs(from_block=start, to_block=head),
        *keno.events.BetTimedOut.get_logs(from_block=start, to_block=head),
    ]
    return len(set(t.result.chance_bets.get("keno", [])) - {int(event.args.betId) for event in resolved})


DEPLOY = GameDeploy(deploy_keno, configure_keno)
PLAY = GamePlay(place=place_keno, due=lambda t: len(t.result.chance_bets.get("keno", [])), still_due=keno_still_due)
