"""Consumers cannot hurt fulfilment or expiry (reverting, burning all gas, returning huge data),
and fulfillers cannot hurt consumers (a callback always gets its full gas or nothing happens)."""

from __future__ import annotations

from typing import Any

import brownie
import pytest
from brownie import accounts, chain
from conftest import CALLBACK_GAS, past_deadline
from vrf_support import NO_DATA, NO_SLASH, OracleKey, commitment_from, request_id_of

RECORD, REVERT, BURN_ALL_GAS, RETURN_BOMB = range(4)
# Bounds the coordinator's own work around a callback (verification, event, calldata, base fee).
FULFIL_OVERHEAD_BOUND = 150_000


def _fulfil(coordinator: Any, proof: Any, rc: tuple, gas_limit: int) -> Any | None:
    """The receipt of a fulfil sent with exactly `gas_limit`, or None when it reverted."""
    try:
        return coordinator.fulfil(proof, rc, {"from": accounts[5], "gas_limit": gas_limit})
    except brownie.exceptions.VirtualMachineError:
        return None


@pytest.mark.parametrize("behaviour", [REVERT, BURN_ALL_GAS])
def test_failing_callback_does_not_fail_the_fulfil(
    coordinator: Any, consumer: Any, oracle_key: OracleKey, request_from: Any, behaviour: int
) -> None:
    consumer.setBehaviour(behaviour, 0, {"from": accounts[1]})
    rc = request_from(consumer)
    chain.mine()
    tx = coordinator.fulfil(oracle_key.prove_for(rc).as_solidity(), rc, {"from": accounts[5]})
    assert tx.events["RandomnessFulfilled"]["callbackSuccess"] is False
    assert not coordinator.isPending(request_id_of(rc))
    assert tx.gas_used < CALLBACK_GAS + FULFIL_OVERHEAD_BOUND


def test_return_data_bomb_is_not_copied(
    coordinator: Any, consumer: Any, oracle_key: OracleKey, request_from: Any
) -> None:
    callback_gas = 1_000_000
    # 600 kB of revert data costs the consumer ~740k gas of memory; copying it would cost us as much.
    consumer.setBehaviour(RETURN_BOMB, 600_000, {"from": accounts[1]})
    rc = request_from(consumer, callback_gas=callback_gas)
    chain.mine()
    tx = coordinator.fulfil(oracle_key.prove_for(rc).as_solidity(), rc, {"from": accounts[5]})
    assert tx.events["RandomnessFulfilled"]["callbackSuccess"] is False
    assert tx.gas_used < callback_gas + FULFIL_OVERHEAD_BOUND


def test_callback_to_an_account_without_code_is_recorded_as_failed(
    coordinator: Any, owner: Any, oracle_key: OracleKey
) -> None:
    plain_account = accounts[3]
    coordinator.setConsumer(plain_account, oracle_key.key_hash, {"from": owner})
    tx = coordinator.requestRandomness(CALLBACK_GAS, 1, NO_SLASH, 1, NO_DATA, {"from": plain_account})
    rc = commitment_from(tx)
    chain.mine()
    tx = coordinator.fulfil(oracle_key.prove_for(rc).as_solidity(), rc, {"from": accounts[5]})
    assert tx.events["RandomnessFulfilled"]["callbackSuccess"] is False


def test_under_supplied_gas_reverts_instead_of_starving_the_callback(
    coordinator: Any, consumer: Any, ready_request: tuple, reverts_with: Any
) -> None:
    rc, proof = ready_request
    with reverts_with("InsufficientGasForCallback"):
        coordinator.fulfil(proof, rc, {"from": accounts[5], "gas_limit": 200_000})
    assert coordinator.isPending(request_id_of(rc))
    assert consumer.callbackCount() == 0


def test_least_gas_that_fulfils_still_gives_the_callback_its_full_allowance(
    coordinator: Any, consumer: Any, ready_request: tuple
) -> None:
    """Binary-search the smallest transaction gas limit that fulfils: the callback must run with
    its whole callbackGasLimit there, and one gas less must revert with the request still pending."""
    rc, proof = ready_request
    failing, passing = CALLBACK_GAS // 2, CALLBACK_GAS + 400_000
    while passing - failing > 1:
        middle = (failing + passing) // 2
        probe = _fulfil(coordinator, proof, rc, middle)
        if probe is None:
            failing = middle
            assert coordinator.isPending(request_id_of(rc))
            assert consumer.callbackCount() == 0
        else:
            passing = middle
            assert probe.events["RandomnessFulfilled"]["callbackSuccess"] is True
            chain.undo()
    tx = _fulfil(coordinator, proof, rc, passing)
    assert tx is not None and tx.events["RandomnessFulfilled"]["callbackSuccess"] is True
    # Entry gas is the allowance minus the consumer's own dispatch.
    assert CALLBACK_GAS - 1_000 <= consumer.lastEntryGas() <= CALLBACK_GAS


@pytest.mark.parametrize("behaviour", [REVERT, BURN_ALL_GAS, RETURN_BOMB])
def test_failing_expiry_callback_does_not_fail_the_expiry(
    coordinator: Any, consumer: Any, request_from: Any, behaviour: int
) -> None:
    consumer.setBehaviour(behaviour, 100_000, {"from": accounts[1]})
    rc = request_from(consumer)
    past_deadline(rc)
    tx = coordinator.expire(rc, {"from": accounts[6]})
    assert tx.events["RandomnessExpired"]["callbackSuccess"] is False
    assert not coordinator.isPending(request_id_of(rc))


def test_expiry_with_under_supplied_gas_reverts(
    coordinator: Any, consumer: Any, request_from: Any, reverts_with: Any
) -> None:
    rc = request_from(consumer)
    past_deadline(rc)
    with reverts_with("InsufficientGasForCallback"):
        coordinator.expire(rc, {"from": accounts[6], "gas_limit": 60_000})
    assert coordinator.isPending(request_id_of(rc))
    tx = coordinator.expire(rc, {"from": accounts[6]})
    assert tx.events["RandomnessExpired"]["callbackSuccess"] is True
    assert consumer.lastEntryGas() >= coordinator.EXPIRY_CALLBACK_GAS() - 1_000


def test_only_the_coordinator_can_call_the_consumer(consumer: Any, reverts_with: Any) -> None:
    with reverts_with("NotCoordinator"):
        consumer.onRandomness(1, [2], NO_SLASH, NO_DATA, {"from": accounts[4]})
    with reverts_with("NotCoordinator"):
        consumer.onRandomnessExpired(1, NO_SLASH, NO_DATA, {"from": accounts[4]})
