"""The Python protection rules on hand-worked examples from the README's promises (no chain: the
agreement with the contract is tests/contracts/compliance/test_registry_agreement.py)."""

from __future__ import annotations

import pytest

from fairstake.rules import protection as p

DAY = 86_400
ETH = "0x" + "00" * 20
ALICE, BOB = "0x" + "a1" * 20, "0x" + "b0" * 20
# 2026-12-03 00:00 UTC, a Thursday: 7-day windows start on Thursdays (1970-01-01 was one).
THURSDAY = 1_796_256_000


def refusal(call, *args) -> p.Refusal:  # type: ignore[no-untyped-def]
    with pytest.raises(p.Refused) as caught:
        call(*args)
    return caught.value.refusal


def test_windows_are_fixed_epochs_from_unix_time_zero() -> None:
    assert p.window_bounds(THURSDAY + 5, p.Window.WEEK) == (THURSDAY, THURSDAY + 7 * DAY)
    assert p.window_bounds(THURSDAY - 1, p.Window.WEEK) == (THURSDAY - 7 * DAY, THURSDAY)
    assert p.window_bounds(THURSDAY + DAY + 1, p.Window.DAY) == (THURSDAY + DAY, THURSDAY + 2 * DAY)
    assert p.window_bounds(30 * DAY * 700 + 3, p.Window.MONTH) == (30 * DAY * 700, 30 * DAY * 701)


def test_tightening_applies_at_once_and_loosening_after_a_day() -> None:
    assert p.limit_effective_at(p.NO_LIMIT, 100, 1_000) == 1_000  # adding
    assert p.limit_effective_at(100, 50, 1_000) == 1_000  # lowering
    assert p.limit_effective_at(100, 100, 1_000) == 1_000  # unchanged
    assert p.limit_effective_at(100, 101, 1_000) == 1_000 + DAY  # raising
    assert p.limit_effective_at(100, p.NO_LIMIT, 1_000) == 1_000 + DAY  # removing


def test_a_limit_caps_inclusively_and_a_raise_bites_at_its_effective_second() -> None:
    registry, now = p.Registry(), THURSDAY + 60
    registry.set_limit(ALICE, ETH, p.LimitKind.WAGER, p.Window.DAY, 100, now)
    registry.before_stake(ALICE, ETH, 100, now)
    assert refusal(registry.before_stake, ALICE, ETH, 1, now) == p.Refusal(
        "WagerLimitExceeded", (ALICE, ETH, p.Window.DAY, 100, 101)
    )
    assert registry.set_limit(ALICE, ETH, p.LimitKind.WAGER, p.Window.DAY, 150, now) == [now + DAY]
    later = THURSDAY + DAY + 59  # the next day's window, one second before the raise applies
    registry.before_stake(ALICE, ETH, 100, later)
    assert refusal(registry.before_stake, ALICE, ETH, 1, later).args[3:] == (100, 101)
    registry.before_stake(ALICE, ETH, 50, later + 1)  # 150 in force from now + 24 h exactly


def test_a_stake_is_counted_only_by_a_window_with_a_limit_on_its_token() -> None:
    """What `beforeStake` tells the Vault: counted (its payouts to be credited) exactly when a loss
    or wager window recorded it; a deposit limit or a limit on another token counts nothing."""
    registry, now = p.Registry(), THURSDAY + 60
    assert registry.before_stake(ALICE, ETH, 10, now) is False
    registry.set_limit(ALICE, ETH, p.LimitKind.DEPOSIT, p.Window.DAY, 100, now)
    registry.set_limit(ALICE, BOB, p.LimitKind.LOSS, p.Window.DAY, 100, now)  # BOB as a token address
    assert registry.before_stake(ALICE, ETH, 10, now) is False
    registry.set_limit(ALICE, ETH, p.LimitKind.WAGER, p.Window.WEEK, 100, now)
    assert registry.before_stake(ALICE, ETH, 10, now) is True


def test_payouts_give_loss_headroom_in_the_window_they_arrive() -> None:
    registry, now = p.Registry(), THURSDAY + 60
    registry.set_limit(ALICE, ETH, p.LimitKind.LOSS, p.Window.DAY, 100, now)
    registry.before_stake(ALICE, ETH, 80, now)
    registry.after_settle(ALICE, ETH, 30, now)
    registry.before_stake(ALICE, ETH, 50, now)  # net loss 100
    assert refusal(registry.before_stake, ALICE, ETH, 1, now).error == "LossLimitExceeded"


