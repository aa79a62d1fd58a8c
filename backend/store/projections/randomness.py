"""RandomnessCoordinator projections: one row per request with its proof once fulfilled, the
registered oracle keys, and the provider bonds behind them. Everything an auditor needs to
re-verify a proof is in these rows.

Bonds mirror the coordinator's per key and token: deposits add to `total`; each bonded request
reserves (its RandomnessRequested names the reservation and who its expiry pays, as the
commitment the coordinator hashed does; a zero `bondAmount` reserves nothing); fulfilment releases the
reservation without an event of its own (RandomnessFulfilled of a request with an open
reservation); expiry slashes it (BondSlashed: out of `reserved` and `total`); unbonding moves
free bond to `unbonding` until the operator withdraws it (BondWithdrawn: out of `total`).
"""

from __future__ import annotations

from typing import Any

import ujson

from backend.store.events import Event, to_json_value
from backend.store.projections import Projections, from_args, get_or_new, put_new
from backend.store.state import BatchState

COORDINATOR = "RandomnessCoordinator"
PROJECTIONS = Projections()


def _requested_hints(e: Event, _state: BatchState) -> list[tuple[str, tuple[Any, ...]]]:
    a = e.args
    hints: list[tuple[str, tuple[Any, ...]]] = [("randomness_requests", (a["requestId"],))]
    if a["bondAmount"]:
        hints += [("bonds", (a["keyHash"], a["bondToken"])), ("bond_reservations", (a["requestId"],))]
    return hints


@PROJECTIONS.on(COORDINATOR, "RandomnessRequested", hints=_requested_hints)
def requested(e: Event, state: BatchState) -> None:
    a = e.args
    put_new(
        state,
        "randomness_requests",
        **from_args(a, "requestId keyHash consumer deadlineBlock callbackGasLimit numWords data"),
        # the event leaves out what its log carries: the preSeed is the request id, blockNum the log's block
        pre_seed=a["requestId"],
        block_num=e.block_number,
        deadline_time=a.get("deadlineTime"),
        status="pending",
        requested_uid=e.uid,
        request_tx=e.tx_hash,
    )
    if a["bondAmount"]:
        _reserve(e, state)


def _resolve(e: Event, state: BatchState, status: str) -> None:
    if status == "fulfilled":
        _release(e, state)
    row = state.get("randomness_requests", e.args["requestId"])
    if row is None:
        return
    row.update(status=status, callback_success=e.args["callbackSuccess"], resolved_uid=e.uid, resolve_tx=e.tx_hash)
    if status == "fulfilled":
        row.update(seed=e.args["seed"], output=e.args["output"], proof=ujson.dumps(to_json_value(e.args["proof"])))
    state.put("randomness_requests", row)


def _request_hints(e: Event, state: BatchState) -> list[tuple[str, tuple[Any, ...]]]:
    request_id = e.args["requestId"]
    hints: list[tuple[str, tuple[Any, ...]]] = [
        ("randomness_requests", (request_id,)),
        ("bond_reservations", (request_id,)),
    ]
    reservation = state.peek("bond_reservations", request_id)
    if reservation is not None:
        hints.append(("bonds", (reservation["key_hash"], reservation["token"])))
    return hints


@PROJECTIONS.on(COORDINATOR, "RandomnessFulfilled", hints=_request_hints, peeks=True)
def fulfilled(e: Event, state: BatchState) -> None:
    _resolve(e, state, "fulfilled")


@PROJECTIONS.on(COORDINATOR, "RandomnessExpired", hints=lambda e, s: [("randomness_requests", (e.args["requestId"],))])
def expired(e: Event, state: BatchState) -> None:
    _resolve(e, state, "expired")


@PROJECTIONS.on(COORDINATOR, "OracleKeyRegistered")
def key_registered(e: Event, state: BatchState) -> None:
    row = get_or_new(state, "oracle_keys", (e.args["keyHash"],))
    row.update(pk=ujson.dumps(to_json_value(e.args["pk"])), registered=True, updated_uid=e.uid)
    if e.args.get("operator") is not None:
        row["operator"] = e.args["operator"]
    state.put("oracle_keys", row)


@PROJECTIONS.on(COORDINATOR, "KeyOperatorSet")
def key_operator_set(e: Event, state: BatchState) -> None:
    row = get_or_new(state, "oracle_keys", (e.args["keyHash"],), pk="[]")
    row.update(operator=e.args["operator"], updated_uid=e.uid)
    state.put("oracle_keys", row)


@PROJECTIONS.on(COORDINATOR, "OracleKeyDeregistered")
def key_deregistered(e: Event, state: BatchState) -> None:
    row = get_or_new(state, "oracle_keys", (e.args["keyHash"],), pk="[]")
    row.update(registered=False, updated_uid=e.uid)
    state.put("oracle_keys", row)


