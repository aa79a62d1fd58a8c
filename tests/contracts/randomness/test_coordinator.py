"""RandomnessCoordinator: governance, requests, fulfilment, expiry and batches, every revert path
checked by its error name."""

from __future__ import annotations

from typing import Any

import brownie
import pytest
from brownie import RandomnessCoordinator, TestConsumer, accounts, chain
from conftest import CALLBACK_GAS, MAX_CALLBACK_GAS, TIMEOUT_BLOCKS, TIMEOUT_SECONDS, past_deadline
from vrf_support import NO_DATA, NO_SLASH, OracleKey, commitment_from, expected_request_id, plain, request_id_of

from oracle import ecvrf

ZERO_PROOF = ([0, 0], [0, 0], 0, 0, 0, "0x" + "00" * 20, [0, 0], [0, 0], 0)


def _with(rc: tuple, index: int, value: Any) -> tuple:
    return rc[:index] + (value,) + rc[index + 1 :]


# ------------------------------------------------------------------ construction and governance


@pytest.mark.parametrize("blocks,seconds", [(0, 600), (1_000_001, 600), (20, 0), (20, 6 * 3600 + 1)])
def test_constructor_rejects_a_timeout_outside_its_caps(
    owner: Any, vault: Any, reverts_with: Any, blocks: int, seconds: int
) -> None:
    with reverts_with("BadTimeout"):
        RandomnessCoordinator.deploy(owner, vault, blocks, seconds, MAX_CALLBACK_GAS, {"from": owner})


def test_constructor_accepts_deadlines_beyond_the_blockhash_window(owner: Any, vault: Any) -> None:
    """Deadlines are no longer bound by BLOCKHASH's 256 blocks (the hash can be stored)."""
    deployed = RandomnessCoordinator.deploy(owner, vault, 10_000, 6 * 3600, MAX_CALLBACK_GAS, {"from": owner})
    assert deployed.timeoutBlocks() == 10_000
    assert deployed.maxFulfilDelay() == 12 * 3600


def test_constructor_records_its_parameters(coordinator: Any, owner: Any, vault: Any) -> None:
    assert coordinator.owner() == owner
    assert coordinator.vault() == vault
    assert coordinator.timeoutBlocks() == TIMEOUT_BLOCKS
    assert coordinator.timeoutSeconds() == TIMEOUT_SECONDS
    assert coordinator.maxFulfilDelay() == 2 * TIMEOUT_SECONDS
    assert coordinator.maxCallbackGasLimit() == MAX_CALLBACK_GAS


def test_register_key_stores_the_python_key_hash(coordinator: Any, owner: Any, other_key: OracleKey) -> None:
    tx = coordinator.registerKey(other_key.pk, accounts[8], {"from": owner})
    assert tx.events["OracleKeyRegistered"]["operator"] == accounts[8]
    assert coordinator.operatorOf(other_key.key_hash) == accounts[8]
    assert tx.return_value == "0x" + other_key.key_hash.hex()
    assert coordinator.hashOfKey(other_key.pk) == "0x" + other_key.key_hash.hex()
    assert tx.events["OracleKeyRegistered"]["keyHash"] == "0x" + other_key.key_hash.hex()
    assert list(tx.events["OracleKeyRegistered"]["pk"]) == list(other_key.pk)
    assert coordinator.isKeyRegistered(other_key.key_hash)


def test_register_key_twice_reverts(coordinator: Any, owner: Any, oracle_key: OracleKey, reverts_with: Any) -> None:
    with reverts_with("KeyAlreadyRegistered"):
        coordinator.registerKey(oracle_key.pk, owner, {"from": owner})


def test_register_key_off_the_curve_reverts(
    coordinator: Any, owner: Any, oracle_key: OracleKey, reverts_with: Any
) -> None:
    with reverts_with("KeyNotOnCurve"):
        coordinator.registerKey([oracle_key.pk[0], oracle_key.pk[1] + 1], owner, {"from": owner})


