"""Tournament in the operator tooling: a skill game's deployment and a simulated tournament."""

from __future__ import annotations

from ops.deploy import GameDeploy, configure_skill, deploy_skill
from ops.simulation import GamePlay, finish_tournament, open_tournament

DEPLOY = GameDeploy(deploy_skill, configure_skill)
PLAY = GamePlay(finish=finish_tournament, open=open_tournament)
