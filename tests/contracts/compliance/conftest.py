import pytest
from brownie import PlayerRegistry, accounts

ETH = "0x0000000000000000000000000000000000000000"


@pytest.fixture(scope="module")
def game():
    """An EOA registered as a game (afterSettle) and as the Vault (beforeStake, which the Vault
    calls on every lock), so tests drive both directly."""
    return accounts[9]


@pytest.fixture(scope="module")
def attestor():
    return accounts[8]


@pytest.fixture(scope="module")
def registry(owner, game, attestor):
    registry = PlayerRegistry.deploy(owner, {"from": owner})
    registry.setGame(game, True, {"from": owner})
    registry.setVault(game, True, {"from": owner})
    registry.setAttestor(attestor, True, {"from": owner})
    return registry


@pytest.fixture(scope="module")
def token():
    """Limits and KYC rules are per token address; the registry never calls the token."""
    return "0x00000000000000000000000000000000000000A1"
