"""The Vault keeps the registry's `clear` answer (nothing to check for this player and token) beside
the player's balance and skips the registry on their next stakes, until the registry tells it
(`registryChanged`) before a tightening takes effect. Every test here takes the adversary's side:
a player whose answer was kept, then takes a break, sets a limit, gets bound to a person or meets a
KYC rule, must be refused or recorded on the very next stake, whatever Vault, gas or registration
games are played around it."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import TestGame, Vault, chain, history
from brownie.exceptions import VirtualMachineError
from contract_support import DAY, ETHER, called_addresses
from protection_support import attest, deposit_each, wired_registry
from vault_helpers import ETH, RISK_BPS, mined_refusal

from fairstake import signing

SIX_MONTHS = 184 * DAY
LOSS, WAGER, DAY_W = 0, 1, 0
PERSON = signing.subject_id(b"clear answer test salt", "customer 77")


@pytest.fixture(scope="module")
def registry(vault: Any, owner: Any) -> Any:
    return wired_registry(vault, owner)


@pytest.fixture
def staked(vault: Any, registry: Any, alice: Any, bob: Any) -> int:
    return deposit_each(vault, (alice, bob))


def _deadline() -> int:
    return chain[-1].timestamp + DAY


def _lock(game: Any, player: Any, amount: int = ETHER) -> Any:
    return game.lock(ETH, amount, amount, _deadline(), 0, {"from": player})


def _asked(tx: Any, registry: Any) -> bool:
    """Whether the transaction called the registry (from its call trace)."""
    return registry.address.lower() in called_addresses(tx)


def _epoch(vault: Any) -> tuple[int, bool]:
    """The Vault's registry epoch and whether it keeps clear answers now."""
    epoch, keeps = vault.registryEpoch()
    return int(epoch), bool(keeps)


def _attest(registry: Any, wallet: Any) -> None:
    attest(registry, wallet, PERSON)


def test_a_clear_answer_is_kept_and_the_next_stake_skips_the_registry(
    vault: Any, registry: Any, game: Any, alice: Any, staked: int
) -> None:
    assert not vault.registryClear(alice, ETH)
    first = _lock(game, alice)
    assert _asked(first, registry)
    assert vault.registryClear(alice, ETH)
    second = _lock(game, alice, 2 * ETHER)
    assert not _asked(second, registry)
    assert not vault.lockCounted(second.return_value)
    assert vault.balanceOf(alice, ETH) == staked - 3 * ETHER  # the kept answer is not money
    vault.withdraw(ETH, ETHER, alice, {"from": alice})
    vault.transfer(alice, ETH, ETHER, {"from": alice})
    assert vault.balanceOf(alice, ETH) == staked - 4 * ETHER
    assert vault.registryClear(alice, ETH)


def _self_exclude(registry: Any, player: Any, owner: Any) -> str:
    until = registry.selfExclude(SIX_MONTHS, {"from": player}).timestamp + SIX_MONTHS
    return f"SelfExcluded: {player.address.lower()}, {until}"


def _time_out(registry: Any, player: Any, owner: Any) -> str:
    until = registry.takeTimeOut(0, {"from": player}).timestamp + DAY
    return f"TimedOut: {player.address.lower()}, {until}"


