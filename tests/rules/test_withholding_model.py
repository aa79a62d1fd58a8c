"""The withholding model (fairstake/rules/withholding.py): for every game, every holding of the
oracle key's holder and every strategy, withholding never beats publishing; honest parties end at
or above what publishing gives them (Jackpot: within the stated bound). The rules the platform
had before the bond are modelled here too, to show the model catches the audit's findings."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations, product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairstake.rules import bankroll as bankroll_rules
from fairstake.rules import dice as dice_rules
from fairstake.rules.withholding import (
    Holdings,
    Parties,
    Strategy,
    dice_outcomes,
    dice_withheld,
    expected_values,
    jackpot_outcomes,
    jackpot_published,
    jackpot_withheld,
)

ETHER = 10**18
TARGETS = (1, 2, 10, 25, 49, 50, 51, 75, 90, 98, 99)
EDGES = (0, 100, 500)
FEES = (0, 1_000, 2_000)
SHARES = (Fraction(0), Fraction(1, 3), Fraction(1))


def dice_holdings() -> list[Holdings]:
    """Every combination of the holder's other positions: bettor or not, LP share, fee share."""
    return [
        Holdings(plays_bet=plays, lp_share=lp, fee_share=fee)
        for plays, lp, fee in product((False, True), SHARES, (Fraction(0), Fraction(1)))
    ]


# ------------------------------------------------------------------ conservation


@pytest.mark.parametrize("target", TARGETS)
def test_dice_outcomes_conserve_money(target: int) -> None:
    for edge, fee in product(EDGES, FEES):
        for _, published, withheld in dice_outcomes(3 * ETHER + 7, target, edge, fee):
            assert published.total() == 0
            assert withheld.total() == 0


# ------------------------------------------------------------------ Dice: the holder


@pytest.mark.parametrize("target", TARGETS)
def test_dice_withholding_any_single_result_never_pays_the_holder(target: int) -> None:
    """Dominance, outcome by outcome: whatever the roll and whatever else the holder holds, the
    withheld result is worth at most the published one to it. So no strategy (which only chooses
    which results to withhold) can raise its expected value."""
    for edge, fee, stake in product(EDGES, FEES, (10**15, ETHER, 10**22 + 3)):
        for _, published, withheld in dice_outcomes(stake, target, edge, fee):
            for holdings in dice_holdings():
                assert holdings.value(withheld) <= holdings.value(published), (stake, edge, fee, holdings)


@pytest.mark.parametrize("strategy", list(Strategy))
@pytest.mark.parametrize("target", (1, 50, 99))
def test_dice_no_strategy_beats_publishing_everything(strategy: Strategy, target: int) -> None:
    """The same by expectation, strategy by strategy (a cross-check of the dominance above on the
    corners of the parameter space)."""
    corners = [h for h in dice_holdings() if h.lp_share in (0, 1)]
    for edge, fee in product((100, 500), (0, 2_000)):
        outcomes = dice_outcomes(ETHER, target, edge, fee)
        for holdings in corners:
            honest, _ = expected_values(outcomes, Strategy.PUBLISH_ALL, holdings)
            value, _ = expected_values(outcomes, strategy, holdings)
            assert value <= honest, (strategy, edge, fee, holdings)


@given(
    stake=st.integers(10**12, 10**24),
    target=st.integers(dice_rules.MIN_TARGET, dice_rules.MAX_TARGET),
    edge=st.integers(0, dice_rules.MAX_EDGE_BPS),
    fee=st.integers(0, 2_000),
    lp_share=st.fractions(0, 1),
    fee_share=st.fractions(0, 1),
    plays=st.booleans(),
)
@settings(max_examples=100, deadline=None)
def test_dice_best_response_is_to_publish_for_any_parameters(
    stake: int, target: int, edge: int, fee: int, lp_share: Fraction, fee_share: Fraction, plays: bool
) -> None:
    holdings = Holdings(plays_bet=plays, lp_share=lp_share, fee_share=fee_share)
    outcomes = dice_outcomes(stake, target, edge, fee)
    honest, _ = expected_values(outcomes, Strategy.PUBLISH_ALL, holdings)
    best, _ = expected_values(outcomes, Strategy.BEST_RESPONSE, holdings)
    assert best == honest


# ------------------------------------------------------------------ Dice: honest parties


