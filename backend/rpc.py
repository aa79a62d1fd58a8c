"""A small JSON-RPC client for EVM nodes: keep-alive HTTP, batched calls, and retries with
exponential backoff for transport faults (timeouts, connection refused while a node restarts,
HTTP 429/5xx). Node-level errors are raised as `RpcError` so callers can decide; `is_range_error`
recognises the "result too large" family that eth_getLogs callers answer by shrinking the range.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from typing import Any

import httpx
import ujson

log = logging.getLogger("fairstake.rpc")

# Phrases nodes and providers use when an eth_getLogs range returns too much (geth, erigon,
# nethermind, anvil, Alchemy, Infura, QuickNode, Ankr...) or takes too long to answer.
_RANGE_ERROR_HINTS = (
    "too many",
    "more than",
    "exceed",
    "response size",
    "too large",
    "range is too",
    "timeout",
    "timed out",
)


class RpcError(Exception):
    """The node answered with a JSON-RPC error object."""

    def __init__(self, method: str, code: int, message: str, data: Any = None) -> None:
        super().__init__(f"{method}: [{code}] {message}")
        self.method = method
        self.code = code
        self.message = message
        self.data = data


class RpcTransportError(Exception):
    """The node could not be reached or did not answer in time (after retries, if any)."""


def is_range_error(exc: BaseException) -> bool:
    """Whether `exc` means "ask for a smaller block range" rather than a real fault."""
    if isinstance(exc, RpcTransportError):
        return "timed out" in str(exc) or "too large" in str(exc)
    if isinstance(exc, RpcError):
        text = exc.message.lower()
        return exc.code == -32005 or any(hint in text for hint in _RANGE_ERROR_HINTS)
    return False


class RpcClient:
    """JSON-RPC over HTTP. `call`/`batch` retry transport faults forever by default (a node
    restart must never crash the indexer), with exponential backoff capped at `max_backoff`."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 30.0,
        max_retries: int | None = None,
        max_backoff: float = 10.0,
        on_retry: Callable[[str, int, float], None] | None = None,
    ) -> None:
        self.url = url
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_backoff = max_backoff
        self.on_retry = on_retry
        self._http = httpx.Client(timeout=timeout, headers={"Content-Type": "application/json"})
        self._next_id = 0

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RpcClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ transport
    def _post(self, payload: Any, timeout: float | None) -> Any:
        try:
            response = self._http.post(self.url, content=ujson.dumps(payload), timeout=timeout or self.timeout)
        except httpx.TimeoutException as exc:
            raise RpcTransportError(f"timed out: {exc!r}") from exc
        except httpx.HTTPError as exc:
            raise RpcTransportError(f"transport: {exc!r}") from exc
        if response.status_code == 413:
            raise RpcTransportError("request or response too large (HTTP 413)")
        if response.status_code == 429 or response.status_code >= 500:
            raise RpcTransportError(f"HTTP {response.status_code}: {response.text[:200]}")
        try:
            return ujson.loads(response.content)
        except ValueError as exc:
            raise RpcTransportError(f"unparseable response (HTTP {response.status_code}): {exc}") from exc

    def _with_retries(self, what: str, attempt: Callable[[], Any], retry: bool) -> Any:
        failures = 0
        while True:
            try:
                return attempt()
            except RpcTransportError as exc:
                failures += 1
                if not retry or (self.max_retries is not None and failures > self.max_retries):
                    raise
                delay = min(self.max_backoff, 0.1 * 2 ** min(failures, 10)) * (0.5 + random.random() / 2)
                log.warning("rpc %s failed (%s); retry %d in %.2fs", what, exc, failures, delay)
                if self.on_retry:
                    self.on_retry(what, failures, delay)
                time.sleep(delay)

    # ------------------------------------------------------------------ calls
    def call(self, method: str, params: Sequence[Any] = (), *, retry: bool = True, timeout: float | None = None) -> Any:
        """One JSON-RPC call; returns `result` or raises RpcError / RpcTransportError."""

        def attempt() -> Any:
            self._next_id += 1
            reply = self._post(
                {"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": list(params)}, timeout
            )
            if not isinstance(reply, dict):
                raise RpcTransportError(f"{method}: unexpected reply {str(reply)[:200]}")
            error = reply.get("error")
            if error:
                raise RpcError(method, int(error.get("code", 0)), str(error.get("message", "")), error.get("data"))
            return reply.get("result")

        return self._with_retries(method, attempt, retry)

    def batch(
        self, calls: Sequence[tuple[str, Sequence[Any]]], *, retry: bool = True, timeout: float | None = None
    ) -> list[Any]:
        """Several calls in one HTTP request. Returns results in order; an item that failed is
        returned as its RpcError instance (callers decide per item). Empty input → []."""
        if not calls:
            return []

        def attempt() -> list[Any]:
            first = self._next_id + 1
            self._next_id += len(calls)
            payload = [
                {"jsonrpc": "2.0", "id": first + i, "method": m, "params": list(p)} for i, (m, p) in enumerate(calls)
            ]
            reply = self._post(payload, timeout)
            if isinstance(reply, dict) and "error" in reply:
                # Some nodes answer a whole batch with one error (e.g. batch too large).
                error = reply["error"]
                raise RpcError("batch", int(error.get("code", 0)), str(error.get("message", "")), error.get("data"))
            if not isinstance(reply, list) or len(reply) != len(calls):
                raise RpcTransportError(f"batch: unexpected reply {str(reply)[:200]}")
            by_id = {item.get("id"): item for item in reply}
            results: list[Any] = []
            for i, (method, _) in enumerate(calls):
                item = by_id.get(first + i)
                if item is None:
                    raise RpcTransportError(f"batch: missing reply for {method}")
                error = item.get("error")
                results.append(
                    RpcError(method, int(error.get("code", 0)), str(error.get("message", "")), error.get("data"))
                    if error
                    else item.get("result")
                )
            return results

        return self._with_retries("batch", attempt, retry)

    # ------------------------------------------------------------------ helpers
    def block_number(self, *, retry: bool = True) -> int:
        return int(self.call("eth_blockNumber", retry=retry), 16)

    def latest_header(self, *, retry: bool = True) -> dict[str, Any]:
        """The head block's header (number and hash in one call)."""
        header = self.call("eth_getBlockByNumber", ["latest", False], retry=retry)
        if not header:
            raise RpcError("eth_getBlockByNumber", -32000, "the node returned no latest block")
        return dict(header)

    def chain_id(self) -> int:
        return int(self.call("eth_chainId"), 16)

    def headers(self, numbers: Sequence[int]) -> dict[int, dict[str, Any]]:
        """Block headers (without transactions) by number, fetched in batches of 100.
        A block the node does not have (yet, or any more after a reorg) is absent from the result."""
        found: dict[int, dict[str, Any]] = {}
        unique = sorted(set(numbers))
        for start in range(0, len(unique), 100):
            chunk = unique[start : start + 100]
            results = self.batch([("eth_getBlockByNumber", [hex(n), False]) for n in chunk])
            for number, result in zip(chunk, results, strict=True):
                if isinstance(result, RpcError):
                    raise result
                if result:
                    found[number] = result
        return found
