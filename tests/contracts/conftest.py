"""The dev accounts by the role they play in the contract tests, one definition for every folder.

The same index always plays the same role: 0 deploys and governs, 1 and 2 are players, 3 provides
bankroll liquidity, 4 is a third player (`carol`) or the Vault's guardian, 5 receives protocol fees,
9 holds no role at all.
"""

from __future__ import annotations

from typing import Any

import pytest
from brownie import accounts


def _role(name: str, index: int) -> Any:
    @pytest.fixture(scope="module", name=name)
    def account() -> Any:
        return accounts[index]

    return account


owner = _role("owner", 0)
alice = _role("alice", 1)
bob = _role("bob", 2)
lp = _role("lp", 3)
carol = _role("carol", 4)
guardian = _role("guardian", 4)
treasury = _role("treasury", 5)
outsider = _role("outsider", 9)
