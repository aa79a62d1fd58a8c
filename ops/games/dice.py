"""Dice in the operator tooling: its deployment and the simulated players' bets (one-roll and
multi-roll, roll-under and roll-over)."""

from __future__ import annotations

from fairstake.manifest import ETH
from fairstake.rules import dice as rules
from ops.deploy import DICE_CALLBACK_GAS, DICE_EDGE_BPS, USD, chance_game_deploy
from ops.simulation import GamePlay, Table, chance_still_due, place_chance_bets


def _random_choice(t: Table) -> bytes:
    over = t.rng.random() < 0.5
    return rules.encode_choice(t.rng.randint(5, 94), over)


def place_dice(t: Table) -> None:
    stakes = {"ETH": [10**16, 5 * 10**16, 10**17], "USDS": [5 * USD, 20 * USD, 50 * USD]}
    place_chance_bets(t, "Dice", t.result.dice_bets, stakes, _random_choice)
    # several bets in one transaction, both directions
    stakes_eth = [10**16, 2 * 10**16, 3 * 10**16]
    choices = [rules.encode_choice(25), rules.encode_choice(50, True), rules.encode_choice(75)]
    tx = t.contracts["Dice"].placeBets(ETH, stakes_eth, choices, 0, {"from": t.people[0]})
    t.result.dice_bets += [int(e["betId"]) for e in tx.events["BetPlaced"]]
    t.result.volume["ETH"] += sum(stakes_eth)


DEPLOY = chance_game_deploy(DICE_CALLBACK_GAS, DICE_EDGE_BPS)
PLAY = GamePlay(
    place=place_dice,
    due=lambda t: len(t.result.dice_bets),
    still_due=lambda t, head: chance_still_due(t, "Dice", t.result.dice_bets, head),
)