@pytest.mark.parametrize("target", TARGETS)
def test_dice_honest_parties_are_whole_when_a_result_is_withheld(target: int) -> None:
    """Against an outage or a withholder: the bettor ends with the win payout (the best any roll
    gives it), the LPs and the protocol with what a house win gives them (their best too)."""
    for edge, fee in product(EDGES, FEES):
        outcomes = dice_outcomes(ETHER, target, edge, fee)
        withheld = outcomes[0][2]
        assert withheld.player == max(published.player for _, published, _ in outcomes)
        assert withheld.lps == max(published.lps for _, published, _ in outcomes)
        assert withheld.protocol == max(published.protocol for _, published, _ in outcomes)
        # and so under every strategy, in expectation
        for strategy in Strategy:
            _, parties = expected_values(outcomes, strategy, Holdings())
            _, honest = expected_values(outcomes, Strategy.PUBLISH_ALL, Holdings())
            assert parties.player >= honest.player
            assert parties.lps >= honest.lps
            assert parties.protocol >= honest.protocol


# ------------------------------------------------------------------ Dice: the rules the audit broke


def _with_rule(outcomes: list, rule: Parties) -> list:
    return [(chance, published, rule) for chance, published, _ in outcomes]


def test_the_old_timeout_rule_paid_a_withholding_bettor() -> None:
    """Before the bond, a timed-out bet was paid its win payout out of the bankroll: a holder who
    bets and withholds its losing results turned the edge into a profit (audit finding 1)."""
    stake, target = ETHER, 1
    payout = dice_rules.payout_if_win(stake, target, 100)
    old_rule = Parties(player=Fraction(payout - stake), lps=Fraction(stake - payout))
    outcomes = _with_rule(dice_outcomes(stake, target, 100, 1_000), old_rule)
    bettor = Holdings(plays_bet=True)
    honest, _ = expected_values(outcomes, Strategy.PUBLISH_ALL, bettor)
    cheating, _ = expected_values(outcomes, Strategy.WITHHOLD_LOSSES, bettor)
    assert honest < 0 < cheating
    assert cheating == payout - stake  # every bet becomes a win


def test_a_plain_refund_lets_a_withholding_bettor_escape_its_losses() -> None:
    """The Vault backstop refunding a withheld bet (audit finding 6) is selective abort."""
    outcomes = _with_rule(dice_outcomes(ETHER, 50, 100, 1_000), Parties())
    bettor = Holdings(plays_bet=True)
    honest, _ = expected_values(outcomes, Strategy.PUBLISH_ALL, bettor)
    cheating, _ = expected_values(outcomes, Strategy.WITHHOLD_LOSSES, bettor)
    assert honest < 0 < cheating


def test_an_expiry_that_gave_back_the_lock_fee_would_pay_a_bettor_who_is_also_an_lp() -> None:
    """Why an expired bet's fee stays taken (the Vault takes it at the lock, whatever follows):
    had the expiry given it back to the bankroll, a holder that bets and holds bankroll would gain
    the fee on every loss it withholds. (The same leak the issue's first suggestion had: a
    fee-free expired stake.)"""
    stake, target, edge, fee_bps = ETHER, 50, 100, 1_000
    payout = dice_rules.payout_if_win(stake, target, edge)
    fee = bankroll_rules.protocol_fee(dice_rules.house_edge(stake, target, edge), fee_bps)
    assert fee > 0
    fee_back = Parties(player=Fraction(payout - stake), lps=Fraction(stake), bond=Fraction(-payout))
    outcomes = _with_rule(dice_outcomes(stake, target, edge, fee_bps), fee_back)
    # betting against its own bankroll, the holder ends at -fee whatever the roll; withholding
    # every result (its best response) would end at 0
    holder = Holdings(plays_bet=True, lp_share=Fraction(1))
    honest, _ = expected_values(outcomes, Strategy.PUBLISH_ALL, holder)
    cheating, _ = expected_values(outcomes, Strategy.BEST_RESPONSE, holder)
    assert honest == -fee
    assert cheating - honest == fee
    # the rule in force closes it: the withheld bet's protocol share is the lock's fee
    assert dice_withheld(stake, target, edge, fee_bps).protocol == fee


def test_rotation_is_publishing_because_pending_requests_stay_fulfillable() -> None:
    outcomes = dice_outcomes(ETHER, 1, 100, 1_000)
    for holdings in dice_holdings():
        assert expected_values(outcomes, Strategy.ROTATE_KEY, holdings) == expected_values(
            outcomes, Strategy.PUBLISH_ALL, holdings
        )


# ------------------------------------------------------------------ Jackpot


