"""Fixtures and helpers shared by the chance games' tests: the fixtures reach every module of
this folder through its conftest, the helpers by import.

Deployments are module-scoped and depend on `module_isolation`, so they are made after
brownie resets the chain for the module and before the per-test snapshot. Games are wired
to the real Vault, a MockCoordinator (the tests choose the random words) and a
MockPlayerRegistry; the RTP tests use the real RandomnessCoordinator with real proofs.
"""

from __future__ import annotations

import os
import random
from typing import Any

import pytest
from brownie import (
    CoinToss,
    Dice,
    Jackpot,
    MockCoordinator,
    MockPlayerRegistry,
    MockStablecoin,
    Roulette,
    Vault,
    VaultBankroll,
    accounts,
    chain,
    web3,
)
from brownie.convert.datatypes import HexString
from contract_support import DAY, ETHER, HOUR, USD, token_address, token_balance, wire_registry
from eth_abi import encode as abi_encode
from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from fairstake.manifest import ETH
from ops import bankroll as lp_flow

TIMEOUT_BLOCKS = 20
TIMEOUT_SECONDS = 600
# the real RandomnessCoordinator's EXPIRY_CALLBACK_GAS
EXPIRY_CALLBACK_GAS = 200_000
KEY_HASH = "0x" + "ab" * 32
DICE_CALLBACK_GAS = 200_000
JACKPOT_CALLBACK_GAS = 250_000
LOCK_DURATION = DAY
EDGE_BPS = 100
RISK_BPS = 1_000
FEE_BPS = 1_000
MIN_STAKE = 10**15
MAX_STAKE = 10 * ETHER
USD_MIN_STAKE = USD
USD_MAX_STAKE = 10_000 * USD
BANKROLL = 1_000 * ETHER
USD_BANKROLL = 10_000_000 * USD
TICKET_PRICE = ETHER // 100
USD_TICKET_PRICE = 5 * USD
ROUND_DURATION = HOUR
RAKE_BPS = 300
DRAW_WINDOW = HOUR
DRAW_GRACE = 6 * HOUR
CLAIM_PERIOD = 7 * DAY
TIMING = (DRAW_WINDOW, DRAW_GRACE, CLAIM_PERIOD)


# ChanceGame.BetStatus, as betStatusOf(lockId) returns it
CLOSED, AWAITING_WORD, AWAITING_REFUND = 0, 1, 2


def bet_id_of(game: Any, lock_id: int) -> int:
    """The id of `game`'s bet on Vault lock `lock_id`: its request id, keccak256(abi.encode(game,
    uint64 lockId)), encoded with eth_abi (not by the contract under test)."""
    return int.from_bytes(web3.keccak(abi_encode(["address", "uint64"], [str(game.address), lock_id])), "big")


def bet_status(game: Any, placed: Any) -> int:
    """The BetStatus of the bet placed in `placed` (its tx), checking the id betStatusOf names."""
    lock_id = placed.events["Locked"]["lockId"]
    bet_id, status = game.betStatusOf(lock_id)
    assert bet_id == placed.events["BetPlaced"]["betId"] == bet_id_of(game, lock_id)
    return int(status)


def data_word_of(placed: Any) -> int:
    """The data word of the randomness request a bet's placing made (its RandomnessRequested)."""
    return int.from_bytes(bytes(placed.events["RandomnessRequested"]["data"]), "big")


