"""Query filters every listing validates the same way: a value the API cannot match is a 422 that
names the parameter and the values it takes (as /bets?status= always did), never an empty page
that looks like "nothing there".

- status filters take the statuses the indexer writes (backend/store/projections);
- `token` takes an address or a symbol of the manifest (ETH, USDS);
- `contract` takes a contract name of the manifest.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import Depends, Query, Request
from fastapi.exceptions import RequestValidationError

from backend.addresses import to_checksum_address

ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")  # fullmatch: "$" would let a trailing newline through
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
ETH = "0x0000000000000000000000000000000000000000"

# backend/store/projections/jackpot.py (_set_round) and skill.py (set_status)
ROUND_STATUSES = Literal["open", "drawing", "drawn", "claimed", "refundable", "rolled_over", "closed"]
SKILL_STATUSES = Literal["open", "full", "settled", "voided", "cancelled", "expired"]


def invalid(name: str, message: str) -> RequestValidationError:
    """A 422 in the API's usual form ("<name>: <message>")."""
    return RequestValidationError([{"loc": ("query", name), "msg": message, "type": "value_error"}])


def resolve_token(request: Request, value: str | None) -> str | None:
    """An address (checksummed) or a manifest symbol (any case) -> the token's address."""
    if value is None:
        return None
    if ADDRESS.fullmatch(value):
        return to_checksum(value)
    manifest = request.app.state.ctx.manifest
    tokens = manifest.tokens if manifest is not None else {}
    by_symbol = {symbol.upper(): token.address for symbol, token in tokens.items()}
    if value.upper() in by_symbol:
        return to_checksum(by_symbol[value.upper()])
    known = ", ".join(sorted(tokens)) or "none: this API has no deployment manifest"
    raise invalid("token", f"{value!r} is neither a 0x address nor a token symbol (symbols: {known})")


def to_checksum(address: str) -> str:
    return to_checksum_address(address.lower())


TOKEN_DESCRIPTION = "A token address (0x…, ETH is the zero address) or its symbol in the manifest (ETH, USDS)."


def _token(
    request: Request, token: Annotated[str | None, Query(max_length=42, description=TOKEN_DESCRIPTION)] = None
) -> str | None:
    return resolve_token(request, token)


def _token_or_eth(
    request: Request, token: Annotated[str, Query(max_length=42, description=TOKEN_DESCRIPTION)] = ETH
) -> str:
    return resolve_token(request, token) or ETH


def resolve_contract(request: Request, value: str | None, name: str = "contract") -> str | None:
    """A contract name of the manifest; without a manifest any well-formed name."""
    if value is None:
        return None
    if not NAME.fullmatch(value):
        raise invalid(name, f"{value!r} is not a contract name")
    manifest = request.app.state.ctx.manifest
    if manifest is not None and value not in manifest.contracts:
        known = ", ".join(sorted(manifest.contracts))
        raise invalid(name, f"no contract {value!r} in the deployment (contracts: {known})")
    return value


def _contract(
    request: Request,
    contract: Annotated[str | None, Query(max_length=64, description="A contract name of the manifest.")] = None,
) -> str | None:
    return resolve_contract(request, contract)


TokenFilter = Annotated[str | None, Depends(_token)]
TokenOrEth = Annotated[str, Depends(_token_or_eth)]
ContractFilter = Annotated[str | None, Depends(_contract)]
