"""Gas scenarios of the games of chance, rows for `fairstake bench gas`.

Every figure is a whole transaction's gasUsed (intrinsic 21000 and calldata included) on a fresh
deployment of the real contracts (Vault, PlayerRegistry, RandomnessCoordinator with proofs from
oracle.ecvrf), except the `*_callback` figures: those are the execution gas of the game's
`onRandomness` itself (what must fit the callback gas limit), measured by MockCoordinator with
gasleft() around the call, with the game's Vault, registry and storage slots cold as in a
real fulfilment. The oracle key is bonded, so every request reserves its slash; a withheld result
is expired at the real coordinator (`expire(rc)`, once both its block and time deadlines have
passed), which pays the slash and unwinds the bet or makes the round refundable.

`measure_chance_gas(project)` runs every scenario on the chain brownie is connected to;
`chance_gas(kind)` does the same on its own fresh chain (`python -m fairstake.bench.gas_chance`).
The `fairstake bench gas` table measures the platform's own deployment in fairstake.bench.gas.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from contextlib import redirect_stdout
from dataclasses import dataclass
from typing import Any

from fairstake import bankroll
from fairstake.chain import LocalChain
from fairstake.manifest import ETH
from oracle import ecvrf
from oracle.daemon_work import COMMITMENT_FIELDS

ETHER = 10**18
HOUR = 3600
DAY = 86400
ORACLE_SECRET = 0x6A5_C4A4CE_5EED
TIMEOUT_BLOCKS = 64
TIMEOUT_SECONDS = 20 * 60
ORACLE_BOND = 1_000 * 10**18
MAX_CALLBACK_GAS = 500_000
DICE_CALLBACK_GAS = 120_000
JACKPOT_CALLBACK_GAS = 200_000
TICKET_PRICE = ETHER // 100
JACKPOT_TIMING = (HOUR, 6 * HOUR, DAY)  # draw window, draw grace, claim period
PLAYERS = tuple(range(10, 18))  # dev accounts that play


@dataclass
class ChanceDeployment:
    """The games wired like production (governance = owner here), twice: on the real
    coordinator, and on MockCoordinator where the callback's own gas is measured."""

    owner: Any
    vault: Any
    registry: Any
    coordinator: Any
    mock: Any
    dice: Any
    dice_on_mock: Any
    jackpot: Any
    jackpot_on_mock: Any
    players: list[Any]


def deploy_chance(project: Any) -> ChanceDeployment:
    from brownie import accounts

    owner = accounts[0]
    sender = {"from": owner}
    vault = project.Vault.deploy(owner, sender)
    vault.setToken(ETH, True, sender)
    vault.setRiskFraction(ETH, 1_000, sender)
    vault.setProtocolFee(1_000, sender)
    registry = project.PlayerRegistry.deploy(owner, sender)
    coordinator = project.RandomnessCoordinator.deploy(
        owner, vault, TIMEOUT_BLOCKS, TIMEOUT_SECONDS, MAX_CALLBACK_GAS, sender
    )
    pk = ecvrf.public_key(ORACLE_SECRET)
    coordinator.registerKey(list(pk), owner, sender)
    key_hash = "0x" + ecvrf.key_hash(pk).hex()
    # The oracle key's bond backs what the games' requests reserve.
    coordinator.depositBond(key_hash, ETH, ORACLE_BOND, {"from": owner, "value": ORACLE_BOND})
    mock = project.MockCoordinator.deploy(vault, TIMEOUT_BLOCKS, TIMEOUT_SECONDS, 50_000, sender)

    def wire(game: Any, randomness: Any) -> Any:
        vault.setGame(game, True, sender)
        registry.setGame(game, True, sender)
        if randomness == coordinator:
            coordinator.setConsumer(game, True, sender)
        return game

    def dice_on(randomness: Any) -> Any:
        game = project.Dice.deploy(owner, vault, randomness, registry, key_hash, DICE_CALLBACK_GAS, DAY, sender)
        wire(game, randomness).configureToken(ETH, True, 10**15, 10 * ETHER, 100, sender)
        return game

    def jackpot_on(randomness: Any) -> Any:
        game = project.Jackpot.deploy(
            owner, vault, randomness, registry, key_hash, JACKPOT_CALLBACK_GAS, JACKPOT_TIMING, sender
        )
        wire(game, randomness).configureToken(ETH, True, TICKET_PRICE, HOUR, 300, sender)
        return game

    bankroll.deposit(vault, ETH, 1_000 * ETHER, accounts[1])
    players = [accounts[i] for i in PLAYERS]
    for player in players:
        vault.depositFor(player, ETH, 100 * ETHER, {"from": player, "value": 100 * ETHER})
    return ChanceDeployment(
        owner,
        vault,
        registry,
        coordinator,
        mock,
        dice_on(coordinator),
        dice_on(mock),
        jackpot_on(coordinator),
        jackpot_on(mock),
        players,
    )


