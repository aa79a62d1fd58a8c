"""Dice in the operator tooling: its deployment and the simulated players' bets (one-roll and
multi-roll, roll-under and roll-over)."""

from __future__ import annotations

from typing import Any

from fairstake.manifest import ETH
from fairstake.rules import dice as rules
from ops.deploy import (
    DICE_CALLBACK_GAS,
    DICE_EDGE_BPS,
    DICE_LOCK_DURATION,
    USD,
    GameDeploy,
    Wiring,
)
from ops.simulation import (
    GamePlay,
    Table,
    affordable_stake,
)


def deploy_dice(deployer: Any, w: Wiring, contract: str) -> Any:
    return w.chance_game(deployer, contract, DICE_CALLBACK_GAS, DICE_LOCK_DURATION)


def configure_dice(deployer: Any, dice: Any, usds: Any, referee: Any) -> None:
    dice.configureToken(ETH, True, 10**15, 10 * 10**18, DICE_EDGE_BPS, {"from": deployer})
    dice.configureToken(usds, True, 1 * USD, 10_000 * USD, DICE_EDGE_BPS, {"from": deployer})


def _random_choice(t: Table) -> bytes:
    over = t.rng.random() < 0.5
    return rules.encode_choice(t.rng.randint(5, 94), over)


def place_dice(t: Table) -> None:
    dice, usds, result, progress = t.contracts["Dice"], t.contracts["MockStablecoin"], t.result, t.progress
    task = progress.add_task("dice bets", total=len(t.people) * t.bets_per_player)
    for player in t.people:
        for _ in range(t.bets_per_player):
            if t.rng.random() < 0.5:
                wanted, token, symbol = t.rng.choice([10**16, 5 * 10**16, 10**17]), ETH, "ETH"
            else:
                wanted, token, symbol = t.rng.choice([5, 20, 50]) * USD, usds.address, "USDS"
            choice = _random_choice(t)
            # one bet in five plays several rolls, half of those with a stop
            rolls = t.rng.choice([2, 5, 10]) if t.rng.random() < 0.2 else 1
            stake = affordable_stake(t.contracts, token, wanted, choice, rolls)
            if stake is None:
                result.bets_skipped += 1
                progress.advance(task)
                continue
            result.stakes_lowered += stake != wanted
            if rolls == 1:
                tx = dice.placeBet(token, stake, choice, 0, {"from": player})
            else:
                stop_loss = stake * (rolls // 2) if t.rng.random() < 0.5 else 0
                tx = dice.placeMultiBet(token, stake, choice, rolls, 0, stop_loss, 0, {"from": player})
            result.dice_bets.append(int(tx.events["BetPlaced"]["betId"]))
            result.volume[symbol] += stake * rolls
            progress.advance(task)
    # several bets in one transaction, both directions
    stakes = [10**16, 2 * 10**16, 3 * 10**16]
    choices = [rules.encode_choice(25), rules.encode_choice(50, True), rules.encode_choice(75)]
    tx = dice.placeBets(ETH, stakes, choices, 0, {"from": t.people[0]})
    result.dice_bets += [int(e["betId"]) for e in tx.events["BetPlaced"]]
    result.volume["ETH"] += sum(stakes)


def dice_still_due(t: Table, head: int) -> int:
    dice = t.contracts["Dice"]
    start = int(dice.tx.block_number)
    # a bet the oracle missed is expired by the daemon (--expire-overdue): the bond pays it
    resolved = [
        *dice.events.BetSettled.get_logs(from_block=start, to_block=head),
        *dice.events.BetTimedOut.get_logs(from_block=start, to_block=head),
    ]
    return len(set(t.result.dice_bets) - {int(event.args.betId) for event in resolved})


DEPLOY = GameDeploy(deploy_dice, configure_dice)
PLAY = GamePlay(place=place_dice, due=lambda t: len(t.result.dice_bets), still_due=dice_still_due)
