"""Regulator views of player protection: per wallet and per person (KYC subject), every protection
event of the PlayerRegistry (self-exclusions, time-outs, limit changes with their effective times,
attestations, revocations, bindings) and every stake or deposit the registry refused (failed
transactions recovered from their receipts, backend.ingest.refusals), in chain order, and the same
as a hash-chained export (the event export's scheme: backend.api.audit.export.chained_lines)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import ujson
from fastapi import APIRouter, HTTPException, Query
from fastapi import Path as PathParam
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from backend.api import audit, queries
from backend.api.deps import ADDRESS_PATTERN, ERRORS, Conn, checksum
from backend.store import schema
from backend.store.events import uid_position
from fairstake.rules.protection import REFUSALS

REGISTRY = "PlayerRegistry"
# The registry's events about a wallet or a person's account (all name it as `player`).
PROTECTION_EVENTS = (
    "SelfExclusionSet",
    "TimeOutTaken",
    "LimitSet",
    "PendingLimitApplied",
    "Attested",
    "AttestationRevoked",
    "SubjectBound",
)
SUBJECT_PATTERN = r"^0x[0-9a-fA-F]{64}$"

Address = Annotated[str, PathParam(pattern=ADDRESS_PATTERN, description="0x-prefixed 20-byte wallet address.")]
Subject = Annotated[str, PathParam(pattern=SUBJECT_PATTERN, description="0x-prefixed 32-byte KYC subject.")]

router = APIRouter(prefix="/audit/protection", tags=["audit"])


class ProtectionRecord(BaseModel):
    kind: Literal["event", "refusal"] = Field(description="a registry event, or a transaction the registry refused")
    id: str = Field(description="the event's uid, or refusal:<block>:<transaction index>")
    block: int
    time: int = Field(description="Block timestamp (unix seconds).")
    tx: str
    contract: str = Field(description="PlayerRegistry for events; the game or Vault the refused transaction called")
    name: str = Field(description="The event's name, or the registry's error (SelfExcluded, TimedOut, ...).")
    player: str = Field(description="The wallet or person's account it is about.")
    sender: str | None = Field(description="Who sent a refused transaction.")
    effective_at: int | None = Field(description="LimitSet: when the limit applies (later than `time`: loosened).")
    until: int | None = Field(description="SelfExclusionSet / TimeOutTaken: when the break ends.")
    args: dict[str, Any] = Field(description="The event's or error's arguments (amounts as decimal strings).")


class ProtectionHistory(BaseModel):
    subject: str | None = Field(description="The KYC subject (person) the wallets are bound to, if any.")
    person: str | None = Field(description="The person's account in the registry (their limits are set on it).")
    wallets: list[str] = Field(description="The wallets covered: the one asked about, or every wallet of the subject.")
    records: list[ProtectionRecord] = Field(description="Events and refusals in chain order.")


def _scope_of_address(conn: Connection, address: str) -> tuple[str | None, str | None, list[str]]:
    p = schema.protection
    row = conn.execute(select(p.c.kyc_subject, p.c.kyc_person).where(p.c.player == address)).first()
    subject, person = (row.kyc_subject, row.kyc_person) if row else (None, None)
    return subject, person, [address]


def _scope_of_subject(conn: Connection, subject: str) -> tuple[str | None, str | None, list[str]]:
    p = schema.protection
    rows = conn.execute(select(p.c.player, p.c.kyc_person).where(p.c.kyc_subject == subject).order_by(p.c.player)).all()
    if not rows:
        raise HTTPException(404, f"no wallet is bound to subject {subject}")
    return subject, rows[0].kyc_person, [r.player for r in rows]


def _optional_int(args: dict[str, Any], name: str) -> int | None:
    return int(args[name]) if name in args else None


def _record(row: Any, args: dict[str, Any], **fields: Any) -> ProtectionRecord:
    """A record of `row`, an indexed event or refusal, with what both kinds of row hold alike."""
    return ProtectionRecord(
        time=row["block_time"],
        tx=row["tx_hash"],
        contract=row["contract"],
        until=_optional_int(args, "until"),
        args=args,
        **fields,
    )


def _records(conn: Connection, accounts: list[str]) -> list[ProtectionRecord]:
    """The registry's protection events naming one of `accounts`, and the refusals of its wallets."""
    e, r = schema.events, schema.refusals
    wanted = set(accounts)
    # The raw log keeps arguments as JSON text: narrow by text, then match the decoded `player`.
    query = select(e).where(
        e.c.contract == REGISTRY,
        e.c.event.in_(PROTECTION_EVENTS),
        or_(*(e.c.args.contains(f'"{a}"') for a in accounts)),
    )
    found: list[tuple[tuple[int, int, int], ProtectionRecord]] = []
    for row in conn.execute(query).mappings():
        args = ujson.loads(row["args"])
        if args.get("player") not in wanted:
            continue
        block, log_index = uid_position(row["uid"])
        record = _record(
            row,
            args,
            kind="event",
            id=str(row["uid"]),
            block=block,
            name=row["event"],
            player=args["player"],
            sender=None,
            effective_at=_optional_int(args, "effectiveAt"),
        )
        found.append(((block, row["tx_index"], log_index), record))
    refusals = select(r).where(r.c.player.in_(accounts), r.c.error.in_(sorted(REFUSALS)))
    for row in conn.execute(refusals).mappings():
        args = ujson.loads(row["args"])
        record = _record(
            row,
            args,
            kind="refusal",
            id=f"refusal:{row['block_number']}:{row['tx_index']}",
            block=row["block_number"],
            name=row["error"],
            player=row["player"],
            sender=row["sender"],
            effective_at=None,
        )
        found.append(((row["block_number"], row["tx_index"], -1), record))
    return [record for _, record in sorted(found, key=lambda item: item[0])]