def test_deregister_key(coordinator: Any, owner: Any, oracle_key: OracleKey, reverts_with: Any) -> None:
    tx = coordinator.deregisterKey(oracle_key.key_hash, {"from": owner})
    assert tx.events["OracleKeyDeregistered"]["keyHash"] == "0x" + oracle_key.key_hash.hex()
    assert not coordinator.isKeyRegistered(oracle_key.key_hash)
    with reverts_with("UnknownKey"):
        coordinator.deregisterKey(oracle_key.key_hash, {"from": owner})


@pytest.mark.parametrize("call", ["registerKey", "deregisterKey", "setConsumer", "transferOwnership"])
def test_governance_is_owner_only(
    coordinator: Any, oracle_key: OracleKey, other_key: OracleKey, reverts_with: Any, call: str
) -> None:
    stranger = accounts[7]
    args = {
        "registerKey": (other_key.pk, stranger),
        "deregisterKey": (oracle_key.key_hash,),
        "setConsumer": (stranger, oracle_key.key_hash),
        "transferOwnership": (stranger,),
    }[call]
    with reverts_with("OwnableUnauthorizedAccount"):
        getattr(coordinator, call)(*args, {"from": stranger})


def test_governance_through_a_timelock(coordinator: Any, owner: Any, other_key: OracleKey, reverts_with: Any) -> None:
    """As deployed: the deployer hands ownership to a TimelockController, after which changes
    take a scheduled call and its delay."""
    (project,) = brownie.project.get_loaded_projects()
    delay = 3600
    proposer = accounts[1]
    no_admin = brownie.ZERO_ADDRESS
    timelock = project.TimelockController.deploy(delay, [proposer], [proposer], no_admin, {"from": owner})
    coordinator.transferOwnership(timelock, {"from": owner})
    with reverts_with("OwnableUnauthorizedAccount"):
        coordinator.registerKey(other_key.pk, owner, {"from": owner})

    call = coordinator.registerKey.encode_input(other_key.pk, owner)
    no_predecessor = salt = "0x" + "00" * 32
    timelock.schedule(coordinator, 0, call, no_predecessor, salt, delay, {"from": proposer})
    with reverts_with("TimelockUnexpectedOperationState"):
        timelock.execute(coordinator, 0, call, no_predecessor, salt, {"from": proposer})
    chain.sleep(delay + 1)
    timelock.execute(coordinator, 0, call, no_predecessor, salt, {"from": proposer})
    assert coordinator.isKeyRegistered(other_key.key_hash)


def test_set_consumer_records_its_key_and_zero_deregisters(coordinator: Any, owner: Any, oracle_key: OracleKey) -> None:
    someone = accounts[8]
    key = "0x" + oracle_key.key_hash.hex()
    assert coordinator.keyOf(someone) == "0x" + "00" * 32 and not coordinator.isConsumer(someone)
    tx = coordinator.setConsumer(someone, key, {"from": owner})
    assert plain(tx.events["ConsumerSet"].values()) == (someone.address, key)
    assert coordinator.keyOf(someone) == key and coordinator.isConsumer(someone)
    tx = coordinator.setConsumer(someone, "0x" + "00" * 32, {"from": owner})
    assert plain(tx.events["ConsumerSet"].values()) == (someone.address, "0x" + "00" * 32)
    assert coordinator.keyOf(someone) == "0x" + "00" * 32 and not coordinator.isConsumer(someone)


# ------------------------------------------------------------------ requests


def test_request_commits_to_what_the_python_oracle_derives(
    coordinator: Any, consumer: Any, oracle_key: OracleKey
) -> None:
    tx = consumer.request(CALLBACK_GAS, 4, {"from": accounts[1]})
    rc = commitment_from(tx)
    assert consumer.salt() == 1  # the consumer's first request
    request_id = pre_seed = expected_request_id(consumer.address, 1)
    assert ecvrf.request_id(consumer.address, 1) == request_id
    key_hash = "0x" + oracle_key.key_hash.hex()
    block = tx.block_number
    stamp = brownie.web3.eth.get_block(block)["timestamp"]
    assert rc == (
        block,
        block + TIMEOUT_BLOCKS,
        stamp + TIMEOUT_SECONDS,
        CALLBACK_GAS,
        4,
        consumer.address,
        key_hash,
        pre_seed,
        *NO_SLASH,
        NO_DATA,
    )
    assert tx.events["RandomnessRequested"]["requestId"] == request_id == consumer.lastRequestId()
    assert coordinator.requestIdOf(consumer, 1) == request_id
    assert coordinator.isPending(request_id)
    assert coordinator.commitmentOf(request_id) == coordinator.hashOfCommitment(rc)