def placed_bets(tx: Any) -> list[dict[str, Any]]:
    """Every bet placed in `tx` as a reader rebuilds it from the receipt, decoded here by hand
    (not by fairstake.audit): BetPlaced names the bet; the data word of its request
    (RandomnessRequested, requestId = betId) gives lockId (bits 0..55), rolls (56..63), edgeBps
    (64..79) and, when bit 159 of the part from bit 96 is set, the choice (one word at bits 96..174,
    a second at 175..253 when bit 158 of that part is set); that lock's Vault Locked the player,
    the token, the stakes (stake x rolls), maxPayout and the protocol fee; and its BetTerms, if any, the choice and
    the stops."""
    words = {int(e["requestId"]): int.from_bytes(bytes(e["data"]), "big") for e in tx.events["RandomnessRequested"]}
    locks = {int(e["lockId"]): e for e in tx.events["Locked"]}
    terms = {int(e["betId"]): e for e in tx.events["BetTerms"]} if "BetTerms" in tx.events else {}
    bets = []
    for event in tx.events["BetPlaced"]:
        bet_id = int(event["betId"])
        word = words[bet_id]
        lock_id, rolls = word & ((1 << 56) - 1), (word >> 56) & 0xFF
        lock = locks[lock_id]
        tail = word >> 96
        if bet_id in terms:
            choice, stop_gain, stop_loss = (
                bytes(terms[bet_id]["choice"]),
                terms[bet_id]["stopGain"],
                terms[bet_id]["stopLoss"],
            )
        else:
            assert tail >> 159 == 1, "a bet without BetTerms has its choice packed in its data word"
            first, second = tail % 2**79, (tail >> 79) % 2**79
            choice = first.to_bytes(32, "big") + (second.to_bytes(32, "big") if (tail >> 158) & 1 else b"")
            stop_gain = stop_loss = 0
        bets.append(
            {
                "betId": bet_id,
                "player": lock["player"],
                "token": lock["token"],
                "stake": lock["amount"] // rolls,
                "choice": HexString(choice, "bytes"),
                "stopGain": stop_gain,
                "stopLoss": stop_loss,
                "lockId": lock_id,
                "rolls": rolls,
                "edgeBps": (word >> 64) & 0xFFFF,
                "maxPayout": lock["maxPayout"],
                # the fee share of the house edge the game declared to the Vault
                "fee": lock["fee"],
            }
        )
    return bets


def edge_fee(vault: Any, house_edge: int) -> int:
    """The protocol fee a lock pays for a bet declaring `house_edge` (fairstake.rules.bankroll's
    rule): how a test sees the edge a game declared to the Vault, now no log carries it. The Vault
    must charge a fee, or the check would pass whatever the edge."""
    bps = int(vault.protocolFeeBps())
    assert bps > 0, "the fixture's Vault charges no fee: the declared edge would be invisible"
    return house_edge * bps // 10_000


def placed_bet(tx: Any) -> dict[str, Any]:
    """The one bet placed in `tx` (placed_bets)."""
    (bet,) = placed_bets(tx)
    return bet


def storage_word(contract: Any, slot: int) -> int:
    return int.from_bytes(bytes(web3.eth.get_storage_at(str(contract.address), slot)), "big")


def mapping_entry_holding(contract: Any, key: int, value: int, slots: range = range(64)) -> int:
    """The storage slot of `contract`'s entry for uint256 `key`, in whichever mapping (declared at
    one of `slots`) holds exactly `value` there: Solidity's keccak256(abi.encode(key, slot)),
    encoded with eth_abi. Exactly one such mapping must hold it."""
    found = [
        entry
        for entry in (int.from_bytes(web3.keccak(abi_encode(["uint256", "uint256"], [key, s])), "big") for s in slots)
        if storage_word(contract, entry) == value
    ]
    assert len(found) == 1, f"{len(found)} mappings hold {value:#x} for key {key:#x}"
    return found[0]


def assert_vault_solvent(vault: Any, token: Any) -> None:
    """The Vault invariant: it holds at least everything it owes in `token`."""
    address = token_address(token)
    owed = (
        vault.freeBalanceTotal(address)
        + vault.lockedTotal(address)
        + vault.bankrollAssets(address)
        + vault.accruedFees(address)
    )
    assert token_balance(token, vault) >= owed
    assert vault.bankrollAssets(address) >= vault.bankrollReserved(address)


def word_for_roll(roll: int, rng: random.Random | None = None) -> int:
    """A random-looking uint256 word whose dice roll is `roll`: from `rng`, or by default drawn
    from a generator seeded with the roll, so a failing test replays with the same words."""
    rng = rng or random.Random(roll)
    word = rng.getrandbits(256)
    word -= word % 100
    if word + roll >= 2**256:
        word -= 100
    return word + roll


def dice_choice(target: int, over: bool = False) -> bytes:
    """Dice's `choice`, abi.encode(uint8 target, bool over), by eth_abi (not by the rules under
    test), unchecked so tests can send bad targets."""
    return bytes(abi_encode(["uint8", "bool"], [target, over]))


def mine(blocks: int) -> None:
    chain.mine(blocks)


def may_have_expired(coordinator: Any, request_id: int, margin: int = 5) -> bool:
    """Whether the MockCoordinator's request could be past its deadline in the next block (the
    clock may run a few seconds ahead of the latest block): such a request is expired, not answered."""
    _, _, deadline_block, deadline_time, _, _ = coordinator.requests(request_id)
    latest = web3.eth.get_block("latest")
    soon = int(latest["timestamp"]) + margin
    timeout = int(coordinator.timeoutSeconds())
    return soon > int(deadline_time) and (
        int(latest["number"]) + 1 > int(deadline_block) or soon > int(deadline_time) + timeout
    )