# each consumer's oracle key (zero: it may not request); a rotation is a new ConsumerSet
PROJECTIONS.setting(COORDINATOR, "ConsumerSet", "consumer", "keyHash", keyed_by="consumer")


# ------------------------------------------------------------------------------------- bonds
def _bond_change(state: BatchState, key_hash: str, token: str, uid: int, add: dict[str, int], **values: Any) -> None:
    """What an event adds to a key's bond in `token` (`add`: column -> amount) and the columns it
    sets (`values`)."""
    bond = get_or_new(state, "bonds", (key_hash, token))
    for column, amount in add.items():
        bond[column] += amount
    bond.update(values, updated_uid=uid)
    state.put("bonds", bond)


def _bond_hints(e: Event, _state: BatchState) -> list[tuple[str, tuple[Any, ...]]]:
    return [("bonds", (e.args["keyHash"], e.args["token"]))]


def _reservation_hints(e: Event, state: BatchState) -> list[tuple[str, tuple[Any, ...]]]:
    return [*_bond_hints(e, state), ("bond_reservations", (e.args["requestId"],))]


@PROJECTIONS.on(COORDINATOR, "BondDeposited", hints=_bond_hints)
def bond_deposited(e: Event, state: BatchState) -> None:
    a = e.args
    _bond_change(state, a["keyHash"], a["token"], e.uid, {"total": a["amount"], "deposited": a["amount"]})


@PROJECTIONS.on(COORDINATOR, "BondUnbonding", hints=_bond_hints)
def bond_unbonding(e: Event, state: BatchState) -> None:
    a = e.args
    _bond_change(state, a["keyHash"], a["token"], e.uid, {"unbonding": a["amount"]}, unbondable_at=a["unbondableAt"])


@PROJECTIONS.on(COORDINATOR, "BondWithdrawn", hints=_bond_hints)
def bond_withdrawn(e: Event, state: BatchState) -> None:
    a = e.args
    withdrawal = {"total": -a["amount"], "withdrawn": a["amount"]}
    # the whole unbonding amount leaves at once
    _bond_change(state, a["keyHash"], a["token"], e.uid, withdrawal, unbonding=0, unbondable_at=None)


def _reserve(e: Event, state: BatchState) -> None:
    """A bonded request (its RandomnessRequested) reserves its `bondAmount` from its key's bond."""
    a = e.args
    put_new(
        state,
        "bond_reservations",
        **from_args(a, "requestId keyHash beneficiary beneficiaryAmount residualToBankroll"),
        token=a["bondToken"],
        amount=a["bondAmount"],
        residual=a["bondAmount"] - a["beneficiaryAmount"],
        status="reserved",
        reserved_uid=e.uid,
        reserve_tx=e.tx_hash,
    )
    _bond_change(state, a["keyHash"], a["bondToken"], e.uid, {"reserved": a["bondAmount"], "reservations": 1})


def _release(e: Event, state: BatchState) -> None:
    """A fulfilled request's reservation goes back to its key's free bond."""
    reservation = state.get("bond_reservations", e.args["requestId"])
    if reservation is None or reservation["status"] != "reserved":
        return
    reservation.update(status="released", resolved_uid=e.uid, resolve_tx=e.tx_hash)
    state.put("bond_reservations", reservation)
    _bond_change(state, reservation["key_hash"], reservation["token"], e.uid, {"reserved": -reservation["amount"]})


@PROJECTIONS.on(COORDINATOR, "BondSlashed", hints=_reservation_hints)
def bond_slashed(e: Event, state: BatchState) -> None:
    a = e.args
    amount = a["beneficiaryAmount"] + a["residual"]
    reservation = state.get("bond_reservations", a["requestId"])
    if reservation is None:  # reserved before the indexed range: record what the slash says
        reservation = get_or_new(
            state,
            "bond_reservations",
            (a["requestId"],),
            key_hash=a["keyHash"],
            token=a["token"],
            amount=amount,
            reserved_uid=e.uid,
            reserve_tx=e.tx_hash,
        )
    was_reserved = reservation["status"] == "reserved"
    reservation.update(
        beneficiary=a["beneficiary"],
        beneficiary_amount=a["beneficiaryAmount"],
        residual=a["residual"],
        residual_to_bankroll=a["residualToBankroll"],
        status="slashed",
        resolved_uid=e.uid,
        resolve_tx=e.tx_hash,
    )
    state.put("bond_reservations", reservation)
    released = reservation["amount"] if was_reserved else 0
    slash = {"reserved": -released, "total": -amount, "slashed": amount, "slashes": 1}
    _bond_change(state, a["keyHash"], a["token"], e.uid, slash)
