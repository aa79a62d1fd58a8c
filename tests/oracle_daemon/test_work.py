"""The daemon's pure core: the request book and batch planning."""

from __future__ import annotations

import dataclasses

import pytest

from oracle.daemon.work import (
    BLOCKHASH_WINDOW,
    COMMITMENT_FIELDS,
    LOG_CARRIED_FIELDS,
    BatchVerdict,
    ClaimKind,
    GasModel,
    Request,
    RequestBook,
    callback_allowance,
    commitment_from_event,
    gas_with_margin,
    plan_batch,
)

KEY = b"\x11" * 32
OTHER_KEY = b"\x22" * 32
TIMEOUT = 1_200  # the coordinator's timeoutSeconds
T0 = 1_700_000_000  # request time: deadline_time = T0 + TIMEOUT


def request(
    request_id: int,
    block: int = 10,
    deadline: int = 100,
    key: bytes = KEY,
    gas: int = 100_000,
    deadline_time: int = T0 + TIMEOUT,
) -> Request:
    return Request(
        request_id=request_id,
        key_hash=key,
        consumer="0x" + "ab" * 20,
        pre_seed=request_id * 7,
        block_num=block,
        deadline_block=deadline,
        deadline_time=deadline_time,
        callback_gas_limit=gas,
        num_words=2,
    )


def test_commitment_is_in_struct_field_order() -> None:
    r = request(5, block=3, deadline=9, deadline_time=1234)
    zero = "0x" + "00" * 20
    assert r.commitment() == (3, 9, 1234, 100_000, 2, "0x" + "ab" * 20, KEY, 35, zero, 0, zero, 0, False, bytes(32))
    # the consumer's data word is the last field
    word = bytes(range(32))
    with_data = dataclasses.replace(r, data=word)
    assert with_data.commitment() == (*r.commitment()[:13], word)


def test_commitment_fields_are_the_compiled_struct_and_event() -> None:
    """COMMITMENT_FIELDS names RequestCommitment's components in order (fulfil's `rc`), each of
    them an argument of RandomnessRequested, which a commitment is rebuilt from, but the two its
    log carries (LOG_CARRIED_FIELDS: the request id is the preSeed, the log's block blockNum)."""
    from ops.oracle_devnet import artifact

    abi = artifact("RandomnessCoordinator")["abi"]
    fulfil = next(f for f in abi if f.get("type") == "function" and f["name"] == "fulfil")
    rc = next(i for i in fulfil["inputs"] if i["name"] == "rc")
    assert tuple(c["name"] for c in rc["components"]) == COMMITMENT_FIELDS
    assert rc["components"][-1]["type"] == "bytes32"
    requested = next(e for e in abi if e.get("type") == "event" and e["name"] == "RandomnessRequested")
    names = {i["name"] for i in requested["inputs"]}
    assert set(COMMITMENT_FIELDS) - names == set(LOG_CARRIED_FIELDS)
    assert "requestId" in names


def test_a_commitment_is_rebuilt_from_the_event_and_its_log_block() -> None:
    """The event's own fields in place, the request id as preSeed and the log's block as blockNum."""
    args = {
        "requestId": 0xABC,
        "keyHash": "0x" + "11" * 32,
        "consumer": "0x" + "22" * 20,
        "deadlineBlock": 140,
        "deadlineTime": T0 + TIMEOUT,
        "callbackGasLimit": 90_000,
        "numWords": 1,
        "bondToken": "0x" + "00" * 20,
        "bondAmount": 5,
        "beneficiary": "0x" + "33" * 20,
        "beneficiaryAmount": 4,
        "residualToBankroll": True,
        "data": "0x" + "44" * 32,
    }
    assert commitment_from_event(args, 12) == (
        12,
        140,
        T0 + TIMEOUT,
        90_000,
        1,
        "0x" + "22" * 20,
        "0x" + "11" * 32,
        0xABC,
        "0x" + "00" * 20,
        5,
        "0x" + "33" * 20,
        4,
        True,
        "0x" + "44" * 32,
    )


def test_book_keeps_only_new_requests_for_its_key() -> None:
    book = RequestBook(KEY)
    assert book.requested(request(1))
    assert not book.requested(request(1))
    assert not book.requested(request(2, key=OTHER_KEY))
    assert list(book.open) == [1]


def test_resolved_requests_never_come_back() -> None:
    book = RequestBook(KEY)
    book.requested(request(1))
    assert book.resolved(1) == request(1)
    assert book.resolved(1) is None
    assert not book.requested(request(1))  # a rescan replays the old event
    assert len(book) == 0


