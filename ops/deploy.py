"""Deploy the Fairstake core and write the deployment manifest.

    brownie run scripts/deploy.py                # on the chain brownie is connected to
    from ops import deploy                       # as a library, once a brownie project is loaded

Each component has its own deploy function; `deploy_core` composes them. Wiring choice: every
contract is deployed with the deployer as its owner and configured directly (tokens, risk, fee,
guardian, games, referees, attestors), and only then handed to the TimelockController. That keeps
the initial setup plain calls with readable events and still ends with every later change going
through the timelock.

The hand-over (`hand_over_governance`) leaves nothing to the deployer: it transfers every
ownership, and the timelock itself accepts the Ownable2Step ones (PlayerRegistry, Match,
Tournament) through its own schedule/execute. The timelock is deployed with no delay so that
this bootstrap batch can run at once on any chain; the same batch sets the real delay
(`updateDelay`) as its last call. `check_governance` then verifies the result from the chain:
owners, no pending owner, the delay, the exact role holders and that no timelock operation is
left pending (so nothing scheduled during the zero-delay bootstrap can be executed later).
Components deployed later either run before the hand-over (`deploy_core(..., hand_over=False)`,
then `hand_over_governance`) or use `govern`, which goes through the timelock once the deployer
no longer owns the contract (on a dev chain it skips the delay with `chain.sleep`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brownie import accounts, chain, web3
from eth_hash.auto import keccak

from fairstake.games import GAMES, Game, of_kind, part
from fairstake.manifest import DEFAULT_MANIFEST, ETH, DeployedContract, Manifest, Token

DEV_TIMELOCK_DELAY = 60
# The timelock starts with no delay so the hand-over batch (accepting the Ownable2Step
# ownerships, then setting the real delay) runs at once on any chain.
BOOTSTRAP_TIMELOCK_DELAY = 0
# One bankroll lock may reserve up to 5 % of the free bankroll; the house keeps 90 % of its gains.
DEFAULT_RISK_FRACTION_BPS = 500
DEFAULT_PROTOCOL_FEE_BPS = 1_000
NO_PREDECESSOR = "0x" + "00" * 32
ZERO_ADDRESS = "0x" + "00" * 20
DEFAULT_ADMIN_ROLE = "0x" + "00" * 32

Core = dict[str, Any]


class GovernanceError(RuntimeError):
    """A contract is not (or not only) governed the way the security model says; the message says how."""


def contract_container(name: str) -> Any:
    from brownie import project

    loaded = project.get_loaded_projects()
    if not loaded:
        raise RuntimeError(
            "no brownie project is loaded: run this with `brownie run scripts/deploy.py`, or call "
            "ops.deployment.connect(rpc_url) first"
        )
    return getattr(loaded[0], name)


def deploy_timelock(deployer: Any, delay: int) -> Any:
    """VaultTimelock (an unmodified OpenZeppelin TimelockController) with the deployer as the
    only proposer/canceller and executor. No admin: the timelock administers its own roles, so
    changing them also takes the delay. `deploy_core` deploys it with BOOTSTRAP_TIMELOCK_DELAY
    and `hand_over_governance` sets the real delay."""
    return contract_container("VaultTimelock").deploy(delay, [deployer], [deployer], ETH, {"from": deployer})


def deploy_vault(deployer: Any) -> Any:
    """The Vault, owned by the deployer until `hand_over_governance`, linked to a VaultBankroll
    deployed just before it (brownie links a contract to the library's latest deployment). The
    library holds no state and no owner: the Vault runs its code on the Vault's own storage."""
    contract_container("VaultBankroll").deploy({"from": deployer})
    return contract_container("Vault").deploy(deployer, {"from": deployer})


def deploy_stablecoin(deployer: Any) -> Any:
    """MockStablecoin ("Fairstake USD", USDS, 6 decimals) with public mint."""
    return contract_container("MockStablecoin").deploy({"from": deployer})


def deploy_test_game(deployer: Any, vault: Any) -> Any:
    """TestGame, operated by the deployer. Register it with `register_game`."""
    return contract_container("TestGame").deploy(vault, {"from": deployer})


def allow_token(vault: Any, deployer: Any, token: str, risk_fraction_bps: int = DEFAULT_RISK_FRACTION_BPS) -> None:
    govern(vault, deployer, "setToken", token, True)
    govern(vault, deployer, "setRiskFraction", token, risk_fraction_bps)


def register_game(vault: Any, deployer: Any, game: Any) -> None:
    govern(vault, deployer, "setGame", game, True)


def configure_vault(
    vault: Any,
    deployer: Any,
    *,
    tokens: list[str],
    guardian: Any,
    fee_recipient: Any,
    protocol_fee_bps: int = DEFAULT_PROTOCOL_FEE_BPS,
) -> None:
    """Allow-list tokens with the default risk fraction, set fee, fee recipient and guardian."""
    for token in tokens:
        allow_token(vault, deployer, token)
    govern(vault, deployer, "setProtocolFee", protocol_fee_bps)
    govern(vault, deployer, "setFeeRecipient", fee_recipient)
    govern(vault, deployer, "setGuardian", guardian)


def _is_two_step(contract: Any) -> bool:
    """An Ownable2Step contract: ownership moves only once the new owner accepts it."""
    return any(item.get("name") == "acceptOwnership" for item in contract.abi)


def hand_over_governance(timelock: Any, deployer: Any, contracts: list[Any], *, delay: int) -> None:
    """Make the timelock the owner of every contract in `contracts` and set its delay to `delay`.

    Ownable contracts change owner at once; for Ownable2Step ones the timelock executes
    `acceptOwnership` itself, in one scheduled batch that ends with `updateDelay(delay)`. With
    the bootstrap (zero) delay that batch runs at once on any chain; with a longer current delay
    `timelock_execute_batch` waits it out (development chains only). Afterwards the deployer
    owns nothing, and `check_governance` proves it.
    """
    calls: list[tuple[Any, str]] = []
    for contract in contracts:
        contract.transferOwnership(timelock, {"from": deployer})
        if _is_two_step(contract):
            calls.append((contract, contract.acceptOwnership.encode_input()))
    if int(timelock.getMinDelay()) != delay:
        calls.append((timelock, timelock.updateDelay.encode_input(delay)))
    if calls:
        timelock_execute_batch(timelock, deployer, calls)
    check_governance(timelock, deployer, contracts, delay=delay)


def _salt(proposer: Any) -> str:
    """A timelock operation's salt, unique per schedule (the proposer and its next nonce, which
    the schedule itself uses up) and the same on every run of the same calls (no randomness in a
    transaction: `bench gas` repeats its block hashes)."""
    return "0x" + keccak(bytes.fromhex(str(proposer.address)[2:]) + int(proposer.nonce).to_bytes(32, "big")).hex()


def timelock_execute(timelock: Any, proposer: Any, target: Any, data: str, *, value: int = 0) -> Any:
    """Schedule a call through the timelock, wait out its delay and execute it.

    Waiting uses `chain.sleep`, so with a non-zero delay this is for development chains; on a
    live chain schedule, wait and execute separately.
    """
    delay = timelock.getMinDelay()
    salt = _salt(proposer)  # identical calls may be governed more than once
    timelock.schedule(target, value, data, NO_PREDECESSOR, salt, delay, {"from": proposer})
    if delay:
        chain.sleep(delay + 1)
    return timelock.execute(target, value, data, NO_PREDECESSOR, salt, {"from": proposer})


def timelock_execute_batch(timelock: Any, proposer: Any, calls: list[tuple[Any, str]]) -> Any:
    """`timelock_execute` for several (target, calldata) calls, executed atomically in order."""
    targets = [str(target) for target, _ in calls]
    payloads = [data for _, data in calls]
    values = [0] * len(calls)
    delay = timelock.getMinDelay()
    salt = _salt(proposer)
    timelock.scheduleBatch(targets, values, payloads, NO_PREDECESSOR, salt, delay, {"from": proposer})
    if delay:
        chain.sleep(delay + 1)
    return timelock.executeBatch(targets, values, payloads, NO_PREDECESSOR, salt, {"from": proposer})


def govern(contract: Any, deployer: Any, function: str, *args: Any) -> Any:
    """Call an owner-only function: directly while the deployer still owns `contract` outright,
    else through the timelock that owns it (the deployer being its proposer and executor).

    A contract whose ownership is half-way to another account (an Ownable2Step transfer not yet
    accepted) is refused: a direct call there would quietly bypass the timelock.
    """
    owner = str(contract.owner())
    pending = str(contract.pendingOwner()) if _is_two_step(contract) else ZERO_ADDRESS
    method = getattr(contract, function)
    if owner == str(deployer):
        if pending != ZERO_ADDRESS:
            raise GovernanceError(
                f"{contract.address}: ownership is pending for {pending}; finish the hand-over "
                f"(hand_over_governance) before governing it"
            )
        return method(*args, {"from": deployer})
    timelock = contract_container("VaultTimelock").at(owner)
    return timelock_execute(timelock, deployer, contract, method.encode_input(*args))


def _hex(value: Any) -> str:
    """A bytes32 / topic as lower-case 0x-prefixed hex, whatever type web3 or brownie returned."""
    text = value.hex() if isinstance(value, bytes | bytearray) else str(value)
    return "0x" + text.lower().removeprefix("0x")


def _topic(signature: str) -> str:
    return _hex(web3.keccak(text=signature))


def _logs(timelock: Any, from_block: int, topics: list[str]) -> list[Any]:
    logs = web3.eth.get_logs(
        {"address": timelock.address, "fromBlock": from_block, "toBlock": "latest", "topics": [topics]}
    )
    return sorted(logs, key=lambda item: (item["blockNumber"], item["logIndex"]))


def role_holders(timelock: Any, from_block: int) -> dict[str, set[str]]:
    """Who holds each AccessControl role of `timelock` (role -> checksummed accounts), replayed
    from its RoleGranted/RoleRevoked logs since `from_block` (its deployment)."""
    granted = _topic("RoleGranted(bytes32,address,address)")
    revoked = _topic("RoleRevoked(bytes32,address,address)")
    holders: dict[str, set[str]] = {}
    for log in _logs(timelock, from_block, [granted, revoked]):
        topic, role, account = (_hex(t) for t in log["topics"][:3])
        members = holders.setdefault(role, set())
        if topic == granted:
            members.add(web3.to_checksum_address("0x" + account[-40:]))
        else:
            members.discard(web3.to_checksum_address("0x" + account[-40:]))
    return {role: members for role, members in holders.items() if members}


def _scheduled_operations(timelock: Any, from_block: int) -> set[str]:
    topic = _topic("CallScheduled(bytes32,uint256,address,uint256,bytes,bytes32,uint256)")
    return {_hex(log["topics"][1]) for log in _logs(timelock, from_block, [topic])}


def governance_problems(
    timelock: Any, deployer: Any, contracts: list[Any], *, delay: int, from_block: int | None = None
) -> list[str]:
    """Every way the deployment differs from the security model (empty: it matches).

    Each contract is owned by the timelock with no pending owner; the timelock's delay is
    `delay`; its roles are exactly: admin = the timelock itself, proposer, canceller and
    executor = the deployer (who can only propose, cancel and execute delayed operations);
    no operation it ever scheduled is still pending.
    """
    if from_block is None:
        from_block = int(timelock.tx.block_number) if timelock.tx else 0
    problems = []
    for contract in contracts:
        owner = str(contract.owner())
        if owner != timelock.address:
            problems.append(f"{contract.address} is owned by {owner}, not the timelock")
        if _is_two_step(contract) and str(contract.pendingOwner()) != ZERO_ADDRESS:
            problems.append(f"{contract.address} still has a pending owner {contract.pendingOwner()}")
    if int(timelock.getMinDelay()) != delay:
        problems.append(f"the timelock delay is {timelock.getMinDelay()} s, not {delay} s")
    expected = {
        DEFAULT_ADMIN_ROLE: {timelock.address},
        _hex(timelock.PROPOSER_ROLE()): {str(deployer)},
        _hex(timelock.CANCELLER_ROLE()): {str(deployer)},
        _hex(timelock.EXECUTOR_ROLE()): {str(deployer)},
    }
    actual = role_holders(timelock, from_block)
    for role in sorted(set(expected) | set(actual)):
        if actual.get(role, set()) != expected.get(role, set()):
            problems.append(f"timelock role {role} is held by {sorted(actual.get(role, set()))}")
    for operation in sorted(_scheduled_operations(timelock, from_block)):
        if timelock.isOperationPending(operation):
            problems.append(f"timelock operation {operation} is still pending")
    return problems


def check_governance(
    timelock: Any, deployer: Any, contracts: list[Any], *, delay: int, from_block: int | None = None
) -> None:
    """Raise GovernanceError unless `governance_problems` finds nothing."""
    problems = governance_problems(timelock, deployer, contracts, delay=delay, from_block=from_block)
    if problems:
        raise GovernanceError("governance hand-over incomplete: " + "; ".join(problems))


def deploy_core(
    deployer: Any,
    *,
    timelock_delay: int = DEV_TIMELOCK_DELAY,
    guardian: Any = None,
    hand_over: bool = True,
    test_game: bool = True,
) -> Core:
    """Deploy and wire the timelock, Vault, USDS and (with `test_game`) TestGame.

    ETH and USDS are allow-listed with the default risk fraction, TestGame is registered,
    protocol fees go to the timelock (the treasury it governs), the guardian defaults to the
    deployer. TestGame is a development helper whose operator (the deployer) settles its locks
    at will, so live deployments leave it out (`test_game=False`). With `hand_over=False` the
    deployer keeps ownership (and the timelock has no delay yet) so later components can be
    wired without the timelock; call `hand_over_governance` with `timelock_delay` when done.
    """
    timelock = deploy_timelock(deployer, BOOTSTRAP_TIMELOCK_DELAY)
    vault = deploy_vault(deployer)
    usds = deploy_stablecoin(deployer)
    configure_vault(vault, deployer, tokens=[ETH, usds.address], guardian=guardian or deployer, fee_recipient=timelock)
    core: Core = {"TimelockController": timelock, "Vault": vault, "MockStablecoin": usds}
    if test_game:
        core["TestGame"] = deploy_test_game(deployer, vault)
        register_game(vault, deployer, core["TestGame"])
    if hand_over:
        hand_over_governance(timelock, deployer, [vault], delay=timelock_delay)
    return core


def core_tokens(core: Core) -> list[Token]:
    return [Token("ETH", ETH, 18), Token("USDS", core["MockStablecoin"].address, 6)]


def build_manifest(contracts: Core, tokens: list[Token], oracle: dict[str, Any] | None = None) -> Manifest:
    """The manifest of deployed brownie contracts: address, ABI and deployment block of each."""
    deployed = {
        name: DeployedContract(name, contract.address, int(contract.tx.block_number), list(contract.abi))
        for name, contract in contracts.items()
    }
    return Manifest(
        chain_id=int(web3.eth.chain_id),
        rpc_url=str(getattr(web3.provider, "endpoint_uri", "") or ""),
        deployment_block=min(c.block for c in deployed.values()),
        contracts=deployed,
        tokens={t.symbol: t for t in tokens},
        oracle=dict(oracle or {}),
    )


# ---------------------------------------------------------------------------------- whole platform
# Local-chain defaults: a request expires once 128 blocks and 20 minutes have passed (or 40
# minutes whatever the blocks); games get generous callback gas; Dice bets lock for a day (the
# Vault backstop, long after the coordinator timeout); the oracle key's bond backs every request.
COORDINATOR_TIMEOUT_BLOCKS = 128
COORDINATOR_TIMEOUT_SECONDS = 20 * 60
MAX_CALLBACK_GAS = 2_000_000
# a one-roll settle (~40k) plus the Vault's report of it to the registry for a person with every
# limit (~53k, within the Vault's REGISTRY_REPORT_GAS) and a margin
DICE_CALLBACK_GAS = 200_000
JACKPOT_CALLBACK_GAS = 200_000
DICE_LOCK_DURATION = 24 * 3600
DICE_EDGE_BPS = 100
JACKPOT_RAKE_BPS = 300
SKILL_RAKE_BPS = 500
# (drawWindow, drawGrace, claimPeriod) in seconds; drawGrace outlasts the coordinator's 40 minutes
JACKPOT_TIMING = (10 * 60, 3600, 24 * 3600)
# The oracle key's bond per token, in base units: what its open requests may reserve in total.
DEV_ORACLE_BOND_ETH = 500 * 10**18
DEV_ORACLE_BOND_USDS = 2_000_000 * 10**6
JACKPOT_ROUND_SECONDS = 5 * 60
USD = 10**6  # the test stablecoin has 6 decimals


def deploy_randomness(
    deployer: Any, vault: Any, oracle_pk: tuple[int, int] | None, operator: Any = None
) -> tuple[Any, str]:
    """The coordinator with the oracle key registered (its bonds owned by `operator`, default the
    deployer); returns it and the key hash."""
    coordinator = contract_container("RandomnessCoordinator").deploy(
        deployer, vault, COORDINATOR_TIMEOUT_BLOCKS, COORDINATOR_TIMEOUT_SECONDS, MAX_CALLBACK_GAS, {"from": deployer}
    )
    key_hash = "0x" + "00" * 32
    if oracle_pk is not None:
        coordinator.registerKey(list(oracle_pk), operator or deployer, {"from": deployer})
        key_hash = str(coordinator.hashOfKey(list(oracle_pk)))
    return coordinator, key_hash


def fund_oracle_bond(
    coordinator: Any, funder: Any, key_hash: str, usds: Any, eth_amount: int, usds_amount: int
) -> None:
    """Deposit the oracle key's bond in ETH and USDS (minted: it is the test stablecoin)."""
    if eth_amount:
        coordinator.depositBond(key_hash, ETH, eth_amount, {"from": funder, "value": eth_amount})
    if usds_amount:
        usds.mint(funder, usds_amount, {"from": funder})
        usds.approve(coordinator, usds_amount, {"from": funder})
        coordinator.depositBond(key_hash, usds, usds_amount, {"from": funder})


@dataclass(frozen=True)
class Wiring:
    """What a game's constructor may need from the platform deployed before it."""

    vault: Any
    coordinator: Any
    registry: Any

    def chance_game(self, deployer: Any, contract: str, callback_gas: int, *own: Any) -> Any:
        """Deploy a game that asks for randomness: its first constructor argument is the
        IRandomnessGame.GameWiring tuple (owner, Vault, coordinator, registry, callback gas),
        followed by the game's `own` ones. Its oracle key is the coordinator's to set
        (`setConsumer(game, keyHash)`)."""
        wiring = (deployer, self.vault, self.coordinator, self.registry, callback_gas)
        return contract_container(contract).deploy(wiring, *own, {"from": deployer})


@dataclass(frozen=True)
class GameDeploy:
    """How the deployment creates a game (`deploy(deployer, wiring, contract name)`, the name a
    test may swap for a deliberately wrong variant) and configures it before the hand-over
    (`configure(deployer, game, usds, referee)`: stakes, edges, rakes, referee)."""

    deploy: Callable[[Any, Wiring, str], Any]
    configure: Callable[[Any, Any, Any, Any], None]


def chance_deploy(
    callback_gas: int,
    own: Sequence[Any],
    eth: Sequence[int],
    usds: Sequence[int],
    then: Callable[[Any, Any], None] | None = None,
) -> GameDeploy:
    """A game on the chance-game engine, deployed with its `own` constructor arguments after the
    engine's, ETH and USDS enabled with `eth` and `usds` (configureToken's arguments after the
    token and its switch: stakes and edge, or the game's own), then `then(game, deployer)` for
    what else the game needs before the hand-over."""

    def deploy(deployer: Any, w: Wiring, contract: str) -> Any:
        return w.chance_game(deployer, contract, callback_gas, *own)

    def configure(deployer: Any, game: Any, usds_token: Any, referee: Any) -> None:
        game.configureToken(ETH, True, *eth, {"from": deployer})
        game.configureToken(usds_token, True, *usds, {"from": deployer})
        if then is not None:
            then(game, deployer)

    return GameDeploy(deploy, configure)


def chance_game_deploy(callback_gas: int, edge_bps: int, lock_duration: int = DICE_LOCK_DURATION) -> GameDeploy:
    """A game on the chance-game engine with no constructor arguments of its own but the lock
    duration, betting ETH (0.001 to 10 per roll) and USDS (1 to 10,000) at `edge_bps`."""
    return chance_deploy(callback_gas, (lock_duration,), (10**15, 10 * 10**18, edge_bps), (USD, 10_000 * USD, edge_bps))


def deploy_skill(deployer: Any, w: Wiring, contract: str) -> Any:
    return contract_container(contract).deploy(w.vault, w.registry, deployer, {"from": deployer})


def configure_skill(deployer: Any, game: Any, usds: Any, referee: Any) -> None:
    if referee is not None:
        game.setReferee(referee, True, {"from": deployer})
    game.setRake(SKILL_RAKE_BPS, {"from": deployer})


def game_deploy(game: Game) -> GameDeploy:
    """How the registered `game` is deployed: DEPLOY of ops.games.<name> (fairstake.games.GAMES);
    games deploy and are configured in the registry's order."""
    found: GameDeploy = part(game, "ops.games", "DEPLOY")
    return found


def deploy_games(
    deployer: Any,
    vault: Any,
    coordinator: Any,
    registry: Any,
    dice_contract: str = "Dice",
    jackpot_contract: str = "Jackpot",
) -> Core:
    """Every registered game, owned by the deployer until the hand-over, by manifest name.
    `dice_contract` and `jackpot_contract` let the auditor tests deploy a deliberately wrong
    variant in the game's place."""
    variants = {"Dice": dice_contract, "Jackpot": jackpot_contract}
    wiring = Wiring(vault, coordinator, registry)
    return {
        game.contract: game_deploy(game).deploy(deployer, wiring, variants.get(game.contract, game.contract))
        for game in GAMES
    }


def configure_games(deployer: Any, games: Core, usds: Any, referee: Any) -> None:
    """Stakes, edges and rakes per token; the referee key that signs skill results (None: no
    referee yet; governance registers one through the timelock)."""
    for game in GAMES:
        game_deploy(game).configure(deployer, games[game.contract], usds, referee)


def deploy_platform(
    deployer: Any,
    *,
    oracle_pk: tuple[int, int] | None,
    referee: Any = None,
    attestor: Any = None,
    timelock_delay: int = DEV_TIMELOCK_DELAY,
    dice_contract: str = "Dice",
    jackpot_contract: str = "Jackpot",
    oracle_bond: tuple[int, int] = (DEV_ORACLE_BOND_ETH, DEV_ORACLE_BOND_USDS),
    guardian: Any = None,
    test_game: bool = True,
) -> tuple[Core, str]:
    """Deploy and wire everything, then hand every owner role to the timelock.

    Returns the contracts by name and the oracle key hash. The Vault, coordinator, registry
    and every game end up owned by the TimelockController (Ownable2Step ones accepted by it),
    so later changes take its delay; `check_governance` has verified that before this returns.
    The referee (skill results) and attestor (KYC) are registered only when given, and never
    may be the deployer: whoever deploys keeps no instant power over payouts or KYC.
    The deployer funds the oracle key's bond (`oracle_bond`: ETH and USDS base units) and owns
    it as the key's operator. The Vault is wired to the registry (every lock of every game asks it,
    bankroll deposits of self-excluded or timed-out players are refused, player deposits are
    checked against their deposit limits) and registered with it as the Vault that reports stakes
    and deposits; the games are registered with it to report settlements.
    """
    for role, account in (("referee", referee), ("attestor", attestor)):
        if account is not None and str(account) == str(deployer):
            raise GovernanceError(f"the {role} must be a key of its own, not the deployer {deployer}")
    core = deploy_core(deployer, timelock_delay=timelock_delay, guardian=guardian, hand_over=False, test_game=test_game)
    vault, timelock, usds = core["Vault"], core["TimelockController"], core["MockStablecoin"]
    coordinator, key_hash = deploy_randomness(deployer, vault, oracle_pk)
    registry = contract_container("PlayerRegistry").deploy(deployer, {"from": deployer})
    # The Vault asks the registry before every lock (so no game can skip player protection) and
    # before a bankroll deposit (self-exclusion and time-outs cover the bankroll). Wired once, for
    # good (the Vault refuses a second setPlayerRegistry).
    govern(vault, deployer, "setPlayerRegistry", registry)
    # ... and before every deposit to a player's free balance (deposit limits), and it tells the
    # registry of the payouts of the stakes the registry counted: the registry takes stake, payout
    # and deposit reports from this Vault only (games report nothing).
    registry.setVault(vault, True, {"from": deployer})
    games = deploy_games(deployer, vault, coordinator, registry, dice_contract, jackpot_contract)
    for game in games.values():
        register_game(vault, deployer, game)
    # A game of chance asks the coordinator for words, with the key the coordinator keeps for it:
    # rotating it later is the coordinator governance's setConsumer. Without an oracle key there
    # is none to set, and a zero key would mean "not a consumer" anyway.
    if oracle_pk is not None:
        for game in of_kind("chance"):
            coordinator.setConsumer(games[game.contract], key_hash, {"from": deployer})
    if oracle_pk is not None:
        fund_oracle_bond(coordinator, deployer, key_hash, usds, *oracle_bond)
    if attestor is not None:
        registry.setAttestor(attestor, True, {"from": deployer})
    configure_games(deployer, games, usds, referee)
    hand_over_governance(timelock, deployer, [vault, coordinator, registry, *games.values()], delay=timelock_delay)
    contracts = {**core, "RandomnessCoordinator": coordinator, "PlayerRegistry": registry, **games}
    return contracts, key_hash


def platform_manifest(contracts: Core, key_hash: str, oracle_pk: tuple[int, int] | None) -> Manifest:
    oracle = {"keyHash": key_hash, "publicKey": [hex(v) for v in oracle_pk]} if oracle_pk else {}
    return build_manifest(contracts, core_tokens(contracts), oracle)


def main(manifest_path: str | Path = DEFAULT_MANIFEST) -> Manifest:
    deployer = accounts[0]
    core = deploy_core(deployer)
    manifest = build_manifest(core, core_tokens(core))
    path = manifest.save(Path(manifest_path))
    for name, contract in manifest.contracts.items():
        print(f"{name:<20} {contract.address}  (block {contract.block})")
    print(f"manifest written to {path}")
    return manifest
