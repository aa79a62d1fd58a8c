"""Deploy the Fairstake core and write the deployment manifest.

    brownie run scripts/deploy.py                # on the chain brownie is connected to

Each component has its own deploy function; `deploy_core` composes them. Wiring choice: the
Vault is deployed with the deployer as its owner, configured directly (tokens, risk, fee,
guardian, games), and only then handed to the TimelockController. That keeps the initial
setup plain calls with readable events (no 60 s timelock round per setting, no bulky
constructor arguments) and still ends with every later change going through the timelock.
Components deployed later either run before the hand-over (`deploy_core(..., hand_over=False)`,
then `hand_over_governance`) or use `govern`, which goes through the timelock once it owns the
Vault (on a dev chain it skips the delay with `chain.sleep`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from brownie import accounts, chain, web3

from fairstake.manifest import DEFAULT_MANIFEST, ETH, DeployedContract, Manifest, Token

DEV_TIMELOCK_DELAY = 60
# One bankroll lock may reserve up to 5 % of the free bankroll; the house keeps 90 % of its gains.
DEFAULT_RISK_FRACTION_BPS = 500
DEFAULT_PROTOCOL_FEE_BPS = 1_000
NO_PREDECESSOR = "0x" + "00" * 32

Core = dict[str, Any]


def _container(name: str) -> Any:
    from brownie import project

    loaded = project.get_loaded_projects()
    if not loaded:
        raise RuntimeError("no brownie project is loaded: use fairstake.brownie_env.load_project() first")
    return getattr(loaded[0], name)


def deploy_timelock(deployer: Any, delay: int) -> Any:
    """VaultTimelock (an unmodified OpenZeppelin TimelockController) with the deployer as the
    only proposer/canceller and executor. No admin: the timelock administers its own roles, so
    changing them also takes the delay."""
    return _container("VaultTimelock").deploy(delay, [deployer], [deployer], ETH, {"from": deployer})


def deploy_vault(deployer: Any) -> Any:
    """The Vault, owned by the deployer until `hand_over_governance`."""
    return _container("Vault").deploy(deployer, {"from": deployer})


def deploy_stablecoin(deployer: Any) -> Any:
    """MockStablecoin ("Fairstake USD", USDS, 6 decimals) with public mint."""
    return _container("MockStablecoin").deploy({"from": deployer})


def deploy_test_game(deployer: Any, vault: Any) -> Any:
    """TestGame, operated by the deployer. Register it with `register_game`."""
    return _container("TestGame").deploy(vault, {"from": deployer})


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


def hand_over_governance(vault: Any, timelock: Any, deployer: Any) -> None:
    """Make the timelock the Vault's owner; from then on only it can change the configuration."""
    vault.transferOwnership(timelock, {"from": deployer})


def timelock_execute(timelock: Any, proposer: Any, target: Any, data: str, *, value: int = 0) -> Any:
    """Schedule a call through the timelock, wait out its delay and execute it.

    Waiting uses `chain.sleep`, so this is for development chains; on a live chain schedule,
    wait and execute separately.
    """
    delay = timelock.getMinDelay()
    salt = "0x" + os.urandom(32).hex()  # identical calls may be governed more than once
    timelock.schedule(target, value, data, NO_PREDECESSOR, salt, delay, {"from": proposer})
    chain.sleep(delay + 1)
    return timelock.execute(target, value, data, NO_PREDECESSOR, salt, {"from": proposer})


def govern(vault: Any, deployer: Any, function: str, *args: Any) -> Any:
    """Call an owner-only Vault function: directly while the deployer owns the Vault, else
    through the timelock that owns it (the deployer being its proposer and executor)."""
    owner = vault.owner()
    method = getattr(vault, function)
    if owner == str(deployer):
        return method(*args, {"from": deployer})
    timelock = _container("VaultTimelock").at(owner)
    return timelock_execute(timelock, deployer, vault, method.encode_input(*args))


def deploy_core(
    deployer: Any, *, timelock_delay: int = DEV_TIMELOCK_DELAY, guardian: Any = None, hand_over: bool = True
) -> Core:
    """Deploy and wire the timelock, Vault, USDS and TestGame.

    ETH and USDS are allow-listed with the default risk fraction, TestGame is registered,
    protocol fees go to the timelock (the treasury it governs), the guardian defaults to the
    deployer. With `hand_over=False` the deployer keeps ownership so later components can be
    wired without the timelock; call `hand_over_governance` when done.
    """
    timelock = deploy_timelock(deployer, timelock_delay)
    vault = deploy_vault(deployer)
    usds = deploy_stablecoin(deployer)
    game = deploy_test_game(deployer, vault)
    configure_vault(vault, deployer, tokens=[ETH, usds.address], guardian=guardian or deployer, fee_recipient=timelock)
    register_game(vault, deployer, game)
    if hand_over:
        hand_over_governance(vault, timelock, deployer)
    return {"TimelockController": timelock, "Vault": vault, "MockStablecoin": usds, "TestGame": game}


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
# Local-chain defaults: requests expire after 128 blocks; games get generous callback gas;
# Dice bets lock for a day (the Vault backstop, long after the coordinator timeout).
COORDINATOR_TIMEOUT_BLOCKS = 128
MAX_CALLBACK_GAS = 500_000
DICE_CALLBACK_GAS = 120_000
JACKPOT_CALLBACK_GAS = 200_000
DICE_LOCK_DURATION = 24 * 3600
DICE_EDGE_BPS = 100
JACKPOT_RAKE_BPS = 300
SKILL_RAKE_BPS = 500
# (drawWindow, drawGrace, claimPeriod) in seconds
JACKPOT_TIMING = (10 * 60, 3600, 24 * 3600)
JACKPOT_ROUND_SECONDS = 5 * 60