def test_fulfillable_from_the_block_after_the_request_until_expired_within_the_blockhash_window() -> None:
    r = request(1, block=10, deadline=10 + BLOCKHASH_WINDOW + 50)
    assert not r.fulfillable_at(10, T0, TIMEOUT)
    assert r.fulfillable_at(11, T0, TIMEOUT)
    assert r.fulfillable_at(10 + BLOCKHASH_WINDOW, T0, TIMEOUT)
    # BLOCKHASH forgot the block: only a stored hash keeps the request fulfillable.
    assert not r.fulfillable_at(11 + BLOCKHASH_WINDOW, T0, TIMEOUT)
    assert r.fulfillable_at(11 + BLOCKHASH_WINDOW, T0, TIMEOUT, hash_stored=True)
    assert r.fulfillable_at(10 + 5 * BLOCKHASH_WINDOW, T0 + TIMEOUT, TIMEOUT, hash_stored=True)
    assert not r.fulfillable_at(10, T0, TIMEOUT, hash_stored=True)  # never in its own block
    assert not r.expirable_at(11 + BLOCKHASH_WINDOW, T0, TIMEOUT)


def test_time_passed_but_not_blocks_is_not_expired() -> None:
    r = request(1, block=10, deadline=20)
    deadline_time = T0 + TIMEOUT
    for timestamp in (deadline_time - 1, deadline_time, deadline_time + 1, deadline_time + TIMEOUT):
        assert not r.expirable_at(20, timestamp, TIMEOUT)
        assert r.fulfillable_at(20, timestamp, TIMEOUT)


def test_blocks_passed_but_not_time_is_not_expired() -> None:
    r = request(1, block=10, deadline=20)
    deadline_time = T0 + TIMEOUT
    for block in (21, 200, 10_000):
        assert not r.expirable_at(block, deadline_time, TIMEOUT)
        assert r.fulfillable_at(block, deadline_time, TIMEOUT, hash_stored=True)
    assert not r.fulfillable_at(10_000, deadline_time, TIMEOUT)  # hash gone, not stored


def test_expired_once_both_deadlines_passed() -> None:
    r = request(1, block=10, deadline=20)
    deadline_time = T0 + TIMEOUT
    assert r.expirable_at(21, deadline_time + 1, TIMEOUT)
    assert not r.fulfillable_at(21, deadline_time + 1, TIMEOUT, hash_stored=True)
    assert not r.expirable_at(20, deadline_time + 1, TIMEOUT)
    assert not r.expirable_at(21, deadline_time, TIMEOUT)


def test_stalled_chain_expires_a_whole_timeout_after_the_time_deadline_whatever_the_blocks() -> None:
    r = request(1, block=10, deadline=20)
    stall = T0 + 2 * TIMEOUT  # deadlineTime + timeoutSeconds
    assert not r.expirable_at(11, stall, TIMEOUT)
    assert r.fulfillable_at(11, stall, TIMEOUT)
    assert r.expirable_at(11, stall + 1, TIMEOUT)
    assert not r.fulfillable_at(11, stall + 1, TIMEOUT)


def test_book_judges_with_the_coordinator_timeout_and_stored_hashes() -> None:
    book = RequestBook(KEY, timeout_seconds=TIMEOUT)
    old = request(1, block=10, deadline=10 + 2 * BLOCKHASH_WINDOW)
    book.requested(old)
    late = 11 + BLOCKHASH_WINDOW
    assert book.fulfillable(late, T0) == []
    assert [r.request_id for r in book.stranded(late, T0)] == [1]
    assert not book.blockhash_stored(99, b"\x01" * 32)  # no open request of ours in block 99
    assert not book.blockhash_stored(10, b"\x00" * 32)  # a zero hash is no hash
    assert book.blockhash_stored(10, b"\xaa" * 32)
    assert not book.blockhash_stored(10, b"\xaa" * 32)  # already known
    assert book.fulfillable(late, T0) == [old]
    assert book.stranded(late, T0) == []
    assert book.expirable(late, T0 + 2 * TIMEOUT) == []
    assert book.expirable(late, T0 + 2 * TIMEOUT + 1) == [old]
    # The hash is dropped with the last open request of its block.
    book.resolved(1)
    assert book.stored == {}


