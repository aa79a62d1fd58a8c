"""Governance: only the timelock configures the Vault, within hard caps; the guardian can only
pause new locks; nothing governance can do touches players' money."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import TestGame, Vault, VaultBankroll, chain
from contract_support import ETHER, HOUR, lock_terms, token_balance
from vault_helpers import ETH, deposit_eth, future, mint_approved

from ops import bankroll

NO_PREDECESSOR = "0x" + "00" * 32
SALT = "0x" + "11" * 32
DEFAULT_ADMIN_ROLE = "0x" + "00" * 32


# ------------------------------------------------------------------ timelock


def test_deployment_is_owned_by_the_timelock(core: dict[str, Any], owner: Any, guardian: Any) -> None:
    vault, timelock = core["Vault"], core["TimelockController"]
    assert vault.owner() == timelock
    assert timelock.getMinDelay() == 60
    assert timelock.hasRole(timelock.PROPOSER_ROLE(), owner)
    assert timelock.hasRole(timelock.EXECUTOR_ROLE(), owner)
    assert not timelock.hasRole(DEFAULT_ADMIN_ROLE, owner)
    assert timelock.hasRole(DEFAULT_ADMIN_ROLE, timelock)
    assert vault.guardian() == guardian
    assert vault.feeRecipient() == timelock


@pytest.mark.parametrize(
    "call",
    [
        ("setGame", lambda a: (a, True)),
        ("setToken", lambda a: (a, True)),
        ("setRiskFraction", lambda a: (ETH, 1)),
        ("setProtocolFee", lambda a: (1,)),
        ("setFeeRecipient", lambda a: (a,)),
        ("setGuardian", lambda a: (a,)),
        ("withdrawFees", lambda a: (ETH,)),
        ("transferOwnership", lambda a: (a,)),
        ("renounceOwnership", lambda a: ()),
    ],
    ids=lambda call: call[0],
)
def test_direct_governance_calls_revert(
    core: dict[str, Any], owner: Any, guardian: Any, outsider: Any, call: Any, reverts_with: Any
) -> None:
    name, make_args = call
    vault = core["Vault"]
    for caller in (owner, guardian, outsider):
        with reverts_with("OwnableUnauthorizedAccount"):
            getattr(vault, name)(*make_args(caller), {"from": caller})


def test_schedule_wait_execute(core: dict[str, Any], owner: Any, reverts_with: Any) -> None:
    vault, timelock = core["Vault"], core["TimelockController"]
    data = vault.setProtocolFee.encode_input(1_500)

    timelock.schedule(vault, 0, data, NO_PREDECESSOR, SALT, 60, {"from": owner})
    with reverts_with("TimelockUnexpectedOperationState"):
        timelock.execute(vault, 0, data, NO_PREDECESSOR, SALT, {"from": owner})
    assert vault.protocolFeeBps() == 1_000

    chain.sleep(61)
    tx = timelock.execute(vault, 0, data, NO_PREDECESSOR, SALT, {"from": owner})
    assert tx.events["ProtocolFeeSet"]["bps"] == 1_500
    assert vault.protocolFeeBps() == 1_500


def test_short_delays_and_strangers_are_refused(
    core: dict[str, Any], owner: Any, outsider: Any, reverts_with: Any
) -> None:
    vault, timelock = core["Vault"], core["TimelockController"]
    data = vault.setGuardian.encode_input(outsider)
    with reverts_with("TimelockInsufficientDelay"):
        timelock.schedule(vault, 0, data, NO_PREDECESSOR, SALT, 59, {"from": owner})
    with reverts_with("AccessControlUnauthorizedAccount"):
        timelock.schedule(vault, 0, data, NO_PREDECESSOR, SALT, 60, {"from": outsider})
    timelock.schedule(vault, 0, data, NO_PREDECESSOR, SALT, 60, {"from": owner})
    chain.sleep(61)
    with reverts_with("AccessControlUnauthorizedAccount"):
        timelock.execute(vault, 0, data, NO_PREDECESSOR, SALT, {"from": outsider})


def test_even_the_timelock_cannot_exceed_the_caps(core: dict[str, Any], owner: Any, reverts_with: Any) -> None:
    from ops.deploy import govern

    vault = core["Vault"]
    with reverts_with("FeeAboveCap"):
        govern(vault, owner, "setProtocolFee", 2_001)
    with reverts_with("RiskAboveCap"):
        govern(vault, owner, "setRiskFraction", ETH, 1_001)
    govern(vault, owner, "setProtocolFee", 2_000)
    govern(vault, owner, "setRiskFraction", ETH, 1_000)
    assert vault.protocolFeeBps() == 2_000
    assert vault.riskFractionBps(ETH) == 1_000


def test_governed_game_registration(core: dict[str, Any], owner: Any, alice: Any) -> None:
    from ops.deploy import register_game

    vault = core["Vault"]
    newcomer = TestGame.deploy(vault, {"from": owner})
    register_game(vault, owner, newcomer)
    assert vault.isGame(newcomer)
    deposit_eth(vault, alice, ETHER)
    newcomer.lock(ETH, ETHER, ETHER, future(), 0, {"from": alice})
    assert vault.lockedTotal(ETH) == ETHER


def test_fees_go_only_to_the_recipient(core: dict[str, Any], owner: Any, alice: Any, lp: Any) -> None:
    from ops.deploy import govern

    vault, timelock, game = core["Vault"], core["TimelockController"], core["TestGame"]
    bankroll.deposit(vault, ETH, 100 * ETHER, lp)
    deposit_eth(vault, alice, 5 * ETHER)
    edge = 5 * ETHER // 10  # the highest house edge a lock may declare: 10 % of the stake
    lock_id = game.lockWithEdge(ETH, 5 * ETHER, 5 * ETHER, edge, future(), {"from": alice}).return_value
    game.settle(lock_id, lock_terms(game, lock_id), 0, {"from": owner})
    fees = vault.accruedFees(ETH)
    assert fees == edge * vault.protocolFeeBps() // 10_000 > 0

    tx = govern(vault, owner, "withdrawFees", ETH)
    assert tx.events["FeesWithdrawn"] == {"token": ETH, "to": timelock, "amount": fees}
    assert timelock.balance() == fees
    assert vault.accruedFees(ETH) == 0
    assert vault.bankrollAssets(ETH) == 100 * ETHER + 5 * ETHER - fees
    assert token_balance(ETH, vault) == vault.bankrollAssets(ETH)


# ------------------------------------------------------------------ owner functions (plain-owner Vault)


def test_configuration_events_and_caps(vault: Any, owner: Any, alice: Any, reverts_with: Any) -> None:
    assert vault.setGame(alice, True, {"from": owner}).events["GameSet"] == {
        "game": alice,
        "registered": True,
    }
    assert vault.isGame(alice)
    assert vault.setToken(alice, True, {"from": owner}).events["TokenSet"] == {
        "token": alice,
        "allowed": True,
    }
    assert vault.isTokenAllowed(alice)
    assert vault.setRiskFraction(alice, 250, {"from": owner}).events["RiskFractionSet"] == {
        "token": alice,
        "bps": 250,
    }
    assert vault.setFeeRecipient(alice, {"from": owner}).events["FeeRecipientSet"]["recipient"] == alice
    assert vault.setGuardian(alice, {"from": owner}).events["GuardianSet"]["guardian"] == alice

    with reverts_with("ZeroAddress"):
        vault.setGame(ETH, True, {"from": owner})
    with reverts_with("ZeroAddress"):
        vault.setFeeRecipient(ETH, {"from": owner})
    with reverts_with("FeeAboveCap"):
        vault.setProtocolFee(vault.MAX_PROTOCOL_FEE_BPS() + 1, {"from": owner})
    with reverts_with("RiskAboveCap"):
        vault.setRiskFraction(ETH, vault.MAX_RISK_FRACTION_BPS() + 1, {"from": owner})
    assert vault.MAX_LOCK_DURATION() == 30 * 86_400
    assert vault.MAX_POOL_RAKE_BPS() == 1_000


def test_withdraw_fees_reverts(vault: Any, owner: Any, reverts_with: Any) -> None:
    with reverts_with("ZeroAmount"):
        vault.withdrawFees(ETH, {"from": owner})
    VaultBankroll.deploy({"from": owner})  # the library the Vault links to
    fresh = Vault.deploy(owner, {"from": owner})
    with reverts_with("ZeroAddress"):
        fresh.withdrawFees(ETH, {"from": owner})


def test_relisting_keeps_the_token_id(vault: Any, game: Any, owner: Any, usds: Any, alice: Any) -> None:
    mint_approved(usds, vault, alice, 10)
    vault.depositFor(alice, usds, 10, {"from": alice})
    lock_id = game.lock(usds, 10, 10, future(), 0, {"from": alice}).return_value
    vault.setToken(usds, False, {"from": owner})
    vault.setToken(usds, True, {"from": owner})
    game.refund(lock_id, lock_terms(game, lock_id), {"from": owner})
    assert vault.balanceOf(alice, usds) == 10


def test_delisted_token_locks_still_unwind(
    vault: Any, game: Any, owner: Any, alice: Any, funded: int, reverts_with: Any
) -> None:
    deposit_eth(vault, alice, 3 * ETHER)
    lock_id = game.lock(ETH, ETHER, 2 * ETHER, future(), 0, {"from": alice}).return_value
    vault.setToken(ETH, False, {"from": owner})
    with reverts_with("TokenNotAllowed"):
        game.lock(ETH, ETHER, ETHER, future(), 0, {"from": alice})
    game.settle(lock_id, lock_terms(game, lock_id), 2 * ETHER, {"from": owner})
    vault.withdraw(ETH, 4 * ETHER, alice, {"from": alice})
    assert vault.balanceOf(alice, ETH) == 0


# ------------------------------------------------------------------ pause


def test_pause_stops_only_new_locks(
    vault: Any,
    game: Any,
    owner: Any,
    guardian: Any,
    alice: Any,
    lp: Any,
    outsider: Any,
    funded: int,
    reverts_with: Any,
    books: Any,
) -> None:
    deposit_eth(vault, alice, 10 * ETHER)
    settled = game.lock(ETH, ETHER, 2 * ETHER, future(), 0, {"from": alice}).return_value
    refunded = game.lock(ETH, ETHER, ETHER, future(), 0, {"from": alice}).return_value
    expired = game.lock(ETH, ETHER, ETHER, future(), 0, {"from": alice}).return_value
    pool = game.openPool(ETH, {"from": owner}).return_value
    game.lock(ETH, ETHER, ETHER, future(), pool, {"from": alice})

    tx = vault.pause({"from": guardian})
    assert tx.events["LocksPaused"]["paused"] is True
    assert vault.locksPaused()

    with reverts_with("LocksArePaused"):
        game.lock(ETH, ETHER, ETHER, future(), 0, {"from": alice})
    game.settle(settled, lock_terms(game, settled), 2 * ETHER, {"from": owner})
    game.refund(refunded, lock_terms(game, refunded), {"from": owner})
    game.closePool(pool, {"from": owner})
    game.payFromPool(pool, alice, ETHER, {"from": owner})
    deposit_eth(vault, alice, ETHER)
    vault.withdraw(ETH, ETHER, alice, {"from": alice})
    bankroll.redeem(vault, ETH, vault.sharesOf(lp, ETH) // 2, lp, lp)
    chain.sleep(HOUR + 1)
    vault.refund(expired, lock_terms(vault, expired), {"from": outsider})
    assert vault.lockedTotal(ETH) == 0
    books(vault, ETH)

    assert vault.unpause({"from": guardian}).events["LocksPaused"]["paused"] is False
    game.lock(ETH, ETHER, ETHER, future(), 0, {"from": alice})


def test_who_may_pause(vault: Any, owner: Any, guardian: Any, outsider: Any, reverts_with: Any) -> None:
    with reverts_with("NotGuardian"):
        vault.pause({"from": outsider})
    vault.pause({"from": owner})
    with reverts_with("NotGuardian"):
        vault.unpause({"from": outsider})
    vault.unpause({"from": owner})
    vault.pause({"from": guardian})
    vault.setGuardian(ETH, {"from": owner})
    with reverts_with("NotGuardian"):
        vault.unpause({"from": guardian})
