"""Vault test fixtures.

Most tests use a Vault owned by a plain account (`owner`) so they can configure it directly;
governance through the TimelockController is tested on the real deployment (`core`).
Module-scoped deployments depend on `module_isolation`, so they are made after brownie resets
the chain for the module and before the per-test snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from brownie import (
    FeeOnTransferToken,
    MockStablecoin,
    NoReturnToken,
    TestGame,
    Vault,
    accounts,
)
from vault_helpers import ETH, ETHER, FEE_BPS, RISK_BPS, assert_books


@pytest.fixture(scope="module")
def owner() -> Any:
    return accounts[0]


@pytest.fixture(scope="module")
def alice() -> Any:
    return accounts[1]


@pytest.fixture(scope="module")
def bob() -> Any:
    return accounts[2]


@pytest.fixture(scope="module")
def lp() -> Any:
    return accounts[3]


@pytest.fixture(scope="module")
def guardian() -> Any:
    return accounts[4]


@pytest.fixture(scope="module")
def treasury() -> Any:
    return accounts[5]


@pytest.fixture(scope="module")
def outsider() -> Any:
    return accounts[9]


def _allow(vault: Any, owner: Any, token: Any) -> None:
    vault.setToken(token, True, {"from": owner})
    vault.setRiskFraction(token, RISK_BPS, {"from": owner})


@pytest.fixture(scope="module")
def vault(module_isolation: None, owner: Any, guardian: Any, treasury: Any) -> Any:
    deployed = Vault.deploy(owner, {"from": owner})
    _allow(deployed, owner, ETH)
    deployed.setProtocolFee(FEE_BPS, {"from": owner})
    deployed.setFeeRecipient(treasury, {"from": owner})
    deployed.setGuardian(guardian, {"from": owner})
    return deployed


@pytest.fixture(scope="module")
def usds(vault: Any, owner: Any) -> Any:
    token = MockStablecoin.deploy({"from": owner})
    _allow(vault, owner, token)
    return token


@pytest.fixture(scope="module")
def fee_token(vault: Any, owner: Any) -> Any:
    token = FeeOnTransferToken.deploy({"from": owner})
    _allow(vault, owner, token)
    return token


@pytest.fixture(scope="module")
def no_return_token(vault: Any, owner: Any) -> Any:
    token = NoReturnToken.deploy({"from": owner})
    _allow(vault, owner, token)
    return token


@pytest.fixture(scope="module")
def game(vault: Any, owner: Any) -> Any:
    deployed = TestGame.deploy(vault, {"from": owner})
    vault.setGame(deployed, True, {"from": owner})
    return deployed


@pytest.fixture(scope="module")
def other_game(vault: Any, owner: Any) -> Any:
    deployed = TestGame.deploy(vault, {"from": owner})
    vault.setGame(deployed, True, {"from": owner})
    return deployed


@pytest.fixture(scope="module")
def core(module_isolation: None, owner: Any, guardian: Any) -> dict[str, Any]:
    """The real deployment: Vault owned by a TimelockController with a 60 s delay."""
    from scripts.deploy import deploy_core

    return deploy_core(owner, timelock_delay=60, guardian=guardian)


@pytest.fixture(scope="session")
def books() -> Callable[[Any, Any], None]:
    return assert_books


@pytest.fixture
def funded(vault: Any, lp: Any) -> int:
    """100 ETH in the ETH bankroll from `lp`: locks may reserve up to 10 ETH of it."""
    amount = 100 * ETHER
    vault.bankrollDeposit(ETH, amount, {"from": lp, "value": amount})
    return amount
