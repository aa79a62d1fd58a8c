"""Issue 15's protection gap through a real game, on both chains: Dice on the real PlayerRegistry
(with the MockCoordinator's chosen words). A bet an unlimited player opened before setting a loss
limit is never credited its payout; a bet placed under the limit is. Expected net losses come
from the README's rule (counted stakes minus the payouts of counted stakes), not from the
registry's views."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import PlayerRegistry, chain
from chance_support import deliver, dice_choice, word_for_roll
from contract_support import DAY, ETHER

from fairstake.manifest import ETH

LOSS, DAY_W = 0, 0


@pytest.fixture(scope="module")
def registry(module_isolation: None, owner: Any) -> Any:
    """The real registry in place of the games' double (the fixtures wire it to the Vault)."""
    return PlayerRegistry.deploy(owner, {"from": owner})


def _bet(dice: Any, player: Any) -> tuple[int, int]:
    placed = dice.placeBet(ETH, ETHER, dice_choice(50), 0, {"from": player})
    return int(placed.return_value), int(placed.events["Locked"]["lockId"])


def test_only_counted_stakes_are_credited_their_payouts(
    dice: Any, vault: Any, registry: Any, coordinator: Any, alice: Any, funded: int
) -> None:
    chain.sleep(DAY - chain[-1].timestamp % DAY + 60)  # a minute into a fresh Day window
    chain.mine()
    net_loss = 0  # the model: counted stakes - payouts of counted stakes
    early_bet, early_lock = _bet(dice, alice)  # no limit yet: the registry counts nothing
    assert not vault.lockCounted(early_lock)
    registry.setLimit(ETH, LOSS, DAY_W, 5 * ETHER, {"from": alice})
    later_bet, later_lock = _bet(dice, alice)
    assert vault.lockCounted(later_lock)
    net_loss += ETHER

    early = deliver(coordinator, early_bet, word_for_roll(0)).events["BetSettled"]["payout"]
    assert early > ETHER  # a win: the old code credited it, leaving room for losses never made
    assert registry.usageOf(alice, ETH, DAY_W)[1] == net_loss

    later = deliver(coordinator, later_bet, word_for_roll(0)).events["BetSettled"]["payout"]
    assert later > ETHER
    net_loss -= later
    assert registry.usageOf(alice, ETH, DAY_W)[1] == net_loss
