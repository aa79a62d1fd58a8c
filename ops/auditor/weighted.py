"""The weighted games (Wheel, Plinko) in the chain-only auditor: the chance engine's audit
(ops.auditor.chance) with the rules bound to the game's configurations, read from the contract
(`configOf`: immutable once added, so today's reading is the one every bet was placed on) and
checked against the rules' caps."""

from __future__ import annotations

import dataclasses
from types import ModuleType
from typing import cast

from fairstake.games import Game
from fairstake.rules import weighted
from ops.auditor.audits import GameAudit
from ops.auditor.chance import chance_audit
from ops.auditor.reader import AuditReport, ChainReader, VerifiedRandomness


def weighted_audit(game: Game) -> GameAudit:
    def audit(reader: ChainReader, report: AuditReport, verified: dict[int, VerifiedRandomness]) -> None:
        if not reader.has(game.contract):
            return
        functions = reader.contract(game.contract).functions
        tables: dict[int, weighted.WeightedConfig] = {}
        for config_id in range(1, int(functions.configCount().call()) + 1):
            header, weights, multipliers = functions.configOf(config_id).call()
            try:
                tables[config_id] = weighted.WeightedConfig(tuple(weights), tuple(multipliers), int(header[4]))
            except ValueError as refused:
                report.flag("configuration", config_id, f"{game.contract} configuration outside the rules: {refused}")
        # the engine's audit reads only the rules' hooks, which Tables provides by configuration id
        bound = dataclasses.replace(game, rules=cast(ModuleType, weighted.Tables(tables)))
        chance_audit(bound)(reader, report, verified)

    return audit
