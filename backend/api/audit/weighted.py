"""The weighted games (Wheel, Plinko) in the audit API: the chance engine's bet audit and RTP
theory (backend.api.audit.chance, statistics.chance_theory) with the rules bound to the bet's
configuration, which the indexer put in the bet's details from the game's ConfigAdded event
(backend.store.projections.weighted)."""

from __future__ import annotations

import dataclasses
from types import ModuleType
from typing import Any, cast

from sqlalchemy.engine import Connection, RowMapping

from backend.api import models
from backend.api.audit.bets import BetAudit, BetUnderAudit, request_by_id
from backend.api.audit.chance import chance_bet_audit
from backend.api.audit.statistics import BetTheory, chance_theory
from backend.store.projections.weighted import table_of
from fairstake.games import Game


def _bound(game: Game, details: dict[str, Any]) -> Game:
    # the engine's generic pieces read only game.rules' hooks, which Tables provides for the bet's table
    return dataclasses.replace(game, rules=cast(ModuleType, table_of(details)))


def weighted_bet_audit(game: Game) -> BetAudit:
    def audit_bet(conn: Connection, audit: BetUnderAudit) -> RowMapping | None:
        try:
            bound = _bound(game, audit.details)
        except (KeyError, ValueError) as missing:
            detail = f"no valid configuration indexed for this bet: {missing}"
            audit.checks.append(models.Check(name="configuration", ok=False, detail=detail))
            return request_by_id(conn, audit.bet["request_id"])
        return chance_bet_audit(bound)(conn, audit)

    return audit_bet


def weighted_theory(game: Game) -> BetTheory:
    return BetTheory(lambda details: chance_theory(_bound(game, details).rules).moments(details))
