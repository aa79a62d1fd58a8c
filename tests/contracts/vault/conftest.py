"""Vault test fixtures.

Most tests use a Vault owned by a plain account (`owner`) so they can configure it directly;
governance through the TimelockController is tested on the real deployment (`core`).
Module-scoped deployments depend on `module_isolation`, so they are made after brownie resets
the chain for the module and before the per-test snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from brownie import (
    FeeOnTransferToken,
    MockStablecoin,
    NoReturnToken,
    TestGame,
    Vault,
    VaultBankroll,
)
from contract_support import ETHER
from vault_helpers import ETH, FEE_BPS, RISK_BPS, assert_books

from ops import bankroll


def _allow(vault: Any, owner: Any, token: Any) -> None:
    vault.setToken(token, True, {"from": owner})
    vault.setRiskFraction(token, RISK_BPS, {"from": owner})


@pytest.fixture(scope="module")
def vault(module_isolation: None, owner: Any, guardian: Any, treasury: Any) -> Any:
    VaultBankroll.deploy({"from": owner})  # the library the Vault links to
    deployed = Vault.deploy(owner, {"from": owner})
    _allow(deployed, owner, ETH)
    deployed.setProtocolFee(FEE_BPS, {"from": owner})
    deployed.setFeeRecipient(treasury, {"from": owner})
    deployed.setGuardian(guardian, {"from": owner})
    return deployed


def _allowed_token(container: Any, vault: Any, owner: Any) -> Any:
    token = container.deploy({"from": owner})
    _allow(vault, owner, token)
    return token


@pytest.fixture(scope="module")
def usds(vault: Any, owner: Any) -> Any:
    return _allowed_token(MockStablecoin, vault, owner)


@pytest.fixture(scope="module")
def fee_token(vault: Any, owner: Any) -> Any:
    return _allowed_token(FeeOnTransferToken, vault, owner)


@pytest.fixture(scope="module")
def no_return_token(vault: Any, owner: Any) -> Any:
    return _allowed_token(NoReturnToken, vault, owner)


def _registered_game(vault: Any, owner: Any) -> Any:
    deployed = TestGame.deploy(vault, {"from": owner})
    vault.setGame(deployed, True, {"from": owner})
    return deployed


@pytest.fixture(scope="module")
def game(vault: Any, owner: Any) -> Any:
    return _registered_game(vault, owner)


@pytest.fixture(scope="module")
def other_game(vault: Any, owner: Any) -> Any:
    return _registered_game(vault, owner)


@pytest.fixture(scope="module")
def core(module_isolation: None, owner: Any, guardian: Any) -> dict[str, Any]:
    """The real deployment: Vault owned by a TimelockController with a 60 s delay."""
    from ops.deploy import deploy_core

    return deploy_core(owner, timelock_delay=60, guardian=guardian)


@pytest.fixture(scope="session")
def books() -> Callable[[Any, Any], None]:
    return assert_books


@pytest.fixture
def funded(vault: Any, lp: Any) -> int:
    """100 ETH in the ETH bankroll from `lp`: locks may reserve up to 10 ETH of it."""
    amount = 100 * ETHER
    bankroll.deposit(vault, ETH, amount, lp)
    return amount


@pytest.fixture(scope="session")
def state_machine() -> Callable[..., None]:
    """brownie's `state_machine`, run from its pure-Python source.

    The mypyc-compiled `brownie.test.stateful` of eth-brownie 1.22 rejects the machine classes
    it generates itself ("TypeError: brownie.test.stateful._BrownieStateMachine object expected"),
    so the plugin's fixture cannot run any state machine. The source next to it is identical.
    """
    import importlib.util

    import brownie.test

    source = Path(brownie.test.__file__).with_name("stateful.py")
    spec = importlib.util.spec_from_file_location("fairstake_brownie_stateful", source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.state_machine  # type: ignore[no-any-return]
