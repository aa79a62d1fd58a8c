"""Shared constants and helpers of the Vault tests (plain functions; fixtures live in conftest)."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import chain, history
from brownie.exceptions import VirtualMachineError
from contract_support import HOUR, token_balance

from fairstake.manifest import ETH

RISK_BPS = 1_000
FEE_BPS = 1_000


def future(seconds: int = HOUR) -> int:
    """A deadline `seconds` after the chain's current time."""
    return chain.time() + seconds


def assert_books(vault: Any, token: Any) -> None:
    """The solvency invariant: the Vault holds at least everything it owes for `token`."""
    books = vault.getBooks(ETH if token == ETH else token.address).dict()
    assert books["held"] == token_balance(token, vault)
    pending_assets, _ = vault.bankrollPending(ETH if token == ETH else token.address)
    owed = books["freeTotal"] + books["lockedTotal"] + books["bankrollAssets"] + books["accruedFees"] + pending_assets
    assert books["held"] >= owed
    assert books["bankrollAssets"] >= books["bankrollReserved"]


def mint_approved(token: Any, vault: Any, holder: Any, amount: int) -> None:
    """`amount` of the mock `token` minted to `holder` and approved for the Vault to pull."""
    token.mint(holder, amount, {"from": holder})
    token.approve(vault, amount, {"from": holder})


def deposit_eth(vault: Any, player: Any, amount: int) -> Any:
    return vault.depositFor(player, ETH, amount, {"from": player, "value": amount})


def mined_refusal(call: Any, *args: Any) -> str:
    """Send `call` even though it reverts, so it is mined: its revert message. The last of `args`
    is the transaction dict."""
    tx_args = {**args[-1], "gas_limit": 1_000_000, "allow_revert": True}
    with pytest.raises(VirtualMachineError) as caught:
        call(*args[:-1], tx_args)
    assert history[-1].status == 0
    return str(caught.value.revert_msg)
