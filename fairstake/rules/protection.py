"""Player protection: the registry's arithmetic as pure functions, and a model that composes them.
Mirrors contracts/compliance/PlayerRegistry.sol; written from the README's promises (Security
model, "Player protection"), and tests/contracts/compliance/test_registry_agreement.py checks
that the contract keeps them on random sequences.

- Windows are fixed epochs counted from unix time 0: a window of length L holds time t in epoch
  t // L, from (t // L) * L to the next multiple of L (24 hours, 7 days, 30 days).
- A limit is in force from its effective time on: tightening (adding, lowering, setting it to its
  current value) at once, loosening (raising, removing) 24 hours later. A tightening cancels a
  loosening of the same limit still cooling off; a new loosening replaces it.
- A limit caps what is counted in the current epoch of its window, inclusively: the stake or
  deposit that would take the count above the limit is refused. A window counts from the moment
  it got its first limit (loss and wager limits share one count per window).
- Breaks: a time-out (24 h, 1 week, 30 days, 42 days) and a self-exclusion (184 days .. 5 x 365
  days, or permanent) start at once and run while `now < until`; only ever extended.
- The person: a wallet's first attestation binds it to its subject for good; the person's breaks
  and limits bind each of its wallets, whose own limits keep applying.
- KYC thresholds count a token's stakes in the current 30-day epoch per person (every wallet bound
  to the subject) and per address for unbound wallets; a wallet's stakes from before its binding
  join its person's count at its first stake after it. The level required is the wallet's own.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import IntEnum

from eth_abi import encode
from eth_utils import keccak, to_checksum_address

DAY = 86_400
COOLING_OFF = DAY
MIN_EXCLUSION = 184 * DAY
MAX_EXCLUSION = 5 * 365 * DAY
PERMANENT = 2**40 - 1
NO_LIMIT = 2**96 - 1
INT112_MIN = -(2**111)
INT112_MAX = 2**111 - 1


class LimitKind(IntEnum):
    LOSS = 0
    WAGER = 1
    DEPOSIT = 2


class Window(IntEnum):
    DAY = 0
    WEEK = 1
    MONTH = 2


class TimeOut(IntEnum):
    DAY = 0
    WEEK = 1
    MONTH = 2
    SIX_WEEKS = 3


WINDOW_SECONDS = {Window.DAY: DAY, Window.WEEK: 7 * DAY, Window.MONTH: 30 * DAY}
TIME_OUT_SECONDS = {TimeOut.DAY: DAY, TimeOut.WEEK: 7 * DAY, TimeOut.MONTH: 30 * DAY, TimeOut.SIX_WEEKS: 42 * DAY}
# The KYC threshold sums a person's stakes (an unbound wallet's) over the limits' monthly epoch.
KYC_WINDOW = Window.MONTH

# Errors with which the registry refuses to let a player gamble: a stake (beforeStake), a deposit
# (beforeDeposit) or a bankroll deposit (requireNotExcluded). The indexer keeps transactions that
# reverted with one of them.
REFUSALS = frozenset(
    {
        "SelfExcluded",
        "TimedOut",
        "WagerLimitExceeded",
        "LossLimitExceeded",
        "DepositLimitExceeded",
        "KycRequired",
    }
)


@dataclass(frozen=True)
class Refusal:
    """What the registry refuses with: the custom error's name and its arguments in order."""

    error: str
    args: tuple[object, ...]


class Refused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(f"{refusal.error}{refusal.args}")
        self.refusal = refusal


# ------------------------------------------------------------------------------ pure rules
def epoch(now: int, window: Window) -> int:
    """The number of the `window` epoch holding time `now`."""
    return now // WINDOW_SECONDS[window]


def window_bounds(now: int, window: Window) -> tuple[int, int]:
    """[start, end) of the `window` epoch holding `now`."""
    length = WINDOW_SECONDS[window]
    start = now // length * length
    return start, start + length


def loosens(current: int, new: int) -> bool:
    """Whether setting a limit from `current` to `new` loosens protection (NO_LIMIT: none)."""
    return new > current


def limit_effective_at(current: int, new: int, now: int) -> int:
    """When a limit set at `now` from `current` to `new` applies: at once unless it loosens."""
    return now + COOLING_OFF if loosens(current, new) else now


def time_out_until(period: TimeOut, now: int) -> int:
    return now + TIME_OUT_SECONDS[period]


def exclusion_until(duration: int, now: int) -> int:
    """The end of a self-exclusion of `duration` seconds taken at `now`; refuses a bad duration."""
    if not MIN_EXCLUSION <= duration <= MAX_EXCLUSION:
        raise Refused(Refusal("BadExclusionDuration", (duration,)))
    return now + duration


