"""The daemon's stop signal: its handler runs in the main thread between any two bytecodes, also
while that thread writes a log line. A CI run's daemon ignored SIGTERM for good because its
handler logged, and so waited for the log lock its own thread held."""

from __future__ import annotations

import io
import signal
import threading

from ops.cli.oracle import stop_handler
from oracle.daemon.log import JsonLog


def test_the_stop_handler_returns_while_the_log_is_being_written() -> None:
    log = JsonLog(stream=io.StringIO())
    stop_requested = threading.Event()
    received: list[str] = []
    handler = stop_handler(stop_requested, received)
    returned = threading.Event()

    def mid_log_line() -> None:
        # the state a signal finds when it lands inside JsonLog.emit's `with self._lock:`
        with log._lock:
            handler(signal.SIGTERM, None)
            returned.set()

    thread = threading.Thread(target=mid_log_line, daemon=True)
    thread.start()
    thread.join(timeout=5)
    assert returned.is_set(), "the handler blocked on the log lock"
    assert stop_requested.is_set() and received == ["SIGTERM"]
