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
from fairstake.rules import jackpot as jackpot_rules
from fairstake.rules import match as match_rules
from fairstake.rules import multiroll
from fairstake.rules import tournament as tournament_rules


# ------------------------------------------------------------------ games on the chance engine
@dataclass(frozen=True)
class ChanceTerms:
    """What a bet on the chance-game engine commits to at placement (all its rolls)."""

    max_payout: int
    house_edge: int
    protocol_fee: int | None  # None when the fee in force is unknown to the reader


def chance_terms(
    rules: multiroll.ChanceRules,
    stake: int,
    choice: bytes,
    edge_bps: int,
    rolls: int = 1,
    stop_gain: int = 0,
    stop_loss: int = 0,
    fee_bps: int | None = None,
) -> ChanceTerms:
    """The bet's maximum payout recorded at placement and the protocol fee its lock pays whatever
    the outcome: the fee share in force of the house edge the bet declares."""
    terms = multiroll.bet_terms(rules, stake, choice, edge_bps, rolls, stop_gain, stop_loss)
    fee = None if fee_bps is None else bankroll_rules.protocol_fee(terms.house_edge, fee_bps)
    return ChanceTerms(terms.max_payout, terms.house_edge, fee)


# A chance bet's data word (ChanceGame's `Bet`), committed with its randomness request.
_CHOICE_WORD_BITS = 79
_PACKED, _TWO_WORDS = 1 << 159, 1 << 158


def chance_bet_data(lock_id: int, rolls: int, edge_bps: int, has_stops: bool, choice: bytes) -> int:
    """The data word the engine commits with a bet's randomness request and settles by: lockId at
    bits 0..55, rolls 56..63, edgeBps 64..79, hasStops at bit 88, and from bit 96 the choice packed
    when it is one or two ABI words each below 2^79 (bit 159 set, bit 158 for two words, the
    words at bits 0 and 79 of that part), else 0 (the game stores the choice)."""
    if not (0 <= lock_id < 1 << 56 and 0 <= rolls < 1 << 8 and 0 <= edge_bps < 1 << 16):
        raise ValueError("lock id, rolls or edge out of the data word's range")
    words = [int.from_bytes(choice[i : i + 32], "big") for i in range(0, len(choice), 32)]
    tail = 0
    if len(choice) in (32, 64) and all(w >> _CHOICE_WORD_BITS == 0 for w in words):
        tail = _PACKED | (_TWO_WORDS if len(words) == 2 else 0) | words[0]
        if len(words) == 2:
            tail |= words[1] << _CHOICE_WORD_BITS
    return lock_id | (rolls << 56) | (edge_bps << 64) | (int(has_stops) << 88) | (tail << 96)


@dataclass(frozen=True)
class ChanceBetWord:
    """What a chance bet's data word names (chance_bet_data's layout): `choice` is None when the
    choice does not pack (the game stores it, and its BetTerms log carries it)."""

    lock_id: int
    rolls: int
    edge_bps: int
    has_stops: bool
    choice: bytes | None

    @property
    def has_terms(self) -> bool:
        """Whether the bet logged a BetTerms: it has stops, or a choice that does not pack."""
        return self.has_stops or self.choice is None


def chance_bet_word(data: int) -> ChanceBetWord:
    """Read a chance bet's request data word (its RandomnessRequested, requestId = betId)."""
    tail = data >> 96
    choice = None
    if tail & _PACKED:
        mask = (1 << _CHOICE_WORD_BITS) - 1
        words = [tail & mask] + ([(tail >> _CHOICE_WORD_BITS) & mask] if tail & _TWO_WORDS else [])
        choice = b"".join(w.to_bytes(32, "big") for w in words)
    lock_id, rolls, edge_bps = data & ((1 << 56) - 1), (data >> 56) & 0xFF, (data >> 64) & 0xFFFF
    return ChanceBetWord(lock_id, rolls, edge_bps, (data >> 88) & 1 == 1, choice)


