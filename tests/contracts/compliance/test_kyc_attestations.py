"""PlayerRegistry KYC: EIP-712 attestations (Python-signed) and per-token thresholds."""

import brownie
import pytest
from brownie import PlayerRegistry, accounts, chain, web3

from fairstake import signing

MT = signing.jurisdiction_hash("MT")
MONTH = 30 * 86400


def person(player) -> bytes:
    """A subject id of its own for each dev account (one person per wallet unless a test says otherwise)."""
    return signing.subject_id(b"attestor test salt", f"person behind {player.address}")


def _attestation(
    registry,
    player,
    level=2,
    expiry=None,
    nonce=1,
    signer=8,
    chain_id=None,
    contract=None,
    issued_at=None,
    subject=None,
):
    """(struct tuple, signature bytes) signed in Python, as the attestor CLI does, by dev account `signer`
    (8 is the registered attestor), issued at the latest block's time unless `issued_at` says otherwise."""
    now = chain[-1].timestamp
    expiry = expiry if expiry is not None else now + 365 * 86400
    issued_at = issued_at if issued_at is not None else now
    subject = subject if subject is not None else person(player)
    typed = signing.kyc_attestation(
        contract or registry.address,
        chain_id or web3.eth.chain_id,
        player.address,
        level,
        expiry,
        MT,
        nonce,
        issued_at,
        subject,
    )
    signed = signing.sign(typed, signing.dev_private_key(signer))
    return (player.address, level, expiry, MT, nonce, issued_at, subject), signed.signature


def _next_second():
    """Mine a block at least one second later, so what is signed now is dated after earlier blocks."""
    chain.sleep(1)
    chain.mine()


def test_python_digest_matches_the_contract(registry):
    player = accounts[1]
    struct, _ = _attestation(registry, player)
    typed = signing.kyc_attestation(
        registry.address, web3.eth.chain_id, player.address, *struct[1:3], MT, struct[4], struct[5], struct[6]
    )
    assert registry.attestationDigest(struct) == "0x" + signing.digest(typed).hex()


def test_valid_attestation_sets_level(registry, attestor):
    player = accounts[1]
    struct, sig = _attestation(registry, player, level=3, nonce=7)
    tx = registry.attest(struct, sig, {"from": accounts[5]})  # anyone may submit
    assert tx.events["Attested"] == {
        "player": player,
        "attestor": attestor,
        "level": 3,
        "expiry": struct[2],
        "jurisdictionHash": "0x" + MT.hex(),
    }
    assert registry.kycLevel(player) == 3
    assert tuple(registry.kycInfo(player)) == (3, struct[2], "0x" + MT.hex(), 7)


def test_expired_attestation_rejected_and_level_lapses(registry, reverts_with):
    player = accounts[1]
    now = chain[-1].timestamp
    struct, sig = _attestation(registry, player, expiry=now - 1)
    with reverts_with("AttestationExpired"):
        registry.attest(struct, sig, {"from": player})
    struct, sig = _attestation(registry, player, expiry=now + 3600)
    registry.attest(struct, sig, {"from": player})
    assert registry.kycLevel(player) == 2
    chain.sleep(3601)
    chain.mine()
    assert registry.kycLevel(player) == 0


def test_replayed_and_stale_attestations_rejected(registry, reverts_with):
    player = accounts[1]
    struct, sig = _attestation(registry, player, level=3, nonce=5)
    older, older_sig = _attestation(registry, player, level=1, nonce=4)
    registry.attest(struct, sig, {"from": player})
    with reverts_with("StaleNonce"):
        registry.attest(struct, sig, {"from": player})
    with reverts_with("StaleNonce"):
        registry.attest(older, older_sig, {"from": player})
    newer, newer_sig = _attestation(registry, player, level=1, nonce=6)
    registry.attest(newer, newer_sig, {"from": player})
    assert registry.kycLevel(player) == 1


def test_high_s_attestation_rejected(registry, reverts_with):
    player = accounts[1]
    struct, sig = _attestation(registry, player)
    with reverts_with("MalleableSignature"):
        registry.attest(struct, signing.malleable_twin(sig), {"from": player})
    registry.attest(struct, sig, {"from": player})