def test_each_request_gets_a_fresh_id(coordinator: Any, consumer: Any, request_from: Any) -> None:
    first_salt = consumer.salt() + 1
    ids = [request_id_of(request_from(consumer)) for _ in range(3)]
    assert ids == [expected_request_id(consumer.address, first_salt + i) for i in range(3)]
    assert len(set(ids)) == 3


def test_request_by_a_non_consumer_reverts(
    coordinator: Any, owner: Any, oracle_key: OracleKey, reverts_with: Any
) -> None:
    with reverts_with("NotConsumer"):
        coordinator.requestRandomness(CALLBACK_GAS, 1, NO_SLASH, 1, NO_DATA, {"from": accounts[3]})
    unregistered = TestConsumer.deploy(coordinator, {"from": owner})
    with reverts_with("NotConsumer"):
        unregistered.request(CALLBACK_GAS, 1, {"from": accounts[3]})


def test_a_consumer_deregistered_with_a_zero_key_is_refused(
    coordinator: Any, owner: Any, consumer: Any, request_from: Any, reverts_with: Any
) -> None:
    request_from(consumer)  # it could request before
    coordinator.setConsumer(consumer, "0x" + "00" * 32, {"from": owner})
    with reverts_with("NotConsumer"):
        consumer.request(CALLBACK_GAS, 1, {"from": accounts[1]})


def test_request_for_an_unknown_key_reverts(
    coordinator: Any, owner: Any, consumer: Any, other_key: OracleKey, reverts_with: Any
) -> None:
    """Governance may set a consumer a key not (or no longer) registered: its requests are refused."""
    coordinator.setConsumer(consumer, other_key.key_hash, {"from": owner})
    with reverts_with("UnknownKey"):
        consumer.request(CALLBACK_GAS, 1, {"from": accounts[1]})


def test_a_request_uses_the_key_set_for_its_consumer(
    coordinator: Any, owner: Any, consumer: Any, oracle_key: OracleKey, other_key: OracleKey, reverts_with: Any
) -> None:
    """Each consumer requests with its own key: the event and the commitment carry that key, and
    only that key's proof fulfils it."""
    coordinator.registerKey(other_key.pk, owner, {"from": owner})
    other = TestConsumer.deploy(coordinator, {"from": owner})
    coordinator.setConsumer(other, other_key.key_hash, {"from": owner})
    for who, key in ((consumer, oracle_key), (other, other_key)):
        tx = who.request(CALLBACK_GAS, 1, {"from": accounts[1]})
        rc = commitment_from(tx)
        assert tx.events["RandomnessRequested"]["keyHash"] == rc[6] == "0x" + key.key_hash.hex()
        assert coordinator.commitmentOf(request_id_of(rc)) == coordinator.hashOfCommitment(rc)
    chain.mine()
    wrong = oracle_key.prove_for(rc).as_solidity()  # `other`'s request, proven with the first key
    with reverts_with("KeyMismatch"):
        coordinator.fulfil(wrong, rc, {"from": owner})
    coordinator.fulfil(other_key.prove_for(rc).as_solidity(), rc, {"from": owner})
    assert other.fulfilled(request_id_of(rc))


