"""Player protection (PlayerRegistry): self-exclusion, time-outs, limits, KYC attestations."""

from __future__ import annotations

from typing import Any

from backend.store.events import Event
from backend.store.projections import Projections, get_or_new, put_setting
from backend.store.projections.bets import update_details
from backend.store.state import BatchState, Row

REGISTRY = "PlayerRegistry"
LIMIT_KINDS = ("loss", "wager", "deposit")  # IPlayerRegistry.LimitKind
WINDOWS = ("day", "week", "month")
PROJECTIONS = Projections()


def _protection(state: BatchState, player: str, uid: int) -> Row:
    row = get_or_new(state, "protection", (player,))
    row["updated_uid"] = uid
    return row


@PROJECTIONS.on(REGISTRY, "SelfExclusionSet")
def self_excluded(e: Event, state: BatchState) -> None:
    row = _protection(state, e.args["player"], e.uid)
    row["excluded_until"] = e.args["until"]
    state.put("protection", row)


@PROJECTIONS.on(REGISTRY, "TimeOutTaken")
def time_out_taken(e: Event, state: BatchState) -> None:
    """A time-out is separate from self-exclusion: it neither starts nor changes one."""
    row = _protection(state, e.args["player"], e.uid)
    row["timed_out_until"] = e.args["until"]
    state.put("protection", row)


@PROJECTIONS.on(REGISTRY, "Attested")
def attested(e: Event, state: BatchState) -> None:
    a = e.args
    row = _protection(state, a["player"], e.uid)
    row.update(
        kyc_level=a["level"], kyc_expiry=a["expiry"], kyc_attestor=a["attestor"], kyc_jurisdiction=a["jurisdictionHash"]
    )
    state.put("protection", row)


@PROJECTIONS.on(REGISTRY, "SubjectBound")
def subject_bound(e: Event, state: BatchState) -> None:
    """One-way: a wallet's binding to a person survives revocations, so nothing ever clears it."""
    row = _protection(state, e.args["player"], e.uid)
    row["kyc_subject"] = e.args["subject"]
    row["kyc_person"] = e.args["person"]
    state.put("protection", row)


@PROJECTIONS.on(REGISTRY, "AttestationRevoked")
def attestation_revoked(e: Event, state: BatchState) -> None:
    row = _protection(state, e.args["player"], e.uid)
    row.update(kyc_level=None, kyc_expiry=None, kyc_attestor=None, kyc_jurisdiction=None)
    state.put("protection", row)


def _limit(state: BatchState, a: dict[str, Any], uid: int) -> Row:
    row = get_or_new(state, "limits", (a["player"], a["token"], LIMIT_KINDS[a["kind"]], WINDOWS[a["window"]]))
    row["updated_uid"] = uid
    return row


@PROJECTIONS.on(REGISTRY, "LimitSet")
def limit_set(e: Event, state: BatchState) -> None:
    """Lowering or adding a limit applies at once (effectiveAt ≤ now); raising or removing waits
    for the cooling-off: it is kept as pending until `effectiveAt` (value 0 = no limit)."""
    a = e.args
    row = _limit(state, a, e.uid)
    if a["effectiveAt"] <= e.block_time:
        row["value"] = a["value"] or None
        row["effective_at"] = None
        update_details(row, pending=None)
    else:
        row["effective_at"] = a["effectiveAt"]
        update_details(row, pending=a["value"])
    state.put("limits", row)


@PROJECTIONS.on(REGISTRY, "PendingLimitApplied")
def pending_limit_applied(e: Event, state: BatchState) -> None:
    a = e.args
    row = _limit(state, a, e.uid)
    row["value"] = a["value"] or None
    row["effective_at"] = None
    update_details(row, pending=None)
    state.put("limits", row)


PROJECTIONS.setting(REGISTRY, "AttestorSet", "attestor", "registered", keyed_by="attestor")


@PROJECTIONS.on(REGISTRY, "KycRuleSet")
def kyc_rule_set(e: Event, state: BatchState) -> None:
    put_setting(
        state,
        REGISTRY,
        f"kycRule:{e.args['token']}",
        {"threshold": e.args["threshold"], "level": e.args["level"]},
        e.uid,
    )
