"""RandomnessCoordinator projections: one row per request with its proof once fulfilled, and
the registered oracle keys. Everything an auditor needs to re-verify a proof is in these rows."""

from __future__ import annotations

import ujson

from backend.store.events import Event, to_json_value
from backend.store.projections import get_or_new, projects, put_new, setting_projection
from backend.store.state import BatchState

COORDINATOR = "RandomnessCoordinator"


@projects(COORDINATOR, "RandomnessRequested", hints=lambda e, s: [("randomness_requests", (e.args["requestId"],))])
def requested(e: Event, state: BatchState) -> None:
    a = e.args
    put_new(
        state,
        "randomness_requests",
        request_id=a["requestId"],
        key_hash=a["keyHash"],
        consumer=a["consumer"],
        pre_seed=a["preSeed"],
        block_num=a["blockNum"],
        deadline_block=a["deadlineBlock"],
        callback_gas_limit=a["callbackGasLimit"],
        num_words=a["numWords"],
        status="pending",
        requested_uid=e.uid,
        request_tx=e.tx_hash,
    )


def _resolve(e: Event, state: BatchState, status: str) -> None:
    row = state.get("randomness_requests", e.args["requestId"])
    if row is None:
        return
    row.update(status=status, callback_success=e.args["callbackSuccess"], resolved_uid=e.uid, resolve_tx=e.tx_hash)
    if status == "fulfilled":
        row.update(seed=e.args["seed"], output=e.args["output"], proof=ujson.dumps(to_json_value(e.args["proof"])))
    state.put("randomness_requests", row)


@projects(COORDINATOR, "RandomnessFulfilled", hints=lambda e, s: [("randomness_requests", (e.args["requestId"],))])
def fulfilled(e: Event, state: BatchState) -> None:
    _resolve(e, state, "fulfilled")


@projects(COORDINATOR, "RandomnessExpired", hints=lambda e, s: [("randomness_requests", (e.args["requestId"],))])
def expired(e: Event, state: BatchState) -> None:
    _resolve(e, state, "expired")


@projects(COORDINATOR, "OracleKeyRegistered")
def key_registered(e: Event, state: BatchState) -> None:
    row = get_or_new(state, "oracle_keys", (e.args["keyHash"],))
    row.update(pk=ujson.dumps(to_json_value(e.args["pk"])), registered=True, updated_uid=e.uid)
    state.put("oracle_keys", row)


@projects(COORDINATOR, "OracleKeyDeregistered")
def key_deregistered(e: Event, state: BatchState) -> None:
    row = get_or_new(state, "oracle_keys", (e.args["keyHash"],), pk="[]")
    row.update(registered=False, updated_uid=e.uid)
    state.put("oracle_keys", row)


setting_projection(COORDINATOR, "ConsumerSet", "consumer", "registered", keyed_by="consumer")
