"""Deposit limits: a player caps the gross amount deposited into the Vault to their free balance, per
token, over 24 hours, 7 days and 30 days. The real Vault asks the real PlayerRegistry before every
deposit (depositFor, depositFrom); payouts, refunds and payIn credits are not deposits. Lowering a
limit applies at once, raising or removing it after the 24 h cooling-off.

Every expected figure is written out here from the rule as stated (fixed windows counted from unix
time 0, gross amounts), never read back from the contract's own arithmetic."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import RegistryGasProbe, chain, history, web3
from brownie.exceptions import VirtualMachineError
from contract_support import DAY, ETHER, USD, deploy_wired_registry, lock_terms
from vault_helpers import ETH, future

from ops import bankroll

DEPOSIT = 2  # LimitKind.Deposit
LOSS, WAGER = 0, 1
DAY_W, WEEK_W, MONTH_W = 0, 1, 2
LENGTH = {DAY_W: DAY, WEEK_W: 7 * DAY, MONTH_W: 30 * DAY}
NO_LIMIT = 2**96 - 1


@pytest.fixture(scope="module")
def registry(vault: Any, owner: Any) -> Any:
    deployed = deploy_wired_registry(vault, owner)
    return deployed


@pytest.fixture(scope="module")
def funded_usds(usds: Any, vault: Any, alice: Any, bob: Any) -> Any:
    for who in (alice, bob):
        usds.mint(who, 10_000 * USD, {"from": who})
        usds.approve(vault, 2**256 - 1, {"from": who})
    return usds


def _next_block_at(timestamp: int) -> None:
    """The next block's timestamp: exact on anvil; ganache moves its clock there instead."""
    if "anvil" in str(web3.client_version).lower():
        web3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])  # type: ignore[arg-type]
    else:
        web3.provider.make_request("evm_setTime", [timestamp * 1000])  # type: ignore[arg-type]


def _window_start(length: int, offset: int = 60) -> int:
    """Move to `offset` seconds into a fresh window of `length`; returns the window's start."""
    now = chain[-1].timestamp
    start = now - now % length + length
    _next_block_at(start + offset)
    chain.mine()
    return start


def _refusal(call: Any, *args: Any) -> tuple[str, int]:
    """Send `call` even though it reverts, so it is mined: its revert message and block time."""
    tx_args = {**args[-1], "gas_limit": 1_000_000, "allow_revert": True}
    with pytest.raises(VirtualMachineError) as caught:
        call(*args[:-1], tx_args)
    return str(caught.value.revert_msg), int(history[-1].timestamp)


def _exceeded(player: Any, token: Any, window: int, limit: int, would_be: int) -> str:
    return f"DepositLimitExceeded: {str(player).lower()}, {str(token).lower()}, {window}, {limit}, {would_be}"


def _assert_deposit_refused(
    vault: Any, player: Any, token: Any, amount: int, window: int, limit: int, would_be: int, sender: Any = None
) -> None:
    """A deposit of `amount` for `player` (sent by `sender`, by default the player) is refused by
    `window`'s limit, which the deposits would take to `would_be`."""
    message, _ = _refusal(vault.depositFor, player, token, amount, {"from": sender or player})
    assert message == _exceeded(player, token, window, limit, would_be)


def test_daily_limit_caps_gross_deposits_from_anyone(
    vault: Any, registry: Any, funded_usds: Any, alice: Any, bob: Any
) -> None:
    usds = funded_usds
    tx = registry.setLimit(usds, DEPOSIT, DAY_W, 100 * USD, {"from": alice})
    assert tx.events["LimitSet"] == {
        "player": alice,
        "token": usds,
        "kind": DEPOSIT,
        "window": DAY_W,
        "value": 100 * USD,
        "effectiveAt": tx.timestamp,
    }
    assert tuple(registry.limitOf(alice, usds, DEPOSIT, DAY_W)) == (100 * USD, 0, 0)
    _window_start(DAY)
    vault.depositFor(alice, usds, 60 * USD, {"from": alice})
    vault.depositFor(alice, usds, 40 * USD, {"from": bob})  # paid by someone else: still alice's deposit
    assert registry.depositedOf(alice, usds, DAY_W)[0] == 100 * USD
    _assert_deposit_refused(vault, alice, usds, 1, DAY_W, 100 * USD, 100 * USD + 1)
    # Gross: withdrawing does not give the headroom back.
    vault.withdraw(usds, 50 * USD, alice, {"from": alice})
    _assert_deposit_refused(vault, alice, usds, 1, DAY_W, 100 * USD, 100 * USD + 1, sender=bob)
    assert vault.balanceOf(alice, usds) == 50 * USD
    # Another token and another player are not limited.
    vault.depositFor(alice, ETH, 5 * ETHER, {"from": alice, "value": 5 * ETHER})
    vault.depositFor(bob, usds, 1_000 * USD, {"from": bob})
    # The next 24-hour window starts afresh.
    _window_start(DAY)
    vault.depositFor(alice, usds, 100 * USD, {"from": alice})