def test_rotating_a_consumers_key_changes_only_its_future_requests(
    coordinator: Any,
    owner: Any,
    consumer: Any,
    oracle_key: OracleKey,
    other_key: OracleKey,
    request_from: Any,
    reverts_with: Any,
) -> None:
    """Governance rotates the consumer to another key while a request waits: the pending request
    keeps its id and the old key in its commitment (neither delivered nor expirable by the
    rotation; the new key cannot fulfil it, the old one still does); the next request uses the
    new key."""
    coordinator.registerKey(other_key.pk, owner, {"from": owner})
    pending = request_from(consumer)
    request_id = request_id_of(pending)
    stored = coordinator.commitmentOf(request_id)
    chain.mine()
    coordinator.setConsumer(consumer, other_key.key_hash, {"from": owner})
    assert coordinator.keyOf(consumer) == "0x" + other_key.key_hash.hex()
    # the rotation touched neither the pending request's id nor its commitment
    assert coordinator.isPending(request_id) and coordinator.commitmentOf(request_id) == stored
    assert pending[6] == "0x" + oracle_key.key_hash.hex()
    assert not consumer.fulfilled(request_id) and not consumer.expired(request_id)
    with reverts_with("NotExpiredYet"):
        coordinator.expire(pending, {"from": owner})
    # a commitment rewritten to name the new key is not the stored one
    with reverts_with("CommitmentMismatch"):
        rewritten = (*pending[:6], "0x" + other_key.key_hash.hex(), *pending[7:])
        coordinator.fulfil(other_key.prove_for(rewritten).as_solidity(), rewritten, {"from": owner})
    with reverts_with("KeyMismatch"):
        coordinator.fulfil(other_key.prove_for(pending).as_solidity(), pending, {"from": owner})
    later = request_from(consumer)
    assert later[6] == "0x" + other_key.key_hash.hex()
    assert request_id_of(later) == expected_request_id(consumer.address, 2)
    chain.mine()
    coordinator.fulfil(oracle_key.prove_for(pending).as_solidity(), pending, {"from": owner})
    coordinator.fulfil(other_key.prove_for(later).as_solidity(), later, {"from": owner})
    assert consumer.fulfilled(request_id) and consumer.fulfilled(request_id_of(later))


@pytest.mark.parametrize("num_words", [0, 501])
def test_request_with_a_bad_word_count_reverts(
    consumer: Any, oracle_key: OracleKey, reverts_with: Any, num_words: int
) -> None:
    with reverts_with("BadNumWords"):
        consumer.request(CALLBACK_GAS, num_words, {"from": accounts[1]})


def test_request_with_too_much_callback_gas_reverts(consumer: Any, oracle_key: OracleKey, reverts_with: Any) -> None:
    with reverts_with("CallbackGasTooHigh"):
        consumer.request(MAX_CALLBACK_GAS + 1, 1, {"from": accounts[1]})


def test_a_reregistered_consumer_names_its_requests_by_its_own_salts(
    coordinator: Any, owner: Any, consumer: Any, oracle_key: OracleKey, request_from: Any
) -> None:
    first = request_id_of(request_from(consumer))
    coordinator.setConsumer(consumer, "0x" + "00" * 32, {"from": owner})
    coordinator.setConsumer(consumer, oracle_key.key_hash, {"from": owner})
    second = request_id_of(request_from(consumer))
    assert (first, second) == (expected_request_id(consumer.address, 1), expected_request_id(consumer.address, 2))


def test_a_pending_salt_reused_reverts(
    coordinator: Any, consumer: Any, oracle_key: OracleKey, request_from: Any, reverts_with: Any
) -> None:
    rc = request_from(consumer)
    consumer.setSalt(consumer.salt() - 1, {"from": accounts[1]})  # the next request takes the same salt
    with reverts_with("RequestExists"):
        consumer.request(CALLBACK_GAS, 1, {"from": accounts[1]})
    assert coordinator.commitmentOf(request_id_of(rc)) == coordinator.hashOfCommitment(rc)


def test_the_same_salt_from_two_consumers_names_two_requests(
    coordinator: Any, owner: Any, consumer: Any, oracle_key: OracleKey, request_from: Any
) -> None:
    other = TestConsumer.deploy(coordinator, {"from": owner})
    coordinator.setConsumer(other, oracle_key.key_hash, {"from": owner})
    mine, theirs = request_from(consumer), request_from(other)
    assert mine[7] == expected_request_id(consumer.address, 1)
    assert theirs[7] == expected_request_id(other.address, 1)
    assert mine[7] != theirs[7]
    assert coordinator.isPending(mine[7]) and coordinator.isPending(theirs[7])


