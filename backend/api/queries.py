"""Read queries for the API over the store's tables (SQLAlchemy Core), returning API models."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import ujson
from sqlalchemy import Column, Select, Table, bindparam, func, or_, select
from sqlalchemy.engine import Connection, Dialect, RowMapping

from backend.api import bet_ids, models
from backend.store import schema
from backend.store.events import uid_position

# A row from SQLAlchemy or from a DriverStatement (a plain dict).
RowLike = RowMapping | Mapping[str, Any]
SESSION_GAP_SECONDS = 30 * 60
REALITY_CHECK_MAX_BETS = 2_000
FAR_FUTURE = 2**40 - 1


class BadRequest(ValueError):
    """Input that is well-formed but unusable (e.g. an unknown cursor); answered with 400."""


def _s(value: int | None) -> str | None:
    return None if value is None else str(value)


def position(uid: int, time: int, tx: str) -> models.Position:
    return models.Position(block=uid_position(uid)[0], time=time, tx=tx)


def bet_model(row: RowLike, symbols: dict[str, str]) -> models.Bet:
    settled = None
    if row["settled_uid"] is not None:
        settled = position(row["settled_uid"], row["settled_time"], row["settled_tx"])
    key = row["bet_key"]
    return models.Bet(
        id=key,
        readable_id=bet_ids.readable_id(row["game"], row["placed_uid"]),
        game=row["game"],
        ref=str(row["game_ref"]),
        player=row["player"],
        token=row["token"],
        token_symbol=symbols.get(row["token"]),
        stake=str(row["stake"]),
        status=row["status"],
        payout=_s(row["payout"]),
        max_payout=_s(row["max_payout"]),
        request_id=_s(row["request_id"]),
        lock_id=_s(row["lock_id"]),
        details=ujson.loads(row["details"]),
        placed=position(row["placed_uid"], row["placed_time"], row["placed_tx"]),
        settled=settled,
    )


def row_by_key(conn: Connection, table: Table, key: Any) -> RowMapping | None:
    """The row of `table` (a single-column primary key) with that key, or None."""
    (column,) = table.primary_key.columns
    return conn.execute(select(table).where(column == key)).mappings().first()


def parse_cursor(cursor: str | None) -> int | None:
    if cursor is None or cursor == "":
        return None
    if not cursor.isdigit() or len(cursor) > 19:
        raise BadRequest("cursor must be a value returned as next_cursor by this endpoint")
    return int(cursor)


def _matching(query: Select[Any], table: Table, **values: str | None) -> Select[Any]:
    """`query` narrowed to rows whose columns equal the given values (filters left out: None or "")."""
    for name, value in values.items():
        if value:
            query = query.where(table.c[name] == value)
    return query


def _keyset_page(
    conn: Connection,
    query: Select[Any],
    key: Column[Any],
    cursor: str | None,
    limit: int,
    *,
    newest_first: bool = True,
) -> tuple[Sequence[RowMapping], str | None]:
    """One page of `query` ordered by the unique column `key`, after `cursor` (the key of the
    previous page's last row), and the cursor of the next page (None on the last page)."""
    after = parse_cursor(cursor)
    if after is not None:
        query = query.where(key < after if newest_first else key > after)
    rows = conn.execute(query.order_by(key.desc() if newest_first else key).limit(limit + 1)).mappings().all()
    if len(rows) > limit:
        return rows[:limit], str(rows[limit - 1][key.name])
    return rows, None


# ---------------------------------------------------------------------------------------- bets
def bets_page(
    conn: Connection,
    symbols: dict[str, str],
    *,
    player: str | None,
    game: str | None,
    status: str | None,
    token: str | None,
    cursor: str | None,
    limit: int,
) -> models.BetPage:
    t = schema.bets
    query = _matching(select(t), t, player=player, game=game, status=status, token=token)
    page, next_cursor = _keyset_page(conn, query, t.c.placed_uid, cursor, limit)
    return models.BetPage(items=[bet_model(r, symbols) for r in page], next_cursor=next_cursor)


class _Compiled(NamedTuple):
    sql: str
    positions: tuple[str, ...] | None  # bind names in order (positional paramstyles), else None
    defaults: dict[str, Any]  # the statement's own bind values (literals, LIMIT)
    names: tuple[str, ...]


class DriverStatement:
    """A Core SELECT compiled once per dialect and run on the DBAPI cursor, for the hottest
    reads: SQLAlchemy's per-execution work (cache key, execution context, result wrapping)
    costs more than SQLite answering from an index. Values go through the same type result
    processors SQLAlchemy applies (U256 → int, Boolean on SQLite...), so rows are equal.
    Binds must not need bind processing (plain strings and ints)."""

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self._compiled: dict[str, _Compiled] = {}
        self._processors: dict[str, list[Callable[[Any], Any] | None]] = {}

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self.statement.compile(dialect=dialect)
        positions = tuple(compiled.positiontup) if compiled.positional and compiled.positiontup else None
        names = tuple(str(c.key) for c in self.statement.selected_columns)
        found = self._compiled[dialect.name] = _Compiled(
            str(compiled), positions, dict(compiled.construct_params(_check=False)), names
        )
        return found

    def _processors_for(self, dialect: Dialect, description: Sequence[Any]) -> list[Callable[[Any], Any] | None]:
        processors: list[Callable[[Any], Any] | None] = [
            column.type.dialect_impl(dialect).result_processor(dialect, entry[1])
            for column, entry in zip(self.statement.selected_columns, description, strict=True)
        ]
        self._processors[dialect.name] = processors
        return processors

    def tuples(
        self, conn: Connection, *, snapshot: bool = True, **params: Any
    ) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
        """(column names, rows) inside `conn`'s transaction, begun here if need be as
        SQLAlchemy's autobegin would: one snapshot for all the reads of a request. A request
        that reads with one statement only passes snapshot=False and skips the BEGIN (one
        statement is atomic by itself)."""
        dialect = conn.dialect
        compiled = self._compiled.get(dialect.name) or self._compile(dialect)
        if snapshot and not conn.in_transaction():
            conn.begin()
        values = {**compiled.defaults, **params}
        binds: Any = tuple(values[name] for name in compiled.positions) if compiled.positions else values
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(compiled.sql, binds)
            rows = cursor.fetchall()
            processors = self._processors.get(dialect.name) or self._processors_for(dialect, cursor.description)
        finally:
            cursor.close()
        if any(processors):
            pairs = list(enumerate(processors))
            converted = []
            for row in rows:
                items = list(row)
                for i, process in pairs:
                    if process is not None:
                        items[i] = process(items[i])
                converted.append(tuple(items))
            rows = converted
        return compiled.names, rows

    def mappings(self, conn: Connection, *, snapshot: bool = True, **params: Any) -> list[dict[str, Any]]:
        names, rows = self.tuples(conn, snapshot=snapshot, **params)
        return [dict(zip(names, row, strict=True)) for row in rows]


# The hot read paths use statements built once (with bind parameters): building a statement
# costs more than running it on an index.
_BETS = schema.bets
_BET_BY_KEY = DriverStatement(select(_BETS).where(_BETS.c.bet_key == bindparam("key")))
_BET_BY_PLACING = DriverStatement(
    select(_BETS).where(_BETS.c.placed_uid == bindparam("uid"), _BETS.c.game == bindparam("game"))
)
_LOCKED = DriverStatement(
    select(schema.locks.c.token, schema.locks.c.amount, schema.locks.c.pool_id, schema.pools.c.status)
    .select_from(schema.locks.outerjoin(schema.pools, schema.pools.c.pool_id == schema.locks.c.pool_id))
    .where(schema.locks.c.player == bindparam("player"), schema.locks.c.status == "open")
)
_SESSION_PAGE = 200
_SESSION_BETS = DriverStatement(
    select(_BETS.c.placed_uid, _BETS.c.placed_time, _BETS.c.token, _BETS.c.stake, _BETS.c.payout, _BETS.c.settled_time)
    .where(_BETS.c.player == bindparam("player"), _BETS.c.placed_uid < bindparam("before"))
    .order_by(_BETS.c.placed_uid.desc())
    .limit(_SESSION_PAGE)
)
_BALANCES = DriverStatement(select(schema.balances).where(schema.balances.c.player == bindparam("player")))
_OPEN_BETS = DriverStatement(
    select(_BETS)
    # Equalities rather than IN (...): an IN list compiles to a parameter expanded per execution.
    .where(_BETS.c.player == bindparam("player"), or_(_BETS.c.status == "pending", _BETS.c.status == "refundable"))
    .order_by(_BETS.c.placed_uid.desc())
    .limit(100)
)
_RECENT_BETS = DriverStatement(
    select(_BETS).where(_BETS.c.player == bindparam("player")).order_by(_BETS.c.placed_uid.desc()).limit(20)
)
_STATS = DriverStatement(select(schema.player_stats).where(schema.player_stats.c.player == bindparam("player")))
_LIMITS = DriverStatement(select(schema.limits).where(schema.limits.c.player == bindparam("player")))
_LP_POSITIONS = DriverStatement(
    select(schema.lp_positions).where(schema.lp_positions.c.provider == bindparam("provider"))
)
_PROTECTION = DriverStatement(select(schema.protection).where(schema.protection.c.player == bindparam("player")))
# A person's breaks bind every wallet bound to them: the latest end among those wallets.
_SUBJECT_BREAKS = DriverStatement(
    select(
        func.max(schema.protection.c.excluded_until).label("excluded_until"),
        func.max(schema.protection.c.timed_out_until).label("timed_out_until"),
    ).where(schema.protection.c.kyc_subject == bindparam("subject"))
)


def lp_view(conn: Connection, symbols: dict[str, str], address: str) -> models.LiquidityProvider:
    """Every bankroll position of `address`, with its pending requests and the chain time from
    which each can be claimed."""
    positions = []
    for row in sorted(_LP_POSITIONS.mappings(conn, provider=address), key=lambda r: r["token"]):
        deposit_at = int(row["deposit_claimable_at"]) if row["pending_assets"] else None
        redeem_at = int(row["redeem_claimable_at"]) if row["pending_shares"] else None
        positions.append(
            models.LpPosition(
                token=row["token"],
                token_symbol=symbols.get(row["token"]),
                shares=str(row["shares"]),
                deposited=str(row["deposited"]),
                withdrawn=str(row["withdrawn"]),
                pending_deposit=str(row["pending_assets"]),
                deposit_claimable_at=deposit_at,
                pending_redeem_shares=str(row["pending_shares"]),
                redeem_claimable_at=redeem_at,
            )
        )
    return models.LiquidityProvider(address=address, positions=positions)


def bet_row(conn: Connection, key: str, *, snapshot: bool = True) -> dict[str, Any] | None:
    """The bet with that key ("dice:<id>", ...) or readable id ("dice-1234-5", see bet_ids)."""
    readable = bet_ids.parse(key)
    if readable is not None:
        game, uid = readable
        rows = _BET_BY_PLACING.mappings(conn, snapshot=snapshot, uid=uid, game=game)
        return rows[0] if rows else None
    rows = _BET_BY_KEY.mappings(conn, snapshot=snapshot, key=key)
    return rows[0] if rows else None


# -------------------------------------------------------------------------------------- players
def _locked_by_token(conn: Connection, player: str) -> dict[str, int]:
    locked: dict[str, int] = defaultdict(int)
    for token, amount, pool_id, pool_status in _LOCKED.tuples(conn, player=player)[1]:
        if not pool_id or pool_status in (None, "open"):
            locked[token] += amount
    return locked


class _SessionBet(NamedTuple):
    placed_uid: int
    placed_time: int
    token: str
    stake: int
    payout: int | None
    settled_time: int | None


def reality_check(conn: Connection, player: str, now: int) -> models.RealityCheck:
    """The current session: the player's bets back from the newest while consecutive bets are
    less than SESSION_GAP_SECONDS apart; "active" while the newest is that recent."""
    rows: list[_SessionBet] = []
    before = 2**63 - 1
    while len(rows) < REALITY_CHECK_MAX_BETS:
        page = [_SessionBet(*row) for row in _SESSION_BETS.tuples(conn, player=player, before=before)[1]]
        rows.extend(page)
        gap = any(a.placed_time - b.placed_time >= SESSION_GAP_SECONDS for a, b in zip(rows, rows[1:], strict=False))
        if len(page) < _SESSION_PAGE or gap:
            break
        before = page[-1].placed_uid
    empty = models.RealityCheck(
        session_gap_seconds=SESSION_GAP_SECONDS,
        active=False,
        started_at=None,
        last_activity_at=None,
        duration_seconds=0,
        bets=0,
        staked={},
        paid_out={},
        net={},
    )
    if not rows:
        return empty
    session = [rows[0]]
    for row in rows[1:]:
        if session[-1].placed_time - row.placed_time >= SESSION_GAP_SECONDS:
            break
        session.append(row)
    last = max(max(r.placed_time, r.settled_time or 0) for r in session)
    started = session[-1].placed_time
    staked: dict[str, int] = defaultdict(int)
    paid: dict[str, int] = defaultdict(int)
    for r in session:
        staked[r.token] += r.stake
        paid[r.token] += r.payout or 0
    return models.RealityCheck(
        session_gap_seconds=SESSION_GAP_SECONDS,
        active=now - last < SESSION_GAP_SECONDS,
        started_at=started,
        last_activity_at=last,
        duration_seconds=max(0, last - started),
        bets=len(session),
        staked={k: str(v) for k, v in staked.items()},
        paid_out={k: str(v) for k, v in paid.items()},
        net={k: str(paid[k] - staked[k]) for k in staked},
    )


def player_view(conn: Connection, symbols: dict[str, str], address: str, now: int) -> models.Player:
    balances = _BALANCES.mappings(conn, player=address)
    locked = _locked_by_token(conn, address)
    tokens = {b["token"]: b for b in balances}
    balance_models = [
        models.Balance(
            token=token,
            token_symbol=symbols.get(token),
            free=str(tokens[token]["free"]) if token in tokens else "0",
            locked=str(locked.get(token, 0)),
            deposited=str(tokens[token]["deposited"]) if token in tokens else "0",
            withdrawn=str(tokens[token]["withdrawn"]) if token in tokens else "0",
            paid_in=str(tokens[token]["paid_in"]) if token in tokens else "0",
            transferred_in=str(tokens[token]["transferred_in"]) if token in tokens else "0",
            transferred_out=str(tokens[token]["transferred_out"]) if token in tokens else "0",
        )
        for token in sorted(set(tokens) | set(locked))
    ]
    open_rows = _OPEN_BETS.mappings(conn, player=address)
    recent = _RECENT_BETS.mappings(conn, player=address)
    stats = _STATS.mappings(conn, player=address)
    limits = _LIMITS.mappings(conn, player=address)
    protections = _PROTECTION.mappings(conn, player=address)
    protection = protections[0] if protections else None
    excluded_until = protection["excluded_until"] if protection else None
    timed_out_until = protection["timed_out_until"] if protection else None
    subject = protection["kyc_subject"] if protection else None
    person = protection["kyc_person"] if protection else None
    if subject is not None:
        breaks = _SUBJECT_BREAKS.mappings(conn, subject=subject)[0]
        excluded_until = _latest(excluded_until, breaks["excluded_until"])
        timed_out_until = _latest(timed_out_until, breaks["timed_out_until"])
    kyc_level = protection["kyc_level"] if protection else None
    kyc_expiry = protection["kyc_expiry"] if protection else None
    return models.Player(
        address=address,
        balances=balance_models,
        open_bets=[bet_model(r, symbols) for r in open_rows],
        recent_bets=[bet_model(r, symbols) for r in recent],
        stats=[
            models.PlayerGameStats(
                game=s["game"],
                token=s["token"],
                bets=s["bets"],
                settled=s["settled"],
                wins=s["wins"],
                wagered=str(s["wagered"]),
                paid_out=str(s["paid_out"]),
                net=str(s["paid_out"] - s["wagered"]),
            )
            for s in stats
        ],
        limits=[_limit_model(row, now) for row in limits],
        person_limits=[_limit_model(row, now) for row in _LIMITS.mappings(conn, player=person)] if person else [],
        self_exclusion=models.SelfExclusion(
            excluded=excluded_until is not None and excluded_until > now, until=excluded_until
        ),
        time_out=models.TimeOut(timed_out=timed_out_until is not None and timed_out_until > now, until=timed_out_until),
        kyc=models.Kyc(
            level=kyc_level if kyc_level and kyc_expiry and kyc_expiry > now else 0,
            attested_level=kyc_level,
            expiry=kyc_expiry,
            attestor=protection["kyc_attestor"] if protection else None,
            jurisdiction_hash=protection["kyc_jurisdiction"] if protection else None,
            subject=subject,
            person=person,
        ),
        reality_check=reality_check(conn, address, now),
    )


def _latest(*ends: int | None) -> int | None:
    known = [end for end in ends if end is not None]
    return max(known) if known else None


def _limit_model(row: RowLike, now: int) -> models.Limit:
    pending = ujson.loads(row["details"]).get("pending")
    value, effective = row["value"], row["effective_at"]
    if pending is not None and effective is not None and effective <= now:
        # The chain applies a matured raise lazily (on the next stake); it is in force already.
        value, pending, effective = (int(pending) or None), None, None
    return models.Limit(
        token=row["token"],
        kind=row["kind"],
        period=row["period"],
        value=_s(value),
        pending=None if pending is None else str(pending),
        pending_effective_at=effective if pending is not None else None,
    )


# --------------------------------------------------------------------------------- jackpot, skill
def round_model(row: RowMapping, symbols: dict[str, str]) -> models.JackpotRound:
    return models.JackpotRound(
        round_id=str(row["round_id"]),
        token=row["token"],
        token_symbol=symbols.get(row["token"] or ""),
        status=row["status"],
        tickets=str(row["tickets"]),
        pot=str(row["pot"]),
        winner=row["winner"],
        prize=_s(row["prize"]),
        details=ujson.loads(row["details"]),
        opened=position(row["opened_uid"], 0, ""),
    )


def _with_times(conn: Connection, uids: Iterable[int]) -> dict[int, tuple[int, str]]:
    wanted = list(set(uids))
    if not wanted:
        return {}
    e = schema.events
    rows = conn.execute(select(e.c.uid, e.c.block_time, e.c.tx_hash).where(e.c.uid.in_(wanted))).all()
    return {r.uid: (r.block_time, r.tx_hash) for r in rows}


def rounds_page(
    conn: Connection, symbols: dict[str, str], *, token: str | None, status: str | None, cursor: str | None, limit: int
) -> models.RoundPage:
    t = schema.jackpot_rounds
    query = _matching(select(t), t, token=token, status=status)
    page, next_cursor = _keyset_page(conn, query, t.c.opened_uid, cursor, limit)
    times = _with_times(conn, (r["opened_uid"] for r in page))
    items = []
    for r in page:
        item = round_model(r, symbols)
        time, tx = times.get(r["opened_uid"], (0, ""))
        item.opened = position(r["opened_uid"], time, tx)
        items.append(item)
    return models.RoundPage(items=items, next_cursor=next_cursor)


def entries(conn: Connection, symbols: dict[str, str], game: str, ref: int) -> list[models.Bet]:
    t = schema.bets
    rows = (
        conn.execute(select(t).where(t.c.game == game, t.c.game_ref == ref).order_by(t.c.placed_uid).limit(1000))
        .mappings()
        .all()
    )
    return [bet_model(r, symbols) for r in rows]


def round_detail(conn: Connection, symbols: dict[str, str], round_id: int) -> models.JackpotRound | None:
    row = row_by_key(conn, schema.jackpot_rounds, round_id)
    if row is None:
        return None
    item = round_model(row, symbols)
    time, tx = _with_times(conn, [row["opened_uid"]]).get(row["opened_uid"], (0, ""))
    item.opened = position(row["opened_uid"], time, tx)
    item.purchases = entries(conn, symbols, "jackpot", round_id)
    return item


def skill_model(row: RowMapping, symbols: dict[str, str], times: dict[int, tuple[int, str]]) -> models.SkillGame:
    time, tx = times.get(row["created_uid"], (0, ""))
    return models.SkillGame(
        id=str(row["match_id"]),
        kind=row["kind"],
        token=row["token"],
        token_symbol=symbols.get(row["token"] or ""),
        status=row["status"],
        entry=_s(row["entry"]),
        players=ujson.loads(row["players"]),
        details=ujson.loads(row["details"]),
        created=position(row["created_uid"], time, tx),
    )


def skill_page(
    conn: Connection,
    symbols: dict[str, str],
    kind: str,
    *,
    status: str | None,
    player: str | None,
    cursor: str | None,
    limit: int,
) -> models.SkillGamePage:
    t = schema.matches
    query = _matching(select(t).where(t.c.kind == kind), t, status=status)
    if player:
        ids = select(schema.bets.c.game_ref).where(schema.bets.c.game == kind, schema.bets.c.player == player)
        query = query.where(t.c.match_id.in_(ids))
    page, next_cursor = _keyset_page(conn, query, t.c.created_uid, cursor, limit)
    times = _with_times(conn, (r["created_uid"] for r in page))
    return models.SkillGamePage(items=[skill_model(r, symbols, times) for r in page], next_cursor=next_cursor)


def skill_detail(conn: Connection, symbols: dict[str, str], kind: str, game_id: int) -> models.SkillGame | None:
    t = schema.matches
    row = conn.execute(select(t).where(t.c.kind == kind, t.c.match_id == game_id)).mappings().first()
    if row is None:
        return None
    item = skill_model(row, symbols, _with_times(conn, [row["created_uid"]]))
    item.entries = entries(conn, symbols, kind, game_id)
    return item


# ------------------------------------------------------------------------------ stats, leaderboard
def latest_uid(conn: Connection) -> int | None:
    return conn.execute(select(func.max(schema.events.c.uid))).scalar()


def game_stats(conn: Connection, symbols: dict[str, str]) -> list[models.GameStats]:
    totals: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: {"bets": 0, "settled": 0, "players": 0, "wagered": 0, "paid_out": 0}
    )
    for row in conn.execute(select(schema.player_stats)).mappings():
        entry = totals[(row["game"], row["token"])]
        entry["bets"] += row["bets"]
        entry["settled"] += row["settled"]
        entry["players"] += 1
        entry["wagered"] += row["wagered"]
        entry["paid_out"] += row["paid_out"]
    return [
        models.GameStats(
            game=game,
            token=token,
            token_symbol=symbols.get(token),
            bets=v["bets"],
            settled=v["settled"],
            players=v["players"],
            wagered=str(v["wagered"]),
            paid_out=str(v["paid_out"]),
        )
        for (game, token), v in sorted(totals.items())
    ]


