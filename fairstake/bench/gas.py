"""`fairstake bench gas`: gas of every platform operation on a fresh, fully wired deployment.

Figures are whole transactions' gasUsed (intrinsic 21000 and calldata included) unless the name
says otherwise. `dice_settle_callback` is the execution gas of Dice's randomness callback alone
(the coordinator's call into Dice, read from a call trace of the fulfilment), which is what must
fit the callback gas limit: for a winning bet, the dearer outcome (`dice_settle_callback_loss`
for a losing one). Rows named `*_in_<contract>` break a Dice figure down: the execution gas of
the calls it makes into that contract (without the caller's 2,600 / 100 gas account access).
Vault rows (prefixed `vault_`) come from fairstake.bench.gas_vault, which calls the Vault directly
from an account registered as a game; protection and skill rows from fairstake.bench.gas_skill.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from contextlib import redirect_stdout
from dataclasses import dataclass
from typing import Any

from fairstake.chain import LocalChain
from fairstake.deployment import FIRST_PLAYER, LIQUIDITY_PROVIDER, REFEREE, connect, deploy_script
from fairstake.manifest import ETH
from fairstake.simulation import round_field
from oracle import ecvrf

BENCH_ORACLE_SECRET = 0xB0B_5EED_CAFE
ETHER = 10**18
USD = 10**6
COMMITMENT_FIELDS = (
    "blockNum",
    "deadlineBlock",
    "deadlineTime",
    "callbackGasLimit",
    "numWords",
    "consumer",
    "keyHash",
    "preSeed",
)


@dataclass
class Context:
    contracts: dict[str, Any]
    player: Any
    other: Any
    lp: Any


Scenario = Callable[[Context], dict[str, int]]
GAS_SCENARIOS: list[Scenario] = []


def scenario(fn: Scenario) -> Scenario:
    GAS_SCENARIOS.append(fn)
    return fn


def _gas(tx: Any) -> int:
    return int(tx.gas_used)


def _fulfil(c: Context, tx: Any) -> Any:
    """Prove the request made in `tx` with the bench oracle key and fulfil it."""
    from brownie import chain, web3

    event = tx.events["RandomnessRequested"]
    rc = tuple(event[name] for name in COMMITMENT_FIELDS)
    chain.mine()
    block_hash = bytes(web3.eth.get_block(int(event["blockNum"]))["hash"])
    proof = ecvrf.prove(BENCH_ORACLE_SECRET, ecvrf.request_seed(int(event["preSeed"]), block_hash))
    return c.contracts["RandomnessCoordinator"].fulfil(proof.as_solidity(), rc, {"from": c.other})


def _call_trace(tx: Any) -> dict[str, Any]:
    """The transaction's call tree (geth's callTracer: every frame with `to`, `type`, `gasUsed`, `calls`)."""
    from brownie import web3
    from web3.types import RPCEndpoint

    method = RPCEndpoint("debug_traceTransaction")
    return dict(web3.provider.make_request(method, [tx.txid, {"tracer": "callTracer"}])["result"])


def _frame_into(trace: dict[str, Any], callee: str) -> dict[str, Any]:
    """The first CALL into `callee` anywhere in the tree."""
    stack = [trace]
    while stack:
        frame = stack.pop()
        if str(frame.get("to", "")).lower() == callee.lower() and frame.get("type") == "CALL":
            return frame
        stack.extend(frame.get("calls", []))
    raise RuntimeError(f"the transaction made no call into {callee}")


def _gas_in(frame: dict[str, Any], callee: str) -> int:
    """Execution gas of `frame`'s direct calls into `callee`, all together."""
    return sum(int(sub["gasUsed"], 16) for sub in frame.get("calls", []) if str(sub["to"]).lower() == callee.lower())


def _callback_gas(fulfil_tx: Any, consumer: str) -> int:
    """Execution gas of the coordinator's call into `consumer` within a fulfilment."""
    return int(_frame_into(_call_trace(fulfil_tx), consumer)["gasUsed"], 16)


