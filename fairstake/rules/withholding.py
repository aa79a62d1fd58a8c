"""What withholding randomness is worth, and to whom: the economic model behind the oracle bond.

Only the oracle key's holder can produce a request's result, and it learns the result before
anyone else. It may also hold any other position: the bet itself, bankroll shares, the protocol
fee (as governance), Jackpot tickets. For each game this module gives every party's result
(`Parties`) when a result is published and when it is withheld (the request expires), by the
contracts' rules, and the key holder's expected value under each strategy. The tests
(tests/rules/test_withholding_model.py) enumerate holdings and strategies and check that no strategy
beats publishing everything, and that honest parties end at or above what publishing gives
them; the contract tests check the chain moves money as `dice_withheld` and `jackpot_withheld`
say. docs/randomness-economics.md walks through the arithmetic.

Amounts are exact (`Fraction`); every function is pure.

Dice (contracts/games/dice/Dice.sol): a bet of stake s at target t wins with probability t/100 and
then pays W = payout_if_win(s, t, edge). The protocol fee is taken from the bankroll when the bet
is locked, fee = house_edge(s, t) * fee share, whatever happens next (rules.bankroll). A withheld
bet's lock is refunded and the bond pays W - s to the player and s to the bankroll (a house win):
    player W - s, LPs s - fee, protocol fee, bond -W.
Jackpot (contracts/games/jackpot/Jackpot.sol): n tickets at price c, ticket sales S = n*c, rolled-in R,
prize P_w = S + R - rake. A withheld draw refunds every ticket and the bond pays a compensation
C = S + 2R shared pro rata among the tickets and burns a sink of S + R.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction

from fairstake.rules import bankroll as bankroll_rules
from fairstake.rules import dice as dice_rules
from fairstake.rules import jackpot as jackpot_rules

BPS = 10_000


class Strategy(Enum):
    """What the key's holder does with each result it computes."""

    PUBLISH_ALL = "publish every result"
    WITHHOLD_LOSSES = "withhold results that lose for the holder"
    WITHHOLD_WINS = "withhold results that win for the holder"
    WITHHOLD_AT_RANDOM = "withhold half the results at random"
    BEST_RESPONSE = "withhold exactly when that pays the holder more"
    ROTATE_KEY = "deregister the key with requests pending"
    GO_OFFLINE = "publish nothing (an outage)"


# A request made before a rotation stays fulfillable with its key until its deadline, so a
# rotating holder still publishes it: rotation is publishing (RandomnessCoordinator._fulfil).
ROTATION_KEEPS_PENDING_REQUESTS = True


@dataclass(frozen=True)
class Parties:
    """Each party's net result from one bet or round, counting what it paid in."""

    player: Fraction = Fraction(0)  # the bettor (Dice); unused for Jackpot
    lps: Fraction = Fraction(0)  # the bankroll as a whole
    protocol: Fraction = Fraction(0)  # protocol fee / rake recipient
    bond: Fraction = Fraction(0)  # the oracle key's bond
    sink: Fraction = Fraction(0)  # burnt: nobody's
    tickets: tuple[Fraction, ...] = ()  # Jackpot: per purchase

    def total(self) -> Fraction:
        return self.player + self.lps + self.protocol + self.bond + self.sink + sum(self.tickets, Fraction(0))


@dataclass(frozen=True)
class Holdings:
    """The positions the key's holder takes besides the key (which always owns the bond)."""

    plays_bet: bool = False  # Dice: the holder is the bettor
    lp_share: Fraction = Fraction(0)  # its share of the bankroll
    fee_share: Fraction = Fraction(0)  # its share of the protocol fee
    purchases: frozenset[int] = frozenset()  # Jackpot: the purchases it holds

    def value(self, parties: Parties) -> Fraction:
        own_tickets = sum((parties.tickets[i] for i in self.purchases), Fraction(0))
        return (
            (parties.player if self.plays_bet else Fraction(0))
            + self.lp_share * parties.lps
            + self.fee_share * parties.protocol
            + parties.bond
            + own_tickets
        )


# ------------------------------------------------------------------ Dice


def _dice_fee(stake: int, target: int, edge_bps: int, fee_bps: int) -> int:
    return bankroll_rules.protocol_fee(dice_rules.house_edge(stake, target, edge_bps), fee_bps)


def dice_published(stake: int, target: int, edge_bps: int, fee_bps: int, roll: int) -> Parties:
    """A Dice bet settled with `roll`: the Vault pays the win payout or keeps the stake; the
    protocol fee was taken from the bankroll at the lock either way."""
    payout = dice_rules.payout_if_win(stake, target, edge_bps) if roll < target else 0
    fee = _dice_fee(stake, target, edge_bps, fee_bps)
    return Parties(player=Fraction(payout - stake), lps=Fraction(stake - payout - fee), protocol=Fraction(fee))


def dice_withheld(stake: int, target: int, edge_bps: int, fee_bps: int) -> Parties:
    """A Dice bet whose request expired: the stake refunded, the bond pays W - stake to the
    player and the stake to the bankroll as a house win; the lock's fee stays taken."""
    payout = dice_rules.payout_if_win(stake, target, edge_bps)
    fee = _dice_fee(stake, target, edge_bps, fee_bps)
    return Parties(
        player=Fraction(payout - stake), lps=Fraction(stake - fee), protocol=Fraction(fee), bond=Fraction(-payout)
    )