def extend_break(kind: str, current: int, requested: int, now: int) -> int:
    """A running break (`current` > now) can only be extended; returns the new end."""
    if current > now and requested < current:
        raise Refused(Refusal(f"{kind}CannotBeShortened", (current, requested)))
    return requested


def break_refusal(player: str, excluded_until: int, timed_out_until: int, now: int) -> Refusal | None:
    """Why a break binding `player` refuses gambling at `now` (exclusion first: the stronger)."""
    if excluded_until > now:
        return Refusal("SelfExcluded", (player, excluded_until))
    if timed_out_until > now:
        return Refusal("TimedOut", (player, timed_out_until))
    return None


def person_key(subject_index: int) -> str:
    """The registry account of the `subject_index`-th subject ever bound (1-based): it holds the
    person's breaks, limits and usage; nobody holds its key."""
    return to_checksum_address(keccak(encode(["string", "uint64"], ["Fairstake person", subject_index]))[12:])


# ------------------------------------------------------------------------------ the model
@dataclass
class _Count:
    epoch: int
    wagered: int = 0
    net_loss: int = 0
    deposited: int = 0


@dataclass
class Account:
    """A wallet or a person: breaks, limits in force, loosenings cooling off, and window counts."""

    excluded_until: int = 0
    timed_out_until: int = 0
    # (token, kind, window) -> value; absent: NO_LIMIT
    limits: dict[tuple[str, LimitKind, Window], int] = field(default_factory=dict)
    # (token, kind, window) -> (value, effective_at)
    pending: dict[tuple[str, LimitKind, Window], tuple[int, int]] = field(default_factory=dict)
    # (token, window) -> the stake count (loss and wager) while the window has either limit
    stakes: dict[tuple[str, Window], _Count] = field(default_factory=dict)
    # (token, window) -> the deposit count while the window has a deposit limit
    deposits: dict[tuple[str, Window], _Count] = field(default_factory=dict)

    def limit(self, token: str, kind: LimitKind, window: Window, now: int) -> int:
        """The limit in force at `now`."""
        key = (token, kind, window)
        pending = self.pending.get(key)
        if pending is not None and pending[1] <= now:
            return pending[0]
        return self.limits.get(key, NO_LIMIT)

    def _settle_pending(self, token: str, now: int) -> None:
        """`token`'s loosenings whose cooling-off is over are limits in force; a count whose window
        lost its last limit stops (it starts afresh when the window gets one again). Token by
        token, as the registry applies them (its `limitedTokens` counts only applied limits)."""
        for key, (value, effective_at) in list(self.pending.items()):
            if key[0] == token and effective_at <= now:
                del self.pending[key]
                self._store(key, value, now)

    def _store(self, key: tuple[str, LimitKind, Window], value: int, now: int) -> None:
        token, kind, window = key
        if value == NO_LIMIT:
            self.limits.pop(key, None)
        else:
            self.limits[key] = value
        counts = self.deposits if kind == LimitKind.DEPOSIT else self.stakes
        kinds = (LimitKind.DEPOSIT,) if kind == LimitKind.DEPOSIT else (LimitKind.LOSS, LimitKind.WAGER)
        limited = any((token, k, window) in self.limits for k in kinds)
        if not limited:
            counts.pop((token, window), None)
        elif (token, window) not in counts:
            counts[(token, window)] = _Count(epoch(now, window))

    def set_limit(self, token: str, kind: LimitKind, window: Window, value: int, now: int) -> int:
        """Sets a limit; returns its effective time."""
        if value > NO_LIMIT:
            raise Refused(Refusal("LimitTooHigh", (value,)))
        self._settle_pending(token, now)
        key = (token, kind, window)
        effective_at = limit_effective_at(self.limit(token, kind, window, now), value, now)
        if effective_at == now:
            self.pending.pop(key, None)
            self._store(key, value, now)
        else:
            self.pending[key] = (value, effective_at)
        return effective_at

    def _count(self, counts: dict[tuple[str, Window], _Count], token: str, window: Window, now: int) -> _Count | None:
        count = counts.get((token, window))
        if count is not None and count.epoch != epoch(now, window):
            count = counts[(token, window)] = _Count(epoch(now, window))
        return count

    def _counted(
        self, counts: dict[tuple[str, Window], _Count], token: str, now: int
    ) -> Iterator[tuple[Window, _Count]]:
        """The windows `token` is counted in (those with a limit), each with its current epoch's
        count, once the limit changes due by `now` apply."""
        self._settle_pending(token, now)
        for window in Window:
            count = self._count(counts, token, window, now)
            if count is not None:
                yield window, count

    def has_stake_limits(self) -> bool:
        """Whether a loss or wager limit is in force (applied) on any token."""
        return any(kind != LimitKind.DEPOSIT for _, kind, _ in self.limits)

    def stake(self, player: str, token: str, amount: int, now: int) -> bool:
        """Counts the stake in every window of `token` with a loss or wager limit; whether any did."""
        counted = False
        for window, count in self._counted(self.stakes, token, now):
            wager, loss = (self.limit(token, k, window, now) for k in (LimitKind.WAGER, LimitKind.LOSS))
            wagered, net_loss = count.wagered + amount, count.net_loss + amount
            if wager != NO_LIMIT and wagered > wager:
                raise Refused(Refusal("WagerLimitExceeded", (player, token, window, wager, wagered)))
            if loss != NO_LIMIT and net_loss > loss:
                raise Refused(Refusal("LossLimitExceeded", (player, token, window, loss, net_loss)))
            count.wagered, count.net_loss = wagered, net_loss
            counted = True
        return counted

    def pay_out(self, token: str, paid_out: int, now: int) -> None:
        """A payout is credited to the loss count of the epoch it arrives in."""
        for _, count in self._counted(self.stakes, token, now):
            count.net_loss = max(INT112_MIN, count.net_loss - min(paid_out, INT112_MAX))

    def deposit(self, player: str, token: str, amount: int, now: int) -> None:
        for window, count in self._counted(self.deposits, token, now):
            limit = self.limit(token, LimitKind.DEPOSIT, window, now)
            if count.deposited + amount > limit:
                raise Refused(Refusal("DepositLimitExceeded", (player, token, window, limit, count.deposited + amount)))
            count.deposited += amount


