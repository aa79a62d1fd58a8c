"""The local platform for the browser tests, until the lead's platform deployment is on main:
every contract the page uses, deployed and wired with scripts/deploy.py's helpers on the test
session's chain, plus `ChainOracle`, which fulfils randomness requests with real ECVRF proofs
(oracle.ecvrf) exactly as the oracle daemon does, so bets settle on chain."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from web3 import Web3

from fairstake.manifest import ETH, Manifest, Token
from oracle import ecvrf

ORACLE_SECRET = 0xFA125A4E0DDBA11
TIMEOUT_BLOCKS = 64
MAX_CALLBACK_GAS = 2_500_000
CALLBACK_GAS = 300_000
ETHER = 10**18
USDS_UNIT = 10**6


def deploy_platform(deployer: Any) -> Manifest:
    """Vault, USDS, coordinator (with the oracle key), PlayerRegistry, Dice, Jackpot, Match and
    Tournament; games registered everywhere, tokens configured, bankrolls funded."""
    from brownie import project

    built: Any = project.get_loaded_projects()[0]  # contract containers by name

    from scripts.deploy import build_manifest, configure_vault, deploy_stablecoin, deploy_vault, register_game

    tx = {"from": deployer}
    vault = deploy_vault(deployer)
    usds = deploy_stablecoin(deployer)
    configure_vault(vault, deployer, tokens=[ETH, usds.address], guardian=deployer, fee_recipient=deployer)
    coordinator = built.RandomnessCoordinator.deploy(deployer, TIMEOUT_BLOCKS, MAX_CALLBACK_GAS, tx)
    public_key = ecvrf.public_key(ORACLE_SECRET)
    coordinator.registerKey(public_key, tx)
    key_hash = "0x" + ecvrf.key_hash(public_key).hex()
    registry = built.PlayerRegistry.deploy(deployer, tx)
    dice = built.Dice.deploy(deployer, vault, coordinator, registry, key_hash, CALLBACK_GAS, 24 * 3600, tx)
    timing = (600, 3600, 24 * 3600)  # draw window, draw grace, claim period
    jackpot = built.Jackpot.deploy(deployer, vault, coordinator, registry, key_hash, CALLBACK_GAS, timing, tx)
    match = built.Match.deploy(vault, registry, deployer, tx)
    tournament = built.Tournament.deploy(vault, registry, deployer, tx)
    for game in (dice, jackpot, match, tournament):
        register_game(vault, deployer, game)
        registry.setGame(game, True, tx)
    for consumer in (dice, jackpot):
        coordinator.setConsumer(consumer, True, tx)
    for skill_game in (match, tournament):
        skill_game.setReferee(deployer, True, tx)  # the deployer's dev key signs results
    dice.configureToken(ETH, True, ETHER // 1000, 10 * ETHER, 100, tx)
    dice.configureToken(usds, True, USDS_UNIT, 10_000 * USDS_UNIT, 100, tx)
    jackpot.configureToken(ETH, True, ETHER // 100, 3600, 500, tx)
    vault.bankrollDeposit(ETH, 10_000 * ETHER, {"from": deployer, "value": 10_000 * ETHER})
    usds.mint(deployer, 10**7 * USDS_UNIT, tx)
    usds.approve(vault, 10**7 * USDS_UNIT, tx)
    vault.bankrollDeposit(usds, 10**7 * USDS_UNIT, tx)
    contracts = {
        "Vault": vault,
        "MockStablecoin": usds,
        "RandomnessCoordinator": coordinator,
        "PlayerRegistry": registry,
        "Dice": dice,
        "Jackpot": jackpot,
        "Match": match,
        "Tournament": tournament,
    }
    tokens = [Token("ETH", ETH, 18), Token("USDS", usds.address, 6)]
    oracle = {"keyHash": key_hash, "publicKey": [hex(public_key[0]), hex(public_key[1])]}
    return build_manifest(contracts, tokens, oracle)


@dataclass
class ChainOracle:
    """Fulfils every RandomnessRequested for its key with a proof from the Python prover."""

    rpc_url: str
    manifest: dict[str, Any]
    sender: str
    secret: int = ORACLE_SECRET
    poll_seconds: float = 0.2

    def __post_init__(self) -> None:
        self.web3 = Web3(Web3.HTTPProvider(self.rpc_url, request_kwargs={"timeout": 30}))
        info = self.manifest["contracts"]["RandomnessCoordinator"]
        self.coordinator = self.web3.eth.contract(address=info["address"], abi=info["abi"])
        self.next_block = int(info["block"])
        self.fulfilled: list[int] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="chain-oracle", daemon=True)

    def start(self) -> ChainOracle:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=10)

    def _run(self) -> None:
        while not self.stopping.wait(self.poll_seconds):
            head = self.web3.eth.block_number
            if head < self.next_block:
                continue
            for log in self.coordinator.events.RandomnessRequested().get_logs(
                from_block=self.next_block, to_block=head
            ):
                self._fulfil(log["args"])
            self.next_block = head + 1

    def _fulfil(self, request: Any) -> None:
        block_hash = bytes(self.web3.eth.get_block(request["blockNum"])["hash"])
        proof = ecvrf.prove(self.secret, ecvrf.request_seed(request["preSeed"], block_hash))
        commitment = (
            request["blockNum"],
            request["deadlineBlock"],
            request["callbackGasLimit"],
            request["numWords"],
            request["consumer"],
            request["keyHash"],
            request["preSeed"],
        )
        tx = self.coordinator.functions.fulfil(proof.as_solidity(), commitment).transact(
            {"from": self.sender, "gas": 3_000_000}
        )
        self.web3.eth.wait_for_transaction_receipt(tx)
        self.fulfilled.append(int(request["requestId"]))
