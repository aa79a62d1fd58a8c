"""Provider bonds at the RandomnessCoordinator: deposits, reservations per request, release on
fulfilment, the slash paid out on expiry (to a beneficiary in the Vault, the residual to the
bankroll or burnt), unbonding with its delay, and the operator's rights."""

from __future__ import annotations

from typing import Any

import brownie
import pytest
from brownie import MockStablecoin, accounts, chain, web3
from conftest import CALLBACK_GAS, past_deadline
from eth_abi import encode
from eth_utils import keccak
from vrf_support import NO_DATA, NO_SLASH, OracleKey, commitment_from, request_id_of

from fairstake.manifest import ETH

ETHER = 10**18
BURN = "0x000000000000000000000000000000000000dEaD"
BOND = 10 * ETHER
UNBOND_DELAY = 2 * 86_400


def slash(amount: int, beneficiary: Any = None, beneficiary_amount: int = 0, to_bankroll: bool = False) -> tuple:
    """An IRandomnessCoordinator.Slash in ETH."""
    who = str(beneficiary) if beneficiary is not None else "0x" + "00" * 20
    return (ETH, amount, who, beneficiary_amount, to_bankroll)


@pytest.fixture
def bonded(coordinator: Any, oracle_key: OracleKey, key_operator: Any) -> OracleKey:
    """The oracle key with BOND ETH of bond, paid by its operator."""
    coordinator.depositBond(oracle_key.key_hash, ETH, BOND, {"from": key_operator, "value": BOND})
    return oracle_key


def bond(coordinator: Any, key: OracleKey) -> dict[str, int]:
    total, reserved, unbonding, unbondable_at, free = coordinator.bondOf(key.key_hash, ETH)
    return {"total": total, "reserved": reserved, "unbonding": unbonding, "at": unbondable_at, "free": free}


def bonded_request(consumer: Any, key: OracleKey, terms: tuple) -> tuple:
    consumer.setSlash(terms, {"from": accounts[1]})
    tx = consumer.request(CALLBACK_GAS, 1, {"from": accounts[1]})
    consumer.setSlash(NO_SLASH, {"from": accounts[1]})
    return commitment_from(tx), tx


# ------------------------------------------------------------------ deposits


def test_anyone_may_add_to_a_keys_bond(coordinator: Any, oracle_key: OracleKey) -> None:
    tx = coordinator.depositBond(oracle_key.key_hash, ETH, ETHER, {"from": accounts[8], "value": ETHER})
    event = tx.events["BondDeposited"]
    assert (event["token"], event["from"], event["amount"]) == (ETH, accounts[8], ETHER)
    assert bond(coordinator, oracle_key) == {"total": ETHER, "reserved": 0, "unbonding": 0, "at": 0, "free": ETHER}
    assert web3.eth.get_balance(coordinator.address) == ETHER


def test_bond_deposits_are_checked(
    coordinator: Any, oracle_key: OracleKey, other_key: OracleKey, reverts_with: Any
) -> None:
    with reverts_with("UnknownKey"):
        coordinator.depositBond(other_key.key_hash, ETH, ETHER, {"from": accounts[8], "value": ETHER})
    with reverts_with("WrongEthValue"):
        coordinator.depositBond(oracle_key.key_hash, ETH, ETHER, {"from": accounts[8], "value": ETHER - 1})
    with reverts_with("ZeroAmount"):
        coordinator.depositBond(oracle_key.key_hash, ETH, 0, {"from": accounts[8]})
    unlisted = accounts[9].address  # not a token the Vault ever allow-listed
    with reverts_with("TokenNotAllowed"):
        coordinator.depositBond(oracle_key.key_hash, unlisted, ETHER, {"from": accounts[8]})


# ------------------------------------------------------------------ reservations


