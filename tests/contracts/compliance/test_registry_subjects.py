"""Protection follows the person: every KYC attestation names a subject (a salted hash the attestor
chooses; no personal data), a wallet's first attestation binds it to that subject for good, and the
person's time-outs and self-exclusions bind every wallet attested to them."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import accounts, chain, web3
from brownie.exceptions import VirtualMachineError
from registry_helpers import refusal
from test_kyc_attestations import MT, _attestation

from fairstake import signing

DAY = 86_400
SIX_MONTHS = 184 * DAY
PERMANENT = 2**40 - 1
ALICE = signing.subject_id(b"attestor's secret salt", "customer 1001")
BOB = signing.subject_id(b"attestor's secret salt", "customer 1002")


def _attest(registry: Any, player: Any, subject: bytes, nonce: int = 1) -> Any:
    struct, signature = _attestation(registry, player, nonce=nonce, subject=subject)
    return registry.attest(struct, signature, {"from": player})


def test_an_excluded_persons_new_wallet_is_refused_once_attested(registry: Any, game: Any, token: str) -> None:
    """The issue's case: a person self-excludes, opens a fresh wallet, gets it attested: refused."""
    old, fresh = accounts[1], accounts[2]
    tx = _attest(registry, old, ALICE)
    person = registry.personOf(old)
    assert tx.events["SubjectBound"] == {"player": old, "subject": "0x" + ALICE.hex(), "person": person}
    assert person != "0x" + "00" * 20 and registry.personOf(fresh) == "0x" + "00" * 20
    until = registry.selfExclude(SIX_MONTHS, {"from": old}).timestamp + SIX_MONTHS
    assert tuple(registry.subjectBreaks(ALICE)) == (until, 0)
    registry.beforeStake(fresh, token, 1, {"from": game})  # unknown wallet: nothing links it yet
    _attest(registry, fresh, ALICE)
    assert registry.subjectOf(fresh) == "0x" + ALICE.hex()
    assert registry.isExcluded(fresh) and registry.exclusionEnd(fresh) == until
    assert refusal(registry.beforeStake, fresh, token, 1, {"from": game}) == (
        f"SelfExcluded: {fresh.address.lower()}, {until}"
    )
    with pytest.raises(VirtualMachineError) as caught:
        registry.requireNotExcluded(fresh)  # the bankroll too
    assert str(caught.value.revert_msg) == f"SelfExcluded: {fresh.address.lower()}, {until}"
    # Another person is not affected.
    other = accounts[3]
    _attest(registry, other, BOB)
    registry.beforeStake(other, token, 1, {"from": game})


def test_a_break_taken_through_any_wallet_binds_all_of_the_persons_wallets(
    registry: Any, game: Any, token: str
) -> None:
    first, second = accounts[1], accounts[2]
    _attest(registry, first, ALICE)
    _attest(registry, second, ALICE)
    until = registry.takeTimeOut(1, {"from": second}).timestamp + 7 * DAY  # a week, through the second
    for wallet in (first, second):
        assert registry.isTimedOut(wallet) and registry.timeOutEnd(wallet) == until
        assert refusal(registry.beforeStake, wallet, token, 1, {"from": game}) == (
            f"TimedOut: {wallet.address.lower()}, {until}"
        )
    # No wallet of the person can shorten the person's break ...
    with pytest.raises(VirtualMachineError) as caught:
        registry.takeTimeOut(0, {"from": first})
    assert str(caught.value.revert_msg).startswith("TimeOutCannotBeShortened")
    # ... and it ends for all of them exactly when it ends.
    chain.sleep(7 * DAY + 1)
    chain.mine()
    for wallet in (first, second):
        registry.beforeStake(wallet, token, 1, {"from": game})
    permanent = registry.selfExcludePermanently({"from": first})
    assert permanent.events["SelfExclusionSet"]["until"] == PERMANENT
    assert registry.exclusionEnd(second) == PERMANENT
    assert refusal(registry.beforeStake, second, token, 1, {"from": game}).startswith("SelfExcluded")