def test_a_refused_call_changes_nothing() -> None:
    registry, now = p.Registry(), THURSDAY + 60
    registry.set_limit(ALICE, ETH, p.LimitKind.DEPOSIT, p.Window.WEEK, 100, now)
    registry.set_limit(ALICE, ETH, p.LimitKind.DEPOSIT, p.Window.DAY, 60, now)
    registry.before_deposit(ALICE, ETH, 50, now)
    assert refusal(registry.before_deposit, ALICE, ETH, 20, now).args[2:] == (p.Window.DAY, 60, 70)
    registry.before_deposit(ALICE, ETH, 50, now + DAY)  # the week counted 50, not 70
    assert refusal(registry.before_deposit, ALICE, ETH, 1, now + DAY).args[2:] == (p.Window.WEEK, 100, 101)


def test_breaks_bind_every_wallet_of_the_person_and_only_extend() -> None:
    registry, now = p.Registry(), THURSDAY
    subject = b"\x01" * 32
    registry.attest(ALICE, subject, 1, now + 365 * DAY)
    registry.attest(BOB, subject, 1, now + 365 * DAY)
    assert registry.person_of(ALICE) == registry.person_of(BOB) == p.person_key(1)
    until = registry.take_time_out(BOB, p.TimeOut.WEEK, now)
    assert until == now + 7 * DAY
    assert refusal(registry.before_stake, ALICE, ETH, 1, now + 7 * DAY - 1) == p.Refusal("TimedOut", (ALICE, until))
    registry.before_stake(ALICE, ETH, 1, now + 7 * DAY)
    registry.take_time_out(ALICE, p.TimeOut.SIX_WEEKS, now + 8 * DAY)
    assert refusal(registry.take_time_out, BOB, p.TimeOut.DAY, now + 9 * DAY).error == "TimeOutCannotBeShortened"
    assert refusal(registry.self_exclude, BOB, 183 * DAY, now).error == "BadExclusionDuration"
    registry.self_exclude(BOB, None, now + 10 * DAY)
    assert refusal(registry.before_stake, ALICE, ETH, 1, now + 50 * 365 * DAY).args == (ALICE, p.PERMANENT)
    assert refusal(registry.attest, ALICE, b"\x02" * 32, 1, now).error == "SubjectMismatch"


def test_the_kyc_threshold_counts_the_wallets_stakes_over_the_month() -> None:
    registry, now = p.Registry(), 30 * DAY * 700 + 60
    registry.set_kyc_rule(ETH, 100, 1)
    registry.before_stake(ALICE, ETH, 60, now)
    assert refusal(registry.before_stake, ALICE, ETH, 40, now) == p.Refusal("KycRequired", (ALICE, ETH, 100, 100, 1, 0))
    registry.before_stake(ALICE, ETH, 39, now)
    registry.before_stake(ALICE, ETH, 60, now + 30 * DAY)  # a new month counts afresh


def test_the_kyc_threshold_counts_the_persons_stakes_over_all_wallets() -> None:
    registry, now = p.Registry(), 30 * DAY * 700 + 60
    carol = "0x" + "c0" * 20
    registry.set_kyc_rule(ETH, 100, 2)
    registry.before_stake(carol, ETH, 30, now)  # unbound: its own count
    for wallet in (ALICE, BOB):
        registry.attest(wallet, b"\x01" * 32, 1, now + 365 * DAY)
    registry.before_stake(ALICE, ETH, 60, now)
    assert refusal(registry.before_stake, BOB, ETH, 40, now) == p.Refusal("KycRequired", (BOB, ETH, 100, 100, 2, 1))
    registry.before_stake(BOB, ETH, 9, now)  # 69 for the person
    registry.attest(carol, b"\x01" * 32, 1, now + 365 * DAY)
    assert registry.kyc_staked_of(carol, ETH, now) == 30 + 69  # its earlier stakes come along
    assert refusal(registry.before_stake, carol, ETH, 1, now).args[2] == 100
    registry.before_stake(ALICE, ETH, 30, now + 30 * DAY)  # a new month: the person's count restarts
    assert registry.kyc_staked_of(BOB, ETH, now + 30 * DAY) == 30