def test_malformed_signature_rejected(registry, reverts_with):
    player = accounts[1]
    struct, sig = _attestation(registry, player)
    with reverts_with("InvalidSignature"):
        registry.attest(struct, sig[:64], {"from": player})
    with reverts_with("InvalidSignature"):
        registry.attest(struct, sig[:64] + bytes([5]), {"from": player})


@pytest.mark.parametrize(
    "case", ["wrong signer", "deregistered attestor", "tampered level", "other chain", "other registry"]
)
def test_attestation_without_a_known_attestor_rejected(registry, owner, attestor, reverts_with, case):
    """Signed by an account that is not an attestor, by one deregistered since, altered after
    signing (it recovers another signer), or signed for another chain or another registry: the
    signature recovers no attestor of this registry on this chain."""
    player = accounts[1]
    target = registry
    if case == "wrong signer":
        struct, sig = _attestation(registry, player, signer=7)
    elif case == "deregistered attestor":
        struct, sig = _attestation(registry, player)
        registry.setAttestor(attestor, False, {"from": owner})
    elif case == "tampered level":
        signed, sig = _attestation(registry, player, level=1)
        struct = (signed[0], 4, *signed[2:])
    elif case == "other chain":
        struct, sig = _attestation(registry, player, chain_id=web3.eth.chain_id + 1)
    else:
        struct, sig = _attestation(registry, player)
        target = PlayerRegistry.deploy(owner, {"from": owner})
        target.setAttestor(accounts[8], True, {"from": owner})
    with reverts_with("UnknownAttestor"):
        target.attest(struct, sig, {"from": player})


def test_revocation(registry, owner, attestor, reverts_with):
    player = accounts[1]
    struct, sig = _attestation(registry, player)
    registry.attest(struct, sig, {"from": player})
    with reverts_with("NotAttestor"):
        registry.revokeAttestation(player, {"from": accounts[5]})
    tx = registry.revokeAttestation(player, {"from": attestor})
    assert tx.events["AttestationRevoked"] == {"player": player, "by": attestor}
    assert registry.kycLevel(player) == 0
    with reverts_with("AttestationIssuedBeforeRevocation"):
        registry.attest(struct, sig, {"from": player})
    _next_second()
    registry.attest(*_attestation(registry, player, nonce=2), {"from": player})
    registry.revokeAttestation(player, {"from": owner})
    assert registry.kycLevel(player) == 0


def test_revocation_voids_every_attestation_signed_before_it(registry, attestor, reverts_with):
    """The audit finding: a renewal or duplicate signed before a revocation, with a higher nonce than
    the one revoked, must not restore the level when submitted afterwards."""
    player = accounts[1]
    registry.attest(*_attestation(registry, player, level=3, nonce=1), {"from": player})
    # Signed while the player was verified, held back: a renewal and a duplicate with higher nonces.
    renewal = _attestation(registry, player, level=3, nonce=2)
    duplicate = _attestation(registry, player, level=3, nonce=9)
    _next_second()
    revoked = registry.revokeAttestation(player, {"from": attestor}).timestamp
    assert registry.kycRevokedAt(player) == revoked
    _next_second()
    for held_back in (renewal, duplicate):
        with reverts_with("AttestationIssuedBeforeRevocation"):
            registry.attest(*held_back, {"from": player})
    # Dated in the very second of the revocation: cannot be told apart from "before", so void too.
    with reverts_with("AttestationIssuedBeforeRevocation"):
        registry.attest(*_attestation(registry, player, level=3, nonce=10, issued_at=revoked), {"from": player})
    assert registry.kycLevel(player) == 0
    # A genuinely new attestation, issued after the revocation, verifies the player again.
    registry.attest(*_attestation(registry, player, level=1, nonce=3), {"from": player})
    assert registry.kycLevel(player) == 1


def test_attestation_dated_in_the_future_rejected(registry, reverts_with):
    """Otherwise an attestor could sign today an attestation that survives tomorrow's revocation."""
    player = accounts[1]
    future = chain[-1].timestamp + 3600
    with reverts_with("AttestationIssuedInFuture"):
        registry.attest(*_attestation(registry, player, issued_at=future), {"from": player})
    chain.sleep(3601)
    registry.attest(*_attestation(registry, player, issued_at=future), {"from": player})
    assert registry.kycLevel(player) == 2