def expire_past_deadline(coordinator: Any, request_id: int) -> Any:
    """Advance the chain past the request's deadline (blocks and time) and expire it at the
    MockCoordinator, which pays the request's slash like the real coordinator."""
    _, _, deadline_block, deadline_time, _, _ = coordinator.requests(request_id)
    latest = int(web3.eth.get_block("latest")["timestamp"])
    chain.sleep(max(0, int(deadline_time) - latest) + 2)
    chain.mine(max(1, int(deadline_block) - chain.height + 1))
    return coordinator.expireRequest(request_id, {"from": accounts[8]})


def deliver(coordinator: Any, request_id: int, word: int, sender: Any = None) -> Any:
    """Deliver one word through the MockCoordinator, asserting the callback succeeded."""
    tx = coordinator.deliver(request_id, [word], {"from": sender or accounts[8]})
    assert tx.events["Delivered"]["callbackSuccess"], "the game's callback failed"
    return tx


def assert_expiry_pays_from_bond(vault: Any, coordinator: Any, player: Any, placed: Any) -> int:
    """Expire the bet `placed` (its placing tx) at the MockCoordinator: the player is credited the
    bet's whole maximum payout and the coordinator's bond pays all of it. Returns that payout."""
    most = placed.events["Locked"]["maxPayout"]
    before, bond = vault.balanceOf(player, ETH), coordinator.balance()
    expired = expire_past_deadline(coordinator, placed.return_value)
    assert expired.events["BetTimedOut"]["payout"] == most
    assert vault.balanceOf(player, ETH) == before + most
    assert coordinator.balance() == bond - most
    return int(most)


# ------------------------------------------------------------------ core contracts


@pytest.fixture(scope="module")
def vault(module_isolation: None, owner: Any, treasury: Any) -> Any:
    VaultBankroll.deploy({"from": owner})  # the library the Vault links to
    deployed = Vault.deploy(owner, {"from": owner})
    deployed.setToken(ETH, True, {"from": owner})
    deployed.setRiskFraction(ETH, RISK_BPS, {"from": owner})
    deployed.setProtocolFee(FEE_BPS, {"from": owner})
    deployed.setFeeRecipient(treasury, {"from": owner})
    return deployed


@pytest.fixture(scope="module")
def usds(vault: Any, owner: Any) -> Any:
    token = MockStablecoin.deploy({"from": owner})
    vault.setToken(token, True, {"from": owner})
    vault.setRiskFraction(token, RISK_BPS, {"from": owner})
    return token


@pytest.fixture(scope="module")
def registry(module_isolation: None, owner: Any) -> Any:
    return MockPlayerRegistry.deploy({"from": owner})


# What the MockCoordinator holds to pay slashes on expiry (the real one pays from the key's bond).
MOCK_BOND = 5_000 * ETHER
USD_MOCK_BOND = 10_000_000 * USD


@pytest.fixture(scope="module")
def coordinator(module_isolation: None, owner: Any, vault: Any, usds: Any) -> Any:
    mock = MockCoordinator.deploy(vault, TIMEOUT_BLOCKS, TIMEOUT_SECONDS, EXPIRY_CALLBACK_GAS, {"from": owner})
    owner.transfer(mock, MOCK_BOND)
    usds.mint(mock, USD_MOCK_BOND, {"from": owner})
    return mock


@pytest.fixture(scope="module")
def bankroll(vault: Any, usds: Any, lp: Any) -> None:
    """ETH and USDS bankrolls: one lock may reserve up to 10 % of the free bankroll."""
    lp_flow.deposit(vault, ETH, BANKROLL, lp)
    usds.mint(lp, USD_BANKROLL, {"from": lp})
    usds.approve(vault, USD_BANKROLL, {"from": lp})
    lp_flow.deposit(vault, usds, USD_BANKROLL, lp)


# ------------------------------------------------------------------ games


def deploy_chance_game(
    contract: Any,
    owner: Any,
    vault: Any,
    coordinator: Any,
    registry: Any,
    usds: Any,
    callback_gas: int,
    edge_bps: int = EDGE_BPS,
) -> Any:
    """A game on the chance-game engine, registered with the Vault, betting ETH (and USDS unless
    `usds` is None) at `edge_bps`."""
    game = contract.deploy((owner, vault, coordinator, registry, callback_gas), LOCK_DURATION, {"from": owner})
    coordinator.setConsumer(game, KEY_HASH, {"from": owner})  # the mock records the key, as the real one
    wire_registry(vault, registry, owner)
    vault.setGame(game, True, {"from": owner})
    game.configureToken(ETH, True, MIN_STAKE, MAX_STAKE, edge_bps, {"from": owner})
    if usds is not None:
        game.configureToken(usds, True, USD_MIN_STAKE, USD_MAX_STAKE, edge_bps, {"from": owner})
    return game


