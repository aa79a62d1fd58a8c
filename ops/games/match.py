"""Match in the operator tooling: a skill game's deployment and a simulated match."""

from __future__ import annotations

from ops.deploy import GameDeploy, configure_skill, deploy_skill
from ops.simulation import GamePlay, finish_match, open_match

DEPLOY = GameDeploy(deploy_skill, configure_skill)
PLAY = GamePlay(finish=finish_match, open=open_match)
