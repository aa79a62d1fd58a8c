"""Random interleavings of requests, mined blocks, time passing, fulfilments, expiries and batches:
every request ends exactly once (fulfilled with the Python words, or expired), never both, and the
coordinator's pending set always matches the model. A request is expired once both its deadlines
passed (block and time), or its time deadline by a whole timeout more; a step whose next block's
timestamp could fall either side of a deadline is skipped.

`seen` counts what each rule did; the test asserts every rule and every outcome (fulfilled, expired,
a late fulfil refused, an early expiry refused) happened across the examples, which are
derandomized (FAIRSTAKE_SOAK=1: more, with random seeds) so that check is stable.

Written against hypothesis' RuleBasedStateMachine directly: brownie's `state_machine` fixture
subclasses a mypyc-compiled class, which the compiled brownie 1.22 here refuses. Each example
starts from the test's snapshot via chain.revert()."""

from __future__ import annotations

import os
from typing import Any

from brownie import accounts, chain, web3
from brownie.test import strategy
from conftest import TIMEOUT_BLOCKS, TIMEOUT_SECONDS
from contract_support import ganache_share
from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from hypothesis.strategies import sampled_from
from vrf_support import OracleKey, commitment_from, expected_request_id, request_id_of

from oracle import ecvrf

SOAK = bool(os.environ.get("FAIRSTAKE_SOAK"))
# Seconds the next block's timestamp may lie beyond the latest block's.
SLACK = 15
RULES = ("request", "mine", "sleep", "fulfil", "expire", "batch")
OUTCOMES = ("fulfilled", "expired", "late fulfil refused", "early expiry refused", "unknown request refused")


