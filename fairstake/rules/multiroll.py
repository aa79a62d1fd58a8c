"""The chance-game engine's bet, written once for every game on it: the words of a multi-roll bet,
the stop rules, the unplayed stakes returned, and the terms a bet locks and declares. Mirrors
contracts/games/base/ChanceGame.sol (`_play`, `_terms`, `declaredEdge`) and, in the client,
web/src/games/multiroll.js. A game supplies only its rules module (`ChanceRules`)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

from eth_utils import keccak

MAX_ROLLS = 100
WORD_LIMIT = 2**256
# the bond reservation's beneficiary share is a uint88
MAX_PAYOUT_LIMIT = 2**88 - 1


class ChanceRules(Protocol):
    """What a game's rules module (fairstake/rules/<name>.py) gives the engine's mirror."""

    def roll_terms(self, stake: int, choice: bytes, edge_bps: int) -> tuple[int, int]: ...

    def roll_payout(self, stake: int, choice: bytes, edge_bps: int, word: int) -> int: ...

    def decode_choice(self, choice: bytes) -> Any: ...

    def choice_details(self, choice: bytes) -> dict[str, Any]: ...

    def roll_distribution(self, stake: int, choice: bytes, edge_bps: int) -> list[tuple[Fraction, int]]: ...


@dataclass(frozen=True)
class Play:
    """A settled bet: the rolls it played, each roll's payout, and everything credited (the
    played rolls' payouts plus the unplayed rolls' stakes)."""

    rolls_played: int
    roll_payouts: tuple[int, ...]
    payout: int


@dataclass(frozen=True)
class BetTerms:
    """What a bet locks in the Vault and reserves from the bond: stake x rolls, the most the bet
    pays (rolls x one roll's most) and the house edge declared for the protocol fee."""

    staked: int
    max_payout: int
    house_edge: int
    roll_max_payout: int
    roll_house_edge: int


def _check_rolls(rolls: int) -> None:
    if not 1 <= rolls <= MAX_ROLLS:
        raise ValueError(f"a bet plays 1..{MAX_ROLLS} rolls, got {rolls}")


def roll_word(word: int, index: int, rolls: int) -> int:
    """Roll `index`'s word: the request's word itself for a one-roll bet, else
    keccak256(abi.encode(word, index))."""
    if not 0 <= word < WORD_LIMIT:
        raise ValueError("a random word is a uint256")
    if rolls == 1:
        return word
    return int.from_bytes(keccak(word.to_bytes(32, "big") + index.to_bytes(32, "big")), "big")


def certain_rolls(stake: int, roll_max: int, rolls: int, stop_gain: int, stop_loss: int) -> int:
    """The rolls a bet plays whatever its words: a roll loses at most its stake and wins at most
    roll_max - stake, so a stop-loss needs ceil(stop_loss / stake) rolls and a stop-gain
    ceil(stop_gain / (roll_max - stake)); at least one roll always plays."""
    certain = rolls
    if stop_loss:
        certain = min(certain, -(-stop_loss // stake))
    if stop_gain:
        certain = min(certain, -(-stop_gain // (roll_max - stake)))
    return max(certain, 1)


def declared_edge(stake: int, roll_max: int, roll_edge: int, rolls: int, stop_gain: int, stop_loss: int) -> int:
    """ChanceGame.declaredEdge: one roll's edge times the rolls played for certain. The house
    expects one roll's edge per roll played (Wald's identity: stopping depends only on past rolls),
    so the declared edge, and the fee taken on it, never exceed what the house expects."""
    return roll_edge * certain_rolls(stake, roll_max, rolls, stop_gain, stop_loss)


def bet_terms(
    rules: ChanceRules, stake: int, choice: bytes, edge_bps: int, rolls: int = 1, stop_gain: int = 0, stop_loss: int = 0
) -> BetTerms:
    """The terms ChanceGame fixes at placement; ValueError where it reverts."""
    _check_rolls(rolls)
    roll_max, roll_edge = rules.roll_terms(stake, choice, edge_bps)
    if roll_max <= stake:
        raise ValueError(f"the choice pays at most {roll_max}, not more than the stake {stake}")
    staked, max_payout = stake * rolls, roll_max * rolls
    if max_payout > MAX_PAYOUT_LIMIT:
        raise ValueError(f"the bet's maximum payout {max_payout} does not fit a bond reservation")
    if stop_gain < 0 or stop_loss < 0 or stop_gain > max_payout - staked or stop_loss > staked:
        raise ValueError(
            f"stop-gain must be in 0..{max_payout - staked} and stop-loss in 0..{staked}, got {stop_gain}, {stop_loss}"
        )
    edge = declared_edge(stake, roll_max, roll_edge, rolls, stop_gain, stop_loss)
    return BetTerms(staked, max_payout, edge, roll_max, roll_edge)


def play(
    rules: ChanceRules,
    word: int,
    stake: int,
    choice: bytes,
    edge_bps: int,
    rolls: int = 1,
    stop_gain: int = 0,
    stop_loss: int = 0,
) -> Play:
    """ChanceGame._play: the rolls in order, stopping once up by stop_gain or down by stop_loss
    (0: no such stop); the unplayed rolls' stakes come back with the payout."""
    _check_rolls(rolls)
    paid = staked = 0
    payouts: list[int] = []
    for index in range(rolls):
        payouts.append(rules.roll_payout(stake, choice, edge_bps, roll_word(word, index, rolls)))
        paid += payouts[-1]
        staked += stake
        if stop_gain and paid - staked >= stop_gain:
            break
        if stop_loss and staked - paid >= stop_loss:
            break
    return Play(len(payouts), tuple(payouts), paid + (rolls - len(payouts)) * stake)


@dataclass(frozen=True)
class Timeout:
    """A bet unwound without a result. Its Vault lock is refunded (`refund`, the stakes). When its
    request expired, the bond's slash pays the player W - stakes and the bankroll the stakes, so the
    player ends with W (the bet's maximum payout); when the request was fulfilled but the callback
    failed, the stakes alone. `payout` is what BetTimedOut records: 0 when the Vault's deadline
    backstop had already refunded the lock in an earlier transaction."""

    refund: int
    payout: int
    slash_beneficiary_amount: int | None
    slash_residual: int | None


def timeout(staked: int, max_payout: int, *, expired: bool, backstop: bool) -> Timeout:
    if expired:
        return Timeout(staked, 0 if backstop else max_payout, max_payout - staked, staked)
    return Timeout(staked, 0 if backstop else staked, None, None)


def roll_moments(rules: ChanceRules, stake: int, choice: bytes, edge_bps: int) -> tuple[Fraction, Fraction]:
    """The mean and variance of one roll's payout, from the game's exact distribution."""
    distribution = rules.roll_distribution(stake, choice, edge_bps)
    if sum(p for p, _ in distribution) != 1:
        raise ValueError("a roll's distribution must sum to 1")
    mean = sum((p * payout for p, payout in distribution), Fraction(0))
    second = sum((p * payout * payout for p, payout in distribution), Fraction(0))
    return mean, second - mean * mean


def bet_moments(
    rules: ChanceRules, stake: int, choice: bytes, edge_bps: int, rolls: int, rolls_played: int | None = None
) -> tuple[float, float]:
    """The expected payout and its variance of a bet, per roll: the rolls it played (all of them
    when unknown) as independent rolls, the unplayed stakes returned as they are. Given how many
    rolls a bet with stops played, its rolls are not quite independent draws; over many bets the
    expectation is exact (Wald's identity) and the variance a close approximation."""
    played = rolls if rolls_played is None else rolls_played
    mean, variance = roll_moments(rules, stake, choice, edge_bps)
    return float((rolls - played) * stake + played * mean), float(played * variance)