def _history(conn: Connection, scope: tuple[str | None, str | None, list[str]]) -> ProtectionHistory:
    subject, person, wallets = scope
    accounts = wallets + ([person] if person else [])
    return ProtectionHistory(subject=subject, person=person, wallets=wallets, records=_records(conn, accounts))


@router.get("/address/{address}", response_model=ProtectionHistory, responses=ERRORS)
def protection_of_address(c: Conn, address: Address) -> ProtectionHistory:
    """A wallet's protection history: its own events and refused transactions, and the limits set
    on its person's account (once bound to a KYC subject). For the person's other wallets ask by
    subject."""
    return _history(c, _scope_of_address(c, checksum(address)))


@router.get("/subject/{subject}", response_model=ProtectionHistory, responses=ERRORS)
def protection_of_subject(c: Conn, subject: Subject) -> ProtectionHistory:
    """A person's protection history over every wallet bound to the KYC subject (404: none)."""
    return _history(c, _scope_of_subject(c, subject.lower()))


def export_record(record: ProtectionRecord, block_hash: str, address: str) -> dict[str, Any]:
    """A record in the event export's columns (`audit.CSV_COLUMNS`); a refusal has no log index."""
    block, log_index = uid_position(int(record.id)) if record.kind == "event" else (record.block, None)
    return {
        "uid": record.id,
        "block": block,
        "block_hash": block_hash,
        "time": record.time,
        "tx": record.tx,
        "log_index": log_index,
        "contract": record.contract,
        "address": address,
        "event": record.name,
        "args": record.args,
    }


def _export_records(conn: Connection, history: ProtectionHistory) -> list[dict[str, Any]]:
    e, r = schema.events, schema.refusals
    events = [int(x.id) for x in history.records if x.kind == "event"]
    where_events = {
        row.uid: (row.block_hash, row.address)
        for row in conn.execute(select(e.c.uid, e.c.block_hash, e.c.address).where(e.c.uid.in_(events)))
    }
    where_refusals = {
        f"refusal:{row.block_number}:{row.tx_index}": (row.block_hash, row.address)
        for row in conn.execute(
            select(r.c.block_number, r.c.tx_index, r.c.block_hash, r.c.address).where(
                r.c.tx_hash.in_([x.tx for x in history.records if x.kind == "refusal"])
            )
        )
    }
    return [
        export_record(x, *(where_events[int(x.id)] if x.kind == "event" else where_refusals[x.id]))
        for x in history.records
    ]


@router.get("/export", responses={**ERRORS, 200: {"content": {"application/x-ndjson": {}, "text/csv": {}}}})
def protection_export(
    c: Conn,
    address: Annotated[str | None, Query(pattern=ADDRESS_PATTERN)] = None,
    subject: Annotated[str | None, Query(pattern=SUBJECT_PATTERN)] = None,
    format: Literal["jsonl", "csv"] = "jsonl",
) -> StreamingResponse:
    """The protection history of a wallet (`address`) or a person (`subject`) as JSONL or CSV, in the
    event export's columns and with its running hash: every line carries `chain` (CSV: last column)
    = sha256(previous line's hash ‖ this line's content), from 64 zeros (POST the file to
    /audit/events/verify). Refusals have the id refusal:<block>:<transaction index>, no log index,
    and the error's name as the event."""
    if (address is None) == (subject is None):
        raise queries.BadRequest("give exactly one of address or subject")
    scope = _scope_of_address(c, checksum(address)) if address else _scope_of_subject(c, str(subject).lower())
    lines = audit.chained_lines(_export_records(c, _history(c, scope)), format)
    name = f"fairstake-protection.{format}"
    return StreamingResponse(
        (line.encode() for line in lines),
        media_type="text/csv" if format == "csv" else "application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
