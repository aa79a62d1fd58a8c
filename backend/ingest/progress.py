"""Backfill progress on stderr: blocks done, events/s and ETA. Redraws one line on a terminal,
prints a plain line every few seconds otherwise (logs, CI)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _duration(seconds: float) -> str:
    seconds = int(max(0, seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


class Progress:
    def __init__(self, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = self.stream.isatty()
        self.started = time.monotonic()
        self.last_draw = 0.0
        self.events = 0
        self.first_block: int | None = None
        self.drawn = False

    def update(self, block: int, head: int, new_events: int, *, force: bool = False) -> None:
        self.events += new_events
        if self.first_block is None:
            self.first_block = block
        if not self.enabled:
            return
        now = time.monotonic()
        interval = 0.25 if self.tty else 5.0
        if not force and now - self.last_draw < interval:
            return
        self.last_draw = now
        elapsed = max(now - self.started, 1e-9)
        total = max(head - self.first_block + 1, 1)
        done = max(block - self.first_block + 1, 0)
        fraction = min(done / total, 1.0)
        rate_blocks = done / elapsed
        eta = (total - done) / rate_blocks if rate_blocks > 0 else 0.0
        width = 24
        bar = "#" * int(fraction * width) + "-" * (width - int(fraction * width))
        line = (
            f"backfill [{bar}] {fraction * 100:5.1f}% block {block:,}/{head:,} | "
            f"{self.events:,} events | {self.events / elapsed:,.0f} ev/s | ETA {_duration(eta)}"
        )
        if self.tty:
            self.stream.write("\r\x1b[2K" + line)
            self.drawn = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self, message: str) -> None:
        if not self.enabled:
            return
        if self.tty and self.drawn:
            self.stream.write("\n")
        self.stream.write(message + "\n")
        self.stream.flush()
        self.drawn = False
