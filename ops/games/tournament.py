"""Tournament in the operator tooling: a skill game's deployment and a simulated tournament."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from brownie import chain

from fairstake.manifest import ETH
from ops.deploy import (
    GameDeploy,
    configure_skill,
    deploy_skill,
)
from ops.simulation import DAY, GamePlay, Table, sign_ranked


def finish_tournament(t: Table) -> None:
    task = t.progress.add_task("skill tournament", total=1)
    t.result.tournaments.append(_play_tournament(t.contracts, t.people[: min(4, len(t.people))]))
    t.progress.advance(task)


def open_tournament(contracts: dict[str, Any], host: Any, now: Callable[[], int], start: Callable[[], int]) -> None:
    opened = start()
    contracts["Tournament"].create(ETH, 10**16, 8, [7_000, 3_000], opened + DAY, opened + 7 * DAY, {"from": host})


def _play_tournament(contracts: dict[str, Any], entrants: list[Any]) -> int:

    tournament = contracts["Tournament"]
    now = int(chain.time())
    prizes = [6_000, 3_000, 1_000][: max(1, len(entrants) - 1)]
    prizes[0] += 10_000 - sum(prizes)
    tx = tournament.create(ETH, 10**17, len(entrants), prizes, now + 600, now + 7200, {"from": entrants[0]})
    tournament_id = int(tx.events["TournamentCreated"]["tournamentId"])
    for player in entrants:
        tournament.enter(tournament_id, {"from": player, "value": 10**17})
    chain.sleep(601)
    winners = [str(p) for p in reversed(entrants)][: len(prizes)]
    signature = sign_ranked("tournament", tournament, tournament_id, winners)
    tournament.submitResult(tournament_id, winners, signature, {"from": entrants[0]})
    return tournament_id


DEPLOY = GameDeploy(deploy_skill, configure_skill)
PLAY = GamePlay(finish=finish_tournament, open=open_tournament)