def deploy_randomness(deployer: Any, oracle_pk: tuple[int, int] | None) -> tuple[Any, str]:
    """The coordinator with the oracle key registered; returns it and the key hash."""
    coordinator = _container("RandomnessCoordinator").deploy(
        deployer, COORDINATOR_TIMEOUT_BLOCKS, MAX_CALLBACK_GAS, {"from": deployer}
    )
    key_hash = "0x" + "00" * 32
    if oracle_pk is not None:
        coordinator.registerKey(list(oracle_pk), {"from": deployer})
        key_hash = str(coordinator.hashOfKey(list(oracle_pk)))
    return coordinator, key_hash


def deploy_games(
    deployer: Any, vault: Any, coordinator: Any, registry: Any, key_hash: str, dice_contract: str = "Dice"
) -> Core:
    """Dice, Jackpot, Match and Tournament, owned by the deployer until the hand-over.
    `dice_contract` lets the auditor tests deploy a deliberately wrong variant in Dice's place."""
    dice = _container(dice_contract).deploy(
        deployer, vault, coordinator, registry, key_hash, DICE_CALLBACK_GAS, DICE_LOCK_DURATION, {"from": deployer}
    )
    jackpot = _container("Jackpot").deploy(
        deployer, vault, coordinator, registry, key_hash, JACKPOT_CALLBACK_GAS, JACKPOT_TIMING, {"from": deployer}
    )
    match = _container("Match").deploy(vault, registry, deployer, {"from": deployer})
    tournament = _container("Tournament").deploy(vault, registry, deployer, {"from": deployer})
    return {"Dice": dice, "Jackpot": jackpot, "Match": match, "Tournament": tournament}


def configure_games(deployer: Any, games: Core, usds: Any, referee: Any) -> None:
    """Stakes, edges and rakes per token; the referee key that signs skill results."""
    usd = 10**6
    games["Dice"].configureToken(ETH, True, 10**15, 10 * 10**18, DICE_EDGE_BPS, {"from": deployer})
    games["Dice"].configureToken(usds, True, 1 * usd, 10_000 * usd, DICE_EDGE_BPS, {"from": deployer})
    games["Jackpot"].configureToken(ETH, True, 10**16, JACKPOT_ROUND_SECONDS, JACKPOT_RAKE_BPS, {"from": deployer})
    games["Jackpot"].configureToken(usds, True, 5 * usd, JACKPOT_ROUND_SECONDS, JACKPOT_RAKE_BPS, {"from": deployer})
    for name in ("Match", "Tournament"):
        games[name].setReferee(referee, True, {"from": deployer})
        games[name].setRake(SKILL_RAKE_BPS, {"from": deployer})


def deploy_platform(
    deployer: Any,
    *,
    oracle_pk: tuple[int, int] | None,
    referee: Any = None,
    attestor: Any = None,
    timelock_delay: int = DEV_TIMELOCK_DELAY,
    dice_contract: str = "Dice",
) -> tuple[Core, str]:
    """Deploy and wire everything, then hand every owner role to the timelock.

    Returns the contracts by name and the oracle key hash. The Vault, coordinator, registry
    and every game end up owned by the TimelockController, so later changes take its delay. The
    Vault is wired to the registry (bankroll deposits of self-excluded players are refused).
    """
    core = deploy_core(deployer, timelock_delay=timelock_delay, hand_over=False)
    vault, timelock, usds = core["Vault"], core["TimelockController"], core["MockStablecoin"]
    coordinator, key_hash = deploy_randomness(deployer, oracle_pk)
    registry = _container("PlayerRegistry").deploy(deployer, {"from": deployer})
    # Self-exclusion covers the bankroll: the Vault asks the registry before a bankroll deposit.
    # Wired once, for good (the Vault refuses a second setPlayerRegistry).
    govern(vault, deployer, "setPlayerRegistry", registry)
    games = deploy_games(deployer, vault, coordinator, registry, key_hash, dice_contract)
    for game in games.values():
        register_game(vault, deployer, game)
        registry.setGame(game, True, {"from": deployer})
    for name in ("Dice", "Jackpot"):
        coordinator.setConsumer(games[name], True, {"from": deployer})
    registry.setAttestor(attestor or deployer, True, {"from": deployer})
    configure_games(deployer, games, usds, referee or deployer)
    owned = [vault, coordinator, registry, *games.values()]
    for contract in owned:
        contract.transferOwnership(timelock, {"from": deployer})
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