def _commitments(tx: Any) -> list[tuple]:
    return [tuple(e[name] for name in COMMITMENT_FIELDS) for e in tx.events["RandomnessRequested"]]


def _proof(rc: tuple) -> tuple:
    from brownie import web3

    fields = dict(zip(COMMITMENT_FIELDS, rc, strict=True))
    block_hash = bytes(web3.eth.get_block(int(fields["blockNum"]))["hash"])
    return ecvrf.prove(ORACLE_SECRET, ecvrf.request_seed(int(fields["preSeed"]), block_hash)).as_solidity()


def _word_for_roll(roll: int) -> int:
    return 2**255 - (2**255 % 100) + roll


def _now() -> int:
    from brownie import web3

    return int(web3.eth.get_block("latest")["timestamp"])


def _expire(d: ChanceDeployment, rc: tuple) -> Any:
    """Move the chain past both deadlines of `rc` (time, then blocks) and expire it at the coordinator."""
    from brownie import chain

    fields = dict(zip(COMMITMENT_FIELDS, rc, strict=True))
    chain.sleep(max(0, int(fields["deadlineTime"]) - _now()) + 1)
    chain.mine(max(1, int(fields["deadlineBlock"]) - chain.height + 1))
    if not d.coordinator.isExpired(rc):
        raise AssertionError("the request is not past both deadlines")
    return d.coordinator.expire(rc, {"from": d.owner})


def _selling_round(game: Any, sender: Any) -> int:
    """`game`'s open ETH round, once it still sells tickets: one whose sales closed while time
    moved on for other rounds is drawn empty or, past its draw window, marked refundable, which
    opens the next."""
    round_id = int(game.currentRound(ETH))
    info = game.roundOf(round_id)
    if _now() + 1 < int(info["end"]):
        return round_id
    if int(info["totalTickets"]) != 0:
        raise AssertionError(f"round {round_id} closed with tickets nobody drew")
    if _now() + 1 <= int(info["drawBy"]):
        game.draw(round_id, {"from": sender})
    else:
        game.markRefundable(round_id, {"from": sender})
    return int(game.currentRound(ETH))


def _end_sales(*rounds: tuple[Any, int]) -> None:
    """Move time past the end of every (jackpot, round id)."""
    from brownie import chain

    end = max(int(game.roundOf(round_id)["end"]) for game, round_id in rounds)
    while _now() < end:
        chain.sleep(end - _now())
        chain.mine()


# ------------------------------------------------------------------ scenarios


