"""The chance games' deployments (made in chance_support), offered to every module of this folder.

A module that deploys its own contract under one of these names (the skill games through
test_match_support) overrides the fixture for itself.
"""

from chance_support import (  # noqa: F401  (fixtures)
    bankroll,
    cointoss,
    coordinator,
    dice,
    funded,
    jackpot,
    real_coordinator,
    real_key_hash,
    real_registry,
    registry,
    roulette,
    usds,
    vault,
)
