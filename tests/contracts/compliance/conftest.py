import pytest
from brownie import PlayerRegistry, accounts

ETH = "0x0000000000000000000000000000000000000000"


@pytest.fixture(scope="module")
def game():
    """An EOA registered as the Vault (beforeStake on every lock, afterSettle for the payouts of
    counted stakes, beforeDeposit), so tests drive the hooks directly."""
    return accounts[9]


@pytest.fixture(scope="module")
def attestor():
    return accounts[8]


@pytest.fixture(scope="module")
def registry(owner, game, attestor):
    registry = PlayerRegistry.deploy(owner, {"from": owner})
    registry.setVault(game, True, {"from": owner})
    registry.setAttestor(attestor, True, {"from": owner})
    return registry


@pytest.fixture(scope="module")
def token():
    """Limits and KYC rules are per token address; the registry never calls the token."""
    return "0x00000000000000000000000000000000000000A1"
