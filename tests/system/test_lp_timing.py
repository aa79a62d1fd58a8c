"""Issue 12, finding 2: no LP can enter or leave the bankroll around an outcome it can see.

On the real platform (ops/deploy.py's deployment, real ECVRF proofs), an outcome is public
once its fulfilment is in the mempool and the oracle knows it from the request on. The attacker
plays the best timing the Vault allows: a deposit request made long ago and already claimable,
claimed in the block before a house-winning fulfilment (and redeemed after it); a redeem request
already claimable, claimed in the block before a player's win. With instant `bankrollDeposit` /
`bankrollWithdraw` (before this change) both paid, and they would still pay if a claim were
priced at the plain share price of its moment (a claimable request is a free option on the claim
time): each test also checks that the plain price would have paid, so it guards the pricing.
"""

from __future__ import annotations

from typing import Any

import pytest
from brownie import accounts
from system_support import ETHER, Commitment, Platform, assert_solvent, commitments, first_word, fulfil, prove

from fairstake.manifest import ETH
from fairstake.rules import dice as dice_rules
from fairstake.rules.dice import encode_choice as dice_choice
from ops import bankroll

DICE_EDGE = 100
VIRTUAL_SHARES = 10**6
STAKE = 10 * ETHER
TARGET = 50


@pytest.fixture(scope="module")
def attacker() -> Any:
    return accounts[8]


def plain_price_shares(vault: Any, assets: int) -> int:
    """Shares at the plain share price (what a claim would mint without the open-outcome bound)."""
    return assets * (int(vault.totalShares(ETH)) + VIRTUAL_SHARES) // (int(vault.bankrollAssets(ETH)) + 1)


def plain_price_assets(vault: Any, shares: int) -> int:
    return shares * (int(vault.bankrollAssets(ETH)) + 1) // (int(vault.totalShares(ETH)) + VIRTUAL_SHARES)


def bet_with_outcome(platform: Platform, player: Any, house_wins: bool) -> tuple[Commitment, int]:
    """Place Dice bets until one's result (known to the oracle from the request on) is the wanted
    one; the others are fulfilled at once. Returns its commitment and payout."""
    dice, coordinator = platform["Dice"], platform["RandomnessCoordinator"]
    platform["Vault"].depositFor(player, ETH, 400 * ETHER, {"from": player, "value": 400 * ETHER})
    for _ in range(40):
        rc = commitments(dice.placeBet(ETH, STAKE, dice_choice(TARGET), 0, {"from": player}))[0]
        payout = dice_rules.outcome(first_word(prove(rc)), STAKE, TARGET, DICE_EDGE).payout
        if (payout == 0) == house_wins:
            return rc, payout
        fulfil(coordinator, rc)
    raise AssertionError("no bet with the wanted outcome in 40 tries")


def test_entering_before_a_known_house_win_does_not_pay(
    funded: Platform, lp: Any, players: list[Any], attacker: Any
) -> None:
    vault, coordinator = funded["Vault"], funded["RandomnessCoordinator"]
    attack = 2_000 * ETHER
    bankroll.request_deposit(vault, ETH, attack, attacker)
    bankroll.pass_delay(vault)  # the request is claimable: the attacker picks the claim's moment

    rc, _ = bet_with_outcome(funded, players[0], house_wins=True)
    passive_before = int(vault.previewBankrollRedeem(ETH, vault.sharesOf(lp, ETH)))
    plain_shares = plain_price_shares(vault, attack)
    shares = vault.claimBankrollDeposit(ETH, attacker, {"from": attacker}).return_value  # front-runs
    fulfil(coordinator, rc)  # the house wins the stake
    gain = int(vault.bankrollAssets(ETH)) - attack - passive_before
    assert gain > 0

    # at the plain price the attacker would have taken most of the passive LP's gain
    assert plain_price_assets(vault, plain_shares) > attack + gain // 2
    out = bankroll.redeem(vault, ETH, shares, attacker).return_value
    assert out <= attack
    assert vault.previewBankrollRedeem(ETH, vault.sharesOf(lp, ETH)) >= passive_before + gain - 1
    assert_solvent(vault, ETH)


def test_leaving_before_a_known_player_win_does_not_pay(
    funded: Platform, lp: Any, players: list[Any], attacker: Any
) -> None:
    vault, coordinator = funded["Vault"], funded["RandomnessCoordinator"]
    shares = bankroll.deposit(vault, ETH, 1_000 * ETHER, attacker).return_value  # as big as the passive LP
    vault.requestBankrollRedeem(ETH, shares, {"from": attacker})
    bankroll.pass_delay(vault)  # claimable, and the escrowed shares keep bearing gains and losses

    rc, payout = bet_with_outcome(funded, players[1], house_wins=False)
    loss = payout - STAKE
    passive_shares = int(vault.sharesOf(lp, ETH))
    before = int(vault.bankrollAssets(ETH))
    plain_out = plain_price_assets(vault, shares)
    out = vault.claimBankrollRedeem(ETH, attacker, {"from": attacker}).return_value  # front-runs the win
    fulfil(coordinator, rc)

    # staying would have left the attacker its pro-rata share of the bankroll after the loss
    total = passive_shares + shares
    stayed = (before - loss) * shares // total
    assert plain_out > stayed + loss // 3  # the plain price would have dodged about half the loss
    assert out <= stayed
    # and the passive LP bears no more than its own share of the loss
    passive_now = int(vault.previewBankrollRedeem(ETH, passive_shares)) + int(vault.bankrollReserved(ETH))
    assert passive_now >= (before - loss) * passive_shares // total - 1
    assert_solvent(vault, ETH)
