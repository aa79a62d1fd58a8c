"""Match in the operator tooling: a skill game's deployment and a simulated match."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from brownie import chain

from fairstake.manifest import ETH
from ops.deploy import (
    USD,
    GameDeploy,
    configure_skill,
    deploy_skill,
)
from ops.simulation import DAY, GamePlay, Table, sign_ranked


def finish_match(t: Table) -> None:
    task = t.progress.add_task("skill match", total=1)
    t.result.matches.append(_play_match(t.contracts, t.people[:2], t.contracts["MockStablecoin"]))
    t.progress.advance(task)


def open_match(contracts: dict[str, Any], host: Any, now: Callable[[], int], start: Callable[[], int]) -> None:
    contracts["Match"].create(ETH, 10**16, 2, [10_000], start() + 7 * DAY, {"from": host})


def _play_match(contracts: dict[str, Any], pair: list[Any], usds: Any) -> int:

    match = contracts["Match"]
    deadline = int(chain.time()) + 3600
    tx = match.create(usds, 100 * USD, 2, [10_000], deadline, {"from": pair[0]})
    match_id = int(tx.events["MatchCreated"]["matchId"])
    for player in pair:
        match.join(match_id, {"from": player})
    ranking = [str(pair[1]), str(pair[0])]
    match.submitResult(match_id, ranking, sign_ranked("match", match, match_id, ranking), {"from": pair[0]})
    return match_id


DEPLOY = GameDeploy(deploy_skill, configure_skill)
PLAY = GamePlay(finish=finish_match, open=open_match)
