"""The audit policy (fairstake.audit) on cases worked out by hand from the rules' definitions."""

from __future__ import annotations

import pytest

from fairstake import audit as policy
from fairstake.rules.match import RulesError

PLAYER = "0x00000000000000000000000000000000000000Ab"


def test_dice_terms_follow_the_documented_formulas() -> None:
    # stake 1000 on target 50 at 1 %: W = 1000 * 100 * 9900 // (50 * 10000) = 1980;
    # house edge = 1000 - ceil(1980 * 50 / 100) = 10; a 10 % fee share of it = 1
    terms = policy.dice_terms(1000, 50, 100, 1_000)
    assert (terms.payout_if_win, terms.house_edge, terms.protocol_fee) == (1980, 10, 1)
    assert policy.dice_terms(1000, 50, 100).protocol_fee is None


def test_dice_outcome_wins_below_the_target_only() -> None:
    assert policy.dice_outcome(149, 1000, 50, 100) == policy.dice_outcome(49, 1000, 50, 100)  # roll 49
    assert (policy.dice_outcome(49, 1000, 50, 100).won, policy.dice_outcome(50, 1000, 50, 100).won) == (True, False)
    assert policy.dice_outcome(50, 1000, 50, 100).payout == 0


def test_an_expired_bet_ends_with_its_win_payout_from_the_bond() -> None:
    expired = policy.dice_timeout(100, 190, PLAYER, expired=True, backstop=False)
    assert expired.payout == 190 and expired.refund == 100
    assert expired.slash == policy.BondSlash(PLAYER, 90, 100, True)
    assert expired.slash.same_as(PLAYER.lower(), 90, 100, True)
    assert not expired.slash.same_as(PLAYER, 89, 100, True)  # one wei short
    assert not expired.slash.same_as(PLAYER, 90, 100, False)  # the stake not to the bankroll
    # the Vault's backstop refunded the lock first: BetTimedOut records nothing more
    assert policy.dice_timeout(100, 190, PLAYER, expired=True, backstop=True).payout == 0


def test_a_failed_callback_refunds_the_stake_without_a_slash() -> None:
    failed = policy.dice_timeout(100, 190, PLAYER, expired=False, backstop=False)
    assert (failed.payout, failed.slash) == (100, None)
    assert policy.dice_timeout(100, 190, PLAYER, expired=False, backstop=True).payout == 0


def test_jackpot_draw_picks_the_purchase_holding_the_ticket() -> None:
    # 20 tickets in purchases [0,5) [5,12) [12,20); word 57 -> ticket 17 -> the third purchase.
    # Pot 1000, 200 of it rolled in: rake 5 % of the 800 sold = 40.
    draw = policy.jackpot_draw(57, [5, 12, 20], 1000, 500, 200)
    assert (draw.ticket, draw.winner_index, draw.prize, draw.rake) == (17, 2, 960, 40)


def test_compensation_shares_round_down_and_the_last_refund_takes_the_rest() -> None:
    assert policy.compensation_shares(10, [1, 1, 1], [2, 0, 1]) == {2: 3, 0: 3, 1: 4}
    assert policy.compensation_shares(10, [1, 1, 1], [1]) == {1: 3}  # not all refunded yet
    with pytest.raises(ValueError, match="without sales"):
        policy.compensation_shares(10, [], [])


def test_pool_payouts_use_each_game_rule() -> None:
    # 3 x 100 with 10 % rake: net 270; shares 70/30 % -> 189, 81
    assert policy.pool_payouts("match", 100, 1_000, [7_000, 3_000], 3, ["a", "b", "c"]) == {"a": 189, "b": 81, "c": 0}
    # 4 entrants x 100 with 5 % rake: net 380, one prize place
    assert policy.pool_payouts("tournament", 100, 500, [10_000], 4, ["w"]) == {"w": 380}
    with pytest.raises(RulesError):
        policy.pool_payouts("match", 100, 1_000, [7_000, 3_000], 2, ["a", "a"])
    with pytest.raises(ValueError, match="no pool payout rule"):
        policy.pool_payouts("dice", 100, 0, [10_000], 2, ["a", "b"])


def test_statistics_inputs() -> None:
    assert policy.dice_win_probability(37) == 0.37
    assert policy.pool_return("jackpot", 10_000, 250) == 9_750
    assert policy.pool_return("match", 999, 1_000) == 900  # rake 99 rounds down
