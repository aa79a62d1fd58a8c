"""Jackpot in the operator tooling: its deployment, the simulated tickets and claims."""

from __future__ import annotations

from ops.deploy import GameDeploy, configure_jackpot, deploy_jackpot
from ops.simulation import GamePlay, claim_jackpot, jackpot_still_due, open_jackpot, place_jackpot

DEPLOY = GameDeploy(deploy_jackpot, configure_jackpot)
PLAY = GamePlay(
    place=place_jackpot,
    due=lambda t: len(t.result.jackpot_rounds),
    still_due=jackpot_still_due,
    finish=claim_jackpot,
    open=open_jackpot,
)
