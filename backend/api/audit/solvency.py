"""What backs the payouts: proof of reserves per token (the Vault's balance on chain against the
liabilities the events give), and the oracle keys' bonds with their reservations and slashes."""

from __future__ import annotations

from typing import Any

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_utils import function_signature_to_4byte_selector
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, RowMapping

from backend.api import models
from backend.api.queries import RowLike, position, row_by_key
from backend.rpc import RpcClient, RpcError, RpcTransportError
from backend.store import schema
from fairstake.manifest import ETH


def optional_str(value: int | None) -> str | None:
    """An amount as the API's decimal string, None kept."""
    return None if value is None else str(value)


def reservation_row(conn: Connection, request_id: int | None) -> RowMapping | None:
    return None if request_id is None else row_by_key(conn, schema.bond_reservations, request_id)


def reservation_model(
    row: RowLike, symbols: dict[str, str], times: dict[int, tuple[int, str]] | None = None
) -> models.BondReservation:
    times = times or {}

    def where(uid: int | None, tx: str | None) -> models.Position | None:
        if uid is None:
            return None
        return position(uid, times.get(uid, (0, ""))[0], tx or "")

    reserved = where(row["reserved_uid"], row["reserve_tx"])
    assert reserved is not None
    return models.BondReservation(
        request_id=str(row["request_id"]),
        key_hash=row["key_hash"],
        token=row["token"],
        token_symbol=symbols.get(row["token"]),
        amount=str(row["amount"]),
        beneficiary=row["beneficiary"],
        beneficiary_amount=str(row["beneficiary_amount"]),
        residual=str(row["residual"]),
        residual_to_bankroll=bool(row["residual_to_bankroll"]),
        status=row["status"],
        reserved=reserved,
        resolved=where(row["resolved_uid"], row["resolve_tx"]),
    )


def reservation_models(
    conn: Connection, rows: list[RowMapping], symbols: dict[str, str]
) -> list[models.BondReservation]:
    uids = {r["reserved_uid"] for r in rows} | {r["resolved_uid"] for r in rows if r["resolved_uid"] is not None}
    e = schema.events
    times = {
        r.uid: (r.block_time, r.tx_hash)
        for r in conn.execute(select(e.c.uid, e.c.block_time, e.c.tx_hash).where(e.c.uid.in_(list(uids))))
    }
    return [reservation_model(r, symbols, times) for r in rows]


def bond_models(conn: Connection, symbols: dict[str, str]) -> list[models.Bond]:
    b, k = schema.bonds, schema.oracle_keys
    operators = {r.key_hash: r.operator for r in conn.execute(select(k.c.key_hash, k.c.operator))}
    r = schema.bond_reservations
    open_counts = {
        (key_hash, token): int(n)
        for key_hash, token, n in conn.execute(
            select(r.c.key_hash, r.c.token, func.count())
            .where(r.c.status == "reserved")
            .group_by(r.c.key_hash, r.c.token)
        )
    }
    out = []
    for row in conn.execute(select(b).order_by(b.c.key_hash, b.c.token)).mappings():
        out.append(
            models.Bond(
                key_hash=row["key_hash"],
                operator=operators.get(row["key_hash"]),
                token=row["token"],
                token_symbol=symbols.get(row["token"]),
                total=str(row["total"]),
                reserved=str(row["reserved"]),
                unbonding=str(row["unbonding"]),
                unbondable_at=row["unbondable_at"],
                free=str(row["total"] - row["reserved"] - row["unbonding"]),
                deposited=str(row["deposited"]),
                withdrawn=str(row["withdrawn"]),
                slashed=str(row["slashed"]),
                reservations=row["reservations"],
                slashes=row["slashes"],
                open_reservations=open_counts.get((row["key_hash"], row["token"]), 0),
            )
        )
    return out


def bonds(conn: Connection, symbols: dict[str, str], limit: int) -> models.Bonds:
    """Every key's bond per token, the newest slashes and the open reservations."""
    r = schema.bond_reservations
    slashed = (
        conn.execute(select(r).where(r.c.status == "slashed").order_by(r.c.resolved_uid.desc()).limit(limit))
        .mappings()
        .all()
    )
    pending = (
        conn.execute(select(r).where(r.c.status == "reserved").order_by(r.c.reserved_uid).limit(limit)).mappings().all()
    )
    return models.Bonds(
        bonds=bond_models(conn, symbols),
        slashes=reservation_models(conn, list(slashed), symbols),
        open_reservations=reservation_models(conn, list(pending), symbols),
    )