def test_game_deposits_count_and_are_refused_over_the_limit(
    vault: Any, registry: Any, funded_usds: Any, game: Any, alice: Any, lp: Any
) -> None:
    """depositFrom (a game pulling the player's tokens) and depositFor through a game (ETH sent with a
    bet) are deposits; the bet is refused with the deposit."""
    usds = funded_usds
    bankroll.deposit(vault, ETH, 100 * ETHER, lp)  # request, a day, claim
    registry.setLimit(usds, DEPOSIT, WEEK_W, 30 * USD, {"from": alice})
    registry.setLimit(ETH, DEPOSIT, WEEK_W, ETHER, {"from": alice})
    _window_start(7 * DAY)
    game.lockFrom(usds, 30 * USD, 30 * USD, future(), 0, {"from": alice})
    message, _ = _refusal(game.lockFrom, usds, USD, USD, future(), 0, {"from": alice})
    assert message == _exceeded(alice, usds, WEEK_W, 30 * USD, 31 * USD)
    game.lockWithEth(ETHER, future(), 0, {"from": alice, "value": ETHER})
    message, _ = _refusal(game.lockWithEth, 1, future(), 0, {"from": alice, "value": 1})
    assert message == _exceeded(alice, ETH, WEEK_W, ETHER, ETHER + 1)
    assert vault.lockCount(ETH) == 1 and vault.lockCount(usds) == 1


def test_payouts_refunds_and_pay_ins_are_not_deposits(
    vault: Any, registry: Any, funded_usds: Any, game: Any, owner: Any, alice: Any, bob: Any, lp: Any
) -> None:
    usds = funded_usds
    usds.mint(lp, 10_000 * USD, {"from": lp})
    usds.approve(vault, 2**256 - 1, {"from": lp})
    bankroll.deposit(vault, usds, 5_000 * USD, lp)
    registry.setLimit(usds, DEPOSIT, DAY_W, 20 * USD, {"from": alice})
    _window_start(DAY)
    vault.depositFor(alice, usds, 20 * USD, {"from": alice})
    won = game.lock(usds, 10 * USD, 30 * USD, future(), 0, {"from": alice}).return_value
    refunded = game.lock(usds, 10 * USD, 10 * USD, future(), 0, {"from": alice}).return_value
    game.settle(won, lock_terms(game, won), 30 * USD, {"from": owner})  # a payout credits 30
    game.refund(refunded, lock_terms(game, refunded), {"from": owner})  # a refund credits 10
    vault.payIn(alice, usds, 5 * USD, 0, {"from": bob})  # e.g. bond compensation
    assert vault.balanceOf(alice, usds) == 45 * USD
    assert registry.depositedOf(alice, usds, DAY_W)[0] == 20 * USD
    _assert_deposit_refused(vault, alice, usds, 1, DAY_W, 20 * USD, 20 * USD + 1)


