"""Keno in the chain-only auditor: the chance-game engine's audit (ops.auditor.chance) with
Keno's rules for the payout tables the contract holds (tableOf: immutable once added, so the
chain's current answer is the one every bet was placed with)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from fairstake.games.keno import GAME
from fairstake.rules import keno
from ops.auditor.audits import GameAudit
from ops.auditor.chance import chance_audit
from ops.auditor.reader import ChainReader


class _ChainTables(Mapping[int, Sequence[Sequence[int]]]):
    """The contract's tables, read once each on first use."""

    def __init__(self, contract: Any) -> None:
        self._contract = contract
        self._read: dict[int, Sequence[Sequence[int]] | None] = {}

    def _table(self, table_id: int) -> Sequence[Sequence[int]] | None:
        if table_id not in self._read:
            added, _, multipliers = self._contract.functions.tableOf(table_id).call()
            self._read[table_id] = [[int(m) for m in row] for row in multipliers] if added else None
        return self._read[table_id]

    def __getitem__(self, table_id: int) -> Sequence[Sequence[int]]:
        table = self._table(table_id)
        if table is None:
            raise KeyError(table_id)
        return table

    def __contains__(self, table_id: object) -> bool:
        return isinstance(table_id, int) and self._table(table_id) is not None

    def __iter__(self) -> Iterator[int]:
        return iter(k for k, v in self._read.items() if v is not None)

    def __len__(self) -> int:
        return sum(v is not None for v in self._read.values())


def _tables(reader: ChainReader) -> keno.Tables:
    return keno.Tables(_ChainTables(reader.contract(GAME.contract)))


AUDIT: GameAudit = chance_audit(GAME, _tables)
