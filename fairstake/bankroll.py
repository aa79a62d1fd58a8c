"""Bankroll entry and exit through the Vault's asynchronous requests.

An LP requests a deposit (the assets wait, not earning) or a redeem (the shares are escrowed and
keep bearing gains and losses); at least `Vault.BANKROLL_DELAY` (1 day) later anyone claims it,
at the price of the claim. The helpers here run the whole cycle on a local development chain by
moving its clock past the delay; on a live chain an LP requests, waits and claims for real.
"""

from __future__ import annotations

from typing import Any

from fairstake.manifest import ETH


def _sender(provider: Any, token: Any, assets: int) -> dict[str, Any]:
    return {"from": provider, "value": assets} if str(token) == ETH else {"from": provider}


def request_deposit(vault: Any, token: Any, assets: int, provider: Any) -> Any:
    """Request a bankroll deposit of `assets` (ETH: sent as value); returns the transaction."""
    return vault.requestBankrollDeposit(token, assets, _sender(provider, token, assets))


def pass_delay(vault: Any) -> None:
    """Development chains only: move the clock past the bankroll delay and mine a block."""
    from brownie import chain

    chain.sleep(int(vault.BANKROLL_DELAY()) + 1)
    chain.mine()


def deposit(vault: Any, token: Any, assets: int, provider: Any) -> Any:
    """Request, pass the delay, claim: `provider` ends up with bankroll shares for `assets`.

    Returns the claim transaction (its return value is the shares minted).
    """
    request_deposit(vault, token, assets, provider)
    pass_delay(vault)
    return vault.claimBankrollDeposit(token, provider, {"from": provider})


def redeem(vault: Any, token: Any, shares: int, provider: Any, to: Any = None) -> Any:
    """Request a redeem of `shares`, pass the delay, claim (assets land in the provider's free
    balance) and, with `to`, withdraw them there. Returns the claim transaction (its return
    value is the assets credited)."""
    vault.requestBankrollRedeem(token, shares, {"from": provider})
    pass_delay(vault)
    claimed = vault.claimBankrollRedeem(token, provider, {"from": provider})
    if to is not None:
        vault.withdraw(token, claimed.return_value, to, {"from": provider})
    return claimed