def test_fulfillable_sorts_by_deadline_and_skips_claimed_and_parked() -> None:
    book = RequestBook(KEY)
    for r in (
        request(1, deadline=90),
        request(2, deadline=50),
        request(3, deadline=70),
        request(4, deadline=60),
    ):
        book.requested(r)
    book.claim([3], ClaimKind.FULFIL, nonce=7)
    book.park(4, until_block=30, until_time=500.0)
    assert [r.request_id for r in book.fulfillable(20, T0, now=100.0)] == [2, 1]
    assert [r.request_id for r in book.fulfillable(30, T0, now=100.0)] == [2, 4, 1]
    # Blocks stand still on an automining chain: the park also ends with time.
    assert [r.request_id for r in book.fulfillable(20, T0, now=500.0)] == [2, 4, 1]


def test_fulfillable_puts_the_earliest_time_deadline_first() -> None:
    book = RequestBook(KEY)
    book.requested(request(1, deadline=50, deadline_time=T0 + 90))
    book.requested(request(2, deadline=90, deadline_time=T0 + 50))
    assert [r.request_id for r in book.fulfillable(20, T0)] == [2, 1]


def test_claims_release_by_nonce_and_lapse_once_the_mined_block_is_confirmed() -> None:
    book = RequestBook(KEY)
    for i in range(1, 5):
        book.requested(request(i))
    book.claim([1, 2], ClaimKind.FULFIL, nonce=0)
    book.claim([3], ClaimKind.FULFIL, nonce=1)
    assert book.release_nonce(1) == [3]
    book.mark_mined(0, block=15)
    assert book.lapse_claims(14) == []
    assert sorted(book.lapse_claims(15)) == [1, 2]
    assert [r.request_id for r in book.fulfillable(20, T0)] == [1, 2, 3, 4]


def test_expirable_and_stranded() -> None:
    book = RequestBook(KEY, timeout_seconds=TIMEOUT)
    book.requested(request(1, block=10, deadline=20))
    book.requested(request(2, block=10, deadline=10 + BLOCKHASH_WINDOW + 100))
    past = T0 + TIMEOUT + 1
    assert book.expirable(21, T0) == []  # blocks passed, time not
    assert [r.request_id for r in book.expirable(21, past)] == [1]
    assert book.stranded(21, past) == []
    # Past the window and not stored: stranded until its deadline, then expirable.
    assert [r.request_id for r in book.stranded(11 + BLOCKHASH_WINDOW, T0)] == [1, 2]
    assert [r.request_id for r in book.stranded(11 + BLOCKHASH_WINDOW, past)] == [2]


def test_blocks_to_store_once_old_enough_or_parked_while_readable() -> None:
    book = RequestBook(KEY, timeout_seconds=TIMEOUT)
    book.requested(request(1, block=10, deadline=20))
    book.requested(request(2, block=10, deadline=20))  # same block: one store
    book.requested(request(3, block=50, deadline=60))
    book.requested(request(4, block=80, deadline=90))
    assert book.blocks_to_store(100, T0, store_after=200) == []
    assert book.blocks_to_store(210, T0, store_after=200) == [10]
    assert book.blocks_to_store(250, T0, store_after=200) == [10, 50]
    # A fulfilment that failed once: store at once, however young.
    book.park(4, until_block=100)
    assert book.blocks_to_store(100, T0, store_after=200) == [80]
    # Readable up to 256 blocks back only; an expired request needs no hash.
    assert book.blocks_to_store(10 + BLOCKHASH_WINDOW, T0, store_after=200) == [10, 50, 80]
    assert book.blocks_to_store(11 + BLOCKHASH_WINDOW, T0, store_after=200) == [50, 80]
    assert book.blocks_to_store(250, T0 + 2 * TIMEOUT + 1, store_after=200) == []
    # Being stored by our transaction, or stored already: nothing more to send.
    book.claim_store(10, nonce=3)
    book.blockhash_stored(50, b"\x05" * 32)
    assert book.blocks_to_store(250, T0, store_after=200) == [80]


def test_store_claims_release_lapse_and_resolve() -> None:
    book = RequestBook(KEY, timeout_seconds=TIMEOUT)
    book.requested(request(1, block=10))
    book.requested(request(2, block=20))
    book.claim_store(10, nonce=4)
    book.claim_store(20, nonce=5)
    # A fulfilment mined and waiting for confirmations needs no store either.
    book.claim([2], ClaimKind.FULFIL, nonce=6)
    book.mark_mined(6, block=230)
    assert book.release_nonce(4) == []  # the reverted store frees its block
    assert book.blocks_to_store(230, T0, store_after=200) == [10]
    book.mark_mined(5, block=225)
    assert book.lapse_claims(224) == [] and 20 in book.store_claims
    assert book.lapse_claims(230) == [2] and book.store_claims == {}
    # The BlockhashStored event ends the claim.
    book.claim_store(10, nonce=7)
    assert book.blockhash_stored(10, b"\x07" * 32)
    assert book.store_claims == {}
    assert book.blocks_to_store(230, T0, store_after=200) == [20]