class CoordinatorMachine(RuleBasedStateMachine):
    coordinator: Any
    consumer: Any
    key: OracleKey
    reverts_with: Any
    seen: dict[str, int]

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

    def _expired(self, rc: tuple) -> bool | None:
        """Whether the next transaction finds `rc` expired; None when its timestamp decides."""
        latest, block = int(web3.eth.get_block("latest")["timestamp"]), self._next_block()

        def at(timestamp: int) -> bool:
            return timestamp > rc[2] and (block > rc[1] or timestamp > rc[2] + TIMEOUT_SECONDS)

        early, late = at(latest), at(latest + SLACK)
        return early if early == late else None

    def _pick(self, index: int, pool: dict[int, tuple]) -> tuple[int, tuple] | None:
        if not pool:
            return None
        request_id = sorted(pool)[index % len(pool)]
        return request_id, pool[request_id]

    @rule(num_words=strategy("uint8", min_value=1, max_value=4))
    def request(self, num_words: int) -> None:
        tx = self.consumer.request(300_000, num_words, {"from": accounts[1]})
        rc = commitment_from(tx)
        request_id = request_id_of(rc)
        assert request_id == expected_request_id(self.consumer.address, self.consumer.salt())
        assert request_id not in self.known  # the consumer's salts never repeat
        self.pending[request_id] = rc
        self.known[request_id] = rc
        self.seen["request"] += 1

    @rule(blocks=strategy("uint8", max_value=TIMEOUT_BLOCKS // 2))
    def mine(self, blocks: int) -> None:
        chain.mine(blocks)
        self.seen["mine"] += 1

    # short of the time deadline, past it, and past it by a whole timeout (expired whatever the blocks)
    @rule(seconds=sampled_from([60, TIMEOUT_SECONDS // 2, TIMEOUT_SECONDS + 1, 2 * TIMEOUT_SECONDS + 1]))
    def sleep(self, seconds: int) -> None:
        chain.sleep(seconds)
        chain.mine()
        self.seen["sleep"] += 1

    @rule(pick=strategy("uint16"))
    def fulfil(self, pick: int) -> None:
        chosen = self._pick(pick, self.known)
        if chosen is None:
            return
        request_id, rc = chosen
        proof = self.key.prove_for(rc).as_solidity()
        expired = self._expired(rc)
        if request_id not in self.pending:
            with self.reverts_with("UnknownRequest"):
                self.coordinator.fulfil(proof, rc, {"from": accounts[5]})
            self.seen["unknown request refused"] += 1
        elif expired is None:
            return
        elif expired:
            with self.reverts_with("RequestExpired"):
                self.coordinator.fulfil(proof, rc, {"from": accounts[5]})
            self.seen["late fulfil refused"] += 1
        else:
            tx = self.coordinator.fulfil(proof, rc, {"from": accounts[5]})
            output = tx.events["RandomnessFulfilled"]["output"]
            assert list(self.consumer.wordsOf(request_id)) == ecvrf.random_words(output, rc[4])
            self._fulfilled(request_id)
        self.seen["fulfil"] += 1

    @rule(pick=strategy("uint16"))
    def expire(self, pick: int) -> None:
        # mostly a request that is due (the sequences are short), else any known one
        due = {rid: rc for rid, rc in self.pending.items() if self._expired(rc)}
        chosen = self._pick(pick // 4, due if pick % 4 and due else self.known)
        if chosen is None:
            return
        request_id, rc = chosen
        expired = self._expired(rc)
        if request_id not in self.pending:
            with self.reverts_with("UnknownRequest"):
                self.coordinator.expire(rc, {"from": accounts[6]})
            self.seen["unknown request refused"] += 1
        elif expired is None:
            return
        elif not expired:
            with self.reverts_with("NotExpiredYet"):
                self.coordinator.expire(rc, {"from": accounts[6]})
            self.seen["early expiry refused"] += 1
        else:
            self.coordinator.expire(rc, {"from": accounts[6]})
            assert self.consumer.expired(request_id)
            del self.pending[request_id]
            self.expired.add(request_id)
            self.seen["expired"] += 1
        self.seen["expire"] += 1

    @rule(picks=strategy("uint16[]", min_length=1, max_length=4))
    def batch(self, picks: list[int]) -> None:
        chosen = {c[0]: c[1] for c in (self._pick(p, self.known) for p in picks) if c is not None}
        if not chosen:
            return
        batch = list(chosen.items())
        expired = {rid: self._expired(rc) for rid, rc in batch}
        if None in expired.values():
            return
        expected = [rid for rid, _ in batch if rid in self.pending and not expired[rid]]
        proofs = [self.key.prove_for(rc).as_solidity() for _, rc in batch]
        tx = self.coordinator.fulfilBatch(proofs, [rc for _, rc in batch], {"from": accounts[5]})
        # brownie's EventDict has no .get()
        events = tx.events["RandomnessFulfilled"] if "RandomnessFulfilled" in tx.events else []  # noqa: SIM401
        assert [int(event["requestId"]) for event in events] == expected
        for request_id in expected:
            self._fulfilled(request_id)
        self.seen["batch"] += 1

    def _fulfilled(self, request_id: int) -> None:
        assert self.consumer.fulfilled(request_id)
        del self.pending[request_id]
        self.fulfilled.add(request_id)
        self.seen["fulfilled"] += 1

    @invariant()
    def matches_the_model(self) -> None:
        assert not self.fulfilled & self.expired
        assert self.consumer.callbackCount() == len(self.fulfilled) + len(self.expired)
        for request_id in self.known:
            assert self.coordinator.isPending(request_id) == (request_id in self.pending)


def test_coordinator_lifecycle(coordinator: Any, consumer: Any, oracle_key: OracleKey, reverts_with: Any) -> None:
    seen = dict.fromkeys(RULES + OUTCOMES, 0)
    bound = {
        "coordinator": coordinator,
        "consumer": consumer,
        "key": oracle_key,
        "reverts_with": staticmethod(reverts_with),
        "seen": seen,
    }
    run_state_machine_as_test(
        type("Lifecycle", (CoordinatorMachine,), bound),
        settings=settings(
            max_examples=150 if SOAK else ganache_share(40, 2),
            stateful_step_count=30,
            deadline=None,
            derandomize=not SOAK,
        ),
    )
    print(f"coordinator lifecycle exercised: {seen}")
    assert all(seen.values()), seen
