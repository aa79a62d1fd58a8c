"""Self-exclusion and time-outs cover the bankroll: taking the house side is gambling, so the Vault
asks the real PlayerRegistry before every bankroll deposit request and claim. Leaving (a redeem) and
cancelling never ask."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import PlayerRegistry, Vault, VaultBankroll, chain
from brownie.exceptions import VirtualMachineError
from contract_support import DAY, ETHER, USD
from vault_helpers import ETH, mint_approved

from ops import bankroll


@pytest.fixture(scope="module")
def registry(vault: Any, owner: Any) -> Any:
    deployed = PlayerRegistry.deploy(owner, {"from": owner})
    vault.setPlayerRegistry(deployed, {"from": owner})
    return deployed


def _refusal(call: Any, *args: Any) -> str:
    with pytest.raises(VirtualMachineError) as caught:
        call(*args)
    return str(caught.value.revert_msg)


def test_self_excluded_player_cannot_take_the_house_side(
    vault: Any, registry: Any, usds: Any, alice: Any, bob: Any
) -> None:
    """The audit finding: a self-excluded player could still bankroll the games. Refused at the
    request and at the claim; leaving and cancelling never ask."""
    mint_approved(usds, vault, alice, 10 * USD)
    shares = bankroll.deposit(vault, ETH, ETHER, alice).return_value
    bankroll.request_deposit(vault, ETH, ETHER, alice)  # pending when she takes a break
    until = registry.takeTimeOut(1, {"from": alice}).timestamp + 7 * DAY  # a one-week time-out

    refused = f"TimedOut: {alice.address.lower()}, {until}"
    assert _refusal(vault.requestBankrollDeposit, ETH, ETHER, {"from": alice, "value": ETHER}) == refused
    assert _refusal(vault.requestBankrollDeposit, usds, 10 * USD, {"from": alice}) == refused
    bankroll.pass_delay(vault)
    # the request made before the exclusion cannot be claimed
    assert _refusal(vault.claimBankrollDeposit, ETH, alice, {"from": alice}) == refused
    assert vault.sharesOf(alice, ETH) == shares and vault.sharesOf(alice, usds) == 0
    # ... but she can take it back, and leaving is never blocked
    vault.cancelBankrollDeposit(ETH, {"from": alice})
    assert vault.balanceOf(alice, ETH) == ETHER
    bankroll.redeem(vault, ETH, shares, alice)
    assert vault.sharesOf(alice, ETH) == 0
    assert vault.balanceOf(alice, ETH) == 2 * ETHER
    # Other players are unaffected, and the time-out ends on time.
    bankroll.deposit(vault, ETH, ETHER, bob)
    chain.sleep(7 * DAY)
    bankroll.deposit(vault, usds, 10 * USD, alice)
    assert vault.sharesOf(alice, usds) > 0


def test_self_exclusion_bars_the_bankroll_until_it_ends(vault: Any, registry: Any, alice: Any) -> None:
    until = registry.selfExclude(184 * DAY, {"from": alice}).timestamp + 184 * DAY  # the shortest
    refused = f"SelfExcluded: {alice.address.lower()}, {until}"
    chain.sleep(183 * DAY)
    assert _refusal(vault.requestBankrollDeposit, ETH, ETHER, {"from": alice, "value": ETHER}) == refused
    chain.sleep(DAY + 1)
    bankroll.deposit(vault, ETH, ETHER, alice)
    assert vault.sharesOf(alice, ETH) > 0


def test_permanent_exclusion_bars_the_bankroll_for_good(vault: Any, registry: Any, alice: Any) -> None:
    registry.selfExcludePermanently({"from": alice})
    chain.sleep(6 * 365 * DAY)
    refused = f"SelfExcluded: {alice.address.lower()}, {2**40 - 1}"
    assert _refusal(vault.requestBankrollDeposit, ETH, ETHER, {"from": alice, "value": ETHER}) == refused


def test_registry_is_wired_once_by_the_owner_only(owner: Any, outsider: Any, registry: Any, reverts_with: Any) -> None:
    VaultBankroll.deploy({"from": owner})  # the library the Vault links to
    fresh = Vault.deploy(owner, {"from": owner})
    assert fresh.playerRegistry() == "0x" + "00" * 20
    with reverts_with("OwnableUnauthorizedAccount"):
        fresh.setPlayerRegistry(registry, {"from": outsider})
    with reverts_with("ZeroAddress"):
        fresh.setPlayerRegistry("0x" + "00" * 20, {"from": owner})
    tx = fresh.setPlayerRegistry(registry, {"from": owner})
    assert tx.events["PlayerRegistrySet"] == {"registry": registry}
    assert fresh.playerRegistry() == registry
    # Never replaced nor removed, so governance cannot let excluded players back into the bankroll.
    other = PlayerRegistry.deploy(owner, {"from": owner})
    with reverts_with("PlayerRegistryAlreadySet"):
        fresh.setPlayerRegistry(other, {"from": owner})
    assert fresh.playerRegistry() == registry
