"""The daemon's pure core: the request book and batch planning."""

from __future__ import annotations

import pytest

from oracle.daemon_work import (
    BLOCKHASH_WINDOW,
    BatchVerdict,
    ClaimKind,
    GasModel,
    Request,
    RequestBook,
    callback_allowance,
    gas_with_margin,
    plan_batch,
)

KEY = b"\x11" * 32
OTHER_KEY = b"\x22" * 32


def request(request_id: int, block: int = 10, deadline: int = 100, key: bytes = KEY, gas: int = 100_000) -> Request:
    return Request(
        request_id=request_id,
        key_hash=key,
        consumer="0x" + "ab" * 20,
        pre_seed=request_id * 7,
        block_num=block,
        deadline_block=deadline,
        callback_gas_limit=gas,
        num_words=2,
    )


def test_commitment_is_in_struct_field_order() -> None:
    r = request(5, block=3, deadline=9)
    assert r.commitment() == (3, 9, 100_000, 2, "0x" + "ab" * 20, KEY, 35)


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


def test_fulfillable_window_is_after_the_request_block_until_deadline_and_blockhash_window() -> None:
    r = request(1, block=10, deadline=10 + BLOCKHASH_WINDOW + 50)
    assert not r.fulfillable_at(10)
    assert r.fulfillable_at(11)
    assert r.fulfillable_at(10 + BLOCKHASH_WINDOW)
    assert not r.fulfillable_at(11 + BLOCKHASH_WINDOW)
    short = request(2, block=10, deadline=20)
    assert short.fulfillable_at(20) and not short.fulfillable_at(21)
    assert short.expirable_at(21) and not short.expirable_at(20)


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
    assert [r.request_id for r in book.fulfillable(20, now=100.0)] == [2, 1]
    assert [r.request_id for r in book.fulfillable(30, now=100.0)] == [2, 4, 1]
    # Blocks stand still on an automining chain: the park also ends with time.
    assert [r.request_id for r in book.fulfillable(20, now=500.0)] == [2, 4, 1]


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
    assert [r.request_id for r in book.fulfillable(20)] == [1, 2, 3, 4]


def test_expirable_and_stranded() -> None:
    book = RequestBook(KEY)
    book.requested(request(1, block=10, deadline=20))
    book.requested(request(2, block=10, deadline=10 + BLOCKHASH_WINDOW + 100))
    assert [r.request_id for r in book.expirable(21)] == [1]
    assert book.stranded(21) == []
    assert [r.request_id for r in book.stranded(11 + BLOCKHASH_WINDOW)] == [2]


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