def dice_outcomes(stake: int, target: int, edge_bps: int, fee_bps: int) -> list[tuple[Fraction, Parties, Parties]]:
    """(probability, published, withheld) for every roll 0..99."""
    withheld = dice_withheld(stake, target, edge_bps, fee_bps)
    chance = Fraction(1, dice_rules.ROLL_RANGE)
    return [
        (chance, dice_published(stake, target, edge_bps, fee_bps, roll), withheld)
        for roll in range(dice_rules.ROLL_RANGE)
    ]


# ------------------------------------------------------------------ Jackpot


def jackpot_compensation_and_sink(sales: int, rolled_in: int) -> tuple[int, int]:
    """What an expired draw costs the key's bond: (compensation for the tickets, burnt sink)."""
    return sales + 2 * rolled_in, sales + rolled_in


def jackpot_published(ticket_counts: Sequence[int], price: int, rolled_in: int, rake_bps: int, winner: int) -> Parties:
    """A round drawn with purchase `winner` winning: every purchase paid its tickets, the winner
    takes the prize, the protocol the rake on sales."""
    sales = sum(ticket_counts) * price
    prize, rake = jackpot_rules.prize_and_rake(sales + rolled_in, rake_bps, rolled_in)
    tickets = tuple(
        Fraction(-count * price + (prize if index == winner else 0)) for index, count in enumerate(ticket_counts)
    )
    # the rolled-in money was paid by earlier rounds: it leaves their (zero) account here
    return Parties(protocol=Fraction(rake), tickets=tickets, sink=Fraction(-rolled_in))


def jackpot_withheld(ticket_counts: Sequence[int], price: int, rolled_in: int) -> Parties:
    """A round whose draw expired: every purchase refunded plus its pro-rata share of the
    compensation; the sink burnt; the rolled-in money stays for a later round (not paid here)."""
    total = sum(ticket_counts)
    compensation, sink = jackpot_compensation_and_sink(total * price, rolled_in)
    tickets = tuple(Fraction(compensation * count, total) for count in ticket_counts)
    return Parties(bond=Fraction(-compensation - sink), sink=Fraction(sink), tickets=tickets)


def jackpot_outcomes(
    ticket_counts: Sequence[int], price: int, rolled_in: int, rake_bps: int
) -> list[tuple[Fraction, Parties, Parties]]:
    """(probability, published, withheld) for every purchase that can win."""
    total = sum(ticket_counts)
    withheld = jackpot_withheld(ticket_counts, price, rolled_in)
    return [
        (Fraction(count, total), jackpot_published(ticket_counts, price, rolled_in, rake_bps, index), withheld)
        for index, count in enumerate(ticket_counts)
        if count
    ]


# ------------------------------------------------------------------ strategies


def withholds(
    strategy: Strategy, holdings: Holdings, published: Parties, withheld: Parties, average: Fraction
) -> Fraction:
    """The probability that the holder withholds this result under `strategy`. "Wins" and
    "losses" are from the holder's point of view: above or below its `average` published result."""
    mine_published = holdings.value(published)
    if strategy is Strategy.GO_OFFLINE:
        return Fraction(1)
    if strategy is Strategy.ROTATE_KEY:
        return Fraction(0) if ROTATION_KEEPS_PENDING_REQUESTS else Fraction(1)
    if strategy is Strategy.PUBLISH_ALL:
        return Fraction(0)
    if strategy is Strategy.WITHHOLD_AT_RANDOM:
        return Fraction(1, 2)
    if strategy is Strategy.BEST_RESPONSE:
        return Fraction(1) if holdings.value(withheld) > mine_published else Fraction(0)
    if strategy is Strategy.WITHHOLD_LOSSES:
        return Fraction(1) if mine_published < average else Fraction(0)
    return Fraction(1) if mine_published > average else Fraction(0)


def expected_values(
    outcomes: list[tuple[Fraction, Parties, Parties]], strategy: Strategy, holdings: Holdings
) -> tuple[Fraction, Parties]:
    """(the holder's expected value, every party's expected result) under `strategy`."""
    average = sum((chance * holdings.value(published) for chance, published, _ in outcomes), Fraction(0))
    holder = Fraction(0)
    parties = Parties(tickets=tuple(Fraction(0) for _ in outcomes[0][1].tickets))
    for chance, published, withheld in outcomes:
        q = withholds(strategy, holdings, published, withheld, average)
        holder += chance * ((1 - q) * holdings.value(published) + q * holdings.value(withheld))
        parties = _add(parties, _mix(published, withheld, q), chance)
    return holder, parties


def _mix(published: Parties, withheld: Parties, q: Fraction) -> Parties:
    return _combine(published, withheld, lambda a, b: (1 - q) * a + q * b)


def _add(total: Parties, part: Parties, weight: Fraction) -> Parties:
    return _combine(total, part, lambda a, b: a + weight * b)


def _combine(a: Parties, b: Parties, op: Callable[[Fraction, Fraction], Fraction]) -> Parties:
    return Parties(
        player=op(a.player, b.player),
        lps=op(a.lps, b.lps),
        protocol=op(a.protocol, b.protocol),
        bond=op(a.bond, b.bond),
        sink=op(a.sink, b.sink),
        tickets=tuple(op(x, y) for x, y in zip(a.tickets, b.tickets, strict=True)),
    )