@dataclass
class Kyc:
    level: int = 0
    expiry: int = 0

    def valid_level(self, now: int) -> int:
        return self.level if self.expiry > now else 0


class Registry:
    """The registry as the README describes it, for one chain: every call either applies or raises
    `Refused` and leaves the model unchanged, as a reverted transaction leaves the contract."""

    def __init__(self) -> None:
        self.accounts: dict[str, Account] = {}
        self.subject_of: dict[str, bytes] = {}
        self.subject_index: dict[bytes, int] = {}
        self.kyc: dict[str, Kyc] = {}
        self.kyc_rules: dict[str, tuple[int, int]] = {}  # token -> (threshold, level)
        self.kyc_staked: dict[tuple[str, str], _Count] = {}

    def account(self, address: str) -> Account:
        return self.accounts.setdefault(address, Account())

    def person_of(self, wallet: str) -> str | None:
        subject = self.subject_of.get(wallet)
        return None if subject is None else person_key(self.subject_index[subject])

    def _bound(self, wallet: str) -> list[Account]:
        """The wallet's account and, once bound, its person's."""
        person = self.person_of(wallet)
        return [self.account(wallet)] + ([self.account(person)] if person else [])

    def breaks(self, wallet: str) -> tuple[int, int]:
        """(excluded_until, timed_out_until) binding `wallet`: its own or its person's, the later."""
        bound = self._bound(wallet)
        return max(a.excluded_until for a in bound), max(a.timed_out_until for a in bound)

    def _transaction(self) -> dict[str, object]:
        return copy.deepcopy(self.__dict__)

    def _apply(self, change: Callable[[], None]) -> None:
        """Runs `change` all or nothing, as a transaction."""
        saved = self._transaction()
        try:
            change()
        except Refused:
            self.__dict__.update(saved)
            raise

    # -------------------------------------------------------------------- players
    def self_exclude(self, wallet: str, duration: int | None, now: int) -> int:
        """Self-exclusion for `duration` seconds (None: permanently); returns its end."""
        until = PERMANENT if duration is None else exclusion_until(duration, now)
        until = extend_break("Exclusion", self.breaks(wallet)[0], until, now)
        for account in self._bound(wallet):
            account.excluded_until = until
        return until

    def take_time_out(self, wallet: str, period: TimeOut, now: int) -> int:
        until = extend_break("TimeOut", self.breaks(wallet)[1], time_out_until(period, now), now)
        for account in self._bound(wallet):
            account.timed_out_until = until
        return until

    def set_limit(self, wallet: str, token: str, kind: LimitKind, window: Window, value: int, now: int) -> list[int]:
        """Sets the limit on the wallet and its person; their effective times in that order."""
        return [account.set_limit(token, kind, window, value, now) for account in self._bound(wallet)]

    # -------------------------------------------------------------------- games and the Vault
    def stake_is_clear(self, wallet: str, token: str) -> bool:
        """Whether the registry has nothing to check or record for `wallet` staking `token` (its
        `clear` answer to a registered Vault, which may then skip asking until told otherwise): the
        wallet never took a break, has no loss or wager limit in force on any token, is bound to
        no person, and the token has no KYC rule."""
        own = self.accounts.get(wallet, Account())
        rule = self.kyc_rules.get(token)
        return (
            own.excluded_until == 0
            and own.timed_out_until == 0
            and not own.has_stake_limits()
            and self.person_of(wallet) is None
            and (rule is None or rule[1] == 0)
        )

    def before_stake(self, wallet: str, token: str, amount: int, now: int) -> bool:
        """Refuses or records a stake; whether a loss or wager window (the wallet's or its person's)
        counted it, so that its payouts are to be credited (a KYC count alone is not)."""
        refusal = break_refusal(wallet, *self.breaks(wallet), now)
        if refusal is not None:
            raise Refused(refusal)
        counted: list[bool] = []

        def record() -> None:
            rule = self.kyc_rules.get(token)
            if rule is not None and rule[1] != 0:
                self._kyc_stake(wallet, token, amount, rule, now)
            counted.extend(account.stake(wallet, token, amount, now) for account in self._bound(wallet))

        self._apply(record)
        return any(counted)

    def _kyc_count(self, account: str, token: str, now: int) -> int:
        """What `account` (a wallet or a person) has counted against `token`'s KYC threshold in the
        current KYC window."""
        count = self.kyc_staked.get((account, token))
        return count.wagered if count is not None and count.epoch == epoch(now, KYC_WINDOW) else 0

    def kyc_staked_of(self, wallet: str, token: str, now: int) -> int:
        """The sum `wallet`'s next stake of `token` adds to before it meets the KYC threshold: the
        person's count plus the wallet's stakes from before its binding not yet moved into it."""
        person = self.person_of(wallet)
        return self._kyc_count(wallet, token, now) + (self._kyc_count(person, token, now) if person else 0)

    def _kyc_stake(self, wallet: str, token: str, amount: int, rule: tuple[int, int], now: int) -> None:
        """The threshold sums a person's stakes over all their bound wallets, an unbound wallet's
        over itself; a bound wallet's stakes from before its binding join its person's count at its
        first stake after it."""
        staked = self.kyc_staked_of(wallet, token, now) + amount
        threshold, level = rule
        valid = self.kyc.get(wallet, Kyc()).valid_level(now)
        if staked >= threshold and valid < level:
            raise Refused(Refusal("KycRequired", (wallet, token, staked, threshold, level, valid)))
        person = self.person_of(wallet)
        if person is not None:
            self.kyc_staked.pop((wallet, token), None)
        self.kyc_staked[(person or wallet, token)] = _Count(epoch(now, KYC_WINDOW), wagered=staked)

    def after_settle(self, wallet: str, token: str, paid_out: int, now: int) -> None:
        if paid_out == 0:
            return
        for account in self._bound(wallet):
            account.pay_out(token, paid_out, now)

    def before_deposit(self, wallet: str, token: str, amount: int, now: int) -> None:
        def record() -> None:
            for account in self._bound(wallet):
                account.deposit(wallet, token, amount, now)

        self._apply(record)

    # -------------------------------------------------------------------- KYC
    def attest(self, wallet: str, subject: bytes, level: int, expiry: int) -> None:
        """A valid attestation: the first binds the wallet to `subject` for good (the person's breaks
        then extend to the wallet's own when later), later ones must name the same subject."""
        bound = self.subject_of.get(wallet)
        if bound is None:
            self.subject_index.setdefault(subject, len(self.subject_index) + 1)
            self.subject_of[wallet] = subject
            own = self.account(wallet)
            person = self.account(person_key(self.subject_index[subject]))
            person.excluded_until = max(person.excluded_until, own.excluded_until)
            person.timed_out_until = max(person.timed_out_until, own.timed_out_until)
        elif bound != subject:
            raise Refused(Refusal("SubjectMismatch", (wallet, bound, subject)))
        self.kyc[wallet] = Kyc(level, expiry)

    def revoke(self, wallet: str) -> None:
        self.kyc[wallet] = Kyc()

    def set_kyc_rule(self, token: str, threshold: int, level: int) -> None:
        self.kyc_rules[token] = (threshold, level)
