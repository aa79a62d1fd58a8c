"""The routes' dependencies and typed parameters: the process context, a store connection per
request, and the path and query parameters several routers validate the same way."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request
from fastapi import Path as PathParam
from sqlalchemy.engine import Connection
from starlette.requests import HTTPConnection

from backend.addresses import to_checksum_address
from backend.api import bet_ids, models
from backend.api.context import Context

MAX_PAGE = 200
MAX_BLOCK = 2**43 - 2  # (block + 1) << 20 must fit a signed 64-bit integer (event uids)
ADDRESS_PATTERN = r"^0x[0-9a-fA-F]{40}$"
BET_ID_PATTERN = rf"^({'|'.join(bet_ids.GAMES)}):[0-9]{{1,78}}(:[0-9]{{1,78}})?$|^[0-9]{{1,78}}$|{bet_ids.PATTERN}"
# The registered games (fairstake.games), in their order: the API's enum follows the registry, so
# the type is built at run time (a static checker cannot read it).
GAMES = Literal[bet_ids.GAMES]  # type: ignore[valid-type]
STATUSES = Literal["pending", "won", "lost", "refundable", "refunded", "timed_out"]
NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": models.ErrorBody}, 404: {"model": models.ErrorBody}}


async def _context(connection: HTTPConnection) -> Context:
    # async: resolved on the event loop, so the inline (async) hot routes take no thread-pool hop;
    # an HTTPConnection, so the WebSocket feed gets it too
    context: Context = connection.app.state.ctx
    return context


def _connection(request: Request) -> Iterator[Connection]:
    with request.app.state.ctx.engine.connect() as connection:
        yield connection


Ctx = Annotated[Context, Depends(_context)]
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


def checksum(address: str) -> str:
    return to_checksum_address(address.lower())


def optional_address(value: str | None) -> str | None:
    return None if value is None else checksum(value)


def bet_key(bet_id: str) -> str:
    """The store's key of a bet id: a bare number is a Dice bet."""
    return f"dice:{bet_id}" if bet_id.isdigit() else bet_id
