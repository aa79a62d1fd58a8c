"""What every tier needs to know about a game, and nothing a tier computes itself."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Literal

GameKind = Literal["chance", "skill"]


@dataclass(frozen=True)
class Game:
    """A game's facts. `name` is its key everywhere: the bets' `game` column, the API's enum
    and bet ids ("dice:17", "dice-1234-5"), the per-tier registries and the web panel.
    `contract` is its manifest (and Solidity contract) name. A game of chance asks the
    RandomnessCoordinator for words (the deployment makes it a consumer) and settles against the
    bankroll or its own pool; a game of skill settles from results its referee signs.
    `placing_event` is the one log that places each bet (a readable bet id names that log)."""

    name: str
    contract: str
    kind: GameKind
    placing_event: str
    rules: ModuleType

    def __post_init__(self) -> None:
        # a readable bet id is "<name>-<block>-<log>" and must parse back (backend.api.bet_ids)
        if not (self.name.isascii() and self.name.isalpha() and self.name.islower() and 4 <= len(self.name) <= 10):
            raise ValueError(f"a game's name is 4..10 lower-case letters, got {self.name!r}")
        if self.kind not in ("chance", "skill"):
            raise ValueError(f"a game is of chance or of skill, got {self.kind!r}")

    @property
    def uses_randomness(self) -> bool:
        return self.kind == "chance"