# ------------------------------------------------------------------ fulfilment


def test_fulfil_delivers_the_python_words(
    coordinator: Any, consumer: Any, oracle_key: OracleKey, request_from: Any, fulfiller: Any
) -> None:
    rc = request_from(consumer, num_words=5)
    chain.mine()
    proof = oracle_key.prove_for(rc)
    request_id = request_id_of(rc)
    output = ecvrf.output_of(proof.gamma)

    tx = coordinator.fulfil(proof.as_solidity(), rc, {"from": fulfiller})

    assert tx.return_value == output
    assert list(consumer.wordsOf(request_id)) == ecvrf.random_words(output, 5)
    assert consumer.fulfilled(request_id)
    event = tx.events["RandomnessFulfilled"]
    assert event["requestId"] == request_id
    assert event["seed"] == oracle_key.seed_for(rc) == proof.seed
    assert event["output"] == output
    assert event["callbackSuccess"] is True
    assert plain(event["proof"]) == plain(proof.as_solidity())
    assert not coordinator.isPending(request_id)
    assert coordinator.commitmentOf(request_id) == "0x" + "00" * 32


def test_fulfilled_event_lets_an_auditor_reverify(
    coordinator: Any, consumer: Any, oracle_key: OracleKey, request_from: Any, fulfiller: Any
) -> None:
    rc = request_from(consumer)
    chain.mine()
    tx = coordinator.fulfil(oracle_key.prove_for(rc).as_solidity(), rc, {"from": fulfiller})
    fulfilled = tx.events["RandomnessFulfilled"]
    block_hash = bytes(brownie.web3.eth.get_block(rc[0])["hash"])
    seed = ecvrf.request_seed(rc[7], block_hash)
    assert fulfilled["seed"] == seed
    assert coordinator.verifyProof(fulfilled["proof"], seed) == fulfilled["output"]


def test_second_fulfil_reverts(
    coordinator: Any,
    consumer: Any,
    ready_request: tuple,
    fulfiller: Any,
    reverts_with: Any,
) -> None:
    rc, proof = ready_request
    coordinator.fulfil(proof, rc, {"from": fulfiller})
    with reverts_with("UnknownRequest"):
        coordinator.fulfil(proof, rc, {"from": fulfiller})
    assert consumer.callbackCount() == 1


# Fields 0-5 of the commitment altered: the stored commitment differs. The seed (field 7)
# altered: the request id derives from it, so no such request is pending.
@pytest.mark.parametrize("field,value", [(0, -1), (1, 1), (2, 1), (3, -1), (4, 1), (5, None), (7, 1)])
def test_fulfil_with_an_altered_commitment_reverts(
    coordinator: Any,
    ready_request: tuple,
    fulfiller: Any,
    reverts_with: Any,
    field: int,
    value: int | None,
) -> None:
    rc, proof = ready_request
    altered = _with(rc, field, accounts[9].address if value is None else rc[field] + value)
    with reverts_with("UnknownRequest" if field == 7 else "CommitmentMismatch"):
        coordinator.fulfil(proof, altered, {"from": fulfiller})


def test_fulfil_with_another_keys_proof_reverts(
    coordinator: Any,
    owner: Any,
    consumer: Any,
    oracle_key: OracleKey,
    other_key: OracleKey,
    request_from: Any,
    fulfiller: Any,
    reverts_with: Any,
) -> None:
    coordinator.registerKey(other_key.pk, owner, {"from": owner})
    rc = request_from(consumer)
    chain.mine()
    proof = other_key.prove_for(rc).as_solidity()
    with reverts_with("KeyMismatch"):
        coordinator.fulfil(proof, rc, {"from": fulfiller})


