"""The read-only Fairstake API (FastAPI). Everything it serves comes from the indexer's store
(rebuildable from the chain); the chain is read directly only for proof-of-reserves.

Game clients: /players/{address}, /bets, /jackpot/rounds, /matches, /tournaments, /leaderboard,
/stats/games, WebSocket /ws/events. Auditors: /audit/events (+ hash-chained export and its
verification), /audit/bets/{id}, /audit/solvency, /audit/rtp, /audit/anomalies, /audit/bonds (oracle
providers' bonds, reservations and slashes), /audit/summary. Operations:
/health, /metrics (Prometheus), /deployment (the manifest the web client needs).
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request, WebSocket, WebSocketDisconnect
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from backend.api import audit, bet_ids, live, models, protection, queries
from backend.api.docs import install_docs
from backend.api.filters import ROUND_STATUSES, SKILL_STATUSES, ContractFilter, TokenFilter, TokenOrEth
from backend.api.live import DEFAULT_FEED, LiveFeed, Subscriber
from backend.rpc import RpcClient, RpcError, RpcTransportError
from backend.store import schema
from backend.store.db import open_store
from backend.store.writer import read_cursor
from fairstake.manifest import Manifest, ManifestError, load_manifest

MAX_PAGE = 200
MAX_EXPORT_EVENTS = 1_000_000
MAX_VERIFY_BYTES = 256 * 1024 * 1024
MAX_BLOCK = 2**43 - 2  # (block + 1) << 20 must fit a signed 64-bit integer (event uids)
ADDRESS_PATTERN = r"^0x[0-9a-fA-F]{40}$"
BET_ID_PATTERN = rf"^(dice|jackpot|match|tournament):[0-9]{{1,78}}(:[0-9]{{1,78}})?$|^[0-9]{{1,78}}$|{bet_ids.PATTERN}"
GAMES = Literal["dice", "jackpot", "match", "tournament"]
STATUSES = Literal["pending", "won", "lost", "refundable", "refunded", "timed_out"]
NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": models.ErrorBody}, 404: {"model": models.ErrorBody}}


@dataclass
class Settings:
    db: str | None = None
    deployment: Path | None = None
    rpc_url: str | None = None
    cors_origins: list[str] = field(default_factory=lambda: ["*"])
    static_dir: Path | None = None
    feed_interval: float = 0.1
    anomaly_max_bets: int = 100
    anomaly_withdrawal_share: float = 0.5
    anomaly_funding_players: int = 3

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ

        def path(name: str) -> Path | None:
            return Path(env[name]) if env.get(name) else None

        return cls(
            db=env.get("FAIRSTAKE_API_DB") or None,
            deployment=path("FAIRSTAKE_API_DEPLOYMENT"),
            rpc_url=env.get("FAIRSTAKE_API_RPC") or None,
            cors_origins=[o for o in env.get("FAIRSTAKE_API_CORS", "*").split(",") if o],
            static_dir=path("FAIRSTAKE_API_STATIC"),
        )

    def to_env(self) -> dict[str, str]:
        return {
            "FAIRSTAKE_API_DB": self.db or "",
            "FAIRSTAKE_API_DEPLOYMENT": str(self.deployment or ""),
            "FAIRSTAKE_API_RPC": self.rpc_url or "",
            "FAIRSTAKE_API_CORS": ",".join(self.cors_origins),
            "FAIRSTAKE_API_STATIC": str(self.static_dir or ""),
        }


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "fairstake_api_requests", "API requests", ["route", "method", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "fairstake_api_request_seconds",
            "API request latency",
            ["route"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1, 5),
            registry=self.registry,
        )
        self.indexed_block = Gauge("fairstake_indexed_block", "Last block the store holds", registry=self.registry)
        self.chain_head = Gauge("fairstake_chain_head", "Chain head seen by the API", registry=self.registry)
        self.ws_clients = Gauge("fairstake_ws_clients", "Connected live-feed clients", registry=self.registry)
        self.events = Gauge("fairstake_indexed_events", "Events in the store", registry=self.registry)


class Context:
    """What every request needs: the store, token symbols, the manifest, an RPC client."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine: Engine = open_store(settings.db)
        self.manifest: Manifest | None = None
        if settings.deployment is not None:
            try:
                self.manifest = load_manifest(settings.deployment)
            except ManifestError:
                self.manifest = None  # served as 404 on /deployment; the API still works
        self.symbols: dict[str, str] = {t.address: s for s, t in self.manifest.tokens.items()} if self.manifest else {}
        rpc_url = settings.rpc_url or (self.manifest.rpc_url if self.manifest else None)
        self.rpc = RpcClient(rpc_url, timeout=10, max_retries=1) if rpc_url else None
        self.feed = LiveFeed(self.engine, settings.feed_interval)
        self.metrics = Metrics()
        self.leaderboard_cache: dict[tuple[Any, ...], models.Leaderboard] = {}
        self.feed.listeners.append(lambda _uid: self.leaderboard_cache.clear())
        self.tx_senders: dict[str, str] = {}

    def vault(self) -> str | None:
        if self.manifest and "Vault" in self.manifest.contracts:
            return self.manifest.contracts["Vault"].address
        return None

    def senders(self, txs: list[str]) -> dict[str, str]:
        """tx hash → sender, from the node (cached; deposits name the player, not who paid)."""
        missing = [tx for tx in txs if tx not in self.tx_senders]
        if missing and self.rpc is not None:
            try:
                for start in range(0, len(missing), 100):
                    chunk = missing[start : start + 100]
                    results = self.rpc.batch([("eth_getTransactionByHash", [tx]) for tx in chunk], retry=False)
                    for tx, result in zip(chunk, results, strict=True):
                        if isinstance(result, dict) and result.get("from"):
                            self.tx_senders[tx] = result["from"]
            except (RpcError, RpcTransportError):
                pass
        return {tx: self.tx_senders[tx] for tx in txs if tx in self.tx_senders}