def test_a_wallets_running_break_extends_to_the_person_when_it_is_bound(registry: Any, game: Any, token: str) -> None:
    excluded_first, later = accounts[1], accounts[2]
    until = registry.selfExclude(SIX_MONTHS, {"from": excluded_first}).timestamp + SIX_MONTHS
    _attest(registry, later, ALICE)
    registry.beforeStake(later, token, 1, {"from": game})
    _attest(registry, excluded_first, ALICE)  # the excluded wallet turns out to be the same person
    assert tuple(registry.subjectBreaks(ALICE)) == (until, 0)
    assert refusal(registry.beforeStake, later, token, 1, {"from": game}) == (
        f"SelfExcluded: {later.address.lower()}, {until}"
    )


def test_the_binding_is_one_way(registry: Any, owner: Any, attestor: Any, game: Any, token: str) -> None:
    """No attestor can re-link an excluded wallet to a fresh subject, not even after a revocation."""
    wallet = accounts[1]
    _attest(registry, wallet, ALICE)
    until = registry.selfExclude(SIX_MONTHS, {"from": wallet}).timestamp + SIX_MONTHS
    struct, signature = _attestation(registry, wallet, nonce=2, subject=BOB)
    message = refusal(registry.attest, struct, signature, {"from": attestor})
    assert message.startswith(f"SubjectMismatch: {wallet.address.lower()}, ")
    registry.revokeAttestation(wallet, {"from": attestor})
    chain.sleep(2)
    chain.mine()
    struct, signature = _attestation(registry, wallet, nonce=3, subject=BOB)
    assert refusal(registry.attest, struct, signature, {"from": attestor}).startswith("SubjectMismatch")
    assert registry.subjectOf(wallet) == "0x" + ALICE.hex()
    # Re-attesting the same person is fine, and the exclusion holds throughout.
    _attest(registry, wallet, ALICE, nonce=4)
    assert registry.exclusionEnd(wallet) == until
    assert refusal(registry.beforeStake, wallet, token, 1, {"from": game}).startswith("SelfExcluded")


def test_every_attestation_names_a_subject(registry: Any, attestor: Any) -> None:
    wallet = accounts[1]
    now = chain[-1].timestamp
    # The tooling refuses to sign one without a subject, so the attestor's signature is made by hand.
    typed = signing.kyc_attestation(registry.address, web3.eth.chain_id, wallet.address, 1, now + DAY, MT, 1, now, BOB)
    typed["message"]["subject"] = b"\x00" * 32
    signature = signing.sign(typed, signing.dev_private_key(8)).signature
    struct = (wallet.address, 1, now + DAY, MT, 1, now, b"\x00" * 32)
    assert refusal(registry.attest, struct, signature, {"from": attestor}).startswith("MissingSubject")
    with pytest.raises(signing.SigningError):
        signing.kyc_attestation(registry.address, web3.eth.chain_id, wallet.address, 1, 2**40, MT, 1, 1, b"\x00" * 32)
    assert registry.subjectOf(wallet) == "0x" + "00" * 32


def test_a_kyc_rule_with_threshold_zero_requires_an_attested_subject_for_any_stake(
    registry: Any, owner: Any, game: Any, token: str
) -> None:
    anonymous, known = accounts[1], accounts[2]
    registry.setKycRule(token, 0, 1, {"from": owner})
    assert refusal(registry.beforeStake, anonymous, token, 1, {"from": game}).startswith("KycRequired")
    _attest(registry, known, ALICE)
    registry.beforeStake(known, token, 1, {"from": game})


def test_an_unbound_wallet_still_costs_one_read(registry: Any, owner: Any, token: str) -> None:
    """Binding adds reads only for bound wallets. An unbound, unlimited player's beforeStake pays the
    cold call (2,600) and two cold reads (2,100 each: the player's slot, the token's KYC rule) plus
    overhead, less than a third read would add: with nothing to record the caller is not checked."""
    from brownie import RegistryGasProbe

    probe = RegistryGasProbe.deploy(registry, {"from": owner})
    registry.setVault(probe, True, {"from": owner})
    unbound, bound = accounts[1], accounts[2]
    _attest(registry, bound, ALICE)
    free = probe.measureBeforeStake(unbound, token, 1, {"from": owner}).return_value
    linked = probe.measureBeforeStake(bound, token, 1, {"from": owner}).return_value
    assert 2_600 + 2 * 2_100 <= free < 2_600 + 3 * 2_100
    # a bound wallet: the caller's registration (as a Vault) and the person's breaks, two more cold reads
    assert linked - free >= 2 * 2_100
