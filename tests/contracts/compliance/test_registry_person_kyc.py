"""KYC thresholds follow the person: a token's threshold caps the sum of the stakes of every wallet
bound to one KYC subject within the 30-day KYC window, so a person cannot split stakes over several
attested wallets; an unbound wallet is counted on its own. Every expected sum is written out from
the stakes the test makes."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import accounts, chain, web3
from registry_helpers import mined_refusal
from test_kyc_attestations import _attestation

from fairstake import signing

MONTH = 30 * 86_400
THRESHOLD, REQUIRED = 100, 2
PERSON = signing.subject_id(b"attestor's secret salt", "customer 3003")
OTHER_PERSON = signing.subject_id(b"attestor's secret salt", "customer 3004")


def _next_block_at(timestamp: int) -> None:
    """The next block's timestamp: exact on anvil; ganache moves its clock there instead."""
    if "anvil" in str(web3.client_version).lower():
        web3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])  # type: ignore[arg-type]
    else:
        web3.provider.make_request("evm_setTime", [timestamp * 1000])  # type: ignore[arg-type]


def _kyc_window_start() -> int:
    """Move a minute into a fresh 30-day epoch (the KYC window); returns the epoch's start."""
    now = chain[-1].timestamp
    start = now - now % MONTH + MONTH
    _next_block_at(start + 60)
    chain.mine()
    return start


def _attest(registry: Any, wallet: Any, subject: bytes, level: int) -> None:
    struct, signature = _attestation(registry, wallet, level=level, subject=subject)
    registry.attest(struct, signature, {"from": wallet})


def _kyc_required(wallet: Any, token: str, staked: int, valid: int) -> str:
    return f"KycRequired: {wallet.address.lower()}, {token.lower()}, {staked}, {THRESHOLD}, {REQUIRED}, {valid}"


@pytest.fixture
def person(registry: Any, owner: Any, token: str) -> tuple[Any, Any]:
    """Two wallets of one person, both attested below the level the token's rule requires."""
    first, second = accounts[1], accounts[2]
    for wallet in (first, second):
        _attest(registry, wallet, PERSON, REQUIRED - 1)
    registry.setKycRule(token, THRESHOLD, REQUIRED, {"from": owner})
    return first, second


def test_two_wallets_of_one_person_share_the_threshold(
    registry: Any, game: Any, token: str, person: tuple[Any, Any]
) -> None:
    """The split the per-address count allowed: 60 + 40 reaches the threshold of 100 for the person."""
    first, second = person
    _kyc_window_start()
    registry.beforeStake(first, token, 60, {"from": game})
    registry.beforeStake(second, token, 39, {"from": game})  # 99: under the threshold
    message, _ = mined_refusal(registry.beforeStake, second, token, 1, {"from": game})
    assert message == _kyc_required(second, token, 100, REQUIRED - 1)
    message, _ = mined_refusal(registry.beforeStake, first, token, 1, {"from": game})
    assert message == _kyc_required(first, token, 100, REQUIRED - 1)
    for wallet in (first, second, registry.personOf(first)):
        assert registry.kycStakedOf(wallet, token)[0] == 99
    # another person's wallet has a count of its own
    other = accounts[3]
    _attest(registry, other, OTHER_PERSON, REQUIRED - 1)
    registry.beforeStake(other, token, 99, {"from": game})
    assert registry.kycStakedOf(other, token)[0] == 99


def test_the_persons_window_ends_exactly_at_the_epoch_boundary(
    registry: Any, game: Any, token: str, person: tuple[Any, Any]
) -> None:
    """The last second of the 30-day epoch still holds both wallets' stakes; the first second of the
    next one starts the person's count from zero."""
    first, second = person
    start = _kyc_window_start()
    registry.beforeStake(first, token, 50, {"from": game})
    _next_block_at(start + MONTH - 2)
    tx = registry.beforeStake(second, token, 49, {"from": game})  # 99
    assert tx.timestamp == start + MONTH - 2
    _next_block_at(start + MONTH - 1)
    message, at = mined_refusal(registry.beforeStake, second, token, 1, {"from": game})
    assert (message, at) == (_kyc_required(second, token, 100, REQUIRED - 1), start + MONTH - 1)
    _next_block_at(start + MONTH)
    tx = registry.beforeStake(second, token, 99, {"from": game})
    assert tx.timestamp == start + MONTH
    assert tuple(registry.kycStakedOf(first, token)) == (99, start + MONTH, start + 2 * MONTH)
    message, _ = mined_refusal(registry.beforeStake, first, token, 1, {"from": game})
    assert message == _kyc_required(first, token, 100, REQUIRED - 1)


def test_stakes_from_before_a_binding_join_the_persons_count(
    registry: Any, game: Any, token: str, person: tuple[Any, Any]
) -> None:
    """A wallet that staked while unattested brings those stakes to its person once bound: binding
    never lowers the sum a wallet is measured by."""
    first, _ = person
    late = accounts[4]
    _kyc_window_start()
    registry.beforeStake(late, token, 70, {"from": game})  # unbound: its own count
    registry.beforeStake(first, token, 20, {"from": game})  # the person's count
    _attest(registry, late, PERSON, REQUIRED - 1)
    # the wallet's earlier 70 count with the person's 20 from now on
    assert registry.kycStakedOf(late, token)[0] == 90
    message, _ = mined_refusal(registry.beforeStake, late, token, 10, {"from": game})
    assert message == _kyc_required(late, token, 100, REQUIRED - 1)
    registry.beforeStake(late, token, 9, {"from": game})  # moves the 70 into the person's count
    assert registry.kycStakedOf(registry.personOf(late), token)[0] == 99
    message, _ = mined_refusal(registry.beforeStake, first, token, 1, {"from": game})
    assert message == _kyc_required(first, token, 100, REQUIRED - 1)


def test_a_wallet_with_the_level_goes_on_while_its_sibling_is_refused(
    registry: Any, game: Any, token: str, person: tuple[Any, Any]
) -> None:
    """The count is the person's; the level required is each wallet's own attestation."""
    first, second = person
    _kyc_window_start()
    registry.attest(*_attestation(registry, first, level=REQUIRED, nonce=2, subject=PERSON), {"from": first})
    registry.beforeStake(first, token, 150, {"from": game})  # verified: over the threshold is fine
    message, _ = mined_refusal(registry.beforeStake, second, token, 1, {"from": game})
    assert message == _kyc_required(second, token, 151, REQUIRED - 1)
    # an unbound wallet is still counted per address
    stranger = accounts[5]
    registry.beforeStake(stranger, token, 99, {"from": game})
    assert registry.kycStakedOf(stranger, token)[0] == 99
