"""Adaptive eth_getLogs block ranges: shrink fast when a node refuses or struggles, grow while
answers are small and quick. Pure logic (no I/O) so it is tested directly."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RangeSizer:
    size: int = 2_000
    min_size: int = 1
    max_size: int = 500_000
    target_events: int = 10_000  # a comfortable batch: one DB transaction, a few MB of JSON
    slow_seconds: float = 5.0

    def __post_init__(self) -> None:
        self.size = max(self.min_size, min(self.size, self.max_size))

    def too_large(self) -> bool:
        """The node refused or timed out. Halve; False when already at the minimum (a single
        block that cannot be fetched: the caller retries with backoff, never skips)."""
        if self.size <= self.min_size:
            return False
        self.size = max(self.min_size, self.size // 2)
        return True

    def fetched(self, blocks: int, events: int, seconds: float) -> None:
        """Adjust after a successful fetch of `blocks` blocks holding `events` events."""
        if events > 2 * self.target_events or seconds > self.slow_seconds:
            self.size = max(self.min_size, min(self.size, blocks) // 2)
        elif blocks >= self.size and events < self.target_events // 2 and seconds < self.slow_seconds / 4:
            if events == 0:
                self.size = min(self.max_size, self.size * 4)
            else:
                per_block = events / blocks
                wanted = int(self.target_events / per_block)
                self.size = max(self.min_size, min(self.max_size, wanted, self.size * 4))