@dataclass(frozen=True)
class ChancePlacement:
    """A chance bet as placed, joined from its placing transaction's logs: `BetPlaced(betId)` names
    it; its request's data word gives the lock id, rolls, edge and (when it packs) the choice; that
    lock's `Locked` the player, token, stakes and maximum payout; its `BetTerms`, present only for
    a bet with stops or a choice that does not pack, the choice and the stops."""

    bet_id: int
    lock_id: int
    player: str
    token: str
    stake: int  # per roll
    rolls: int
    edge_bps: int
    choice: bytes
    stop_gain: int
    stop_loss: int
    max_payout: int


class PlacementMissing(ValueError):
    """A log the bet's placement needs is not where the engine puts it."""


def chance_placement(
    bet_id: int,
    word: ChanceBetWord,
    lock: tuple[str, str, int, int] | None,
    terms: tuple[bytes, int, int] | None,
) -> ChancePlacement:
    """Join a bet from `word` (its request's data word, chance_bet_word), `lock` (its Locked:
    player, token, amount, maxPayout) and `terms` (its BetTerms: choice, stopGain, stopLoss; None
    when it has none). Raises PlacementMissing when the lock is missing, or the word says the bet
    has terms (word.has_terms) and it has none."""
    if lock is None:
        raise PlacementMissing(f"bet {bet_id} has no Locked for its lock {word.lock_id}")
    if word.has_terms and terms is None:
        raise PlacementMissing(f"bet {bet_id} has stops or a long choice but no BetTerms")
    player, token, amount, max_payout = lock
    choice, stop_gain, stop_loss = terms if terms is not None else (word.choice or b"", 0, 0)
    return ChancePlacement(
        bet_id=bet_id,
        lock_id=word.lock_id,
        player=player,
        token=token,
        stake=amount // word.rolls if word.rolls else 0,
        rolls=word.rolls,
        edge_bps=word.edge_bps,
        choice=bytes(choice),
        stop_gain=int(stop_gain),
        stop_loss=int(stop_loss),
        max_payout=int(max_payout),
    )


# The rolls played and everything credited for a bet settled with the verified word: the engine's
# multi-roll loop as fairstake.rules.multiroll writes it, once.
chance_play = multiroll.play


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
class ChanceTimeout:
    """A chance bet unwound without a result (fairstake.rules.multiroll.timeout): its lock
    refunded (`refund`, the stakes), what BetTimedOut records (`payout`) and, when its request
    expired, the bond's slash: W - stakes to the player, the stakes to the bankroll."""

    refund: int
    payout: int
    slash: BondSlash | None


def chance_timeout(staked: int, max_payout: int, player: str, *, expired: bool, backstop: bool) -> ChanceTimeout:
    unwound = multiroll.timeout(staked, max_payout, expired=expired, backstop=backstop)
    slash = None
    if unwound.slash_beneficiary_amount is not None and unwound.slash_residual is not None:
        slash = BondSlash(player, unwound.slash_beneficiary_amount, unwound.slash_residual, True)
    return ChanceTimeout(unwound.refund, unwound.payout, slash)


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
def chance_moments(
    rules: multiroll.ChanceRules, stake: int, choice: bytes, edge_bps: int, rolls: int, rolls_played: int | None
) -> tuple[float, float]:
    """A chance bet's expected payout and variance under the rules, for the RTP statistics
    (fairstake.rules.multiroll.bet_moments: per roll played)."""
    return multiroll.bet_moments(rules, stake, choice, edge_bps, rolls, rolls_played)


def pool_return(game: str, total: int, rake_bps: int) -> int:
    """What a settled pool game returns to its players out of `total` staked (its rake aside;
    for a Jackpot the round's ticket sales, rolled-in prizes excluded)."""
    if game == "jackpot":
        return jackpot_rules.prize_and_rake(total, rake_bps)[0]
    return total - match_rules.split_pool(total, rake_bps, [match_rules.BPS], 1).rake
