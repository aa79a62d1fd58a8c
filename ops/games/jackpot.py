"""Jackpot in the operator tooling: its deployment, the simulated tickets and claims."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from brownie import chain

from fairstake.manifest import ETH
from ops.deploy import (
    JACKPOT_CALLBACK_GAS,
    JACKPOT_RAKE_BPS,
    JACKPOT_ROUND_SECONDS,
    JACKPOT_TIMING,
    USD,
    chance_deploy,
)
from ops.simulation import GamePlay, Table, round_field


def place_jackpot(t: Table) -> None:

    jackpot, result, people = t.contracts["Jackpot"], t.result, t.people
    task = t.progress.add_task("jackpot round", total=len(people) + 1)
    round_id = int(jackpot.currentRound(ETH))
    price = int(jackpot.roundOf(round_id)[round_field(jackpot, "ticketPrice")])
    for player in people:
        count = t.rng.randint(1, 5)
        jackpot.buyTickets(round_id, count, 0, {"from": player})
        result.volume["ETH"] += count * price
        t.progress.advance(task)
    round_end = int(jackpot.roundOf(round_id)[round_field(jackpot, "end")])
    chain.sleep(max(0, round_end - int(chain.time())) + 1)
    jackpot.draw(round_id, {"from": people[0]})
    result.jackpot_rounds.append(round_id)
    t.progress.advance(task)


def jackpot_still_due(t: Table, head: int) -> int:
    jackpot = t.contracts["Jackpot"]
    start = int(jackpot.tx.block_number)
    return 0 if jackpot.events.RoundDrawn.get_logs(from_block=start, to_block=head) else 1


def claim_jackpot(t: Table) -> None:
    t.contracts["Jackpot"].claim(t.result.jackpot_rounds[-1], {"from": t.people[-1]})


def open_jackpot(contracts: dict[str, Any], host: Any, now: Callable[[], int], start: Callable[[], int]) -> None:
    """Each token's stopped round is drawn (one without tickets just closes) or, past its draw
    window, made refundable; either opens the token's next round with a full sales period."""
    jackpot, usds = contracts["Jackpot"], contracts["MockStablecoin"]
    end_at, draw_by_at = round_field(jackpot, "end"), round_field(jackpot, "drawBy")
    for token in (ETH, usds.address):
        round_id = int(jackpot.currentRound(token))
        if round_id == 0:
            continue
        info = jackpot.roundOf(round_id)
        if now() < int(info[end_at]):
            continue
        if now() < int(info[draw_by_at]):  # the draw's block comes after the latest one
            jackpot.draw(round_id, {"from": host})
        else:
            jackpot.markRefundable(round_id, {"from": host})


# a round's ticket price, length and rake per token
DEPLOY = chance_deploy(
    JACKPOT_CALLBACK_GAS,
    (JACKPOT_TIMING,),
    (10**16, JACKPOT_ROUND_SECONDS, JACKPOT_RAKE_BPS),
    (5 * USD, JACKPOT_ROUND_SECONDS, JACKPOT_RAKE_BPS),
)
PLAY = GamePlay(
    place=place_jackpot,
    due=lambda t: len(t.result.jackpot_rounds),
    still_due=jackpot_still_due,
    finish=claim_jackpot,
    open=open_jackpot,
)