def deploy_dice(owner: Any, vault: Any, coordinator: Any, registry: Any, usds: Any) -> Any:
    return deploy_chance_game(Dice, owner, vault, coordinator, registry, usds, DICE_CALLBACK_GAS)


@pytest.fixture(scope="module")
def dice(owner: Any, vault: Any, coordinator: Any, registry: Any, usds: Any, bankroll: None) -> Any:
    return deploy_dice(owner, vault, coordinator, registry, usds)


# measured with a margin (a 16-set Roulette bet settles in about 340,000 gas: the engine reads
# and deletes its stored choice, 36 slots)
COINTOSS_CALLBACK_GAS = 200_000
ROULETTE_CALLBACK_GAS = 450_000


@pytest.fixture(scope="module")
def cointoss(owner: Any, vault: Any, coordinator: Any, registry: Any, usds: Any, bankroll: None) -> Any:
    return deploy_chance_game(CoinToss, owner, vault, coordinator, registry, usds, COINTOSS_CALLBACK_GAS)


@pytest.fixture(scope="module")
def roulette(owner: Any, vault: Any, coordinator: Any, registry: Any, usds: Any, bankroll: None) -> Any:
    return deploy_chance_game(Roulette, owner, vault, coordinator, registry, usds, ROULETTE_CALLBACK_GAS)


def deploy_jackpot(owner: Any, vault: Any, coordinator: Any, registry: Any, usds: Any) -> Any:
    jackpot = Jackpot.deploy((owner, vault, coordinator, registry, JACKPOT_CALLBACK_GAS), TIMING, {"from": owner})
    coordinator.setConsumer(jackpot, KEY_HASH, {"from": owner})
    wire_registry(vault, registry, owner)
    vault.setGame(jackpot, True, {"from": owner})
    jackpot.configureToken(ETH, True, TICKET_PRICE, ROUND_DURATION, RAKE_BPS, {"from": owner})
    jackpot.configureToken(usds, True, USD_TICKET_PRICE, ROUND_DURATION, RAKE_BPS, {"from": owner})
    return jackpot


@pytest.fixture(scope="module")
def jackpot(owner: Any, vault: Any, coordinator: Any, registry: Any, usds: Any) -> Any:
    return deploy_jackpot(owner, vault, coordinator, registry, usds)


@pytest.fixture
def funded(vault: Any, alice: Any, bob: Any, carol: Any) -> int:
    """10 ETH in the Vault balances of alice, bob and carol."""
    amount = 10 * ETHER
    for player in (alice, bob, carol):
        vault.depositFor(player, ETH, amount, {"from": player, "value": amount})
    return amount


# ------------------------------------------------------------------ real randomness (coordinator + prover)

ORACLE_SECRET = 0xC0FFEE5EED0DDBA11
REAL_TIMEOUT_BLOCKS = 64
REAL_TIMEOUT_SECONDS = 600
REAL_BOND = 2_000 * ETHER


def commitments_of(tx: Any) -> list[tuple]:
    """The RequestCommitment of every request made in `tx`, in struct order."""
    from oracle.daemon.work import commitment_from_event

    return [commitment_from_event(e, int(tx.block_number)) for e in tx.events["RandomnessRequested"]]


def prove(rc: tuple, secret: int = ORACLE_SECRET) -> Any:
    """The oracle's proof for a request, as the daemon would make it (oracle.ecvrf)."""
    from oracle import ecvrf

    block_hash = bytes(web3.eth.get_block(rc[0])["hash"])
    return ecvrf.prove(secret, ecvrf.request_seed(int(rc[7]), block_hash))


def transact(method: Any, *args: Any) -> Any:
    """Send a transaction, riding out a brownie/anvil race seen with heavy transactions: brownie
    sees the sender's nonce advance before anvil serves the transaction by hash and reports it
    "dropped without known replacement" although it was mined. Then the receipt is fetched by
    hash (and must show success)."""
    from brownie.exceptions import TransactionError

    try:
        return method(*args)
    except TransactionError as exc:
        if "dropped without known replacement" not in str(exc):
            raise
        txid = str(exc).split()[-1]
        # anvil can show the advanced nonce a moment before it serves the receipt: wait for it.
        mined = web3.eth.wait_for_transaction_receipt(txid, timeout=60, poll_latency=0.2)
        assert mined["status"] == 1, f"{txid} reverted"
        return chain.get_transaction(txid)


