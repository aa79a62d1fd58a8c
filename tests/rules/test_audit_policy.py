"""The audit policy (fairstake.audit) on cases worked out by hand from the rules' definitions."""

from __future__ import annotations

import pytest

from fairstake import audit as policy
from fairstake.rules import dice
from fairstake.rules.match import RulesError

PLAYER = "0x00000000000000000000000000000000000000Ab"


def _choice(target: int, over: bool = False) -> bytes:
    return target.to_bytes(32, "big") + int(over).to_bytes(32, "big")


def test_chance_terms_follow_the_documented_formulas() -> None:
    # stake 1000 on roll-under 50 at 1 %: W = 1000 * 100 * 9900 // (50 * 10000) = 1980;
    # house edge = 1000 - ceil(1980 * 50 / 100) = 10; a 10 % fee share of it = 1
    terms = policy.chance_terms(dice, 1000, _choice(50), 100, fee_bps=1_000)
    assert (terms.max_payout, terms.house_edge, terms.protocol_fee) == (1980, 10, 1)
    assert policy.chance_terms(dice, 1000, _choice(50), 100).protocol_fee is None
    # roll-over 69 wins on 70..99, 30 outcomes: W = 1000 * 100 * 9900 // (30 * 10000) = 3300;
    # edge = 1000 - ceil(3300 * 30 / 100) = 10
    terms = policy.chance_terms(dice, 1000, _choice(69, True), 100, fee_bps=1_000)
    assert (terms.max_payout, terms.house_edge, terms.protocol_fee) == (3300, 10, 1)
    # 10 rolls: W x 10; no stop: every roll's edge (100, fee 10); a stop-loss of 250 needs 3 rolls
    assert policy.chance_terms(dice, 1000, _choice(50), 100, 10, fee_bps=1_000) == policy.ChanceTerms(19800, 100, 10)
    assert policy.chance_terms(dice, 1000, _choice(50), 100, 10, 0, 2_500).house_edge == 30
    # a stop-gain of 1000 is within two wins of 980: 2 rolls for certain
    assert policy.chance_terms(dice, 1000, _choice(50), 100, 10, 1_000, 0).house_edge == 20


def test_chance_play_wins_on_the_chosen_side_only() -> None:
    under, over = _choice(50), _choice(50, True)
    assert policy.chance_play(dice, 149, 1000, under, 100) == policy.chance_play(dice, 49, 1000, under, 100)
    assert [policy.chance_play(dice, w, 1000, under, 100).payout for w in (49, 50)] == [1980, 0]
    # roll-over 50 wins on 51..99 (49 outcomes): 1000 * 100 * 9900 // (49 * 10000) = 2020
    assert [policy.chance_play(dice, w, 1000, over, 100).payout for w in (50, 51, 99)] == [0, 2020, 2020]


def test_an_expired_bet_ends_with_its_maximum_payout_from_the_bond() -> None:
    expired = policy.chance_timeout(100, 190, PLAYER, expired=True, backstop=False)
    assert expired.payout == 190 and expired.refund == 100
    assert expired.slash == policy.BondSlash(PLAYER, 90, 100, True)
    assert expired.slash.same_as(PLAYER.lower(), 90, 100, True)
    assert not expired.slash.same_as(PLAYER, 89, 100, True)  # one wei short
    assert not expired.slash.same_as(PLAYER, 90, 100, False)  # the stake not to the bankroll
    # the Vault's backstop refunded the lock first: BetTimedOut records nothing more
    assert policy.chance_timeout(100, 190, PLAYER, expired=True, backstop=True).payout == 0


def test_a_failed_callback_refunds_the_stake_without_a_slash() -> None:
    failed = policy.chance_timeout(100, 190, PLAYER, expired=False, backstop=False)
    assert (failed.payout, failed.slash) == (100, None)
    assert policy.chance_timeout(100, 190, PLAYER, expired=False, backstop=True).payout == 0


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
    # one roll-under 37 at 0 %: pays 1000 * 100 // 37 = 2702 with p 0.37
    mean, variance = policy.chance_moments(dice, 1000, _choice(37), 0, 1, 1)
    assert mean == pytest.approx(0.37 * 2702) and variance == pytest.approx(0.37 * 0.63 * 2702**2)
    # 4 rolls of which 1 played: 3 stakes back for certain
    assert policy.chance_moments(dice, 1000, _choice(37), 0, 4, 1)[0] == pytest.approx(3000 + 0.37 * 2702)
    assert policy.pool_return("jackpot", 10_000, 250) == 9_750
    assert policy.pool_return("match", 999, 1_000) == 900  # rake 99 rounds down


def test_chance_bet_data_lays_the_bet_out_as_the_engine_commits_it() -> None:
    # lock 5, 3 rolls at 150 bps with stops, a choice of three words: stored by the game (tail 0)
    assert policy.chance_bet_data(5, 3, 150, True, bytes(96)) == 5 + (3 << 56) + (150 << 64) + (1 << 88)
    # roll under 50: two small words packed, PACKED (bit 159 of the tail) and TWO_WORDS (158) set
    tail = (1 << 159) + (1 << 158) + 50
    assert policy.chance_bet_data(7, 1, 100, False, _choice(50)) == 7 + (1 << 56) + (100 << 64) + (tail << 96)
    # over: the second word (1) sits at bit 79 of the tail
    over = policy.chance_bet_data(7, 1, 100, False, _choice(50, over=True))
    assert over - policy.chance_bet_data(7, 1, 100, False, _choice(50)) == 1 << (79 + 96)
    # one word: PACKED alone; a word of 2^79 or more does not pack
    assert policy.chance_bet_data(1, 1, 0, False, (1).to_bytes(32, "big")) == 1 + (1 << 56) + (((1 << 159) + 1) << 96)
    assert policy.chance_bet_data(1, 1, 0, False, (1 << 79).to_bytes(32, "big")) == 1 + (1 << 56)
    with pytest.raises(ValueError):
        policy.chance_bet_data(1 << 56, 1, 0, False, bytes(32))