def leaderboard(
    conn: Connection, token: str, game: str | None, by: str, limit: int, as_of: int | None
) -> models.Leaderboard:
    t = schema.player_stats
    query = select(t).where(t.c.token == token)
    if game:
        query = query.where(t.c.game == game)
    per_player: dict[str, dict[str, int]] = defaultdict(lambda: {"bets": 0, "wins": 0, "wagered": 0, "paid_out": 0})
    for row in conn.execute(query).mappings():
        entry = per_player[row["player"]]
        for field in ("bets", "wins", "wagered", "paid_out"):
            entry[field] += row[field]

    def score(item: tuple[str, dict[str, int]]) -> tuple[int, str]:
        values = item[1]
        value = values["wagered"] if by == "wagered" else values["paid_out"] - values["wagered"]
        return (-value, item[0])

    ranked = sorted(per_player.items(), key=score)[:limit]
    return models.Leaderboard(
        token=token,
        game=game,
        by=by,
        as_of_event=_s(as_of),
        entries=[
            models.LeaderboardEntry(
                rank=i + 1,
                player=player,
                bets=v["bets"],
                wins=v["wins"],
                wagered=str(v["wagered"]),
                paid_out=str(v["paid_out"]),
                net=str(v["paid_out"] - v["wagered"]),
            )
            for i, (player, v) in enumerate(ranked)
        ],
    )


# ---------------------------------------------------------------------------------- raw events
def events_query(
    *, contract: str | None, event: str | None, from_block: int | None, to_block: int | None
) -> Select[Any]:
    e = schema.events
    query: Select[Any] = select(e)
    if contract:
        query = query.where(e.c.contract == contract)
    if event:
        query = query.where(e.c.event == event)
    if from_block is not None:
        query = query.where(e.c.uid >= from_block << 20)
    if to_block is not None:
        query = query.where(e.c.uid < (to_block + 1) << 20)
    return query


def raw_event(row: RowMapping) -> models.RawEvent:
    return models.RawEvent(
        uid=str(row["uid"]),
        block=row["block_number"],
        block_hash=row["block_hash"],
        time=row["block_time"],
        tx=row["tx_hash"],
        log_index=row["log_index"],
        contract=row["contract"],
        address=row["address"],
        event=row["event"],
        args=ujson.loads(row["args"]),
    )


def events_page(conn: Connection, query: Select[Any], cursor: str | None, limit: int) -> models.EventPage:
    page, next_cursor = _keyset_page(conn, query, schema.events.c.uid, cursor, limit, newest_first=False)
    return models.EventPage(items=[raw_event(r) for r in page], next_cursor=next_cursor)