def _checksum(address: str) -> str:
    from backend.ingest.decoder import to_checksum_address

    return to_checksum_address(address.lower())


def _connection(request: Request) -> Iterator[Connection]:
    with request.app.state.ctx.engine.connect() as connection:
        yield connection


Conn = Annotated[Connection, Depends(_connection)]
Address = Annotated[str, PathParam(pattern=ADDRESS_PATTERN, description="0x-prefixed 20-byte address.")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page size (1..{MAX_PAGE}).")]
Cursor = Annotated[str | None, Query(max_length=20, description="next_cursor of the previous page.")]
AddressQuery = Annotated[str | None, Query(pattern=ADDRESS_PATTERN)]
Block = Annotated[int | None, Query(ge=0, le=MAX_BLOCK)]
Name = Annotated[str | None, Query(pattern=NAME_PATTERN)]
RefId = Annotated[int, PathParam(ge=0, le=2**256 - 1)]
BetId = Annotated[
    str,
    PathParam(
        pattern=BET_ID_PATTERN,
        description='A readable id "dice-1234-5" (see Bet.readable_id), "dice:17", "jackpot:<round>:<firstTicket>", ...'
        " or a Dice bet id.",
    ),
]


def _optional_address(value: str | None) -> str | None:
    return None if value is None else _checksum(value)


class TimingMiddleware:
    """Pure ASGI middleware: per-route request counts and latency histograms."""

    def __init__(self, app: Callable[..., Awaitable[None]], metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 500

        async def send_wrapper(message: MutableMapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = scope.get("route")
            name = getattr(route, "path", None) or "unmatched"
            self.metrics.requests.labels(name, scope.get("method", ""), str(status)).inc()
            self.metrics.latency.labels(name).observe(time.perf_counter() - began)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    ctx = Context(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await ctx.feed.start()
        # Everything built so far (app, routes, pydantic schemas, SQLAlchemy metadata) lives as
        # long as the process: out of the collector's sight, full collections no longer walk it
        # (measured: 130 ms pauses in a worker under load, which set the p99 latency).
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await ctx.feed.stop()
            ctx.engine.dispose()

    app = FastAPI(
        title="Fairstake API",
        version="1.0",
        description=(
            "Read-only API over the Fairstake indexer. Amounts and ids are decimal strings; "
            "addresses are EIP-55 checksummed; pagination is by opaque cursor (newest first for bets, "
            "chain order for events)."
        ),
        lifespan=lifespan,
        docs_url=None,  # served with local assets by install_docs
        redoc_url=None,
    )
    app.state.ctx = ctx
    install_docs(app)
    app.include_router(protection.router)
    app.add_middleware(TimingMiddleware, metrics=ctx.metrics)
    app.add_middleware(
        CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"], allow_headers=["*"]
    )

    @app.exception_handler(queries.BadRequest)
    async def bad_request(_request: Request, exc: queries.BadRequest) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err.get('loc', ()) if p not in ('query', 'path', 'body'))}: {err.get('msg')}"
            for err in exc.errors()
        )
        return JSONResponse({"detail": problems or "invalid request"}, status_code=422)

    @app.exception_handler(OperationalError)
    async def store_unavailable(_request: Request, exc: OperationalError) -> JSONResponse:
        return JSONResponse({"detail": "the index store is busy or unavailable; retry"}, status_code=503)

    # ------------------------------------------------------------------------------ operations
    @app.get("/health", response_model=models.Health, tags=["operations"])
    def health(c: Conn) -> models.Health:
        """Indexer progress: the last indexed block and, when the node answers, the lag behind it."""
        cursor = read_cursor(c)
        head = None
        if ctx.rpc is not None:
            try:
                head = ctx.rpc.block_number(retry=False)
            except (RpcError, RpcTransportError):
                head = None
        indexed = cursor.block_number if cursor else -1
        ctx.metrics.indexed_block.set(indexed)
        if head is not None:
            ctx.metrics.chain_head.set(head)
        return models.Health(
            status="ok",
            indexed_block=indexed,
            indexed_hash=cursor.block_hash if cursor else None,
            chain_head=head,
            lag_blocks=None if head is None else max(0, head - indexed),
        )

    @app.get("/metrics", response_class=PlainTextResponse, tags=["operations"])
    def metrics(c: Conn) -> Response:
        """Prometheus metrics of this API process."""
        cursor = read_cursor(c)
        ctx.metrics.indexed_block.set(cursor.block_number if cursor else -1)
        ctx.metrics.ws_clients.set(len(ctx.feed.subscribers))
        if ctx.feed.latest_uid is not None:
            ctx.metrics.events.set(c.execute(select(func.count()).select_from(schema.events)).scalar_one())
        return Response(generate_latest(ctx.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/deployment", tags=["operations"], responses=ERRORS)
    def deployment() -> dict[str, Any]:
        """The deployment manifest (addresses, ABIs, tokens, oracle key) for clients."""
        if ctx.manifest is None:
            raise HTTPException(404, "this API was started without a deployment manifest")
        return ctx.manifest.to_json()

    # ------------------------------------------------------------------------------- players
    # The two hottest reads run inline on the event loop (their queries take well under a
    # millisecond on an index) and return pre-serialised JSON: no thread-pool hops, no second
    # validation of a model we just built.
    @app.get("/players/{address}", response_model=models.Player, tags=["players"], responses=ERRORS)
    async def player(address: Address) -> Response:
        """Vault balances per token (mirrored from events), open bets, recent history, statistics,
        limits, self-exclusion, KYC status and the reality check of the current session."""
        with ctx.engine.connect() as c:
            view = queries.player_view(c, ctx.symbols, _checksum(address), int(time.time()))
        return Response(view.model_dump_json(), media_type="application/json")

    @app.get("/lp/{address}", response_model=models.LiquidityProvider, tags=["players"], responses=ERRORS)
    def liquidity_provider(address: Address) -> models.LiquidityProvider:
        """Bankroll positions per token (mirrored from events): shares, what was deposited and
        withdrawn, and the pending deposit and redeem requests with the time each becomes
        claimable (a claim takes effect at least a day after its request; anyone may make it)."""
        with ctx.engine.connect() as c:
            return queries.lp_view(c, ctx.symbols, _checksum(address))

    @app.get("/bets", response_model=models.BetPage, tags=["bets"], responses=ERRORS)
    def bets(
        c: Conn,
        token: TokenFilter,
        limit: Limit = 50,
        cursor: Cursor = None,
        player: AddressQuery = None,
        game: GAMES | None = None,
        status: STATUSES | None = None,
    ) -> models.BetPage:
        """Bets of every game, newest first, filtered by player, game, status and token."""
        return queries.bets_page(
            c,
            ctx.symbols,
            player=_optional_address(player),
            game=game,
            status=status,
            token=token,
            cursor=cursor,
            limit=limit,
        )

    def _bet_key(bet_id: str) -> str:
        return f"dice:{bet_id}" if bet_id.isdigit() else bet_id

    @app.get("/bets/{bet_id}", response_model=models.Bet, tags=["bets"], responses=ERRORS)
    async def bet(bet_id: BetId) -> Response:
        """One bet by id."""
        with ctx.engine.connect() as c:
            row = queries.bet_row(c, _bet_key(bet_id), snapshot=False)
        if row is None:
            raise HTTPException(404, f"no bet {bet_id}")
        return Response(queries.bet_model(row, ctx.symbols).model_dump_json(), media_type="application/json")

    # ------------------------------------------------------------------------------- games
    @app.get("/jackpot/rounds", response_model=models.RoundPage, tags=["games"], responses=ERRORS)
    def jackpot_rounds(
        c: Conn,
        token: TokenFilter,
        limit: Limit = 20,
        cursor: Cursor = None,
        status: ROUND_STATUSES | None = None,
    ) -> models.RoundPage:
        """Jackpot rounds, newest first."""
        return queries.rounds_page(c, ctx.symbols, token=token, status=status, cursor=cursor, limit=limit)

    @app.get("/jackpot/rounds/{round_id}", response_model=models.JackpotRound, tags=["games"], responses=ERRORS)
    def jackpot_round(round_id: RefId, c: Conn) -> models.JackpotRound:
        """One round with its ticket purchases."""
        found = queries.round_detail(c, ctx.symbols, round_id)
        if found is None:
            raise HTTPException(404, f"no jackpot round {round_id}")
        return found

    def _skill_routes(kind: str, plural: str) -> None:
        @app.get(f"/{plural}", response_model=models.SkillGamePage, tags=["games"], responses=ERRORS, name=f"{plural}")
        def listing(
            c: Conn,
            limit: Limit = 20,
            cursor: Cursor = None,
            status: SKILL_STATUSES | None = None,
            player: AddressQuery = None,
        ) -> models.SkillGamePage:
            return queries.skill_page(
                c, ctx.symbols, kind, status=status, player=_optional_address(player), cursor=cursor, limit=limit
            )

        listing.__doc__ = f"{plural.capitalize()}, newest first, optionally those a player entered."

        @app.get(
            f"/{plural}/{{game_id}}", response_model=models.SkillGame, tags=["games"], responses=ERRORS, name=f"{kind}"
        )
        def detail(game_id: RefId, c: Conn) -> models.SkillGame:
            found = queries.skill_detail(c, ctx.symbols, kind, game_id)
            if found is None:
                raise HTTPException(404, f"no {kind} {game_id}")
            return found

        detail.__doc__ = f"One {kind} with its entries and result."

    _skill_routes("match", "matches")
    _skill_routes("tournament", "tournaments")

    @app.get("/leaderboard", response_model=models.Leaderboard, tags=["games"], responses=ERRORS)
    def leaderboard(
        c: Conn,
        token: TokenOrEth,
        game: GAMES | None = None,
        by: Literal["net", "wagered"] = "net",
        limit: Limit = 20,
    ) -> models.Leaderboard:
        """Top players by net result or volume; cached until new events arrive."""
        key = (token, game, by, limit)
        cached = ctx.leaderboard_cache.get(key)
        if cached is None:
            cached = queries.leaderboard(c, key[0], game, by, limit, queries.latest_uid(c))
            ctx.leaderboard_cache[key] = cached
        return cached

    @app.get("/stats/games", response_model=list[models.GameStats], tags=["games"])
    def stats_games(c: Conn) -> list[models.GameStats]:
        """Bets, players, volume and payouts per game and token."""
        return queries.game_stats(c, ctx.symbols)

    # ------------------------------------------------------------------------------- live feed
    @app.websocket("/ws/events")
    async def ws_events(
        socket: WebSocket,
        events: Annotated[str | None, Query(max_length=2000)] = None,
        contracts: Annotated[str | None, Query(max_length=2000)] = None,
        since: Annotated[str | None, Query(max_length=20)] = None,
    ) -> None:
        """New events as JSON messages. `events`: comma-separated names or `*` (default: bets
        placed/settled, rounds drawn, matches settled...); `contracts`: manifest names;
        `since`: replay events after this uid first (up to 1000). A `since` that is not a uid or
        an unknown contract gets one {"type": "error"} message and close code 1008."""
        await socket.accept()
        wanted = None if events == "*" else frozenset(e for e in events.split(",") if e) if events else DEFAULT_FEED
        wanted_contracts = frozenset(c for c in contracts.split(",") if c) if contracts else None
        problem = live.filter_problem(since, wanted_contracts, ctx.manifest)
        if problem is not None:
            # Said, not ignored: a client asking for a replay it does not get would miss events.
            await socket.send_json({"type": "error", "detail": problem})
            await socket.close(code=1008, reason=problem[:120])
            return
        replay = int(since) if since is not None else None
        sub = Subscriber(socket, wanted, wanted_contracts)
        ctx.metrics.ws_clients.inc()
        try:
            await ctx.feed.serve(socket, sub, replay)
        except WebSocketDisconnect:
            pass
        finally:
            ctx.metrics.ws_clients.dec()

    # ------------------------------------------------------------------------------- auditors
    def _events_query(contract: str | None, event: str | None, from_block: int | None, to_block: int | None) -> Any:
        if from_block is not None and to_block is not None and from_block > to_block:
            raise queries.BadRequest("from_block must not be greater than to_block")
        return queries.events_query(contract=contract, event=event, from_block=from_block, to_block=to_block)

    @app.get("/audit/events", response_model=models.EventPage, tags=["audit"], responses=ERRORS)
    def audit_events(
        c: Conn,
        contract: ContractFilter,
        event: Name = None,
        from_block: Block = None,
        to_block: Block = None,
        cursor: Cursor = None,
        limit: Limit = 100,
    ) -> models.EventPage:
        """The raw event log in chain order, filtered by contract (manifest name), event and block range."""
        return queries.events_page(c, _events_query(contract, event, from_block, to_block), cursor, limit)

    @app.get(
        "/audit/events/export",
        tags=["audit"],
        responses={**ERRORS, 200: {"content": {"application/x-ndjson": {}, "text/csv": {}}}},
    )
    def audit_export(
        c: Conn,
        contract: ContractFilter,
        format: Literal["jsonl", "csv"] = "jsonl",
        event: Name = None,
        from_block: Block = None,
        to_block: Block = None,
    ) -> StreamingResponse:
        """Export the filtered event log as JSONL or CSV. Every line carries `chain` (CSV: last
        column) = sha256(previous line's hash ‖ this line's content), starting from 64 zeros, so any
        later edit, deletion or reordering is detectable (POST the file to /audit/events/verify).
        At most 1,000,000 events per export: narrow the block range for more."""
        query = _events_query(contract, event, from_block, to_block)
        count = c.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        if count > MAX_EXPORT_EVENTS:
            raise queries.BadRequest(
                f"{count} events match; exports are capped at {MAX_EXPORT_EVENTS}: narrow the block range"
            )
        lines = audit.export_lines(audit.stream_rows(ctx.engine, query), format)
        media = "text/csv" if format == "csv" else "application/x-ndjson"
        name = f"fairstake-events.{format}"
        return StreamingResponse(
            (line.encode() for line in lines),
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @app.post(
        "/audit/events/verify",
        response_model=models.ExportVerification,
        tags=["audit"],
        responses=ERRORS,
        openapi_extra={
            "requestBody": {
                "content": {"text/plain": {"schema": {"type": "string"}}},
                "required": True,
                "description": "An export produced by /audit/events/export (JSONL or CSV).",
            }
        },
    )
    async def audit_verify(request: Request) -> models.ExportVerification:
        """Verify the hash chain of an export: which line (if any) was altered."""
        body = await request.body()
        if len(body) > MAX_VERIFY_BYTES:
            raise HTTPException(413, "export too large to verify here; use backend.api.audit.verify_export")
        try:
            text = body.decode()
        except UnicodeDecodeError:
            raise queries.BadRequest("the export must be UTF-8 text") from None
        return audit.verify_export(text)

    @app.get("/audit/bets/{bet_id}", response_model=models.BetAudit, tags=["audit"], responses=ERRORS)
    def audit_bet(bet_id: BetId, c: Conn) -> models.BetAudit:
        """Request → proof → the indexer's own re-verification of the ECVRF proof → outcome and
        payout recomputed with fairstake.rules, side by side with what the game recorded and the
        Vault paid. Any mismatch is a failed check."""
        row = queries.bet_row(c, _bet_key(bet_id))
        if row is None:
            raise HTTPException(404, f"no bet {bet_id}")
        return audit.audit_bet(c, row, ctx.symbols)

    @app.get("/audit/solvency", response_model=models.Solvency, tags=["audit"])
    def audit_solvency(c: Conn) -> models.Solvency:
        """Proof of reserves per token: the Vault's balance on chain (at the indexed block) versus
        the liabilities derived from events (free + locked + pooled + bankroll + fees, with what
        Vault.payIn credited and added to the bankroll), and the Vault's own aggregate views at the
        same block."""
        cursor = read_cursor(c)
        block = cursor.block_number if cursor else None
        return audit.solvency(c, ctx.symbols, ctx.vault(), ctx.rpc, block)

    @app.get("/audit/bonds", response_model=models.Bonds, tags=["audit"], responses=ERRORS)
    def audit_bonds(c: Conn, limit: Limit = 100) -> models.Bonds:
        """Every oracle key's bond per token (total = deposited - withdrawn - slashed; reserved by
        pending requests; unbonding), the newest `limit` slashes (expired requests paid out of a
        bond) and the oldest `limit` open reservations."""
        return audit.bonds(c, ctx.symbols, limit)

    @app.get("/audit/summary", response_model=models.AuditSummary, tags=["audit"])
    def audit_summary(c: Conn) -> models.AuditSummary:
        """Randomness requests and bond reservations by status, the bonds behind them, Dice bets
        unwound without a result, and what was paid into the Vault for others (slashed bonds)."""
        cursor = read_cursor(c)
        return audit.summary(c, ctx.symbols, cursor.block_number if cursor else None)

    @app.get("/audit/rtp", response_model=models.Rtp, tags=["audit"])
    def audit_rtp(c: Conn, confidence: Literal["0.9", "0.95", "0.99", "0.999"] = "0.99") -> models.Rtp:
        """Observed vs theoretical return-to-player per game and token, with a confidence interval."""
        return audit.rtp(c, ctx.symbols, float(confidence))

    @app.get("/audit/anomalies", response_model=models.Anomalies, tags=["audit"])
    def audit_anomalies(
        c: Conn,
        window: Annotated[int, Query(ge=60, le=30 * 86400, description="Seconds.")] = 3600,
        max_bets: Annotated[int, Query(ge=1, le=1_000_000)] = 0,
    ) -> models.Anomalies:
        """Velocity flags (many bets or large withdrawals from one address in a window) and
        addresses funded from a common source, over the most recent `window` of chain time."""
        latest = c.execute(select(func.max(schema.events.c.block_time))).scalar() or int(time.time())
        platform = {c_.address for c_ in ctx.manifest.contracts.values()} if ctx.manifest else set()
        return audit.anomalies(
            c,
            now=int(latest),
            window=window,
            max_bets=max_bets or settings.anomaly_max_bets,
            withdrawal_share=settings.anomaly_withdrawal_share,
            funding_min_players=settings.anomaly_funding_players,
            tx_senders=ctx.senders,
            platform_addresses=platform,
        )

    if settings.static_dir is not None and settings.static_dir.is_dir():
        app.mount("/", StaticFiles(directory=settings.static_dir, html=True), name="static")
    return app


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` (several worker processes read settings from the environment)."""
    return create_app(Settings.from_env())
