"""The audit policy: what the rules say a settled bet, draw or pool must show, as pure functions
over neutral facts (integers and addresses, however they were read).

Two thin readers apply it and only differ in where the facts come from: the chain-only auditor
(ops.auditor, from events) and the audit API (backend.api.audit, from the indexed rows). So both
reach the same verdict on the same bet. The randomness proofs are checked by the oracle tier's
half of the policy (oracle.audit), which needs the ECVRF math.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fairstake.rules import bankroll as bankroll_rules
from fairstake.rules import dice as dice_rules
from fairstake.rules import jackpot as jackpot_rules
from fairstake.rules import match as match_rules
from fairstake.rules import tournament as tournament_rules


# --------------------------------------------------------------------------------------- Dice
@dataclass(frozen=True)
class DiceTerms:
    """What a Dice bet's terms commit to at placement."""

    payout_if_win: int
    house_edge: int
    protocol_fee: int | None  # None when the fee in force is unknown to the reader


def dice_terms(stake: int, target: int, edge_bps: int, fee_bps: int | None = None) -> DiceTerms:
    """The win payout recorded at placement and the protocol fee its lock pays whatever the
    outcome: the fee share in force of the bet's house edge."""
    house_edge = dice_rules.house_edge(stake, target, edge_bps)
    fee = None if fee_bps is None else bankroll_rules.protocol_fee(house_edge, fee_bps)
    return DiceTerms(dice_rules.payout_if_win(stake, target, edge_bps), house_edge, fee)


def dice_outcome(word: int, stake: int, target: int, edge_bps: int) -> dice_rules.DiceOutcome:
    """The roll, verdict and payout of a bet settled with the verified word."""
    return dice_rules.outcome(word, stake, target, edge_bps)


@dataclass(frozen=True)
class BondSlash:
    """What an expired request's bond slash must pay."""

    beneficiary: str
    beneficiary_amount: int
    residual: int
    residual_to_bankroll: bool

    def same_as(self, beneficiary: str, beneficiary_amount: int, residual: int, residual_to_bankroll: bool) -> bool:
        return (beneficiary.lower(), beneficiary_amount, residual, residual_to_bankroll) == (
            self.beneficiary.lower(),
            self.beneficiary_amount,
            self.residual,
            self.residual_to_bankroll,
        )


@dataclass(frozen=True)
class DiceTimeout:
    """A Dice bet unwound without a result. Its Vault lock is refunded (`refund`, the stake).
    When its request expired, the bond's `slash` pays the player W - stake and the bankroll the
    stake, so the player ends with W = payoutIfWin; when the request was fulfilled but the
    callback failed, the stake alone. `payout` is what BetTimedOut records: 0 when the Vault's
    deadline backstop had already refunded the lock in an earlier transaction."""

    refund: int
    payout: int
    slash: BondSlash | None


def dice_timeout(stake: int, payout_if_win: int, player: str, *, expired: bool, backstop: bool) -> DiceTimeout:
    if expired:
        slash = BondSlash(player, payout_if_win - stake, stake, True)
        return DiceTimeout(stake, 0 if backstop else payout_if_win, slash)
    return DiceTimeout(stake, 0 if backstop else stake, None)


# ------------------------------------------------------------------------------------ Jackpot
@dataclass(frozen=True)
class JackpotDraw:
    ticket: int
    winner_index: int  # the winning purchase, in purchase order
    prize: int
    rake: int


def jackpot_draw(word: int, purchase_ends: Sequence[int], pot: int, rake_bps: int, rolled_in: int) -> JackpotDraw:
    """The drawn ticket, its purchase and the prize and rake of a round whose pool holds `pot`
    (`rolled_in` of it from earlier rounds, raked there already)."""
    ticket, index = jackpot_rules.draw(word, purchase_ends)
    prize, rake = jackpot_rules.prize_and_rake(pot, rake_bps, rolled_in)
    return JackpotDraw(ticket, index, prize, rake)


def compensation_shares(total: int, stakes: Sequence[int], refunded: Sequence[int]) -> dict[int, int]:
    """Each refunded purchase's share of an expired draw's compensation `total`: total x stake /
    sold, rounded down, except the purchase refunded last once all are, which takes the rest.
    `stakes` by purchase index, `refunded` the refunded purchase indices in refund order."""
    sold = sum(stakes)
    if not sold:
        raise ValueError("a round without sales has nothing to compensate")
    last = refunded[-1] if stakes and len(refunded) == len(stakes) else None
    shares = {index: total * stakes[index] // sold for index in refunded if index != last}
    if last is not None:
        shares[last] = total - sum(shares.values())
    return shares


# ------------------------------------------------------------------------- Match, Tournament
def pool_payouts(
    game: str, entry: int, rake_bps: int, table: Sequence[int], entrants: int, ranking: Sequence[str]
) -> dict[str, int]:
    """What each ranked player of a settled skill pool is paid. `table` is the Match's shares or
    the Tournament's prizes (bps by place). Raises RulesError (a ValueError) for a result the
    rules reject."""
    if game == "match":
        return match_rules.match_payouts(entry, rake_bps, table, ranking)
    if game == "tournament":
        return tournament_rules.tournament_payouts(entry, entrants, rake_bps, table, ranking)
    raise ValueError(f"no pool payout rule for {game!r}")


# -------------------------------------------------------------------------------- statistics
def dice_win_probability(target: int) -> float:
    """The chance a bet on `target` wins, for the RTP statistics."""
    return float(dice_rules.win_probability(target))


def pool_return(game: str, total: int, rake_bps: int) -> int:
    """What a settled pool game returns to its players out of `total` staked (its rake aside;
    for a Jackpot the round's ticket sales, rolled-in prizes excluded)."""
    if game == "jackpot":
        return jackpot_rules.prize_and_rake(total, rake_bps)[0]
    return total - match_rules.split_pool(total, rake_bps, [match_rules.BPS], 1).rake
