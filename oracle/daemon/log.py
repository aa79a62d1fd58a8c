"""JSON-lines logging for the oracle daemon: one object per line on stderr, so log shippers
and tests parse it without guessing. Every line has ts, level and event; the rest are fields
the call site names (request_id, tx, nonce, ...)."""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import IO, Any

LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40}


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**53:
        # Request ids and seeds are 256-bit: keep them exact for JSON readers that use doubles.
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


class JsonLog:
    """Thread-safe structured logger writing JSON lines."""

    def __init__(self, stream: IO[str] | None = None, level: str = "info") -> None:
        if level not in LEVELS:
            raise ValueError(f"unknown log level {level!r}; choose one of {', '.join(LEVELS)}")
        self._stream = stream
        self._threshold = LEVELS[level]
        self._lock = threading.Lock()

    def emit(self, level: str, event: str, **fields: Any) -> None:
        if LEVELS[level] < self._threshold:
            return
        ts = time.time()
        record = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + f".{int(ts % 1 * 1000):03d}Z",
            "level": level,
            "event": event,
        }
        record.update({k: _jsonable(v) for k, v in fields.items()})
        line = json.dumps(record, separators=(",", ":"))
        stream = self._stream or sys.stderr
        with self._lock:
            stream.write(line + "\n")
            stream.flush()

    def debug(self, event: str, **fields: Any) -> None:
        self.emit("debug", event, **fields)

    def info(self, event: str, **fields: Any) -> None:
        self.emit("info", event, **fields)

    def warning(self, event: str, **fields: Any) -> None:
        self.emit("warning", event, **fields)

    def error(self, event: str, **fields: Any) -> None:
        self.emit("error", event, **fields)
