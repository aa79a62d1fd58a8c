"""PlayerRegistry time-outs, separate from self-exclusion: exactly 24 hours, 1 week, 1 month (30 days)
or 6 weeks, immediate, never lifted or shortened by anyone, binding every stake until the last second.

The expected lengths are written out here in seconds, not read from the contract."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import accounts, chain, web3
from brownie.exceptions import VirtualMachineError
from registry_helpers import mined_refusal

DAY = 86_400
# TimeOut enum index -> its length, as the issue (and the regulator's menu) states it.
TIME_OUTS = {0: 1 * DAY, 1: 7 * DAY, 2: 30 * DAY, 3: 42 * DAY}
SIX_MONTHS = 184 * DAY
PERMANENT = 2**40 - 1
ETH = "0x" + "00" * 20


def _next_block_at(timestamp: int) -> None:
    """The next block's timestamp: exact on anvil; ganache moves its clock there instead."""
    if "anvil" in str(web3.client_version).lower():
        web3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])  # type: ignore[arg-type]
    else:
        web3.provider.make_request("evm_setTime", [timestamp * 1000])  # type: ignore[arg-type]


@pytest.mark.parametrize("period", sorted(TIME_OUTS))
def test_time_out_lasts_exactly_its_period(registry: Any, game: Any, token: str, period: int) -> None:
    player = accounts[1]
    assert registry.timeOutLength(period) == TIME_OUTS[period]
    tx = registry.takeTimeOut(period, {"from": player})
    until = tx.timestamp + TIME_OUTS[period]
    assert tx.events["TimeOutTaken"] == {"player": player, "period": period, "until": until}
    assert registry.timeOutEnd(player) == until
    assert registry.isTimedOut(player) and not registry.isExcluded(player)
    assert registry.exclusionEnd(player) == 0  # a time-out is not a self-exclusion

    # Immediate: the very next stake is refused, in any token.
    for stake_token in (token, ETH):
        message, _ = mined_refusal(registry.beforeStake, player, stake_token, 1, {"from": game})
        assert message == f"TimedOut: {player.address.lower()}, {until}"
    # Still refused in the last second of the time-out ...
    _next_block_at(until - 1)
    message, at = mined_refusal(registry.beforeStake, player, token, 1, {"from": game})
    assert (message, at) == (f"TimedOut: {player.address.lower()}, {until}", until - 1)
    # ... and over exactly when it ends.
    _next_block_at(until)
    assert registry.beforeStake(player, token, 1, {"from": game}).timestamp == until
    assert not registry.isTimedOut(player)


def test_time_out_can_be_extended_never_shortened(registry: Any, reverts_with: Any) -> None:
    player = accounts[1]
    tx = registry.takeTimeOut(2, {"from": player})  # a month
    month_end = tx.timestamp + 30 * DAY
    for shorter in (0, 1):
        with reverts_with("TimeOutCannotBeShortened"):
            registry.takeTimeOut(shorter, {"from": player})
    assert registry.timeOutEnd(player) == month_end
    tx = registry.takeTimeOut(3, {"from": player})  # six weeks: ends later, so it extends
    assert registry.timeOutEnd(player) == tx.timestamp + 42 * DAY
    # Taking the same period again later moves the end on (an extension, never a shortening).
    chain.sleep(DAY)
    tx = registry.takeTimeOut(3, {"from": player})
    assert registry.timeOutEnd(player) == tx.timestamp + 42 * DAY