def test_a_request_stays_fulfillable_with_its_key_after_the_key_is_deregistered(
    coordinator: Any, owner: Any, consumer: Any, oracle_key: OracleKey, request_from: Any, reverts_with: Any
) -> None:
    """Key rotation never turns pending requests into timeouts (audit finding: deregistering made
    every pending request expire, paying each as a win). New requests for the key are refused."""
    rc = request_from(consumer)
    coordinator.deregisterKey(oracle_key.key_hash, {"from": owner})
    with reverts_with("UnknownKey"):
        consumer.request(CALLBACK_GAS, 1, {"from": accounts[1]})
    tx = coordinator.fulfil(oracle_key.prove_for(rc).as_solidity(), rc, {"from": owner})
    assert tx.events["RandomnessFulfilled"]["callbackSuccess"] is True
    assert consumer.fulfilled(request_id_of(rc))


def test_fulfil_with_a_proof_for_another_seed_reverts(
    coordinator: Any, oracle_key: OracleKey, ready_request: tuple, fulfiller: Any, reverts_with: Any
) -> None:
    rc, _ = ready_request
    wrong = ecvrf.prove(oracle_key.secret, oracle_key.seed_for(rc) ^ 1)
    with reverts_with("SeedMismatch"):
        coordinator.fulfil(wrong.as_solidity(), rc, {"from": fulfiller})


def test_fulfil_with_an_invalid_proof_reverts_with_the_verifier_error(
    coordinator: Any, ready_request: tuple, fulfiller: Any, reverts_with: Any
) -> None:
    rc, valid = ready_request
    proof = list(valid)
    proof[8] = (proof[8] + 1) % 2**256
    with reverts_with("ZInvMismatch"):
        coordinator.fulfil(proof, rc, {"from": fulfiller})
    assert coordinator.isPending(request_id_of(rc))


def test_fulfil_in_the_request_block_reverts(
    coordinator: Any, consumer: Any, oracle_key: OracleKey, reverts_with: Any
) -> None:
    """The request block's hash does not exist yet inside that block, so nobody can know the seed."""
    pre_seed = expected_request_id(consumer.address, consumer.salt() + 1)
    any_proof = ecvrf.prove(oracle_key.secret, pre_seed).as_solidity()
    with reverts_with("BlockhashUnavailable"):
        consumer.requestAndFulfil(
            CALLBACK_GAS,
            1,
            any_proof,
            pre_seed,
            TIMEOUT_BLOCKS,
            TIMEOUT_SECONDS,
            {"from": accounts[1]},
        )


def test_fulfil_at_the_deadline_block_succeeds(
    coordinator: Any, consumer: Any, oracle_key: OracleKey, request_from: Any, fulfiller: Any
) -> None:
    rc = request_from(consumer)
    chain.mine(rc[1] - chain.height - 1)
    tx = coordinator.fulfil(oracle_key.prove_for(rc).as_solidity(), rc, {"from": fulfiller})
    assert tx.block_number == rc[1]
    assert tx.events["RandomnessFulfilled"]["callbackSuccess"] is True


def test_fulfil_after_the_deadline_reverts(
    coordinator: Any,
    consumer: Any,
    oracle_key: OracleKey,
    request_from: Any,
    fulfiller: Any,
    reverts_with: Any,
) -> None:
    rc = request_from(consumer)
    past_deadline(rc)
    with reverts_with("RequestExpired"):
        coordinator.fulfil(oracle_key.prove_for(rc).as_solidity(), rc, {"from": fulfiller})


def test_past_the_deadline_block_but_not_its_time_a_request_stays_fulfillable(
    coordinator: Any, consumer: Any, oracle_key: OracleKey, request_from: Any, fulfiller: Any, reverts_with: Any
) -> None:
    """A fast chain: the blocks are spent within seconds, so the time deadline still protects the
    oracle from being slashed for a short outage."""
    rc = request_from(consumer)
    chain.mine(rc[1] - chain.height + 5)
    assert chain.time() <= rc[2]
    with reverts_with("NotExpiredYet"):
        coordinator.expire(rc, {"from": accounts[6]})
    tx = coordinator.fulfil(oracle_key.prove_for(rc).as_solidity(), rc, {"from": fulfiller})
    assert tx.events["RandomnessFulfilled"]["callbackSuccess"] is True