@scenario
def dice_rows(c: Context) -> dict[str, int]:
    from brownie import chain

    dice, vault = c.contracts["Dice"], c.contracts["Vault"]
    registry, coordinator = c.contracts["PlayerRegistry"], c.contracts["RandomnessCoordinator"]
    p = {"from": c.player}
    dice.placeBet(ETH, 10**16, 50, 0, p)  # warm the player's first-bet storage like a regular player
    tx = dice.placeBet(ETH, 10**16, 50, 0, p)
    rows = {"dice_place": _gas(tx)}
    placing = _call_trace(tx)
    rows["dice_place_in_registry"] = _gas_in(placing, registry.address)
    rows["dice_place_in_vault"] = _gas_in(placing, vault.address)
    rows["dice_place_in_coordinator"] = _gas_in(placing, coordinator.address)
    # the proof decides the outcome: bet until both a win and a loss were settled
    settled: dict[bool, Any] = {}
    for _ in range(64):
        fulfil = _fulfil(c, tx)
        settled.setdefault(bool(fulfil.events["BetSettled"]["won"]), fulfil)
        if len(settled) == 2:
            break
        tx = dice.placeBet(ETH, 10**16, 50, 0, p)
    else:
        raise RuntimeError("64 bets did not both win and lose")
    rows["dice_fulfil_tx"] = _gas(settled[True])
    callback = _frame_into(_call_trace(settled[True]), dice.address)
    rows["dice_settle_callback"] = int(callback["gasUsed"], 16)
    rows["dice_settle_callback_in_vault"] = _gas_in(callback, vault.address)
    rows["dice_settle_callback_in_registry"] = _gas_in(callback, registry.address)
    rows["dice_settle_callback_loss"] = _callback_gas(settled[False], dice.address)
    tx = dice.placeBet(ETH, 10**16, 50, 0, p)
    chain.mine(int(dice.betOf(tx.return_value)[_bet_field(dice, "timeoutBlock")]) - chain.height + 1)
    rows["dice_timeout_settle"] = _gas(dice.settleTimedOut(tx.return_value, {"from": c.other}))
    return rows


def _bet_field(dice: Any, name: str) -> int:
    outputs = next(f for f in dice.abi if f.get("name") == "betOf")["outputs"][0]["components"]
    return [o["name"] for o in outputs].index(name)


@scenario
def jackpot_rows(c: Context) -> dict[str, int]:
    from brownie import chain

    jackpot = c.contracts["Jackpot"]
    round_id = int(jackpot.currentRound(ETH))
    jackpot.buyTickets(round_id, 1, 0, {"from": c.other})
    rows = {"jackpot_ticket_buy": _gas(jackpot.buyTickets(round_id, 3, 0, {"from": c.player}))}
    end = int(jackpot.roundOf(round_id)[round_field(jackpot, "end")])
    chain.sleep(max(0, end - int(chain.time())) + 1)
    tx = jackpot.draw(round_id, {"from": c.other})
    rows["jackpot_draw"] = _gas(tx)
    fulfil = _fulfil(c, tx)
    rows["jackpot_draw_callback"] = _callback_gas(fulfil, jackpot.address)
    rows["jackpot_claim"] = _gas(jackpot.claim(round_id, {"from": c.other}))
    return rows


def gas_table(kind: str = "anvil") -> dict[str, Any]:
    """Deploy the whole platform on a fresh `kind` chain and measure every operation."""
    from brownie import accounts, network

    from fairstake.bench.gas_skill import drain_brownie_threads, measure_skill_gas
    from fairstake.bench.gas_vault import GAS_SCENARIOS as VAULT_SCENARIOS
    from fairstake.bench.gas_vault import GasContext

    with LocalChain(kind=kind) as local, redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        project = connect(local.url)
        try:
            script = deploy_script()
            contracts, _ = script.deploy_platform(
                accounts[0], oracle_pk=ecvrf.public_key(BENCH_ORACLE_SECRET), referee=accounts[REFEREE]
            )
            player, other, lp = accounts[FIRST_PLAYER], accounts[FIRST_PLAYER + 1], accounts[LIQUIDITY_PROVIDER]
            contracts["Vault"].bankrollDeposit(ETH, 1_000 * ETHER, {"from": lp, "value": 1_000 * ETHER})
            for who in (player, other):
                contracts["Vault"].depositFor(who, ETH, 10 * ETHER, {"from": who, "value": 10 * ETHER})
            figures: dict[str, Any] = {}
            bench_game = accounts[19]  # an account registered as a game: Vault rows without game overhead
            script.govern(contracts["Vault"], accounts[0], "setGame", bench_game, True)
            vault_context = GasContext(
                contracts, accounts[0], bench_game, players=list(accounts)[10:15], lps=list(accounts)[15:17]
            )
            for vault_scenario in VAULT_SCENARIOS:
                figures.update({f"vault_{k}": v for k, v in vault_scenario(vault_context).items()})
            context = Context(contracts, player, other, lp)
            for run in GAS_SCENARIOS:
                figures.update(run(context))
            figures.update(measure_skill_gas(project))
            return figures
        finally:
            drain_brownie_threads()
            network.disconnect(kill_rpc=False)
