"""Random interleavings of requests, mined blocks, fulfilments, expiries and batches: every
request ends exactly once (fulfilled with the Python words, or expired), never both, and the
coordinator's pending set always matches the model.

Written against hypothesis' RuleBasedStateMachine directly: brownie's `state_machine` fixture
subclasses a mypyc-compiled class, which the compiled brownie 1.22 here refuses. Each example
starts from the test's snapshot via chain.revert()."""

from __future__ import annotations

import os
from typing import Any

from brownie import accounts, chain
from brownie.test import strategy
from conftest import TIMEOUT_BLOCKS
from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from vrf_support import OracleKey, commitment_from, request_id_of

from oracle import ecvrf


class CoordinatorMachine(RuleBasedStateMachine):
    coordinator: Any
    consumer: Any
    key: OracleKey
    reverts_with: Any

    def __init__(self) -> None:
        super().__init__()
        chain.revert()
        self.pending: dict[int, tuple] = {}
        self.fulfilled: set[int] = set()
        self.expired: set[int] = set()
        self.known: dict[int, tuple] = {}

    # the transaction a rule sends is mined in the next block
    def _next_block(self) -> int:
        return chain.height + 1

    def _pick(self, index: int, pool: dict[int, tuple]) -> tuple[int, tuple] | None:
        if not pool:
            return None
        request_id = sorted(pool)[index % len(pool)]
        return request_id, pool[request_id]

    @rule(num_words=strategy("uint8", min_value=1, max_value=4))
    def request(self, num_words: int) -> None:
        tx = self.consumer.request(self.key.key_hash, 300_000, num_words, {"from": accounts[1]})
        rc = commitment_from(tx)
        request_id = request_id_of(rc)
        self.pending[request_id] = rc
        self.known[request_id] = rc

    @rule(blocks=strategy("uint8", max_value=TIMEOUT_BLOCKS // 2))
    def mine(self, blocks: int) -> None:
        chain.mine(blocks)

    @rule(pick=strategy("uint16"))
    def fulfil(self, pick: int) -> None:
        chosen = self._pick(pick, self.known)
        if chosen is None:
            return
        request_id, rc = chosen
        proof = self.key.prove_for(rc).as_solidity()
        if request_id not in self.pending:
            with self.reverts_with("UnknownRequest"):
                self.coordinator.fulfil(proof, rc, {"from": accounts[5]})
        elif self._next_block() > rc[1]:
            with self.reverts_with("RequestExpired"):
                self.coordinator.fulfil(proof, rc, {"from": accounts[5]})
        else:
            tx = self.coordinator.fulfil(proof, rc, {"from": accounts[5]})
            output = tx.events["RandomnessFulfilled"]["output"]
            assert list(self.consumer.wordsOf(request_id)) == ecvrf.random_words(output, rc[4])
            self._fulfilled(request_id)

    @rule(pick=strategy("uint16"))
    def expire(self, pick: int) -> None:
        chosen = self._pick(pick, self.known)
        if chosen is None:
            return
        request_id, rc = chosen
        if request_id not in self.pending:
            with self.reverts_with("UnknownRequest"):
                self.coordinator.expire(rc, {"from": accounts[6]})
        elif self._next_block() <= rc[1]:
            with self.reverts_with("NotExpiredYet"):
                self.coordinator.expire(rc, {"from": accounts[6]})
        else:
            self.coordinator.expire(rc, {"from": accounts[6]})
            assert self.consumer.expired(request_id)
            del self.pending[request_id]
            self.expired.add(request_id)

    @rule(picks=strategy("uint16[]", min_length=1, max_length=4))
    def batch(self, picks: list[int]) -> None:
        chosen = {c[0]: c[1] for c in (self._pick(p, self.known) for p in picks) if c is not None}
        if not chosen:
            return
        batch = list(chosen.items())
        block = self._next_block()
        expected = [rid for rid, rc in batch if rid in self.pending and block <= rc[1]]
        proofs = [self.key.prove_for(rc).as_solidity() for _, rc in batch]
        tx = self.coordinator.fulfilBatch(proofs, [rc for _, rc in batch], {"from": accounts[5]})
        # brownie's EventDict has no .get()
        events = tx.events["RandomnessFulfilled"] if "RandomnessFulfilled" in tx.events else []  # noqa: SIM401
        assert [int(event["requestId"]) for event in events] == expected
        for request_id in expected:
            self._fulfilled(request_id)

    def _fulfilled(self, request_id: int) -> None:
        assert self.consumer.fulfilled(request_id)
        del self.pending[request_id]
        self.fulfilled.add(request_id)

    @invariant()
    def matches_the_model(self) -> None:
        assert not self.fulfilled & self.expired
        assert self.consumer.callbackCount() == len(self.fulfilled) + len(self.expired)
        for request_id in self.known:
            assert self.coordinator.isPending(request_id) == (request_id in self.pending)


def test_coordinator_lifecycle(coordinator: Any, consumer: Any, oracle_key: OracleKey, reverts_with: Any) -> None:
    bound = {
        "coordinator": coordinator,
        "consumer": consumer,
        "key": oracle_key,
        "reverts_with": staticmethod(reverts_with),
    }
    examples = 150 if os.environ.get("FAIRSTAKE_SOAK") else 12
    run_state_machine_as_test(
        type("Lifecycle", (CoordinatorMachine,), bound),
        settings=settings(max_examples=examples, stateful_step_count=20, deadline=None),
    )