ROUNDS = [
    # (tickets per purchase, price, rolled-in money, rake bps)
    ((1, 1), 10**16, 0, 300),
    ((1, 2, 3), 10**16, 0, 300),
    ((2, 1, 1, 4), 5 * 10**6, 7 * 10**6, 500),
    ((1, 1, 1, 1, 1), 10**16, 10**17, 0),
    ((3, 5, 2), 10**16, 3 * 10**16, 300),
]


def _holder_subsets(count: int) -> list[frozenset[int]]:
    return [frozenset(c) for size in range(count + 1) for c in combinations(range(count), size)]


@pytest.mark.parametrize("counts,price,rolled_in,rake", ROUNDS)
def test_jackpot_outcomes_conserve_money(counts: tuple, price: int, rolled_in: int, rake: int) -> None:
    for _, published, withheld in jackpot_outcomes(counts, price, rolled_in, rake):
        assert published.total() == 0
        assert withheld.total() == 0


@pytest.mark.parametrize("counts,price,rolled_in,rake", ROUNDS)
def test_jackpot_withholding_never_pays_the_holder_whatever_tickets_it_holds(
    counts: tuple, price: int, rolled_in: int, rake: int
) -> None:
    """Dominance for any holding, up to every ticket of the round, with or without the rake."""
    outcomes = jackpot_outcomes(counts, price, rolled_in, rake)
    for purchases in _holder_subsets(len(counts)):
        for fee_share in (Fraction(0), Fraction(1)):
            holdings = Holdings(purchases=purchases, fee_share=fee_share)
            for _, published, withheld in outcomes:
                assert holdings.value(withheld) <= holdings.value(published), (purchases, fee_share)
            honest, _ = expected_values(outcomes, Strategy.PUBLISH_ALL, holdings)
            for strategy in Strategy:
                assert expected_values(outcomes, strategy, holdings)[0] <= honest


@pytest.mark.parametrize("counts,price,rolled_in,rake", ROUNDS)
def test_jackpot_honest_holders_are_whole_against_a_minority_withholder_and_an_outage(
    counts: tuple, price: int, rolled_in: int, rake: int
) -> None:
    """Every honest purchase's expected result is at least what an honest draw gives it, under
    every strategy of a holder with at most half the tickets, and under an outage whatever the
    holder holds."""
    outcomes = jackpot_outcomes(counts, price, rolled_in, rake)
    total = sum(counts)
    for purchases in _holder_subsets(len(counts)):
        holdings = Holdings(purchases=purchases)
        _, honest = expected_values(outcomes, Strategy.PUBLISH_ALL, holdings)
        held = sum(counts[i] for i in purchases)
        strategies = list(Strategy) if 2 * held <= total else [Strategy.GO_OFFLINE]
        for strategy in strategies:
            _, parties = expected_values(outcomes, strategy, holdings)
            for index in range(len(counts)):
                if index not in purchases:
                    assert parties.tickets[index] >= honest.tickets[index], (strategy, purchases, index)


def test_jackpot_the_stated_limit_a_majority_withholder_can_hurt_honest_holders_at_its_own_cost() -> None:
    """The bound is real: against a holder with most tickets that withholds whenever it loses, an
    honest holder's expectation falls below an honest draw's; the withholder pays for it."""
    counts, price, rolled_in, rake = (3, 1), 10**16, 0, 300
    outcomes = jackpot_outcomes(counts, price, rolled_in, rake)
    spiteful = Holdings(purchases=frozenset({0}))
    honest_value, honest = expected_values(outcomes, Strategy.PUBLISH_ALL, spiteful)
    spite_value, spite = expected_values(outcomes, Strategy.WITHHOLD_LOSSES, spiteful)
    assert spite.tickets[1] < honest.tickets[1]
    assert spite_value < honest_value


def test_jackpot_without_the_bond_a_one_ticket_holder_decides_every_round() -> None:
    """Audit finding 5, as the model sees the old rule (refunds only): withholding every draw it
    loses gives a one-ticket holder a free option on every round."""
    counts, price = (1, 9), 10**16
    no_bond = Parties(tickets=(Fraction(0), Fraction(0)))
    outcomes = [(c, p, no_bond) for c, p, _ in jackpot_outcomes(counts, price, 0, 300)]
    holder = Holdings(purchases=frozenset({0}))
    honest, _ = expected_values(outcomes, Strategy.PUBLISH_ALL, holder)
    cheating, _ = expected_values(outcomes, Strategy.WITHHOLD_LOSSES, holder)
    assert cheating > honest
    assert jackpot_published(counts, price, 0, 300, 0).tickets[0] > 0
    assert jackpot_withheld(counts, price, 0).bond < 0
