"""Bankroll entry and exit through the Vault's asynchronous requests.

An LP requests a deposit (the assets wait, not earning) or a redeem (the shares are escrowed and
keep bearing gains and losses); at least `Vault.BANKROLL_DELAY` (1 day) later the owner claims
it (anyone may, `Vault.CLAIM_GRACE` later still), at the price of the claim. The helpers here
run the whole cycle on a local development chain by moving its clock past the delay; on a live
chain an LP requests, waits and claims for real.
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


def reopen_stale_rounds(jackpot: Any, tokens: list[Any], sender: Any) -> None:
    """Development chains, after moving the clock: a Jackpot round whose draw window passed while
    nobody bought (the day of a bankroll delay) is marked refundable, which opens a fresh round."""
    for token in tokens:
        round_id = int(jackpot.currentRound(token))
        if not round_id:
            continue
        try:
            jackpot.markRefundable.call(round_id, {"from": sender})
        except Exception:  # still selling, or drawing: nothing stale
            continue
        jackpot.markRefundable(round_id, {"from": sender})


def fund(contracts: dict[str, Any], provider: Any, amounts: dict[Any, int]) -> None:
    """Development chains: fund the bankroll of every token in `amounts` from `provider` (ERC-20s
    approved beforehand) in one delay, then reopen the Jackpot rounds the day made stale."""
    vault = contracts["Vault"]
    for token, assets in amounts.items():
        request_deposit(vault, token, assets, provider)
    pass_delay(vault)
    for token in amounts:
        vault.claimBankrollDeposit(token, provider, {"from": provider})
    jackpot = contracts.get("Jackpot")
    if jackpot is not None:
        tokens = [ETH, *([contracts["MockStablecoin"]] if "MockStablecoin" in contracts else [])]
        reopen_stale_rounds(jackpot, tokens, provider)


LOCAL_BANKROLL_ETH = 2_000 * 10**18
LOCAL_BANKROLL_USDS = 5_000_000 * 10**6


def fund_local(contracts: dict[str, Any]) -> None:
    """Development chains: the bankrolls `up` starts with (2,000 ETH and 5,000,000 USDS from the
    liquidity-provider dev account), without which no Dice bet fits the exposure cap."""
    from brownie import accounts

    from ops.deployment import LIQUIDITY_PROVIDER

    vault, usds = contracts["Vault"], contracts["MockStablecoin"]
    lp = accounts[LIQUIDITY_PROVIDER]
    usds.mint(lp, LOCAL_BANKROLL_USDS, {"from": lp})
    usds.approve(vault, 2**256 - 1, {"from": lp})
    fund(contracts, lp, {ETH: LOCAL_BANKROLL_ETH, usds: LOCAL_BANKROLL_USDS})