def summary(conn: Connection, symbols: dict[str, str], block: int | None) -> models.AuditSummary:
    """Counts of requests and reservations by status, the bonds, and what was paid into the Vault."""
    q, r, t, b = schema.randomness_requests, schema.bond_reservations, schema.token_totals, schema.bets
    requests = {s: int(n) for s, n in conn.execute(select(q.c.status, func.count()).group_by(q.c.status))}
    reservations = {s: int(n) for s, n in conn.execute(select(r.c.status, func.count()).group_by(r.c.status))}
    timed_out = conn.execute(
        select(func.count()).select_from(b).where(b.c.game == "dice", b.c.status == "timed_out")
    ).scalar_one()
    paid_in = {
        token: {"credited": str(credited), "bankroll": str(bankroll)}
        for token, credited, bankroll in conn.execute(select(t.c.token, t.c.paid_in_credited, t.c.paid_in_bankroll))
    }
    return models.AuditSummary(
        block=block,
        requests=requests,
        reservations=reservations,
        bonds=bond_models(conn, symbols),
        timed_out_bets=int(timed_out),
        paid_in=paid_in,
    )


def _call(rpc: RpcClient, to: str, signature: str, types: list[str], args: list[Any], block: str) -> int:
    data = function_signature_to_4byte_selector(signature) + abi_encode(types, args)
    result = rpc.call("eth_call", [{"to": to, "data": "0x" + data.hex()}, block], retry=False, timeout=10)
    return int(abi_decode(["uint256"], bytes.fromhex(str(result)[2:]))[0])


def solvency(
    conn: Connection, symbols: dict[str, str], vault: str | None, rpc: RpcClient | None, block: int | None
) -> models.Solvency:
    rows = conn.execute(select(schema.token_totals)).mappings().all()
    tokens: dict[str, RowMapping | None] = {r["token"]: r for r in rows}
    for address in symbols:
        tokens.setdefault(address, None)
    out: list[models.SolvencyRow] = []
    tag = hex(block) if block is not None else "latest"
    for token in sorted(tokens):
        r = tokens[token]
        free, locked, pooled, bankroll, fees, pending = (
            (r["free"], r["locked"], r["pooled"], r["bankroll"], r["fees"], r["bankroll_pending"])
            if r
            else (0, 0, 0, 0, 0, 0)
        )
        liabilities = free + locked + pooled + bankroll + fees + pending
        balance: int | None = None
        views: dict[str, str] | None = None
        if rpc is not None and vault is not None:
            try:
                if token == ETH:
                    balance = int(rpc.call("eth_getBalance", [vault, tag], retry=False, timeout=10), 16)
                else:
                    balance = _call(rpc, token, "balanceOf(address)", ["address"], [vault], tag)
                views = {
                    name: str(_call(rpc, vault, f"{name}(address)", ["address"], [token], tag))
                    for name in ("freeBalanceTotal", "lockedTotal", "bankrollAssets", "accruedFees")
                }
            except (RpcError, RpcTransportError, ValueError):
                balance, views = None, None
        views_match = None
        if views is not None:
            views_match = (
                int(views["freeBalanceTotal"]) == free
                and int(views["lockedTotal"]) == locked + pooled
                and int(views["bankrollAssets"]) == bankroll
                and int(views["accruedFees"]) == fees
            )
        out.append(
            models.SolvencyRow(
                token=token,
                symbol=symbols.get(token),
                balance=optional_str(balance),
                liabilities=str(liabilities),
                free=str(free),
                locked=str(locked),
                pooled=str(pooled),
                bankroll=str(bankroll),
                fees=str(fees),
                paid_in_credited=str(r["paid_in_credited"] if r else 0),
                paid_in_bankroll=str(r["paid_in_bankroll"] if r else 0),
                bankroll_pending=str(pending),
                surplus=None if balance is None else str(balance - liabilities),
                solvent=None if balance is None else balance >= liabilities,
                vault_views=views,
                views_match_events=views_match,
            )
        )
    flags = [r.solvent for r in out]
    return models.Solvency(
        block=block, tokens=out, solvent=None if any(f is None for f in flags) or not flags else all(flags)
    )
