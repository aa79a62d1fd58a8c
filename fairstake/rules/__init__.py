"""Game rules as pure functions: the one Python definition of every outcome, shared by the
oracle, the indexer, the API and auditors. Each module mirrors its Solidity twin exactly
(same integer arithmetic, same rounding); the test suite proves they agree."""

from fairstake.rules import bankroll, dice, jackpot, keno, match, multiroll, protection, tournament

__all__ = ["bankroll", "dice", "jackpot", "keno", "match", "multiroll", "protection", "tournament"]