def test_past_the_deadline_time_but_not_its_block_a_request_stays_fulfillable_for_one_more_timeout(
    coordinator: Any, consumer: Any, oracle_key: OracleKey, request_from: Any, fulfiller: Any, reverts_with: Any
) -> None:
    """A sequencer that stops producing blocks does not get the oracle slashed: with the deadline
    block not reached the request waits another timeoutSeconds; after that it expires anyway, so
    every request resolves within maxFulfilDelay."""
    rc = request_from(consumer)
    chain.sleep(TIMEOUT_SECONDS + 5)
    with reverts_with("NotExpiredYet"):
        coordinator.expire(rc, {"from": accounts[6]})
    assert chain.height < rc[1]
    assert not coordinator.isExpired(rc)
    chain.sleep(TIMEOUT_SECONDS)
    chain.mine()
    assert chain.height < rc[1]
    assert coordinator.isExpired(rc)
    with reverts_with("RequestExpired"):
        coordinator.fulfil(oracle_key.prove_for(rc).as_solidity(), rc, {"from": fulfiller})
    coordinator.expire(rc, {"from": accounts[6]})
    assert not coordinator.isPending(request_id_of(rc))


def test_a_request_older_than_256_blocks_is_fulfilled_with_the_stored_blockhash(
    coordinator: Any, consumer: Any, oracle_key: OracleKey, request_from: Any, fulfiller: Any, reverts_with: Any
) -> None:
    """Deadlines may lie past BLOCKHASH's window: anyone stores the request block's hash while it is
    readable, and the proof for the same seed is then accepted later."""
    rc = request_from(consumer)
    chain.mine()
    stored = coordinator.storeBlockhash(rc[0], {"from": accounts[6]})
    block_hash = "0x" + bytes(brownie.web3.eth.get_block(rc[0])["hash"]).hex()
    assert stored.events["BlockhashStored"]["blockHash"] == block_hash
    assert coordinator.storedBlockhash(rc[0]) == block_hash
    with reverts_with("CannotStoreBlockhash"):
        coordinator.storeBlockhash(rc[0], {"from": accounts[6]})
    proof = oracle_key.prove_for(rc).as_solidity()  # computed while the block is known
    chain.mine(300)
    with reverts_with("CannotStoreBlockhash"):
        coordinator.storeBlockhash(rc[0] + 1, {"from": accounts[6]})  # out of the window now
    assert chain.time() <= rc[2]
    tx = coordinator.fulfil(proof, rc, {"from": fulfiller})
    assert tx.events["RandomnessFulfilled"]["callbackSuccess"] is True


def test_a_request_older_than_256_blocks_without_a_stored_hash_can_only_expire(
    coordinator: Any, consumer: Any, oracle_key: OracleKey, request_from: Any, fulfiller: Any, reverts_with: Any
) -> None:
    rc = request_from(consumer)
    chain.mine()
    proof = oracle_key.prove_for(rc).as_solidity()
    chain.mine(300)
    with reverts_with("BlockhashUnavailable"):
        coordinator.fulfil(proof, rc, {"from": fulfiller})


def test_deregistered_consumer_still_receives_its_pending_request(
    coordinator: Any, owner: Any, consumer: Any, oracle_key: OracleKey, request_from: Any, fulfiller: Any
) -> None:
    rc = request_from(consumer)
    coordinator.setConsumer(consumer, "0x" + "00" * 32, {"from": owner})
    coordinator.fulfil(oracle_key.prove_for(rc).as_solidity(), rc, {"from": fulfiller})
    assert consumer.fulfilled(request_id_of(rc))


# ------------------------------------------------------------------ expiry


def test_expire_before_and_at_the_deadline_reverts(
    coordinator: Any, consumer: Any, request_from: Any, reverts_with: Any
) -> None:
    rc = request_from(consumer)
    with reverts_with("NotExpiredYet"):
        coordinator.expire(rc, {"from": accounts[6]})
    chain.sleep(TIMEOUT_SECONDS + 1)
    chain.mine(rc[1] - chain.height - 1)
    with reverts_with("NotExpiredYet"):
        coordinator.expire(rc, {"from": accounts[6]})  # mined in the deadline block