def test_a_request_reserves_its_slash_and_fulfilment_releases_it(
    coordinator: Any, consumer: Any, bonded: OracleKey
) -> None:
    rc, tx = bonded_request(consumer, bonded, slash(3 * ETHER, accounts[2], ETHER, True))
    event = tx.events["RandomnessRequested"]
    assert (event["bondAmount"], event["beneficiary"], event["beneficiaryAmount"]) == (3 * ETHER, accounts[2], ETHER)
    assert bond(coordinator, bonded)["reserved"] == 3 * ETHER
    assert bond(coordinator, bonded)["free"] == BOND - 3 * ETHER
    # the reservation and its payee are part of the commitment, handed back on fulfil and expire
    assert tuple(rc[8:13]) == (ETH, 3 * ETHER, accounts[2], ETHER, True)

    chain.mine()
    coordinator.fulfil(bonded.prove_for(rc).as_solidity(), rc, {"from": accounts[5]})
    assert bond(coordinator, bonded) == {"total": BOND, "reserved": 0, "unbonding": 0, "at": 0, "free": BOND}


@pytest.mark.parametrize(
    ("field", "value"),
    [(9, ETHER), (10, "0x" + "77" * 20), (11, 3 * ETHER), (12, False)],
    ids=["smaller-reservation", "other-beneficiary", "larger-share", "residual-burnt"],
)
def test_a_commitment_with_other_bond_terms_is_refused(
    coordinator: Any, consumer: Any, bonded: OracleKey, reverts_with: Any, field: int, value: Any
) -> None:
    """Nobody can release less than was reserved, or redirect an expiry's payment: the bond terms
    are hashed into the stored commitment with the rest."""
    rc, _ = bonded_request(consumer, bonded, slash(3 * ETHER, accounts[2], ETHER, True))
    forged = tuple(value if i == field else v for i, v in enumerate(rc))
    _refused_on_fulfil_and_expiry(coordinator, bonded, reverts_with, rc, forged)
    assert bond(coordinator, bonded)["reserved"] == 3 * ETHER


DATA = "0x" + "a5" * 16 + "00" * 15 + "01"
OTHER_DATA = "0x" + "a5" * 16 + "00" * 15 + "03"


@pytest.mark.parametrize("data", [DATA, NO_DATA], ids=["a-word", "none"])
def test_a_commitment_with_another_data_word_is_refused(
    coordinator: Any, consumer: Any, bonded: OracleKey, reverts_with: Any, data: str
) -> None:
    """The consumer's data word is hashed into the stored commitment like the slash: nobody can
    hand the consumer another one on fulfil or on expiry."""
    consumer.setData(data, {"from": accounts[1]})
    rc, tx = bonded_request(consumer, bonded, slash(3 * ETHER, accounts[2], ETHER, True))
    assert tx.events["RandomnessRequested"]["data"] == data and rc[13] == data
    forged = (*rc[:13], OTHER_DATA if data == NO_DATA else NO_DATA)
    _refused_on_fulfil_and_expiry(coordinator, bonded, reverts_with, rc, forged)
    assert coordinator.isPending(request_id_of(rc))
    assert bond(coordinator, bonded)["reserved"] == 3 * ETHER
    coordinator.expire(rc, {"from": accounts[6]})
    assert consumer.lastData() == data


