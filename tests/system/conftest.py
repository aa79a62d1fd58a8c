"""The real platform for the system tests: deployed once per module by ops/deploy.py (after
brownie resets the chain for the module, before the per-test snapshot), with funded bankrolls."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import accounts
from system_support import ETHER, USD, Platform, deploy

from fairstake.manifest import ETH
from ops import bankroll

ETH_BANKROLL = 1_000 * ETHER
USD_BANKROLL = 1_000_000 * USD


@pytest.fixture(scope="module")
def platform(module_isolation: None) -> Platform:
    return deploy()


@pytest.fixture(scope="module")
def lp() -> Any:
    return accounts[3]


@pytest.fixture(scope="module")
def players() -> list[Any]:
    return [accounts[i] for i in range(4, 8)]


@pytest.fixture(scope="module")
def outsider() -> Any:
    return accounts[9]


@pytest.fixture(scope="module")
def funded(platform: Platform, lp: Any, players: list[Any]) -> Platform:
    """ETH and USDS bankrolls, and USDS in every player's and the LP's wallet, approved to the Vault."""
    vault, usds = platform["Vault"], platform["MockStablecoin"]
    for holder in (lp, *players):
        usds.mint(holder, 10 * USD_BANKROLL, {"from": holder})
        usds.approve(vault, 2**256 - 1, {"from": holder})
    bankroll.fund(platform.contracts, lp, {ETH: ETH_BANKROLL, usds: USD_BANKROLL})
    return platform
