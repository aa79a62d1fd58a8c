"""`fairstake bench gas`: gas of every platform operation on a fresh, fully wired deployment.

Figures are whole transactions' gasUsed (intrinsic 21000 and calldata included) unless the name
says otherwise. `dice_settle_callback` is the execution gas of Dice's randomness callback alone
(the coordinator's call into Dice, read from a call trace of the fulfilment), which is what must
fit the callback gas limit: for a winning bet, the dearer outcome (`dice_settle_callback_loss`
for a losing one). Rows named `*_in_<contract>` break a Dice figure down: the execution gas of
the calls into that contract within it, at any depth (without the caller's 2,600 / 100 gas
account access); a contract's row includes the calls it makes itself, so `dice_place_in_vault`
includes `dice_place_in_registry` (the Vault's lock asks the registry).
Vault rows (prefixed `vault_`) come from ops.bench.gas_vault, which calls the Vault directly
from an account registered as a game; protection and skill rows from ops.bench.gas_skill.

Provider bonds: every Dice bet reserves its win payout W from the oracle key's bond and every
Jackpot draw its compensation and sink. `dice_place_bond_cost` is what that reservation adds to
a bet: the coordinator's execution gas for the request Dice makes (the same key, token, W and
payee, from a TestConsumer) minus the same request with a zero Slash; placing has no storage
refunds, so that is the whole transaction's difference. `dice_fulfil_bond_release_cost` is what
releasing it adds to a fulfilment: that TestConsumer's request with Dice's reservation fulfilled
twice from one snapshot (same proof, the consumer ignoring words and slash), once as it is and
once as a request made with a zero Slash would have been committed (the stored commitment hash
swapped for that one's); the difference is whole transactions' gasUsed. (A Dice bet cannot be
the counterfactual any more: the engine rebuilds its lock terms from the slash it is handed.)
Timeouts go through the coordinator: `dice_expire_tx` and `jackpot_expire_tx` are
`coordinator.expire(rc)` once both deadlines (blocks and time) have passed, the slash paid out
and the game told. `dice_unwind_after_failed_callback` is `Dice.settleTimedOut(lockId, terms)`,
which only unwinds a bet whose request resolved without settling it (here its callback gas was
too small to settle), the lock's terms read from its `Locked` event. Bond rows are the key
operator's top-up, start of unbonding and withdrawal; `store_blockhash` keeps a request block's
hash for fulfilment past 256 blocks.
`dice_place_from_wallet_empty_balance` is a first bet of a player with no Vault balance, the stake
deposited in the same call; `dice_multi_<n>_per_roll` is (place tx + fulfil tx gas) / n for a bet
of n rolls (issue 15's goals: 25,000 for 10 rolls, 3,000 for 100).
`<game>_multi_100_callback_per_extra_roll` (every game of chance) is the callback gas of a 100-roll
bet over that of a one-roll win of the same choice and stake, / 99: what the game's `_rollGas`
reservation per extra roll must cover.

Every row is exact: the same code gives the same figures on every run. The chain's clock is fixed
(anvil from a set genesis time, one second a block, moved only by the bench's own sleeps, see
`_fixed_sleep`), the accounts come from one mnemonic and the oracle key is `BENCH_ORACLE_SECRET`,
so every block hash, and with it every VRF seed, proof and word, repeats. A row whose gas depends
on the outcome names the outcome it measures, betting until the words give it, so it keeps its
meaning when a code change moves the words: `<game>_settle_callback` settles a win (the payout
above the stake), `<game>_settle_callback_loss` a loss (the payout below it: nothing for Dice,
CoinToss, Roulette, Keno and the Wheel's zero segments, part of the stake back on a Plinko board's
lowest slots). Multi-roll rows have no stop, so every roll plays, and measure a bet that ends ahead
(its payout above its stakes).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, redirect_stdout
from dataclasses import dataclass
from functools import partial
from typing import Any

from eth_hash.auto import keccak

from fairstake.manifest import ETH
from fairstake.rules import keno as keno_rules
from fairstake.rules.cointoss import encode_choice as cointoss_choice
from fairstake.rules.dice import encode_choice as dice_choice
from fairstake.rules.roulette import encode_choice as roulette_choice
from fairstake.rules.roulette import red, straight
from fairstake.rules.weighted import encode_choice as weighted_choice
from ops import bankroll
from ops.chain import LocalChain
from ops.deployment import FIRST_PLAYER, LIQUIDITY_PROVIDER, REFEREE, connect, deploy_script
from ops.games.keno import DEFAULT_TABLE_ID
from ops.locks import lock_terms
from ops.simulation import round_field
from oracle import ecvrf
from oracle.daemon.work import COMMITMENT_FIELDS, commitment_from_event

BENCH_ORACLE_SECRET = 0xB0B_5EED_CAFE
BENCH_GENESIS_TIME = 1_800_000_000  # the fixed clock's start (2027-01-15), any fixed value would do
ETHER = 10**18
USD = 10**6
IGNORE_CALLBACKS = 4  # TestConsumer.Behaviour.Ignore: accept the callback, store nothing


@dataclass
class Context:
    contracts: dict[str, Any]
    player: Any
    other: Any
    lp: Any
    project: Any
    script: Any  # ops/deploy.py: `govern` calls owner-only functions through the timelock
    deployer: Any  # the timelock's proposer and the oracle key's bond operator
    key_hash: str


Scenario = Callable[[Context], dict[str, int]]
GAS_SCENARIOS: list[Scenario] = []


def scenario(fn: Scenario) -> Scenario:
    GAS_SCENARIOS.append(fn)
    return fn


def _gas(tx: Any) -> int:
    return int(tx.gas_used)


def _commitment(tx: Any) -> tuple:
    """The RequestCommitment of the (single) request made in `tx`."""
    return commitment_from_event(tx.events["RandomnessRequested"], int(tx.block_number))


def _fulfil(c: Context, tx: Any, rc: tuple | None = None) -> Any:
    """Prove the request made in `tx` with the bench oracle key and fulfil it (with commitment
    `rc` instead of the request's own when given)."""
    from brownie import chain, web3

    event = tx.events["RandomnessRequested"]
    chain.mine()
    block_hash = bytes(web3.eth.get_block(int(tx.block_number))["hash"])  # the request's block
    proof = ecvrf.prove(BENCH_ORACLE_SECRET, ecvrf.request_seed(int(event["requestId"]), block_hash))  # preSeed
    commitment = _commitment(tx) if rc is None else rc
    return c.contracts["RandomnessCoordinator"].fulfil(proof.as_solidity(), commitment, {"from": c.other})


def _now() -> int:
    from brownie import web3

    return int(web3.eth.get_block("latest")["timestamp"])


def _expire(c: Context, tx: Any) -> Any:
    """Move the chain past both deadlines of the request made in `tx` (time, then blocks) and
    expire it at the coordinator."""
    from brownie import chain

    coordinator = c.contracts["RandomnessCoordinator"]
    rc = _commitment(tx)
    fields = dict(zip(COMMITMENT_FIELDS, rc, strict=True))
    chain.sleep(max(0, int(fields["deadlineTime"]) - _now()) + 1)
    chain.mine(max(1, int(fields["deadlineBlock"]) - chain.height + 1))
    if not coordinator.isExpired(rc):
        raise RuntimeError("the request is not past both deadlines")
    return coordinator.expire(rc, {"from": c.other})


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
    """Execution gas of the calls into `callee` made within `frame`, at any depth, all together
    (the outermost ones: what `callee` spends calling others is part of its own frames)."""
    total = 0
    for sub in frame.get("calls", []):
        if str(sub["to"]).lower() == callee.lower():
            total += int(sub["gasUsed"], 16)
        else:
            total += _gas_in(sub, callee)
    return total


def _callback_gas(fulfil_tx: Any, consumer: str) -> int:
    """Execution gas of the coordinator's call into `consumer` within a fulfilment."""
    return int(_frame_into(_call_trace(fulfil_tx), consumer)["gasUsed"], 16)


def _won(fulfil: Any, stake: int) -> bool | None:
    """True when the settled bet paid more than `stake`, False when less, None when exactly it."""
    payout = int(fulfil.events["BetSettled"]["payout"])
    return None if payout == stake else payout > stake


def _win_and_loss(c: Context, place: Callable[[], Any], stake: int, what: str) -> tuple[Any, dict[bool, Any]]:
    """Place bets with `place` and fulfil each until one won and one lost (see `_won`): the first
    bet's place transaction and the first winning and losing fulfilments."""
    first = None
    settled: dict[bool, Any] = {}
    for _ in range(64):
        tx = place()
        first = first or tx
        fulfil = _fulfil(c, tx)
        won = _won(fulfil, stake)
        if won is not None:
            settled.setdefault(won, fulfil)
        if len(settled) == 2:
            return first, settled
    raise RuntimeError(f"64 {what} bets did not both win and lose")


def _ahead(c: Context, place: Callable[[], Any], stakes: int) -> tuple[Any, Any]:
    """Place multi-roll bets with `place` and fulfil each until one ends ahead (paid more than its
    `stakes`): its place and fulfil transactions."""
    for _ in range(64):
        tx = place()
        fulfil = _fulfil(c, tx)
        if _won(fulfil, stakes):
            return tx, fulfil
    raise RuntimeError("64 multi-roll bets did not end ahead once")


def _outcome_rows(name: str, game: Any, settled: dict[bool, Any]) -> dict[str, int]:
    return {
        f"{name}_settle_callback": _callback_gas(settled[True], game.address),
        f"{name}_settle_callback_loss": _callback_gas(settled[False], game.address),
    }


# ------------------------------------------------------------------ the coordinator's storage


def _word(value: int) -> str:
    return "0x" + value.to_bytes(32, "big").hex()


def _mapping_slot(key: int, base: int) -> int:
    """Storage slot of `mapping[key]` for a mapping declared at slot `base` (a uint256 key)."""
    return int.from_bytes(keccak(key.to_bytes(32, "big") + base.to_bytes(32, "big")), "big")


def _storage_at(address: str, slot: int) -> int:
    from brownie import web3
    from web3 import Web3

    return int.from_bytes(bytes(web3.eth.get_storage_at(Web3.to_checksum_address(address), slot)), "big")


def _set_storage_at(address: str, slot: int, value: int) -> None:
    from brownie import web3
    from web3.types import RPCEndpoint

    response = web3.provider.make_request(RPCEndpoint("anvil_setStorageAt"), [address, _word(slot), _word(value)])
    if "error" in response:
        raise RuntimeError(f"anvil_setStorageAt failed: {response['error']}")


def _commitment_slot(coordinator: Any, request_id: int) -> int:
    """The storage slot of `request_id`'s stored commitment (found, not assumed: the mapping slot
    whose word is commitmentOf(request_id))."""
    stored = int(coordinator.commitmentOf(request_id).hex(), 16)
    for base in range(32):
        slot = _mapping_slot(request_id, base)
        if stored != 0 and _storage_at(coordinator.address, slot) == stored:
            return slot
    raise RuntimeError(f"found no commitment slot of request {request_id}")


def _fulfil_bond_release_cost(c: Context, consumer: Any, tx: Any) -> int:
    """What releasing the reservation of the request made in `tx` (by `consumer`, a TestConsumer)
    adds to its fulfilment: from one snapshot, the fulfilment as it is minus the same fulfilment
    (same proof) of the request as a zero Slash would have committed it (its stored hash swapped
    for that commitment's). The consumer ignores the words and the slash, so the two differ by the
    release and the commitment's calldata alone (a game's callback now needs the real slash: the
    chance engine rebuilds its lock terms from it). Everything is reverted afterwards."""
    from brownie import chain

    coordinator = c.contracts["RandomnessCoordinator"]
    request_id = int(tx.events["RandomnessRequested"]["requestId"])
    rc = _commitment(tx)
    unbonded_rc = (*rc[:8], ETH, 0, ETH, 0, False, rc[13])
    sender = {"from": c.deployer}
    chain.snapshot()
    consumer.setBehaviour(IGNORE_CALLBACKS, 0, sender)
    slot = _commitment_slot(coordinator, request_id)
    _set_storage_at(coordinator.address, slot, int(coordinator.hashOfCommitment(unbonded_rc).hex(), 16))
    reserved = int(coordinator.bondOf(c.key_hash, ETH)[1])
    unbonded = _fulfil(c, tx, unbonded_rc)
    if int(coordinator.bondOf(c.key_hash, ETH)[1]) != reserved:
        raise RuntimeError("the counterfactual fulfilment released a reservation")
    chain.revert()
    consumer.setBehaviour(IGNORE_CALLBACKS, 0, sender)
    bonded = _fulfil(c, tx)
    if int(coordinator.bondOf(c.key_hash, ETH)[1]) != reserved - int(tx.events["RandomnessRequested"]["bondAmount"]):
        raise RuntimeError("the fulfilment did not release the reservation")
    chain.revert()
    return _gas(bonded) - _gas(unbonded)


# ------------------------------------------------------------------ scenarios


@scenario
def dice_rows(c: Context) -> dict[str, int]:
    dice, vault = c.contracts["Dice"], c.contracts["Vault"]
    registry, coordinator = c.contracts["PlayerRegistry"], c.contracts["RandomnessCoordinator"]
    p = {"from": c.player}
    dice.placeBet(ETH, 10**16, dice_choice(50), 0, p)  # warm the player's first-bet storage like a regular player
    tx = dice.placeBet(ETH, 10**16, dice_choice(50), 0, p)
    rows = {"dice_place": _gas(tx)}
    placing = _call_trace(tx)
    rows["dice_place_in_registry"] = _gas_in(placing, registry.address)
    rows["dice_place_in_vault"] = _gas_in(placing, vault.address)
    rows["dice_place_in_coordinator"] = _gas_in(placing, coordinator.address)
    reserved = tx.events["RandomnessRequested"]
    bonded, unbonded, consumer, request = _request_gas_in_coordinator(
        c,
        (ETH, int(reserved["bondAmount"]), c.player.address, int(reserved["beneficiaryAmount"]), True),
        bytes(reserved["data"]),
    )
    if bonded != rows["dice_place_in_coordinator"]:  # the same request, so the same gas, or the figure is off
        raise RuntimeError(f"Dice's request: {rows['dice_place_in_coordinator']} gas in the coordinator, ours {bonded}")
    rows["dice_place_bond_cost"] = bonded - unbonded
    rows["dice_fulfil_bond_release_cost"] = _fulfil_bond_release_cost(c, consumer, request)
    # the proof decides the outcome: bet until both a win and a loss were settled
    settled: dict[bool, Any] = {}
    for _ in range(64):
        fulfil = _fulfil(c, tx)
        won = int(fulfil.events["BetSettled"]["payout"]) > 0
        settled.setdefault(won, fulfil)
        if len(settled) == 2:
            break
        tx = dice.placeBet(ETH, 10**16, dice_choice(50), 0, p)
    else:
        raise RuntimeError("64 bets did not both win and lose")
    rows["dice_fulfil_tx"] = _gas(settled[True])
    callback = _frame_into(_call_trace(settled[True]), dice.address)
    rows["dice_settle_callback"] = int(callback["gasUsed"], 16)
    rows["dice_settle_callback_in_vault"] = _gas_in(callback, vault.address)
    rows["dice_settle_callback_in_registry"] = _gas_in(callback, registry.address)
    rows["dice_settle_callback_loss"] = _callback_gas(settled[False], dice.address)
    return rows


@scenario
def dice_engine_rows(c: Context) -> dict[str, int]:
    """A player betting straight from the wallet with an empty Vault balance (the stake deposited
    in the bet's own transaction), and multi-roll bets: (place tx + fulfil tx gas) / rolls, both
    directions of Dice at even odds, every roll played (no stop), of a bet that ends ahead."""
    from brownie import accounts

    dice, vault = c.contracts["Dice"], c.contracts["Vault"]
    fresh = accounts[FIRST_PLAYER + 7]
    if int(vault.balanceOf(fresh, ETH)) != 0:
        raise RuntimeError("the wallet-only player already has a Vault balance")
    stake = 10**16
    tx = dice.placeBet(ETH, stake, dice_choice(50), stake, {"from": fresh, "value": stake})
    rows = {"dice_place_from_wallet_empty_balance": _gas(tx)}
    p = {"from": c.player}
    dice.placeMultiBet(ETH, stake, dice_choice(49, True), 2, 0, 0, 0, p)  # warm like a regular player
    for rolls in (10, 100):
        place = partial(dice.placeMultiBet, ETH, stake // 10, dice_choice(49, True), rolls, 0, 0, 0, p)
        placed, fulfilled = _ahead(c, place, rolls * (stake // 10))
        if int(fulfilled.events["BetSettled"]["rollsPlayed"]) != rolls:
            raise RuntimeError(f"a {rolls}-roll bet without a stop played {fulfilled.events['BetSettled']}")
        rows[f"dice_multi_{rolls}_place_tx"] = _gas(placed)
        rows[f"dice_multi_{rolls}_fulfil_tx"] = _gas(fulfilled)
        rows[f"dice_multi_{rolls}_per_roll"] = (_gas(placed) + _gas(fulfilled)) // rolls
    # the per-roll row over a one-roll win of the same choice and stake as the 100-roll bet
    one = _win_and_loss(c, partial(dice.placeBet, ETH, stake // 10, dice_choice(49, True), 0, p), stake // 10, "Dice")
    rows.update(
        _multi_100_rows(
            c, "Dice", "dice", dice_choice(49, True), stake // 10, _callback_gas(one[1][True], dice.address)
        )
    )
    return rows


def _chance_rows(c: Context, contract: str, name: str, choice: bytes, stake: int = 10**16) -> dict[str, int]:
    """`<name>_place`: a one-roll bet on `choice` from the Vault balance (the player's storage warm,
    as a regular player's); `<name>_settle_callback` and `_loss`: the game's callback settling a
    win and a loss."""
    game, p = c.contracts[contract], {"from": c.player}
    _fulfil(c, game.placeBet(ETH, stake, choice, 0, p))
    placed, settled = _win_and_loss(c, partial(game.placeBet, ETH, stake, choice, 0, p), stake, contract)
    return {f"{name}_place": _gas(placed), **_outcome_rows(name, game, settled)}


def _multi_100_rows(
    c: Context, contract: str, name: str, choice: bytes, stake: int, one_roll_win: int
) -> dict[str, int]:
    """`<name>_multi_100_callback_per_extra_roll`: the callback gas of a 100-roll bet on `choice`
    at `stake` that ends ahead, less `one_roll_win` (the callback of a one-roll win of the same
    choice and stake), over the 99 extra rolls: what the game's `_rollGas` must cover."""
    game = c.contracts[contract]
    place = partial(game.placeMultiBet, ETH, stake, choice, 100, 0, 0, 0, {"from": c.player})
    many = _ahead(c, place, 100 * stake)[1]
    if int(many.events["BetSettled"]["rollsPlayed"]) != 100:
        raise RuntimeError(f"a 100-roll {contract} bet without a stop played {many.events['BetSettled']}")
    return {f"{name}_multi_100_callback_per_extra_roll": (_callback_gas(many, game.address) - one_roll_win) // 99}


def _chance_and_multi_rows(c: Context, contract: str, name: str, choice: bytes, stake: int) -> dict[str, int]:
    """{_chance_rows} and {_multi_100_rows} on the same choice and stake."""
    rows = _chance_rows(c, contract, name, choice, stake)
    rows.update(_multi_100_rows(c, contract, name, choice, stake, rows[f"{name}_settle_callback"]))
    return rows


@scenario
def cointoss_rows(c: Context) -> dict[str, int]:
    return _chance_and_multi_rows(c, "CoinToss", "cointoss", cointoss_choice(True), 10**16)


@scenario
def roulette_rows(c: Context) -> dict[str, int]:
    # red and 17 (black): two sets, as a player who covers a colour and a number
    choice = roulette_choice([red(), straight(17)], [9 * 10**15, 10**15])
    return _chance_and_multi_rows(c, "Roulette", "roulette", choice, 10**16)


def _request_gas_in_coordinator(
    c: Context, slash: tuple[Any, int, str, int, bool], data: bytes
) -> tuple[int, int, Any, Any]:
    """The coordinator's execution gas for a request reserving `slash` with the data word `data`,
    and for the same request with a zero Slash: requests through one TestConsumer (registered like
    a game) with Dice's key and callback gas. Also that consumer and its last request's transaction
    (reserving `slash`, left pending)."""
    coordinator = c.contracts["RandomnessCoordinator"]
    sender = {"from": c.deployer}
    consumer = c.project.TestConsumer.deploy(coordinator, sender)
    c.script.govern(coordinator, c.deployer, "setConsumer", consumer, c.key_hash)
    consumer.setData(data, sender)
    callback_gas = int(c.contracts["Dice"].callbackGasLimit())
    zero = (ETH, 0, ETH, 0, False)
    frames = {}
    for name, reservation in (("warm-up", slash), ("bonded", slash), ("zero", zero), ("bonded again", slash)):
        consumer.setSlash(reservation, sender)
        tx = consumer.request(callback_gas, 1, sender)
        frames[name] = _gas_in(_frame_into(_call_trace(tx), consumer.address), coordinator.address)
    if frames["bonded"] != frames["bonded again"]:
        raise RuntimeError(f"a bonded request's coordinator gas varies: {frames}")
    return frames["bonded"], frames["zero"], consumer, tx


@scenario
def keno_rows(c: Context) -> dict[str, int]:
    """A five-pick Keno bet on the default table: placing it, its settlement callback for a win and
    a loss (the draw costs the same whatever the hits: only paying or not moves the gas), and the
    callback gas per extra roll of a 100-roll bet."""
    choice = keno_rules.encode_choice(DEFAULT_TABLE_ID, keno_rules.mask_of(range(1, 6)))
    return _chance_and_multi_rows(c, "Keno", "keno", choice, 10**15)


@scenario
def jackpot_rows(c: Context) -> dict[str, int]:
    from brownie import chain

    jackpot = c.contracts["Jackpot"]
    round_id = _selling_round(c)
    jackpot.buyTickets(round_id, 1, 0, {"from": c.other})
    rows = {"jackpot_ticket_buy": _gas(jackpot.buyTickets(round_id, 3, 0, {"from": c.player}))}
    end = int(jackpot.roundOf(round_id)[round_field(jackpot, "end")])
    chain.sleep(max(0, end - _now()) + 1)
    tx = jackpot.draw(round_id, {"from": c.other})
    rows["jackpot_draw"] = _gas(tx)
    fulfil = _fulfil(c, tx)
    rows["jackpot_draw_callback"] = _callback_gas(fulfil, jackpot.address)
    rows["jackpot_claim"] = _gas(jackpot.claim(round_id, {"from": c.other}))
    return rows


def _selling_round(c: Context) -> int:
    """The token's open round, once it still sells tickets: an earlier one whose sales closed
    (time moved on) is drawn empty or, past its draw window, marked refundable, opening the next."""
    jackpot = c.contracts["Jackpot"]
    round_id = int(jackpot.currentRound(ETH))
    info = jackpot.roundOf(round_id)
    if _now() + 1 < int(info[round_field(jackpot, "end")]):
        return round_id
    if int(info[round_field(jackpot, "totalTickets")]) != 0:
        raise RuntimeError(f"round {round_id} closed with tickets nobody drew")
    if _now() + 1 <= int(info[round_field(jackpot, "drawBy")]):
        jackpot.draw(round_id, {"from": c.other})
    else:
        jackpot.markRefundable(round_id, {"from": c.other})
    return int(jackpot.currentRound(ETH))


@scenario
def expiry_rows(c: Context) -> dict[str, int]:
    """Withheld results: a Dice bet and a Jackpot draw expired once both deadlines passed (the
    bond pays out, the game unwinds), then a Dice bet whose result callback failed."""
    from brownie import chain, web3

    dice, jackpot = c.contracts["Dice"], c.contracts["Jackpot"]
    bet = dice.placeBet(ETH, 10**16, dice_choice(50), 0, {"from": c.player})
    expired = _expire(c, bet)
    if "BondSlashed" not in expired.events or "BetTimedOut" not in expired.events:
        raise RuntimeError("the Dice expiry did not slash the bond and unwind the bet")
    rows = {"dice_expire_tx": _gas(expired)}

    round_id = _selling_round(c)
    jackpot.buyTickets(round_id, 1, 0, {"from": c.other})
    jackpot.buyTickets(round_id, 2, 0, {"from": c.player})
    end = int(jackpot.roundOf(round_id)[round_field(jackpot, "end")])
    chain.sleep(max(0, end - _now()) + 1)
    expired = _expire(c, jackpot.draw(round_id, {"from": c.other}))
    if "BondSlashed" not in expired.events or "RoundRefundable" not in expired.events:
        raise RuntimeError("the Jackpot expiry did not slash the bond and make the round refundable")
    rows["jackpot_expire_tx"] = _gas(expired)

    # governance set a callback gas too small for settling: the result arrives, the callback runs
    # out of gas, the request is resolved and the bet stays open until anyone unwinds it
    callback_gas = dice.callbackGasLimit()
    c.script.govern(dice, c.deployer, "setCallbackGasLimit", 5_000)
    bet = dice.placeBet(ETH, 10**16, dice_choice(50), 0, {"from": c.player})
    c.script.govern(dice, c.deployer, "setCallbackGasLimit", callback_gas)
    fulfil = _fulfil(c, bet)
    if fulfil.events["RandomnessFulfilled"]["callbackSuccess"]:
        raise RuntimeError("the Dice callback did not fail")
    # the Vault keeps only the lock's hash: its terms come from the Locked event, as a client reads them
    lock_id = int(bet.events["Locked"]["lockId"])
    terms = lock_terms(web3, str(c.contracts["Vault"].address), lock_id)
    rows["dice_unwind_after_failed_callback"] = _gas(dice.settleTimedOut(lock_id, terms, {"from": c.other}))
    return rows


@scenario
def bond_rows(c: Context) -> dict[str, int]:
    """The oracle key's bond (ETH): a top-up, the operator's unbonding and withdrawal, and
    storing a request block's hash. Last: waiting out the unbonding moves time by days."""
    from brownie import chain

    coordinator = c.contracts["RandomnessCoordinator"]
    operator = {"from": c.deployer}
    rows = {
        "bond_deposit": _gas(coordinator.depositBond(c.key_hash, ETH, ETHER, {"from": c.lp, "value": ETHER})),
        "bond_request_unbond": _gas(coordinator.requestUnbond(c.key_hash, ETH, ETHER, operator)),
    }
    rows["store_blockhash"] = _gas(coordinator.storeBlockhash(chain.height, {"from": c.other}))
    chain.sleep(int(coordinator.UNBOND_DELAY()) + 1)
    chain.mine()
    rows["bond_withdraw"] = _gas(coordinator.withdrawBond(c.key_hash, ETH, c.deployer, operator))
    return rows


@scenario
def weighted_rows(c: Context) -> dict[str, int]:
    """A Wheel spin on the 50-segment medium wheel and a Plinko drop on the 16-row high board (the
    deployment's largest configurations, so the binary search reads the most), one roll each (a
    win and a loss), and a 100-roll bet on each that ends ahead: the callback's gas per extra roll
    over a one-roll win (WeightedGame._rollGas covers it)."""
    rows: dict[str, int] = {}
    for key, contract, config_id in (("wheel", "Wheel", 14), ("plinko", "Plinko", 27)):
        rows.update(_chance_and_multi_rows(c, contract, key, weighted_choice(config_id), 10**15))
    return rows


@contextmanager
def _fixed_sleep() -> Iterator[None]:
    """brownie's `chain.sleep` on a fixed-clock anvil (which ignores evm_increaseTime): an empty
    block mined that many seconds past the latest, so time moves by exactly what the bench asks
    and never by the wall clock (a block rather than a pending timestamp: a snapshot's revert
    takes it back with everything else)."""
    from brownie import web3
    from brownie.network.rpc import Rpc
    from web3.types import RPCEndpoint

    backend = Rpc().backend  # the module brownie's Chain.sleep calls

    def sleep(seconds: int) -> int:
        response = web3.provider.make_request(RPCEndpoint("evm_mine"), [_now() + seconds])
        if "error" in response:
            raise RuntimeError(f"evm_mine failed: {response['error']}")
        return seconds

    real, backend.sleep = backend.sleep, sleep
    try:
        yield
    finally:
        backend.sleep = real


@contextmanager
def bench_platform(kind: str = "anvil") -> Iterator[Context]:
    """The whole platform deployed on a fresh `kind` chain (on anvil with a fixed clock: the same
    figures on every run; ganache's clock is the wall's), the LPs' bankroll funded and both
    players holding a Vault balance."""
    from brownie import accounts, network

    from ops.bench.gas_skill import drain_brownie_threads

    fixed_clock = BENCH_GENESIS_TIME if kind == "anvil" else None
    with LocalChain(kind=kind, fixed_clock=fixed_clock) as local, redirect_stdout(io.StringIO()), ExitStack() as on:
        on.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore", FutureWarning)
        project = connect(local.url)
        if fixed_clock is not None:
            on.enter_context(_fixed_sleep())
        try:
            script = deploy_script()
            contracts, key_hash = script.deploy_platform(
                accounts[0], oracle_pk=ecvrf.public_key(BENCH_ORACLE_SECRET), referee=accounts[REFEREE]
            )
            player, other, lp = accounts[FIRST_PLAYER], accounts[FIRST_PLAYER + 1], accounts[LIQUIDITY_PROVIDER]
            # deep enough that a 100-roll bet on the largest Plinko board (about 51 ETH reserved)
            # stays under the Vault's per-lock risk fraction whatever the earlier bets won
            bankroll.fund(contracts, lp, {ETH: 2_000 * ETHER})
            for who in (player, other):
                contracts["Vault"].depositFor(who, ETH, 10 * ETHER, {"from": who, "value": 10 * ETHER})
            yield Context(contracts, player, other, lp, project, script, accounts[0], key_hash)
        finally:
            drain_brownie_threads()
            network.disconnect(kill_rpc=False)


def gas_table(kind: str = "anvil") -> dict[str, Any]:
    """Deploy the whole platform on a fresh `kind` chain and measure every operation."""
    from brownie import accounts

    from ops.bench.gas_skill import measure_skill_gas
    from ops.bench.gas_vault import GAS_SCENARIOS as VAULT_SCENARIOS
    from ops.bench.gas_vault import GasContext

    with bench_platform(kind) as context:
        contracts = context.contracts
        figures: dict[str, Any] = {}
        bench_game = accounts[19]  # an account registered as a game: Vault rows without game overhead
        context.script.govern(contracts["Vault"], accounts[0], "setGame", bench_game, True)
        vault_context = GasContext(
            contracts, accounts[0], bench_game, players=list(accounts)[10:15], lps=list(accounts)[15:17]
        )
        for vault_scenario in VAULT_SCENARIOS:
            figures.update({f"vault_{k}": v for k, v in vault_scenario(vault_context).items()})
        for run in GAS_SCENARIOS:
            figures.update(run(context))
        figures.update(measure_skill_gas(context.project))
        return figures