def _wager_limit(registry: Any, player: Any, owner: Any) -> str:
    registry.setLimit(ETH, WAGER, DAY_W, ETHER // 2, {"from": player})
    return f"WagerLimitExceeded: {player.address.lower()}, {ETH}, {DAY_W}, {ETHER // 2}, {ETHER}"


def _loss_limit(registry: Any, player: Any, owner: Any) -> str:
    registry.setLimit(ETH, LOSS, DAY_W, ETHER // 2, {"from": player})
    return f"LossLimitExceeded: {player.address.lower()}, {ETH}, {DAY_W}, {ETHER // 2}, {ETHER}"


def _kyc_rule(registry: Any, player: Any, owner: Any) -> str:
    registry.setKycRule(ETH, 0, 2, {"from": owner})
    return f"KycRequired: {player.address.lower()}, {ETH}, {ETHER}, 0, 2, 0"


@pytest.mark.parametrize("tighten", [_self_exclude, _time_out, _wager_limit, _loss_limit, _kyc_rule])
def test_every_tightening_reaches_the_very_next_stake(
    vault: Any, registry: Any, game: Any, owner: Any, alice: Any, staked: int, tighten: Any
) -> None:
    _lock(game, alice)
    epoch, keeps = _epoch(vault)
    assert keeps and vault.registryClear(alice, ETH)
    expected = tighten(registry, alice, owner)
    assert _epoch(vault) == (epoch + 1, True)
    assert not vault.registryClear(alice, ETH)
    assert mined_refusal(game.lock, ETH, ETHER, ETHER, _deadline(), 0, {"from": alice}) == expected
    assert vault.balanceOf(alice, ETH) == staked - ETHER


def test_a_person_bound_after_a_kept_answer_binds_the_next_stake(
    vault: Any, registry: Any, game: Any, alice: Any, bob: Any, staked: int
) -> None:
    """Both wallets' answers are kept; bob is then attested to the person alice's wallet joins, and
    alice's self-exclusion refuses bob at once."""
    _lock(game, alice)
    _lock(game, bob)
    _attest(registry, bob)
    assert not vault.registryClear(bob, ETH)
    asked = _lock(game, bob)
    assert _asked(asked, registry)
    assert not vault.registryClear(bob, ETH)  # a bound wallet is never clear
    _attest(registry, alice)
    expected = _self_exclude(registry, alice, None).replace(alice.address.lower(), bob.address.lower())
    assert mined_refusal(game.lock, ETH, ETHER, ETHER, _deadline(), 0, {"from": bob}) == expected


def test_a_deregistered_vault_forgets_and_keeps_nothing_more(
    vault: Any, registry: Any, game: Any, owner: Any, alice: Any, staked: int
) -> None:
    _lock(game, alice)
    assert vault.registryClear(alice, ETH)
    epoch, _ = _epoch(vault)
    registry.setVault(vault, False, {"from": owner})
    assert _epoch(vault) == (epoch + 1, False)
    assert not vault.registryClear(alice, ETH)
    assert registry.vaults() == []
    _lock(game, alice)  # asked and passed (nothing to record), but the answer is not clear
    assert not vault.registryClear(alice, ETH)
    expected = _self_exclude(registry, alice, owner)  # no Vault is told now
    assert mined_refusal(game.lock, ETH, ETHER, ETHER, _deadline(), 0, {"from": alice}) == expected


def test_a_vault_the_registry_never_registered_keeps_no_answer(
    registry: Any, owner: Any, alice: Any, reverts_with: Any
) -> None:
    """A second Vault wired to the registry but not registered there would never be told of a
    tightening, so it keeps no clear answer; once registered (and told so), it does."""
    other = Vault.deploy(owner, {"from": owner})
    other.setToken(ETH, True, {"from": owner})
    other.setRiskFraction(ETH, RISK_BPS, {"from": owner})
    other.setPlayerRegistry(registry, {"from": owner})
    game = TestGame.deploy(other, {"from": owner})
    other.setGame(game, True, {"from": owner})
    other.depositFor(alice, ETH, 5 * ETHER, {"from": alice, "value": 5 * ETHER})
    assert _epoch(other) == (1, False)
    _lock(game, alice)
    assert not other.registryClear(alice, ETH)
    registry.setVault(other, True, {"from": owner})
    assert _epoch(other) == (2, True)
    _lock(game, alice)
    assert other.registryClear(alice, ETH)
    expected = _time_out(registry, alice, owner)
    assert mined_refusal(game.lock, ETH, ETHER, ETHER, _deadline(), 0, {"from": alice}) == expected
    with reverts_with("NotPlayerRegistry"):
        other.registryChanged({"from": alice})


def test_an_address_that_is_no_vault_cannot_block_a_break(
    vault: Any, registry: Any, game: Any, owner: Any, alice: Any, outsider: Any, staked: int
) -> None:
    """Governance registering an account or a contract that refuses the notice (here a game) does
    not stop a player's self-exclusion, and the real Vault is still told."""
    registry.setVault(outsider, True, {"from": owner})
    registry.setVault(game, True, {"from": owner})
    _lock(game, alice)
    assert vault.registryClear(alice, ETH)
    expected = _self_exclude(registry, alice, owner)
    assert not vault.registryClear(alice, ETH)
    assert mined_refusal(game.lock, ETH, ETHER, ETHER, _deadline(), 0, {"from": alice}) == expected


def test_too_little_gas_never_records_a_break_the_vault_was_not_told_of(
    vault: Any, registry: Any, game: Any, alice: Any, staked: int
) -> None:
    """Whatever gas a self-exclusion is sent with, it either reverts and changes nothing, or the
    exclusion is recorded and the Vault's epoch moved on: never one without the other."""
    _lock(game, alice)
    needed = registry.selfExclude.estimate_gas(SIX_MONTHS, {"from": alice})
    outcomes = set()
    for gas in range(needed - 40_000, needed + 1, 5_000):
        epoch, _ = _epoch(vault)
        try:
            registry.selfExclude(SIX_MONTHS, {"from": alice, "gas_limit": gas, "allow_revert": True})
        except VirtualMachineError:
            assert history[-1].status == 0
            assert _epoch(vault) == (epoch, True)
            assert not registry.isExcluded(alice)
            assert vault.registryClear(alice, ETH)
            outcomes.add("reverted")
            continue
        assert registry.isExcluded(alice)
        assert _epoch(vault) == (epoch + 1, True)
        outcomes.add("recorded")
        break
    assert outcomes == {"reverted", "recorded"}  # both sides of the boundary were tried


def test_at_most_max_vaults_are_registered(registry: Any, vault: Any, owner: Any, reverts_with: Any) -> None:
    from brownie import accounts

    registered = len(registry.vaults())
    extra = [accounts.add() for _ in range(registry.MAX_VAULTS() - registered)]
    for account in extra:
        registry.setVault(account, True, {"from": owner})
    assert len(registry.vaults()) == registry.MAX_VAULTS()
    with reverts_with("TooManyVaults"):
        registry.setVault(accounts.add(), True, {"from": owner})
    registry.setVault(extra[0], False, {"from": owner})
    assert sorted(map(str, registry.vaults())) == sorted([str(vault.address)] + [str(a) for a in extra[1:]])


def test_only_the_vaults_registry_moves_its_epoch(vault: Any, registry: Any, outsider: Any, reverts_with: Any) -> None:
    before = _epoch(vault)
    assert before[1]  # wired, then listed (and told so)
    with reverts_with("NotPlayerRegistry"):
        vault.registryChanged({"from": outsider})
    assert _epoch(vault) == before


def test_an_emptied_balance_keeps_no_answer(vault: Any, registry: Any, game: Any, alice: Any, staked: int) -> None:
    """A balance that reaches zero ends as a zero slot (a bet straight from the wallet pays no fresh
    slot for the answer); the next stake after a new deposit asks again."""
    _lock(game, alice)
    assert vault.registryClear(alice, ETH)
    vault.withdraw(ETH, vault.balanceOf(alice, ETH), alice, {"from": alice})
    assert not vault.registryClear(alice, ETH)
    vault.depositFor(alice, ETH, 2 * ETHER, {"from": alice, "value": 2 * ETHER})
    assert _asked(_lock(game, alice), registry)
    assert vault.registryClear(alice, ETH)
    assert _asked(_lock(game, alice), registry) is False
    assert not vault.registryClear(alice, ETH)  # that lock took the whole balance


def test_only_a_limit_that_applies_at_once_tells_the_vaults(vault: Any, registry: Any, alice: Any) -> None:
    """A raise waits out the cooling-off and only loosens, so it moves no epoch; a deposit limit
    does not concern stakes."""
    registry.setLimit(ETH, WAGER, DAY_W, 5 * ETHER, {"from": alice})
    epoch, _ = _epoch(vault)
    registry.setLimit(ETH, WAGER, DAY_W, 6 * ETHER, {"from": alice})
    registry.setLimit(ETH, 2, DAY_W, ETHER, {"from": alice})  # a deposit limit
    assert _epoch(vault) == (epoch, True)
    registry.setLimit(ETH, LOSS, DAY_W, ETHER, {"from": alice})
    assert _epoch(vault) == (epoch + 1, True)