@pytest.mark.parametrize("window", [DAY_W, WEEK_W, MONTH_W])
def test_each_window_ends_exactly_at_its_epoch_boundary(
    vault: Any, registry: Any, funded_usds: Any, alice: Any, window: int
) -> None:
    """Windows are fixed epochs from unix time 0: the last second of one still counts the deposits
    made in it; the first second of the next starts from zero."""
    usds, length = funded_usds, LENGTH[window]
    registry.setLimit(usds, DEPOSIT, window, 10 * USD, {"from": alice})
    start = _window_start(length)
    vault.depositFor(alice, usds, 10 * USD, {"from": alice})
    _next_block_at(start + length - 1)
    message, at = _refusal(vault.depositFor, alice, usds, 1, {"from": alice})
    assert (message, at) == (_exceeded(alice, usds, window, 10 * USD, 10 * USD + 1), start + length - 1)
    _next_block_at(start + length)
    tx = vault.depositFor(alice, usds, 10 * USD, {"from": alice})
    assert tx.timestamp == start + length
    assert tuple(registry.depositedOf(alice, usds, window)) == (10 * USD, start + length, start + 2 * length)


def test_the_tightest_window_binds(vault: Any, registry: Any, funded_usds: Any, alice: Any) -> None:
    usds = funded_usds
    registry.setLimit(usds, DEPOSIT, DAY_W, 100 * USD, {"from": alice})
    registry.setLimit(usds, DEPOSIT, WEEK_W, 150 * USD, {"from": alice})
    registry.setLimit(usds, DEPOSIT, MONTH_W, 1_000 * USD, {"from": alice})
    week = _window_start(7 * DAY)
    vault.depositFor(alice, usds, 100 * USD, {"from": alice})
    _next_block_at(week + DAY + 60)  # the next day of the same week
    vault.depositFor(alice, usds, 50 * USD, {"from": alice})
    # Day 2 holds 50 of 100, the week 150 of 150: the week refuses.
    _assert_deposit_refused(vault, alice, usds, 1, WEEK_W, 150 * USD, 150 * USD + 1)


def test_lowering_applies_at_once_raising_after_the_cooling_off(
    vault: Any, registry: Any, funded_usds: Any, alice: Any
) -> None:
    usds = funded_usds
    registry.setLimit(usds, DEPOSIT, MONTH_W, 500 * USD, {"from": alice})
    _window_start(30 * DAY)
    vault.depositFor(alice, usds, 100 * USD, {"from": alice})
    registry.setLimit(usds, DEPOSIT, MONTH_W, 120 * USD, {"from": alice})  # lower: at once
    _assert_deposit_refused(vault, alice, usds, 21 * USD, MONTH_W, 120 * USD, 121 * USD)
    tx = registry.setLimit(usds, DEPOSIT, MONTH_W, 300 * USD, {"from": alice})  # raise: after 24 h
    effective_at = tx.timestamp + DAY
    assert tx.events["LimitSet"]["effectiveAt"] == effective_at
    assert tuple(registry.limitOf(alice, usds, DEPOSIT, MONTH_W)) == (120 * USD, 300 * USD, effective_at)
    _next_block_at(effective_at - 1)
    _assert_deposit_refused(vault, alice, usds, 21 * USD, MONTH_W, 120 * USD, 121 * USD)
    _next_block_at(effective_at)
    tx = vault.depositFor(alice, usds, 200 * USD, {"from": alice})
    assert tx.timestamp == effective_at
    assert tuple(registry.limitOf(alice, usds, DEPOSIT, MONTH_W)) == (300 * USD, 0, 0)
    _assert_deposit_refused(vault, alice, usds, 1, MONTH_W, 300 * USD, 300 * USD + 1)


def test_removal_waits_for_the_cooling_off_and_a_lowering_cancels_a_raise(
    vault: Any, registry: Any, funded_usds: Any, alice: Any
) -> None:
    usds = funded_usds
    registry.setLimit(usds, DEPOSIT, DAY_W, 10 * USD, {"from": alice})
    registry.setLimit(usds, DEPOSIT, DAY_W, 50 * USD, {"from": alice})  # pending raise
    registry.setLimit(usds, DEPOSIT, DAY_W, 8 * USD, {"from": alice})  # lowering: cancels the raise
    assert tuple(registry.limitOf(alice, usds, DEPOSIT, DAY_W)) == (8 * USD, 0, 0)
    tx = registry.setLimit(usds, DEPOSIT, DAY_W, NO_LIMIT, {"from": alice})  # removal: after 24 h
    removed_at = tx.timestamp + DAY
    _next_block_at(removed_at - 1)
    _assert_deposit_refused(vault, alice, usds, 9 * USD, DAY_W, 8 * USD, 9 * USD)
    _next_block_at(removed_at)
    tx = vault.depositFor(alice, usds, 5_000 * USD, {"from": alice})
    assert tx.events["PendingLimitApplied"] == {
        "player": alice,
        "token": usds,
        "kind": DEPOSIT,
        "window": DAY_W,
        "value": NO_LIMIT,
    }
    assert tuple(registry.limitOf(alice, usds, DEPOSIT, DAY_W)) == (NO_LIMIT, 0, 0)