def scenario_dice(d: ChanceDeployment) -> dict[str, int]:
    """Placing (from balance, with ETH, in batches), settling (callback and whole fulfilment with a
    real proof) and the expiry of a withheld result (the stake refunded, the bond slashed)."""
    a, b = d.players[:2]
    d.dice.placeBet(ETH, ETHER // 10, 50, 0, {"from": a})  # a's first bet warms nothing later ones need
    place = d.dice.placeBet(ETH, ETHER // 10, 50, 0, {"from": a})
    place_eth = d.dice.placeBet(ETH, ETHER // 10, 50, ETHER // 10, {"from": b, "value": ETHER // 10})
    batch = d.dice.placeBets(ETH, [ETHER // 100] * 20, [50] * 20, 0, {"from": b})
    fulfil = d.coordinator.fulfil(_proof(_commitments(place)[0]), _commitments(place)[0], {"from": d.owner})

    win_bet = d.dice_on_mock.placeBet(ETH, ETHER // 10, 50, 0, {"from": a}).return_value
    loss_bet = d.dice_on_mock.placeBet(ETH, ETHER // 10, 50, 0, {"from": a}).return_value
    win = d.mock.deliver(win_bet, [_word_for_roll(0)], {"from": d.owner})
    loss = d.mock.deliver(loss_bet, [_word_for_roll(99)], {"from": d.owner})
    if not (win.events["BetSettled"]["won"] and not loss.events["BetSettled"]["won"]):
        raise AssertionError("the measured dice settlements did not win and lose as intended")

    withheld = d.dice.placeBet(ETH, ETHER // 10, 50, 0, {"from": a})
    expired = _expire(d, _commitments(withheld)[0])
    if "BondSlashed" not in expired.events or "BetTimedOut" not in expired.events:
        raise AssertionError("the expiry did not slash the bond and unwind the bet")
    return {
        "dice_place": int(place.gas_used),
        "dice_place_with_eth": int(place_eth.gas_used),
        "dice_place_per_bet_batch20": round(int(batch.gas_used) / 20),
        "dice_settle_callback_win": int(win.events["Delivered"]["gasUsed"]),
        "dice_settle_callback_loss": int(loss.events["Delivered"]["gasUsed"]),
        "dice_fulfil_tx": int(fulfil.gas_used),
        "dice_expire_tx": int(expired.gas_used),
    }


def scenario_jackpot(d: ChanceDeployment, purchases: int = 100) -> dict[str, int]:
    """A round with `purchases` purchases: buying, the draw request, the draw callback (binary
    search over the purchases) and the whole fulfilment with a real proof, the claim; then a
    withheld draw's expiry (compensation and sink slashed, the round refundable) and refund, and
    an unclaimed prize's rollover."""
    from brownie import chain

    real, mock = d.jackpot, d.jackpot_on_mock
    real_round, mock_round = int(real.currentRound(ETH)), int(mock.currentRound(ETH))
    buys = []
    for i in range(purchases):
        player = {"from": d.players[i % len(d.players)]}
        buys.append(real.buyTickets(real_round, 1 + i % 5, 0, player))
        mock.buyTickets(mock_round, 1 + i % 5, 0, player)
    _end_sales((real, real_round), (mock, mock_round))
    draw = real.draw(real_round, {"from": d.owner})
    rc = _commitments(draw)[0]
    fulfil = d.coordinator.fulfil(_proof(rc), rc, {"from": d.owner})
    request_id = mock.draw(mock_round, {"from": d.owner}).events["DrawRequested"]["requestId"]
    delivered = d.mock.deliver(request_id, [2**255 + 12345], {"from": d.owner})
    figures = {
        "jackpot_ticket_buy": int(buys[-1].gas_used),
        "jackpot_draw_request": int(draw.gas_used),
        f"jackpot_draw_callback_{purchases}_purchases": int(delivered.events["Delivered"]["gasUsed"]),
        "jackpot_draw_fulfil_tx": int(fulfil.gas_used),
        "jackpot_claim": int(real.claim(real_round, {"from": d.owner}).gas_used),
    }

    round_id = _selling_round(real, d.owner)
    for player in d.players[:2]:
        real.buyTickets(round_id, 2, 0, {"from": player})
    _end_sales((real, round_id))
    expired = _expire(d, _commitments(real.draw(round_id, {"from": d.owner}))[0])
    if "BondSlashed" not in expired.events or "RoundRefundable" not in expired.events:
        raise AssertionError("the expiry did not slash the bond and make the round refundable")
    figures["jackpot_expire_tx"] = int(expired.gas_used)
    refund = real.refundTickets(round_id, [0, 1], {"from": d.owner})
    if len(refund.events["CompensationPaid"]) != 2:
        raise AssertionError("the refunds did not pay the compensation")
    figures["jackpot_refund_2_purchases"] = int(refund.gas_used)

    game = d.jackpot_on_mock
    drawn = _selling_round(game, d.owner)
    game.buyTickets(drawn, 1, 0, {"from": d.players[0]})
    _end_sales((game, drawn))
    request_id = game.draw(drawn, {"from": d.owner}).events["DrawRequested"]["requestId"]
    d.mock.deliver(request_id, [7], {"from": d.owner})
    chain.sleep(JACKPOT_TIMING[2] + 1)
    figures["jackpot_rollover"] = int(game.rollOver(drawn, {"from": d.owner}).gas_used)
    return figures


SCENARIOS: tuple[Callable[[ChanceDeployment], dict[str, int]], ...] = (scenario_dice, scenario_jackpot)


def measure_chance_gas(project: Any) -> dict[str, int]:
    """Every scenario on the connected chain (one fresh deployment for all)."""
    deployment = deploy_chance(project)
    figures: dict[str, int] = {}
    for scenario in SCENARIOS:
        figures.update(scenario(deployment))
    return figures


def chance_gas(kind: str = "anvil") -> dict[str, Any]:
    """Start a fresh `kind` chain, deploy, and return every games-of-chance gas figure."""
    from brownie import network

    from fairstake.bench.gas_skill import drain_brownie_threads
    from fairstake.bench.vrf_gas import _attach

    with LocalChain(kind=kind) as local, redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        project = _attach(local)
        try:
            return {"chain": kind, **measure_chance_gas(project)}
        finally:
            drain_brownie_threads()
            network.disconnect(kill_rpc=False)


if __name__ == "__main__":
    from fairstake.bench.suite import print_figures

    print_figures("gas_chance", chance_gas())
