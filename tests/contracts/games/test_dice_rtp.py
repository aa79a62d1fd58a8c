"""Dice end to end with real randomness: the RandomnessCoordinator verifies ECVRF proofs made by
oracle.ecvrf, the real PlayerRegistry is consulted, and the observed return to player over many
bets matches the theory within a 4-sigma bound.

Bound: each bet returns X_i = payout_i / stake, with mean mu = exact_rtp (rounding included) and
standard deviation sigma = multiplier * sqrt(p (1 - p)). Over N independent bets the mean's
standard deviation is sigma / sqrt(N); a fair implementation falls outside mu +- 4 sigma / sqrt(N)
with probability below 1e-4. Target 90 keeps sigma small (about 0.33), so N = 1000 bets give a
bound of about +-0.042 around 0.99 while the test stays fast (bets and proofs go 10 per tx). On
ganache N = 250 (contract_support.ganache_share): a bound of about +-0.084.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from brownie import accounts
from chance_support import (
    EDGE_BPS,
    LOCK_DURATION,
    MAX_STAKE,
    MIN_STAKE,
    commitments_of,
    deploy_on_real_randomness,
    dice_choice,
    fulfil_all,
    transact,
)
from contract_support import ETHER, ganache_share, lock_terms

from fairstake.manifest import ETH
from fairstake.rules import dice as rules

BETS = ganache_share(1_000)  # the bound below is computed from BETS
PER_TX = 10
TARGET = 90
STAKE = ETHER // 100
CALLBACK_GAS = 150_000


@pytest.fixture(scope="module")
def real_dice(
    owner: Any, vault: Any, real_coordinator: Any, real_registry: Any, real_key_hash: str, bankroll: None
) -> Any:
    from brownie import Dice

    dice = deploy_on_real_randomness(
        Dice, owner, vault, real_coordinator, real_registry, real_key_hash, CALLBACK_GAS, LOCK_DURATION
    )
    dice.configureToken(ETH, True, MIN_STAKE, MAX_STAKE, EDGE_BPS, {"from": owner})
    return dice


def test_observed_rtp_matches_theory_with_real_proofs(real_dice: Any, real_coordinator: Any, vault: Any) -> None:
    from oracle import ecvrf

    player, fulfiller = accounts[6], accounts[7]
    vault.depositFor(player, ETH, BETS * STAKE, {"from": player, "value": BETS * STAKE})
    staked = paid = wins = 0
    for _ in range(BETS // PER_TX):
        placed = transact(
            real_dice.placeBets, ETH, [STAKE] * PER_TX, [dice_choice(TARGET)] * PER_TX, 0, {"from": player}
        )
        tx, outputs = fulfil_all(real_coordinator, commitments_of(placed), fulfiller)
        fulfilled = tx.events["RandomnessFulfilled"]
        assert all(e["callbackSuccess"] for e in fulfilled)
        settled = {int(e["betId"]): e for e in tx.events["BetSettled"]}
        for event, output in zip(fulfilled, outputs, strict=True):
            bet = settled[int(event["requestId"])]
            assert int(event["output"]) == output
            word = ecvrf.random_words(output, 1)[0]
            expected = rules.outcome(word, STAKE, TARGET, EDGE_BPS)
            assert (bet["word"], bet["rollsPlayed"], bet["payout"]) == (word, 1, expected.payout)
            staked += STAKE
            paid += int(bet["payout"])
            wins += expected.won
    assert vault.lockedTotal(ETH) == 0
    assert vault.balanceOf(player, ETH) == paid  # every wei staked came back only as payouts

    expected_rtp = float(rules.exact_rtp(STAKE, TARGET, EDGE_BPS))
    bound = 4 * rules.return_std_dev(TARGET, EDGE_BPS) / math.sqrt(BETS)
    observed_rtp = paid / staked
    p = TARGET / 100
    win_bound = 4 * math.sqrt(p * (1 - p) / BETS)
    print(
        f"RTP over {BETS} bets: observed {observed_rtp:.4f}, theory {expected_rtp:.4f} +- {bound:.4f}; "
        f"win rate {wins / BETS:.4f} vs {p} +- {win_bound:.4f}"
    )
    assert abs(observed_rtp - expected_rtp) <= bound
    assert abs(wins / BETS - p) <= win_bound


def test_real_registry_exclusion_blocks_bets_not_withdrawals(
    real_dice: Any, real_registry: Any, vault: Any, reverts_with: Any
) -> None:
    player = accounts[8]
    vault.depositFor(player, ETH, ETHER, {"from": player, "value": ETHER})
    real_registry.selfExclude(184 * 86_400, {"from": player})
    with reverts_with("SelfExcluded"):
        real_dice.placeBet(ETH, STAKE, dice_choice(50), 0, {"from": player})
    timed_out = accounts[7]
    vault.depositFor(timed_out, ETH, ETHER, {"from": timed_out, "value": ETHER})
    real_registry.takeTimeOut(1, {"from": timed_out})  # a week
    with reverts_with("TimedOut"):
        real_dice.placeBet(ETH, STAKE, dice_choice(50), 0, {"from": timed_out})
    vault.withdraw(ETH, ETHER, player, {"from": player})
    assert vault.balanceOf(player, ETH) == 0


def test_real_registry_kyc_threshold_counts_every_bet_of_a_batch(
    real_dice: Any, real_registry: Any, vault: Any, owner: Any, reverts_with: Any
) -> None:
    """The audit finding: with a 1 ETH threshold, bets of 0.3 ETH (each under it) in one placeBets
    call must not reach 1.5 ETH without KYC."""
    from brownie import chain

    player, month = accounts[8], 30 * 86_400
    chain.sleep(month - chain[-1].timestamp % month + 60)  # all bets below land in one 30-day window
    real_registry.setKycRule(ETH, ETHER, 1, {"from": owner})
    vault.depositFor(player, ETH, 2 * ETHER, {"from": player, "value": 2 * ETHER})
    bet = 3 * ETHER // 10
    with reverts_with("KycRequired"):
        real_dice.placeBets(ETH, [bet] * 5, [dice_choice(50)] * 5, 0, {"from": player})
    assert vault.balanceOf(player, ETH) == 2 * ETHER  # nothing was staked
    real_dice.placeBets(ETH, [bet] * 3, [dice_choice(50)] * 3, 0, {"from": player})  # 0.9 ETH: under the threshold
    assert vault.balanceOf(player, ETH) == 2 * ETHER - 3 * bet
    with reverts_with("KycRequired"):  # a fourth bet, in its own transaction, would make 1.2 ETH
        real_dice.placeBet(ETH, bet, dice_choice(50), 0, {"from": player})


def test_a_key_rotation_leaves_a_pending_bet_to_the_key_it_asked(
    real_dice: Any, real_coordinator: Any, vault: Any, owner: Any, reverts_with: Any
) -> None:
    """The coordinator's governance moves the game to another oracle key while a bet waits: the bet keeps its
    request (named by its lock, not by the key), no refund is possible while it is pending, and
    the old key's proof settles it by its word; the next bet asks the new key."""
    from oracle import ecvrf

    player = accounts[6]
    vault.depositFor(player, ETH, ETHER, {"from": player, "value": ETHER})
    placed = real_dice.placeBet(ETH, STAKE, dice_choice(50), 0, {"from": player})
    (rc,) = commitments_of(placed)
    lock_id = placed.events["Locked"]["lockId"]
    bet_id = placed.events["BetPlaced"]["betId"]

    new_secret = 0xB0B5EC2E7
    new_pk = list(ecvrf.public_key(new_secret))
    real_coordinator.registerKey(new_pk, owner, {"from": owner})
    new_key = real_coordinator.hashOfKey(new_pk)
    real_coordinator.depositBond(new_key, ETH, ETHER, {"from": owner, "value": ETHER})
    real_coordinator.setConsumer(real_dice, new_key, {"from": owner})
    assert real_dice.keyHash() == new_key

    assert tuple(real_dice.betStatusOf(lock_id)) == (bet_id, 1)  # AwaitingWord
    with reverts_with("BetNotTimedOut"):
        real_dice.settleTimedOut(lock_id, lock_terms(vault, lock_id), {"from": player})
    tx, (output,) = fulfil_all(real_coordinator, [rc], accounts[7])
    word = ecvrf.random_words(output, 1)[0]
    settled = tx.events["BetSettled"]
    assert (settled["betId"], settled["word"]) == (bet_id, word)
    assert settled["payout"] == rules.outcome(word, STAKE, 50, EDGE_BPS).payout
    assert vault.balanceOf(player, ETH) == ETHER - STAKE + settled["payout"]
    assert tuple(real_dice.betStatusOf(lock_id)) == (bet_id, 0)  # Closed

    later = real_dice.placeBet(ETH, STAKE, dice_choice(50), 0, {"from": player})
    assert later.events["RandomnessRequested"]["keyHash"] == new_key