def test_deposit_limits_are_apart_from_loss_and_wager_limits(
    vault: Any, registry: Any, funded_usds: Any, alice: Any
) -> None:
    usds = funded_usds
    registry.setLimit(usds, WAGER, DAY_W, USD, {"from": alice})
    registry.setLimit(usds, LOSS, DAY_W, USD, {"from": alice})
    vault.depositFor(alice, usds, 1_000 * USD, {"from": alice})  # stake limits do not cap deposits
    registry.setLimit(usds, DEPOSIT, DAY_W, 7 * USD, {"from": alice})
    assert tuple(registry.limitOf(alice, usds, WAGER, DAY_W)) == (USD, 0, 0)
    assert tuple(registry.limitOf(alice, usds, LOSS, DAY_W)) == (USD, 0, 0)
    assert tuple(registry.limitOf(alice, usds, DEPOSIT, DAY_W)) == (7 * USD, 0, 0)


def test_only_the_registered_vault_reports_deposits(
    vault: Any, registry: Any, funded_usds: Any, owner: Any, alice: Any, bob: Any, reverts_with: Any
) -> None:
    usds = funded_usds
    # For a player without a deposit limit the call is a no-op: nothing recorded, nothing to guard.
    registry.beforeDeposit(bob, usds, 10**30, {"from": bob})
    registry.setLimit(usds, DEPOSIT, DAY_W, 10 * USD, {"from": alice})
    with reverts_with("NotVault"):
        registry.beforeDeposit(alice, usds, 10 * USD, {"from": bob})  # nobody can use up her allowance
    with reverts_with("OwnableUnauthorizedAccount"):
        registry.setVault(bob, True, {"from": bob})
    with reverts_with("ZeroAddress"):
        registry.setVault("0x" + "00" * 20, True, {"from": owner})
    # Deregistering the Vault cannot loosen a limit: her deposits are refused, not let through.
    tx = registry.setVault(vault, False, {"from": owner})
    assert tx.events["VaultSet"] == {"vault": vault, "registered": False}
    message, _ = _refusal(vault.depositFor, alice, usds, USD, {"from": alice})
    assert message == f"NotVault: {str(vault).lower()}"
    vault.depositFor(bob, usds, USD, {"from": bob})  # players without a deposit limit are unaffected


def test_no_deposit_limit_costs_one_cold_read(registry: Any, owner: Any, alice: Any, bob: Any) -> None:
    """EIP-2929: calling a cold account costs 2,600 gas and a cold storage read 2,100. An unlimited
    player's check pays the call and one cold read plus overhead: less than the call and two cold
    reads would cost. A player with a deposit limit pays for their windows."""
    probe = RegistryGasProbe.deploy(registry, {"from": owner})
    registry.setVault(probe, True, {"from": owner})
    token = "0x00000000000000000000000000000000000000A1"
    # bob has a loss limit only: still no deposit limit, still one read.
    registry.setLimit(token, LOSS, DAY_W, USD, {"from": bob})
    for player in (alice, bob):
        used = probe.measureBeforeDeposit(player, token, USD, {"from": owner}).return_value
        assert 2_600 + 2_100 <= used < 2_600 + 2 * 2_100, used
    registry.setLimit(token, DEPOSIT, DAY_W, 10 * USD, {"from": alice})
    limited = probe.measureBeforeDeposit(alice, token, USD, {"from": owner}).return_value
    assert limited > 2_600 + 3 * 2_100
    assert registry.depositedOf(alice, token, DAY_W)[0] == USD