def test_expire_after_the_deadline_notifies_the_consumer(
    coordinator: Any, consumer: Any, oracle_key: OracleKey, request_from: Any, reverts_with: Any
) -> None:
    rc = request_from(consumer)
    request_id = request_id_of(rc)
    past_deadline(rc)
    tx = coordinator.expire(rc, {"from": accounts[6]})
    assert plain(tx.events["RandomnessExpired"].values()) == (request_id, True)
    assert consumer.expired(request_id)
    assert not coordinator.isPending(request_id)
    with reverts_with("UnknownRequest"):
        coordinator.expire(rc, {"from": accounts[6]})
    with reverts_with("UnknownRequest"):
        coordinator.fulfil(oracle_key.prove_for(rc).as_solidity(), rc, {"from": accounts[6]})


def test_expire_with_an_altered_commitment_reverts(
    coordinator: Any, consumer: Any, request_from: Any, reverts_with: Any
) -> None:
    rc = request_from(consumer)
    past_deadline(rc)
    with reverts_with("CommitmentMismatch"):
        coordinator.expire(_with(rc, 1, rc[1] - 5), {"from": accounts[6]})
    with reverts_with("UnknownRequest"):
        coordinator.expire(_with(rc, 7, 0), {"from": accounts[6]})


# ------------------------------------------------------------------ batches


def test_batch_length_mismatch_reverts(coordinator: Any, reverts_with: Any) -> None:
    with reverts_with("LengthMismatch"):
        coordinator.fulfilBatch([ZERO_PROOF], [], {"from": accounts[6]})


def test_batch_skips_requests_no_longer_pending(
    coordinator: Any, consumer: Any, oracle_key: OracleKey, request_from: Any, fulfiller: Any
) -> None:
    expired_rc = request_from(consumer)
    late_rc = request_from(consumer)  # will be past its deadline without anyone calling expire
    past_deadline(late_rc)
    rcs = [request_from(consumer) for _ in range(3)]
    chain.mine()
    coordinator.expire(expired_rc, {"from": accounts[6]})
    proofs = {rc: oracle_key.prove_for(rc).as_solidity() for rc in [expired_rc, late_rc, *rcs]}
    coordinator.fulfil(proofs[rcs[1]], rcs[1], {"from": fulfiller})

    batch = [expired_rc, rcs[0], late_rc, rcs[1], rcs[2]]
    tx = coordinator.fulfilBatch([proofs[rc] for rc in batch], batch, {"from": fulfiller})

    fulfilled = [event["requestId"] for event in tx.events["RandomnessFulfilled"]]
    assert fulfilled == [request_id_of(rcs[0]), request_id_of(rcs[2])]
    assert coordinator.isPending(request_id_of(late_rc))
    assert all(consumer.fulfilled(request_id_of(rc)) for rc in rcs)


def test_batch_with_an_invalid_proof_reverts_entirely(
    coordinator: Any,
    consumer: Any,
    oracle_key: OracleKey,
    request_from: Any,
    fulfiller: Any,
    reverts_with: Any,
) -> None:
    rcs = [request_from(consumer) for _ in range(3)]
    chain.mine()
    proofs = [list(oracle_key.prove_for(rc).as_solidity()) for rc in rcs]
    proofs[1][3] = (proofs[1][3] + 1) % 2**256  # s
    with reverts_with("WrongUWitness"):
        coordinator.fulfilBatch(proofs, rcs, {"from": fulfiller})
    assert all(coordinator.isPending(request_id_of(rc)) for rc in rcs)


def test_batch_with_a_forged_commitment_reverts(
    coordinator: Any,
    ready_request: tuple,
    fulfiller: Any,
    reverts_with: Any,
) -> None:
    rc, proof = ready_request
    with reverts_with("CommitmentMismatch"):
        coordinator.fulfilBatch([proof], [_with(rc, 4, rc[4] + 1)], {"from": fulfiller})
