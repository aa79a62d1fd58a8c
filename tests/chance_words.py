"""An independent model of a chance bet's randomness data word (ChanceGame's `Bet` layout), shared
by the contract and the system tests (tests/conftest.py puts this folder on the import path)."""

from __future__ import annotations


def bet_data_word(lock_id: int, rolls: int, edge_bps: int, has_stops: bool, choice: bytes) -> int:
    """A chance bet's data word as ChanceGame's `Bet` NatSpec lays it out: lockId at bits 0..55,
    rolls at 56..63, edgeBps at 64..79, hasStops at 88, and from bit 96 the choice packed (bit 159
    set; bit 158 too for two words; its one or two ABI words, each below 2^79, at bits 0 and 79 of
    that tail) or 0 when it does not pack (kept in the game's storage instead)."""
    words = [int.from_bytes(choice[i : i + 32], "big") for i in range(0, len(choice), 32)]
    tail = 0
    if len(choice) in (32, 64) and all(w < 2**79 for w in words):
        tail = 1 << 159 | (1 << 158 if len(words) == 2 else 0) | words[0] | (words[1] << 79 if len(words) == 2 else 0)
    return lock_id | rolls << 56 | edge_bps << 64 | int(has_stops) << 88 | tail << 96
