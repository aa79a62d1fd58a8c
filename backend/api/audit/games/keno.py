"""Keno in the audit API: the chance-game engine's bet audit with Keno's rules for the payout
tables the indexer recorded from the chain (TableAdded), and the per-roll RTP theory from each
bet's recorded row (backend.store.projections.keno)."""

from __future__ import annotations

from typing import Any

import ujson
from sqlalchemy import select
from sqlalchemy.engine import Connection

from backend.api.audit.bets import BetAudit
from backend.api.audit.chance import chance_bet_audit
from backend.api.audit.statistics import BetTheory, chance_theory
from backend.store import schema
from fairstake.games.keno import GAME
from fairstake.rules import keno


def _tables(conn: Connection) -> keno.Tables:
    s = schema.settings
    rows = conn.execute(select(s.c.key, s.c.value).where(s.c.contract == GAME.contract, s.c.key.like("table:%"))).all()
    return keno.Tables(
        {int(key.split(":")[1]): [[int(m) for m in row] for row in ujson.loads(value)] for key, value in rows}
    )


def _row(details: dict[str, Any]) -> keno.RowRules:
    return keno.RowRules(tuple(int(m) for m in details["multipliers"]))


BET_AUDIT: BetAudit = chance_bet_audit(GAME, _tables)
THEORY: BetTheory = chance_theory(GAME.rules, _row)