def test_the_consumer_is_handed_its_data_word_on_fulfil_and_on_expiry(
    coordinator: Any, consumer: Any, bonded: OracleKey
) -> None:
    consumer.setData(DATA, {"from": accounts[1]})
    rc, _ = bonded_request(consumer, bonded, slash(ETHER, accounts[2], ETHER // 2, True))
    consumer.setData(OTHER_DATA, {"from": accounts[1]})  # later requests carry another word
    chain.mine()
    coordinator.fulfil(bonded.prove_for(rc).as_solidity(), rc, {"from": accounts[5]})
    assert consumer.fulfilled(request_id_of(rc)) and consumer.lastData() == DATA

    rc, _ = bonded_request(consumer, bonded, slash(ETHER, accounts[2], ETHER // 2, True))
    consumer.setData(NO_DATA, {"from": accounts[1]})
    past_deadline(rc)
    coordinator.expire(rc, {"from": accounts[6]})
    assert consumer.expired(request_id_of(rc)) and consumer.lastData() == OTHER_DATA


def test_the_consumer_is_handed_the_committed_slash_with_its_words_and_on_expiry(
    coordinator: Any, consumer: Any, bonded: OracleKey
) -> None:
    """The callbacks carry the request's bond terms as committed, so a consumer need not keep them."""
    terms = slash(3 * ETHER, accounts[2], ETHER, True)
    rc, _ = bonded_request(consumer, bonded, terms)
    chain.mine()
    proof = bonded.prove_for(rc)
    coordinator.fulfil(proof.as_solidity(), rc, {"from": accounts[5]})
    assert tuple(consumer.lastSlash()) == terms
    # the words after the slash in the head are still keccak256(abi.encode(output, i))
    output = int(coordinator.verifyProof(proof.as_solidity(), bonded.seed_for(rc)))
    expected = int.from_bytes(keccak(encode(["uint256", "uint256"], [output, 0])), "big")
    assert list(consumer.wordsOf(request_id_of(rc))) == [expected]

    other = slash(2 * ETHER, accounts[3], ETHER // 2, False)
    rc, _ = bonded_request(consumer, bonded, other)
    past_deadline(rc)
    coordinator.expire(rc, {"from": accounts[6]})
    assert consumer.expired(request_id_of(rc)) and tuple(consumer.lastSlash()) == other


def test_a_slash_field_with_dirty_high_bits_cannot_reach_the_consumer(
    coordinator: Any, consumer: Any, bonded: OracleKey
) -> None:
    """The callback copies the commitment's slash words verbatim: a fulfiller padding one with
    dirty high bits (which a consumer's decoder would refuse, failing its callback) is reverted."""
    rc, _ = bonded_request(consumer, bonded, slash(3 * ETHER, accounts[2], ETHER, True))
    chain.mine()
    data = bytearray(bytes.fromhex(coordinator.fulfil.encode_input(bonded.prove_for(rc).as_solidity(), rc)[2:]))
    beneficiary_word = 4 + (13 + 10) * 32  # after the selector and the 13-word proof: rc's field 10
    dirty = bytes(data)
    dirty = dirty[:beneficiary_word] + b"\x01" + dirty[beneficiary_word + 1 :]
    with pytest.raises(brownie.exceptions.VirtualMachineError):
        accounts[5].transfer(coordinator, 0, data="0x" + dirty.hex(), gas_limit=2_000_000)
    assert coordinator.isPending(request_id_of(rc))
    tx = accounts[5].transfer(coordinator, 0, data="0x" + bytes(data).hex(), gas_limit=2_000_000)
    assert tx.events["RandomnessFulfilled"]["callbackSuccess"] is True


def test_a_request_the_free_bond_cannot_cover_is_refused(
    coordinator: Any, consumer: Any, bonded: OracleKey, reverts_with: Any
) -> None:
    """The bond caps what a key can leave open: the sum of reservations never exceeds it."""
    bonded_request(consumer, bonded, slash(BOND - ETHER))
    consumer.setSlash(slash(ETHER + 1), {"from": accounts[1]})
    with reverts_with("BondTooSmall"):
        consumer.request(CALLBACK_GAS, 1, {"from": accounts[1]})
    consumer.setSlash(slash(ETHER), {"from": accounts[1]})
    consumer.request(CALLBACK_GAS, 1, {"from": accounts[1]})
    assert bond(coordinator, bonded)["free"] == 0


def test_a_slash_paying_more_than_it_reserves_is_refused(consumer: Any, bonded: OracleKey, reverts_with: Any) -> None:
    consumer.setSlash(slash(ETHER, accounts[2], ETHER + 1), {"from": accounts[1]})
    with reverts_with("BadSlash"):
        consumer.request(CALLBACK_GAS, 1, {"from": accounts[1]})
    consumer.setSlash(slash(ETHER, None, 1), {"from": accounts[1]})
    with reverts_with("BadSlash"):
        consumer.request(CALLBACK_GAS, 1, {"from": accounts[1]})


# ------------------------------------------------------------------ slashes


def test_expiry_pays_the_beneficiary_and_the_bankroll_out_of_the_bond(
    coordinator: Any, vault: Any, consumer: Any, bonded: OracleKey
) -> None:
    player = accounts[2]
    rc, _ = bonded_request(consumer, bonded, slash(3 * ETHER, player, 2 * ETHER, True))
    assets_before = vault.bankrollAssets(ETH)
    past_deadline(rc)
    tx = coordinator.expire(rc, {"from": accounts[6]})
    event = tx.events["BondSlashed"]
    assert (event["beneficiary"], event["beneficiaryAmount"], event["residual"]) == (player, 2 * ETHER, ETHER)
    assert vault.balanceOf(player, ETH) == 2 * ETHER
    assert vault.bankrollAssets(ETH) == assets_before + ETHER
    assert bond(coordinator, bonded) == {
        "total": BOND - 3 * ETHER,
        "reserved": 0,
        "unbonding": 0,
        "at": 0,
        "free": BOND - 3 * ETHER,
    }
    # the consumer hears of the expiry after the slash was paid
    assert consumer.expired(request_id_of(rc))
    assert web3.eth.get_balance(coordinator.address) == BOND - 3 * ETHER


def test_a_burnt_residual_goes_to_a_sink_nobody_shares_in(
    coordinator: Any, vault: Any, consumer: Any, bonded: OracleKey
) -> None:
    rc, _ = bonded_request(consumer, bonded, slash(4 * ETHER, accounts[2], ETHER, False))
    burnt_before = web3.eth.get_balance(BURN)
    assets_before = vault.bankrollAssets(ETH)
    past_deadline(rc)
    coordinator.expire(rc, {"from": accounts[6]})
    assert web3.eth.get_balance(BURN) == burnt_before + 3 * ETHER
    assert vault.bankrollAssets(ETH) == assets_before
    assert vault.balanceOf(accounts[2], ETH) == ETHER


def test_a_request_without_a_slash_reserves_and_pays_nothing(
    coordinator: Any, consumer: Any, bonded: OracleKey
) -> None:
    rc, tx = bonded_request(consumer, bonded, NO_SLASH)
    assert tx.events["RandomnessRequested"]["bondAmount"] == 0
    past_deadline(rc)
    expired = coordinator.expire(rc, {"from": accounts[6]})
    assert "BondSlashed" not in expired.events
    assert bond(coordinator, bonded)["total"] == BOND


# ------------------------------------------------------------------ unbonding


def test_unbonding_waits_out_the_delay_and_only_the_operator_may(
    coordinator: Any, bonded: OracleKey, key_operator: Any, reverts_with: Any
) -> None:
    with reverts_with("NotKeyOperator"):
        coordinator.requestUnbond(bonded.key_hash, ETH, ETHER, {"from": accounts[8]})
    tx = coordinator.requestUnbond(bonded.key_hash, ETH, 4 * ETHER, {"from": key_operator})
    at = tx.events["BondUnbonding"]["unbondableAt"]
    assert at == web3.eth.get_block(tx.block_number)["timestamp"] + UNBOND_DELAY
    assert bond(coordinator, bonded)["free"] == BOND - 4 * ETHER
    with reverts_with("StillUnbonding"):
        coordinator.withdrawBond(bonded.key_hash, ETH, key_operator, {"from": key_operator})
    chain.sleep(UNBOND_DELAY + 1)
    chain.mine()
    with reverts_with("NotKeyOperator"):
        coordinator.withdrawBond(bonded.key_hash, ETH, accounts[8], {"from": accounts[8]})
    before = web3.eth.get_balance(accounts[6].address)
    coordinator.withdrawBond(bonded.key_hash, ETH, accounts[6], {"from": key_operator})
    assert web3.eth.get_balance(accounts[6].address) == before + 4 * ETHER
    assert bond(coordinator, bonded) == {
        "total": BOND - 4 * ETHER,
        "reserved": 0,
        "unbonding": 0,
        "at": at,
        "free": BOND - 4 * ETHER,
    }
    with reverts_with("NothingUnbonding"):
        coordinator.withdrawBond(bonded.key_hash, ETH, accounts[6], {"from": key_operator})


def test_reserved_bond_cannot_be_unbonded_and_unbonding_bond_backs_no_request(
    coordinator: Any, consumer: Any, bonded: OracleKey, key_operator: Any, reverts_with: Any
) -> None:
    """Withholding cannot be followed by running away with the bond: what open requests reserve
    stays until they resolve, and what is leaving no longer backs new requests."""
    bonded_request(consumer, bonded, slash(6 * ETHER))
    with reverts_with("BondTooSmall"):
        coordinator.requestUnbond(bonded.key_hash, ETH, 4 * ETHER + 1, {"from": key_operator})
    coordinator.requestUnbond(bonded.key_hash, ETH, 4 * ETHER, {"from": key_operator})
    consumer.setSlash(slash(1), {"from": accounts[1]})
    with reverts_with("BondTooSmall"):
        consumer.request(CALLBACK_GAS, 1, {"from": accounts[1]})


def test_the_operator_can_hand_its_bonds_over(
    coordinator: Any, bonded: OracleKey, key_operator: Any, reverts_with: Any
) -> None:
    with reverts_with("NotKeyOperator"):
        coordinator.setKeyOperator(bonded.key_hash, accounts[8], {"from": accounts[8]})
    coordinator.setKeyOperator(bonded.key_hash, accounts[8], {"from": key_operator})
    assert coordinator.operatorOf(bonded.key_hash) == accounts[8]
    with reverts_with("NotKeyOperator"):
        coordinator.requestUnbond(bonded.key_hash, ETH, ETHER, {"from": key_operator})
    coordinator.requestUnbond(bonded.key_hash, ETH, ETHER, {"from": accounts[8]})


def test_a_deregistered_key_keeps_its_operator_and_bond(
    coordinator: Any, owner: Any, bonded: OracleKey, key_operator: Any
) -> None:
    coordinator.deregisterKey(bonded.key_hash, {"from": owner})
    coordinator.registerKey(bonded.pk, accounts[8], {"from": owner})
    assert coordinator.operatorOf(bonded.key_hash) == key_operator
    assert bond(coordinator, bonded)["total"] == BOND


# ------------------------------------------------------------------ the cap


# The cap on a key's bond in one token less what is unbonding: the 120-bit fields the request path
# reads in one slot (the coordinator's NatSpec), and the largest reservation a Slash can carry.
CAP = 2**120 - 1
LARGEST_SLASH = 2**96 - 1
LARGEST_SHARE = 2**88 - 1


@pytest.fixture
def token(vault: Any, owner: Any, key_operator: Any) -> Any:
    """A Vault-allowed ERC-20 the key's operator holds more than the cap of."""
    deployed = MockStablecoin.deploy({"from": owner})
    vault.setToken(deployed, True, {"from": owner})
    deployed.mint(key_operator, 2 * CAP, {"from": owner})
    return deployed


def token_bond(coordinator: Any, key: OracleKey, token: Any) -> dict[str, int]:
    total, reserved, unbonding, _, free = coordinator.bondOf(key.key_hash, token)
    return {"total": total, "reserved": reserved, "unbonding": unbonding, "free": free}


def test_a_bond_holds_up_to_the_cap_and_a_deposit_beyond_it_reverts(
    coordinator: Any, consumer: Any, oracle_key: OracleKey, key_operator: Any, token: Any, reverts_with: Any
) -> None:
    """Reserved bond counts towards the cap and unbonding bond does not; a reservation made and
    released at the cap moves nothing else."""
    assert coordinator.MAX_BOND() == CAP
    key, op = oracle_key.key_hash, {"from": key_operator}
    token.approve(coordinator, 2 * CAP, op)
    coordinator.depositBond(key, token, CAP - 5, op)
    with reverts_with("BondAboveCap"):
        coordinator.depositBond(key, token, 6, op)
    coordinator.depositBond(key, token, 5, op)
    assert token_bond(coordinator, oracle_key, token) == {"total": CAP, "reserved": 0, "unbonding": 0, "free": CAP}
    with reverts_with("BondAboveCap"):
        coordinator.depositBond(key, token, 1, op)

    terms = (token.address, LARGEST_SLASH, accounts[2].address, LARGEST_SHARE, False)
    consumer.setSlash(terms, {"from": accounts[1]})
    rc = commitment_from(consumer.request(CALLBACK_GAS, 1, {"from": accounts[1]}))
    at_cap = {"total": CAP, "reserved": LARGEST_SLASH, "unbonding": 0, "free": CAP - LARGEST_SLASH}
    assert token_bond(coordinator, oracle_key, token) == at_cap
    with reverts_with("BondAboveCap"):
        coordinator.depositBond(key, token, 1, op)
    chain.mine()
    coordinator.fulfil(oracle_key.prove_for(rc).as_solidity(), rc, {"from": accounts[5]})
    assert token_bond(coordinator, oracle_key, token) == {"total": CAP, "reserved": 0, "unbonding": 0, "free": CAP}

    coordinator.requestUnbond(key, token, 7, op)
    coordinator.depositBond(key, token, 7, op)  # what is leaving no longer counts
    assert token_bond(coordinator, oracle_key, token) == {"total": CAP + 7, "reserved": 0, "unbonding": 7, "free": CAP}
    with reverts_with("BondAboveCap"):
        coordinator.depositBond(key, token, 1, op)

    # an expiry at the cap pays the whole reservation out of the bond
    rc = commitment_from(consumer.request(CALLBACK_GAS, 1, {"from": accounts[1]}))
    consumer.setSlash(NO_SLASH, {"from": accounts[1]})
    past_deadline(rc)
    coordinator.expire(rc, {"from": accounts[6]})
    assert token_bond(coordinator, oracle_key, token) == {
        "total": CAP + 7 - LARGEST_SLASH,
        "reserved": 0,
        "unbonding": 7,
        "free": CAP - LARGEST_SLASH,
    }
    assert token.balanceOf(coordinator) == CAP + 7 - LARGEST_SLASH


# ------------------------------------------------------------------ registration


def test_a_deregistered_key_takes_no_reservation_in_any_token_until_registered_again(
    coordinator: Any,
    owner: Any,
    consumer: Any,
    bonded: OracleKey,
    key_operator: Any,
    vault: Any,
    token: Any,
    reverts_with: Any,
) -> None:
    """Whether a key may be requested from is read from the bond slot a reservation reads, so
    (de)registering the key must reach every token it holds bond in, including one first bonded
    while the key was deregistered."""
    key, op = bonded.key_hash, {"from": key_operator}
    token.approve(coordinator, 2 * CAP, op)
    coordinator.depositBond(key, token, 10**6, op)
    late = MockStablecoin.deploy({"from": owner})
    vault.setToken(late, True, {"from": owner})
    late.mint(key_operator, 10**6, {"from": owner})
    late.approve(coordinator, 10**6, op)
    unbonded = MockStablecoin.deploy({"from": owner})
    vault.setToken(unbonded, True, {"from": owner})
    reservations = [(t, 1, "0x" + "00" * 20, 0, False) for t in (ETH, token.address, late.address)]

    def refused(terms: tuple, error: str) -> None:
        consumer.setSlash(terms, {"from": accounts[1]})
        with reverts_with(error):
            consumer.request(CALLBACK_GAS, 1, {"from": accounts[1]})

    # a registered key and a token it holds no bond in: nothing to reserve from
    refused((unbonded.address, 1, "0x" + "00" * 20, 0, False), "BondTooSmall")

    coordinator.deregisterKey(key, {"from": owner})
    coordinator.depositBond(key, late, 10**6, op)  # first bonded while deregistered
    for terms in [*reservations, NO_SLASH, (unbonded.address, 1, "0x" + "00" * 20, 0, False)]:
        refused(terms, "UnknownKey")
    assert not coordinator.isKeyRegistered(key)

    coordinator.registerKey(bonded.pk, key_operator, {"from": owner})
    for terms in reservations:
        consumer.setSlash(terms, {"from": accounts[1]})
        consumer.request(CALLBACK_GAS, 1, {"from": accounts[1]})
    assert [coordinator.bondOf(key, t)[1] for t in (ETH, token, late)] == [1, 1, 1]

    coordinator.deregisterKey(key, {"from": owner})
    for terms in reservations:
        refused(terms, "UnknownKey")
    # what the key reserved before stays reserved, and its bonds stay its operator's
    assert [coordinator.bondOf(key, t)[1] for t in (ETH, token, late)] == [1, 1, 1]


def _refused_on_fulfil_and_expiry(
    coordinator: Any, bonded: OracleKey, reverts_with: Any, rc: tuple, forged: tuple
) -> None:
    """`forged`, a changed copy of the pending request's commitment `rc`, is refused by fulfil (with
    `rc`'s valid proof) and, past the deadline, by expire."""
    chain.mine()
    with reverts_with("CommitmentMismatch"):
        coordinator.fulfil(bonded.prove_for(rc).as_solidity(), forged, {"from": accounts[5]})
    past_deadline(rc)
    with reverts_with("CommitmentMismatch"):
        coordinator.expire(forged, {"from": accounts[6]})