def test_nobody_can_lift_a_time_out_or_an_exclusion(
    registry: Any, owner: Any, attestor: Any, game: Any, token: str
) -> None:
    """No function of the registry ends a break early: not for the player, the owner (governance) nor
    an attestor. Every state-changing entry point anyone can call is tried; the breaks still hold."""
    timed_out, excluded = accounts[1], accounts[2]
    timed_out_until = registry.takeTimeOut(0, {"from": timed_out}).timestamp + DAY
    excluded_until = registry.selfExclude(SIX_MONTHS, {"from": excluded}).timestamp + SIX_MONTHS
    for who in (timed_out, excluded, owner, attestor):
        for player in (timed_out, excluded):
            registry.revokeAttestation(player, {"from": owner})
            registry.applyPending(player, token, {"from": who})
        registry.setLimit(token, 0, 0, 2**96 - 1, {"from": who})
    registry.setVault(game, False, {"from": owner})
    message, _ = mined_refusal(registry.beforeStake, excluded, token, 1, {"from": game})
    assert message.startswith("SelfExcluded")  # an unregistered Vault is refused, never let through
    registry.setVault(game, True, {"from": owner})
    registry.setKycRule(token, 0, 0, {"from": owner})
    assert registry.timeOutEnd(timed_out) == timed_out_until
    assert registry.exclusionEnd(excluded) == excluded_until
    message, _ = mined_refusal(registry.beforeStake, timed_out, token, 1, {"from": game})
    assert message == f"TimedOut: {timed_out.address.lower()}, {timed_out_until}"
    message, _ = mined_refusal(registry.beforeStake, excluded, token, 1, {"from": game})
    assert message == f"SelfExcluded: {excluded.address.lower()}, {excluded_until}"


def test_time_out_and_exclusion_are_separate_and_both_bind(
    registry: Any, game: Any, token: str, reverts_with: Any
) -> None:
    player = accounts[1]
    timed_out_until = registry.takeTimeOut(1, {"from": player}).timestamp + 7 * DAY
    # Self-excluding during a time-out starts the exclusion at once and leaves the time-out as it was.
    excluded_until = registry.selfExclude(SIX_MONTHS, {"from": player}).timestamp + SIX_MONTHS
    assert registry.timeOutEnd(player) == timed_out_until
    assert registry.isExcluded(player) and registry.isTimedOut(player)
    # The exclusion is the stronger break, so it is the one reported.
    message, _ = mined_refusal(registry.beforeStake, player, token, 1, {"from": game})
    assert message == f"SelfExcluded: {player.address.lower()}, {excluded_until}"
    # The time-out ends on time; the exclusion still binds.
    chain.sleep(7 * DAY + 1)
    chain.mine()
    assert not registry.isTimedOut(player) and registry.isExcluded(player)
    with reverts_with("SelfExcluded"):
        registry.beforeStake(player, token, 1, {"from": game})
    # A permanent exclusion stays in force after any time-out taken on top of it.
    registry.selfExcludePermanently({"from": player})
    registry.takeTimeOut(0, {"from": player})
    chain.sleep(2 * DAY)
    chain.mine()
    assert registry.exclusionEnd(player) == PERMANENT
    with reverts_with("SelfExcluded"):
        registry.beforeStake(player, token, 1, {"from": game})


def test_a_time_out_is_not_refused_as_an_exclusion_duration(registry: Any, reverts_with: Any) -> None:
    """The short breaks the old self-exclusion allowed (from 1 day) are time-outs now; a time-out is
    one of the four periods only (an enum: any other value is refused)."""
    player = accounts[1]
    with reverts_with("BadExclusionDuration"):
        registry.selfExclude(DAY, {"from": player})
    with pytest.raises(VirtualMachineError):
        registry.takeTimeOut(4, {"from": player})
    assert registry.timeOutEnd(player) == 0 and registry.exclusionEnd(player) == 0


def test_require_not_excluded_reports_either_break_until_it_ends(registry: Any) -> None:
    """What the Vault asks before a bankroll deposit: a time-out binds like a self-exclusion."""
    timed_out, excluded, other = accounts[1], accounts[2], accounts[3]
    registry.requireNotExcluded(timed_out)
    timed_out_until = registry.takeTimeOut(0, {"from": timed_out}).timestamp + DAY
    excluded_until = registry.selfExclude(SIX_MONTHS, {"from": excluded}).timestamp + SIX_MONTHS
    with pytest.raises(VirtualMachineError) as caught:
        registry.requireNotExcluded(timed_out)
    assert str(caught.value.revert_msg) == f"TimedOut: {timed_out.address.lower()}, {timed_out_until}"
    with pytest.raises(VirtualMachineError) as caught:
        registry.requireNotExcluded(excluded)
    assert str(caught.value.revert_msg) == f"SelfExcluded: {excluded.address.lower()}, {excluded_until}"
    registry.requireNotExcluded(other)
    chain.sleep(DAY + 1)
    chain.mine()
    registry.requireNotExcluded(timed_out)
    with pytest.raises(VirtualMachineError):
        registry.requireNotExcluded(excluded)