def test_low_water_mark_is_the_oldest_open_request() -> None:
    book = RequestBook(KEY)
    assert book.low_water_mark(41) == 42
    book.requested(request(1, block=30))
    book.requested(request(2, block=12))
    assert book.low_water_mark(41) == 12
    book.resolved(2)
    assert book.low_water_mark(41) == 30


def linear_estimate(base: int, per: int, calls: list[int]):  # type: ignore[no-untyped-def]
    def estimate(rs: list[Request]) -> int:
        calls.append(len(rs))
        return base + per * len(rs)

    return estimate


@pytest.mark.parametrize("count", [1, 2, 7, 40, 300])
@pytest.mark.parametrize("guess", [20_000, 120_000, 900_000])
def test_plan_batch_fits_the_budget_in_few_estimates(count: int, guess: int) -> None:
    candidates = [request(i) for i in range(count)]
    calls: list[int] = []
    plan = plan_batch(candidates, 2_000_000, guess, linear_estimate(50_000, 120_000, calls), margin=0.15)
    assert plan.verdict is BatchVerdict.FITS
    assert plan.gas_limit <= 2_000_000
    assert plan.requests == candidates[: len(plan.requests)]
    assert plan.gas_limit == gas_with_margin(50_000 + 120_000 * len(plan.requests), 0.15)
    assert len(calls) <= 6
    # The budget holds 14 requests at this cost, whatever the first guess.
    assert len(plan.requests) == min(count, 14)


def test_plan_batch_reports_a_single_request_over_budget() -> None:
    plan = plan_batch([request(1), request(2)], 500_000, 100_000, lambda rs: 600_000 * len(rs))
    assert plan.verdict is BatchVerdict.OVER_BUDGET_SINGLE
    assert [r.request_id for r in plan.requests] == [1]
    assert plan.gas_limit > 500_000


def test_plan_batch_keeps_the_fitting_prefix_when_a_longer_one_reverts() -> None:
    candidates = [request(i) for i in range(10)]
    plan = plan_batch(candidates, 5_000_000, 1_000_000, lambda rs: None if len(rs) > 5 else 100_000 * len(rs))
    assert plan.verdict is BatchVerdict.FITS
    assert len(plan.requests) == 5


def test_plan_batch_reports_a_reverting_batch() -> None:
    plan = plan_batch([request(1), request(2)], 5_000_000, 100_000, lambda rs: None)
    assert plan.verdict is BatchVerdict.REVERTS
    assert len(plan.requests) == 2


def test_plan_batch_honours_max_batch() -> None:
    plan = plan_batch([request(i) for i in range(50)], 30_000_000, 1_000, lambda rs: 1_000 * len(rs), max_batch=8)
    assert len(plan.requests) == 8


def test_gas_model_learns_the_per_request_cost_beyond_callback_allowances() -> None:
    model = GasModel()
    assert not model.calibrated
    with pytest.raises(ValueError):
        model.predict([request(1)])
    first = request(1, gas=100_000)
    model.learn([first], callback_allowance(first) + 180_000)
    assert model.calibrated and model.per_request == 180_000
    big = request(2, gas=2_000_000)
    assert model.predict([first, big]) == callback_allowance(first) + callback_allowance(big) + 360_000
    # The allowance covers the coordinator's exact-gas check: limit + limit/63 + call overhead.
    assert callback_allowance(big) >= 2_000_000 + 2_000_000 // 63 + 1_000


def test_gas_model_plans_batches_that_fit_with_margin() -> None:
    model = GasModel(per_request=170_000)
    candidates = [request(i, gas=100_000 + 50_000 * (i % 3)) for i in range(30)]
    plan = plan_batch(candidates, 3_000_000, model.typical(candidates), model.predict, margin=0.15)
    assert plan.verdict is BatchVerdict.FITS
    assert plan.gas_limit == gas_with_margin(model.predict(plan.requests), 0.15) <= 3_000_000
    one_more = candidates[: len(plan.requests) + 1]
    assert gas_with_margin(model.predict(one_more), 0.15) > 3_000_000
