"""Wheel: a weighted-multiplier game (fairstake.rules.weighted; the contract is
contracts/games/wheel/Wheel.sol on contracts/games/base/WeightedRules.sol).

A wheel is a weighted configuration read around the wheel: segment i spans w_i / total of its
circumference and pays m_i. The defaults ops/games/wheel.py deploys have 10, 20, 30, 40 or 50
equal segments at three risk levels, each with an RTP of exactly 97 %: low and medium repeat a
pattern of ten segments (low: mostly 1.2x with two 0x; medium: every other segment 0x), high has
one segment paying 0.97 * segments and the rest 0x.
"""

from __future__ import annotations

from fairstake.rules.weighted import WeightedConfig

# the indexer's record of a choice (backend.store.projections.chance reads it from the game's rules)
from fairstake.rules.weighted import choice_details as choice_details

DEFAULT_SEGMENTS = (10, 20, 30, 40, 50)
# Ten segments of the low and medium wheels, repeated; each sums to 9.7x (an RTP of 97 %).
_PATTERNS = {
    0: (15000, 12000, 0, 12000, 12000, 10000, 12000, 0, 12000, 12000),
    1: (0, 19000, 0, 15000, 0, 20000, 0, 15000, 0, 28000),
}
_HIGH_RTP_PERCENT = 97


def wheel(multipliers: tuple[int, ...], risk: int) -> WeightedConfig:
    """A wheel of equal segments paying `multipliers` in order around it."""
    return WeightedConfig((1,) * len(multipliers), tuple(multipliers), risk)


def default_wheel(segments: int, risk: int) -> WeightedConfig:
    """One of the 15 wheels deployed by default."""
    if segments not in DEFAULT_SEGMENTS:
        raise ValueError(f"default wheels have {DEFAULT_SEGMENTS} segments, got {segments}")
    if risk == 2:
        return wheel((segments * _HIGH_RTP_PERCENT * 100,) + (0,) * (segments - 1), risk)
    return wheel(_PATTERNS[risk] * (segments // 10), risk)