def test_kyc_threshold(registry, owner, game, token, reverts_with):
    player = accounts[1]
    registry.setKycRule(token, 1000, 2, {"from": owner})
    registry.beforeStake(player, token, 999, {"from": game})
    with reverts_with("KycRequired"):
        registry.beforeStake(player, token, 1000, {"from": game})
    registry.attest(*_attestation(registry, player, level=1, nonce=1), {"from": player})
    with reverts_with("KycRequired"):
        registry.beforeStake(player, token, 1000, {"from": game})
    expiry = chain[-1].timestamp + 3600
    registry.attest(*_attestation(registry, player, level=2, nonce=2, expiry=expiry), {"from": player})
    registry.beforeStake(player, token, 10**24, {"from": game})
    chain.sleep(3601)
    with reverts_with("KycRequired"):
        registry.beforeStake(player, token, 1000, {"from": game})
    # Other tokens have no rule; removing the rule lifts the requirement.
    registry.beforeStake(player, "0x" + "00" * 20, 10**24, {"from": game})
    registry.setKycRule(token, 0, 0, {"from": owner})
    registry.beforeStake(player, token, 10**24, {"from": game})


def _sleep_to_kyc_window_start():
    """A minute into a fresh 30-day epoch (the KYC window), so a test's stakes share one window."""
    now = chain[-1].timestamp
    chain.sleep(MONTH - now % MONTH + 60)
    chain.mine()


def _revert_message(call, *args):
    try:
        call(*args)
    except brownie.exceptions.VirtualMachineError as exc:
        return str(exc.revert_msg)
    raise AssertionError("the call did not revert")


def test_kyc_threshold_applies_to_the_sum_of_stakes_in_the_window(registry, owner, game, token, reverts_with):
    """The audit finding: stakes each under the threshold must not add up past it without KYC."""
    player, other = accounts[1], accounts[2]
    registry.setKycRule(token, 1000, 2, {"from": owner})
    _sleep_to_kyc_window_start()
    for _ in range(4):
        registry.beforeStake(player, token, 240, {"from": game})  # 240, 480, 720, 960: under 1000
    # The fifth stake of 240 would make 1,200: refused, naming the window total and the threshold.
    message = _revert_message(registry.beforeStake, player, token, 240, {"from": game})
    assert message == f"KycRequired: {player.address.lower()}, {token.lower()}, 1200, 1000, 2, 0"
    # The refused stake was not counted; 39 more stays under 1000, one more reaches it.
    assert registry.kycStakedOf(player, token)[0] == 960
    registry.beforeStake(player, token, 39, {"from": game})
    with reverts_with("KycRequired"):
        registry.beforeStake(player, token, 1, {"from": game})
    # Another player has a window of their own.
    registry.beforeStake(other, token, 999, {"from": game})
    # With the required level the player may go on staking.
    registry.attest(*_attestation(registry, player, level=2), {"from": player})
    registry.beforeStake(player, token, 240, {"from": game})
    assert registry.kycStakedOf(player, token)[0] == 999 + 240


def test_kyc_window_is_the_thirty_day_epoch(registry, owner, game, token, reverts_with):
    player = accounts[1]
    registry.setKycRule(token, 1000, 1, {"from": owner})
    _sleep_to_kyc_window_start()
    registry.beforeStake(player, token, 999, {"from": game})
    staked, start, end = registry.kycStakedOf(player, token)
    assert (staked, start % MONTH, end - start) == (999, 0, MONTH)
    chain.sleep(MONTH - 3600)  # still the same epoch, 29 days and 23 h later
    with reverts_with("KycRequired"):
        registry.beforeStake(player, token, 1, {"from": game})
    chain.sleep(3600)  # the next epoch: the count starts again
    registry.beforeStake(player, token, 999, {"from": game})
    assert registry.kycStakedOf(player, token)[0] == 999


def test_stakes_without_a_rule_do_not_count(registry, owner, game, token, reverts_with):
    player = accounts[1]
    _sleep_to_kyc_window_start()
    registry.beforeStake(player, token, 10**24, {"from": game})
    assert registry.kycStakedOf(player, token)[0] == 0
    registry.setKycRule(token, 1000, 1, {"from": owner})
    registry.beforeStake(player, token, 999, {"from": game})
    with reverts_with("KycRequired"):
        registry.beforeStake(player, token, 1, {"from": game})
