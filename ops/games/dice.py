"""Dice in the operator tooling: its deployment and the simulated players' bets."""

from __future__ import annotations

from ops.deploy import GameDeploy, configure_dice, deploy_dice
from ops.simulation import GamePlay, dice_still_due, place_dice

DEPLOY = GameDeploy(deploy_dice, configure_dice)
PLAY = GamePlay(place=place_dice, due=lambda t: len(t.result.dice_bets), still_due=dice_still_due)
