"""Readable bet ids: a bet named by where it was placed on chain, `<game>-<block>-<log>`.

A Dice bet's own id is a 77-digit number (the randomness request id), which nobody can read
out, say or type. Every bet of every game is placed by exactly one log (Dice `BetPlaced`, Jackpot
`TicketsBought`, Match `PlayerJoined`, Tournament `Entered`), so the block number and the log's
index in that block name it uniquely, stay short (`dice-1234-5`), and anyone can check one
against a node without trusting the indexer (the log at that position). The page, the API's
bet lookups and the auditor's box all use this form; the older keys ("dice:<id>") still work.
"""

from __future__ import annotations

import re

from backend.store.events import LOG_INDEX_BITS, event_uid, uid_position
from fairstake import games

GAMES = games.names()
# Accepted as typed: any case, "-", " " or "." between the parts ("Dice 1234 5"). The path pattern
# keeps to plain character classes (every regex engine and request generator reads them); `parse`
# then names the game.
PATTERN = r"^[A-Za-z]{4,10}[-. ][0-9]{1,12}[-. ][0-9]{1,7}$"
_PARSE = re.compile(PATTERN)
_SPLIT = re.compile(r"[-. ]")


def readable_id(game: str, placed_uid: int) -> str:
    """`<game>-<block>-<log index>` of the log that placed the bet."""
    block, log_index = uid_position(placed_uid)
    return f"{game}-{block}-{log_index}"


def parse(text: str) -> tuple[str, int] | None:
    """(game, placing event uid) of a readable id, or None when `text` is not one."""
    if not _PARSE.match(text):
        return None
    game, block, log_index = _SPLIT.split(text)
    if game.lower() not in GAMES or int(log_index) >= 1 << LOG_INDEX_BITS:  # the latter: a log of the next block
        return None
    return game.lower(), event_uid(int(block), int(log_index))


# The event that places a bet of each game (contract, event) → game.
PLACING_EVENTS = {(game.contract, game.placing_event): game.name for game in games.GAMES}
