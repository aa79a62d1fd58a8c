"""Readable bet ids: `<game>-<block>-<log>` names the log that placed a bet. The expected uids are
built from the block and log index by hand (block × 2^20 + log index, the event uid's layout)."""

from __future__ import annotations

import pytest

from backend.api import bet_ids


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("dice-1234-5", ("dice", 1234 * 2**20 + 5)),
        ("Dice 1234 5", ("dice", 1234 * 2**20 + 5)),
        ("JACKPOT.7.0", ("jackpot", 7 * 2**20)),
        ("tournament-99-1048575", ("tournament", 99 * 2**20 + 1048575)),
        ("match-0-0", ("match", 0)),
    ],
)
def test_readable_ids_parse_as_typed(typed: str, expected: tuple[str, int]) -> None:
    assert bet_ids.parse(typed) == expected


@pytest.mark.parametrize(
    "typed", ["dice:17", "17", "poker-1-2", "dice-12", "dice-1-1048576", "dice--1-2", "dice-1-2-3", " dice-1-2"]
)
def test_other_text_is_not_a_readable_id(typed: str) -> None:
    """A log index of 2^20 would alias the next block's first log: refused, not wrapped."""
    assert bet_ids.parse(typed) is None


def test_readable_id_round_trips() -> None:
    uid = 20_123_456 * 2**20 + 17
    assert bet_ids.readable_id("dice", uid) == "dice-20123456-17"
    assert bet_ids.parse(bet_ids.readable_id("dice", uid)) == ("dice", uid)
