"""Shared constants and helpers of the Vault tests (plain functions; fixtures live in conftest)."""

from __future__ import annotations

from typing import Any

from brownie import chain, web3

from fairstake.manifest import ETH

RISK_BPS = 1_000
FEE_BPS = 1_000
ETHER = 10**18
USD = 10**6
HOUR = 3_600
DAY = 86_400


def future(seconds: int = HOUR) -> int:
    """A deadline `seconds` after the chain's current time."""
    return chain.time() + seconds


def gas_cost(tx: Any) -> int:
    """Wei the sender paid for gas (0 on anvil, > 0 on ganache)."""
    return int(tx.gas_used) * int(tx.gas_price)


def token_balance(token: Any, holder: Any) -> int:
    """`holder`'s balance of an ERC-20 contract, or of ETH when `token` is the ETH address."""
    if token == ETH:
        return int(web3.eth.get_balance(str(holder)))
    return int(token.balanceOf(holder))


def assert_books(vault: Any, token: Any) -> None:
    """The solvency invariant: the Vault holds at least everything it owes for `token`."""
    books = vault.getBooks(ETH if token == ETH else token.address).dict()
    assert books["held"] == token_balance(token, vault)
    pending_assets, _ = vault.bankrollPending(ETH if token == ETH else token.address)
    owed = books["freeTotal"] + books["lockedTotal"] + books["bankrollAssets"] + books["accruedFees"] + pending_assets
    assert books["held"] >= owed
    assert books["bankrollAssets"] >= books["bankrollReserved"]


def deposit_eth(vault: Any, player: Any, amount: int) -> Any:
    return vault.depositFor(player, ETH, amount, {"from": player, "value": amount})
