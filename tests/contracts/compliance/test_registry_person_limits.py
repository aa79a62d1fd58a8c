"""Limits follow the person: once wallets are bound to one KYC subject, a limit set through any of
them caps the sum over all of them (stakes, payouts and deposits), while each wallet's own limits keep
applying, so binding never loosens anything. Expected sums are written out from the stakes made."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import accounts, chain
from registry_helpers import refusal
from test_kyc_attestations import _attestation

from fairstake import signing

DAY = 86_400
LOSS, WAGER, DEPOSIT = 0, 1, 2
DAY_W, WEEK_W = 0, 1
NO_LIMIT = 2**96 - 1
PERSON = signing.subject_id(b"attestor's secret salt", "customer 2001")


@pytest.fixture
def wallets(registry: Any) -> tuple[Any, Any]:
    """Two wallets of one person, bound by their attestations."""
    first, second = accounts[1], accounts[2]
    for wallet in (first, second):
        struct, signature = _attestation(registry, wallet, subject=PERSON)
        registry.attest(struct, signature, {"from": wallet})
    assert registry.personOf(first) == registry.personOf(second) != "0x" + "00" * 20
    return first, second


def _sleep_to_window_start(length: int) -> None:
    now = chain[-1].timestamp
    chain.sleep(length - now % length + 60)
    chain.mine()


def test_a_wager_limit_caps_the_persons_stakes_over_all_wallets(
    registry: Any, game: Any, token: str, wallets: tuple[Any, Any]
) -> None:
    first, second = wallets
    tx = registry.setLimit(token, WAGER, DAY_W, 100, {"from": first})
    person = registry.personOf(first)
    assert [(e["player"], e["value"]) for e in tx.events["LimitSet"]] == [(first, 100), (person, 100)]
    _sleep_to_window_start(DAY)
    registry.beforeStake(first, token, 60, {"from": game})
    registry.beforeStake(second, token, 40, {"from": game})  # the second wallet has no limit of its own
    message = refusal(registry.beforeStake, second, token, 1, {"from": game})
    assert message.startswith(f"WagerLimitExceeded: {second.address.lower()}, {token.lower()}, {DAY_W}, 100, 101")
    assert registry.usageOf(person, token, DAY_W)[0] == 100
    assert registry.usageOf(first, token, DAY_W)[0] == 60  # the wallet's own window: its own stakes only


def test_a_loss_limit_counts_the_persons_payouts_on_any_wallet(
    registry: Any, game: Any, token: str, wallets: tuple[Any, Any]
) -> None:
    first, second = wallets
    registry.setLimit(token, LOSS, DAY_W, 100, {"from": second})
    person = registry.personOf(second)
    _sleep_to_window_start(DAY)
    registry.beforeStake(first, token, 80, {"from": game})
    registry.afterSettle(first, token, 80, 30, {"from": game})  # net loss 50
    registry.beforeStake(second, token, 50, {"from": game})  # net loss 100
    assert registry.usageOf(person, token, DAY_W)[1] == 80 - 30 + 50
    assert refusal(registry.beforeStake, first, token, 1, {"from": game}).startswith("LossLimitExceeded")


def test_a_deposit_limit_caps_the_persons_deposits_over_all_wallets(
    registry: Any, owner: Any, token: str, wallets: tuple[Any, Any]
) -> None:
    first, second = wallets
    vault = accounts[7]  # the registry only knows the Vault as the address it registered
    registry.setVault(vault, True, {"from": owner})
    registry.setLimit(token, DEPOSIT, WEEK_W, 500, {"from": first})
    _sleep_to_window_start(7 * DAY)
    registry.beforeDeposit(second, token, 300, {"from": vault})
    registry.beforeDeposit(first, token, 200, {"from": vault})
    message = refusal(registry.beforeDeposit, second, token, 1, {"from": vault})
    assert message == f"DepositLimitExceeded: {second.address.lower()}, {token.lower()}, {WEEK_W}, 500, 501"
    assert registry.depositedOf(registry.personOf(first), token, WEEK_W)[0] == 500


def test_a_new_wallet_of_a_limited_person_is_limited_from_its_attestation(
    registry: Any, game: Any, token: str, wallets: tuple[Any, Any]
) -> None:
    first, _ = wallets
    registry.setLimit(token, WAGER, DAY_W, 10, {"from": first})
    _sleep_to_window_start(DAY)
    fresh = accounts[3]
    registry.beforeStake(fresh, token, 10**18, {"from": game})  # unknown: nothing links it yet
    struct, signature = _attestation(registry, fresh, subject=PERSON)
    registry.attest(struct, signature, {"from": fresh})
    registry.beforeStake(fresh, token, 10, {"from": game})
    assert refusal(registry.beforeStake, fresh, token, 1, {"from": game}).startswith("WagerLimitExceeded")


def test_binding_never_loosens_a_wallets_own_limit(registry: Any, game: Any, token: str) -> None:
    """A wallet with a limit of its own, attested to a person without limits, stays limited."""
    wallet = accounts[4]
    registry.setLimit(token, WAGER, DAY_W, 10, {"from": wallet})
    struct, signature = _attestation(registry, wallet, subject=PERSON)
    registry.attest(struct, signature, {"from": wallet})
    person = registry.personOf(wallet)
    assert tuple(registry.limitOf(person, token, WAGER, DAY_W)) == (NO_LIMIT, 0, 0)
    _sleep_to_window_start(DAY)
    registry.beforeStake(wallet, token, 10, {"from": game})
    assert refusal(registry.beforeStake, wallet, token, 1, {"from": game}).startswith("WagerLimitExceeded")


def test_the_persons_raise_waits_out_the_cooling_off_whatever_wallet_asks(
    registry: Any, game: Any, token: str, wallets: tuple[Any, Any]
) -> None:
    first, second = wallets
    _sleep_to_window_start(7 * DAY)  # everything below happens within one week window
    registry.setLimit(token, WAGER, WEEK_W, 100, {"from": first})
    person = registry.personOf(first)
    # Raising through the other wallet (which had no limit of its own: for it, an addition at once)
    # is a raise for the person: it waits 24 h.
    tx = registry.setLimit(token, WAGER, WEEK_W, 1_000, {"from": second})
    assert tuple(registry.limitOf(person, token, WAGER, WEEK_W)) == (100, 1_000, tx.timestamp + DAY)
    assert tuple(registry.limitOf(second, token, WAGER, WEEK_W)) == (1_000, 0, 0)
    registry.beforeStake(second, token, 100, {"from": game})
    assert refusal(registry.beforeStake, second, token, 1, {"from": game}).startswith("WagerLimitExceeded")
    chain.sleep(DAY)
    chain.mine()
    assert tuple(registry.limitOf(person, token, WAGER, WEEK_W)) == (1_000, 0, 0)
    registry.beforeStake(second, token, 900, {"from": game})
    assert registry.usageOf(person, token, WEEK_W)[0] == 1_000
    # Lowering through either wallet applies to the person at once.
    registry.setLimit(token, WAGER, WEEK_W, 50, {"from": second})
    assert registry.limitOf(person, token, WAGER, WEEK_W)[0] == 50