def fulfil_all(coordinator: Any, commitments: list[tuple], sender: Any) -> tuple[Any, list[int]]:
    """Fulfil requests in one fulfilBatch with real proofs; returns the tx and each VRF output."""
    from oracle import ecvrf

    proofs = [prove(rc) for rc in commitments]
    tx = transact(
        coordinator.fulfilBatch,
        [p.as_solidity() for p in proofs],
        commitments,
        {"from": sender, "gas_limit": 15_000_000},
    )
    return tx, [ecvrf.verify(p) for p in proofs]


@pytest.fixture(scope="module")
def real_coordinator(module_isolation: None, owner: Any, vault: Any) -> Any:
    """The RandomnessCoordinator with the test oracle key registered and bonded in ETH."""
    from brownie import RandomnessCoordinator

    from ops.deploy import MAX_CALLBACK_GAS
    from oracle import ecvrf

    # the deployment's callback gas cap, so tests of a game's largest bets test what `up` deploys
    coordinator = RandomnessCoordinator.deploy(
        owner, vault, REAL_TIMEOUT_BLOCKS, REAL_TIMEOUT_SECONDS, MAX_CALLBACK_GAS, {"from": owner}
    )
    public_key = list(ecvrf.public_key(ORACLE_SECRET))
    coordinator.registerKey(public_key, owner, {"from": owner})
    key_hash = coordinator.hashOfKey(public_key)
    coordinator.depositBond(key_hash, ETH, REAL_BOND, {"from": owner, "value": REAL_BOND})
    return coordinator


@pytest.fixture(scope="module")
def real_key_hash() -> str:
    from oracle import ecvrf

    return "0x" + ecvrf.key_hash(ecvrf.public_key(ORACLE_SECRET)).hex()


@pytest.fixture(scope="module")
def real_registry(module_isolation: None, owner: Any) -> Any:
    """The PlayerRegistry (games are registered by the game fixtures)."""
    from brownie import PlayerRegistry

    return PlayerRegistry.deploy(owner, {"from": owner})


def deploy_on_real_randomness(
    container: Any, owner: Any, vault: Any, coordinator: Any, registry: Any, key_hash: str, callback_gas: int, *own: Any
) -> Any:
    """Deploy a game of chance on the real coordinator and registry and register it everywhere,
    requesting with `key_hash` (the coordinator keeps it for the game)."""
    game = container.deploy((owner, vault, coordinator, registry, callback_gas), *own, {"from": owner})
    wire_registry(vault, registry, owner)
    vault.setGame(game, True, {"from": owner})
    coordinator.setConsumer(game, key_hash, {"from": owner})
    return game


# ------------------------------------------------------------------ stateful money-flow tests

SOAK = bool(os.environ.get("FAIRSTAKE_SOAK"))


def money_flow_settings(soak_examples: int) -> settings:
    """10 derandomized examples of 30 steps; with FAIRSTAKE_SOAK set, `soak_examples` random
    examples of 60 steps."""
    return settings(
        max_examples=soak_examples if SOAK else 10,
        stateful_step_count=60 if SOAK else 30,
        deadline=None,
        derandomize=not SOAK,
    )


class MoneyFlows(RuleBasedStateMachine):
    """A stateful test of a game's money flows on the real Vault, written against hypothesis'
    RuleBasedStateMachine directly (brownie's `state_machine` fixture is unusable with the
    mypyc-compiled brownie 1.22). The test binds its deployments as class attributes
    (`run_money_flows`); each example starts from the snapshot taken after the test's setup.
    `seen` counts what the examples exercised, so the test can check coverage."""

    seen: dict[str, int]
    vault: Any
    coordinator: Any
    players: list[Any]

    def __init__(self) -> None:
        super().__init__()
        chain.revert()


def run_money_flows(
    machine: type[MoneyFlows],
    soak_examples: int,
    seen: dict[str, int],
    vault: Any,
    coordinator: Any,
    players: list[Any],
    **game: Any,
) -> None:
    """Snapshot the test's setup and run `machine` with the arguments as its class attributes."""
    chain.snapshot()
    bound = {"seen": seen, "vault": vault, "coordinator": coordinator, "players": players, **game}
    run = type(machine.__name__.removesuffix("MoneyFlows") + "Run", (machine,), bound)  # DiceRun, JackpotRun
    run_state_machine_as_test(run, settings=money_flow_settings(soak_examples))
