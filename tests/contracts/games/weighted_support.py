"""What the weighted games' contract tests share: the configurations WeightedRules refuses, each
with the custom error it raises (test_weighted_agreement.py through the harness,
test_weighted_games.py through Wheel.addConfig), and the header it stores for a configuration."""

from __future__ import annotations

from fairstake.rules import weighted

BAD_CONFIGURATIONS: list[tuple[tuple[int, ...], tuple[int, ...], int, str]] = [
    ((1, 1), (19_400,), 0, "LengthMismatch"),
    ((10,), (9_700,), 0, "BadSegmentCount"),
    ((1,) * 65, (9_700,) * 64 + (10_001,), 0, "BadSegmentCount"),
    ((1, 0), (19_400, 0), 0, "ZeroWeight"),
    ((1, 1), (19_400, 0), 3, "BadRisk"),
    ((1, 1), (9_700, 9_700), 0, "NoWinningSegment"),
    ((1, 1), (19_601, 0), 0, "RtpOutOfRange"),  # 98.005 %: above the cap
    ((1, 1), (18_999, 0), 0, "RtpOutOfRange"),  # 94.995 %: below the floor
]


def enabled_header(config: weighted.WeightedConfig) -> tuple[int, int, int, int, int, bool]:
    """What WeightedRules stores for an enabled configuration, from the Python model: (total weight,
    largest multiplier, weighted sum, segment count, risk, enabled)."""
    return (
        config.total_weight,
        config.max_multiplier,
        config.weighted_sum,
        len(config.weights),
        config.risk,
        True,
    )
