"""The whole platform under random use, against an independent model.

The real deployment (ops/deploy.py: Vault, RandomnessCoordinator, PlayerRegistry, Dice, Jackpot,
Match, Tournament, timelock) with a real oracle key: the test plays the oracle and fulfils with real ECVRF
proofs, and plays the referee with real EIP-712 signatures. Random rules deposit and withdraw ETH
and USDS, add and remove bankroll liquidity, bet on Dice (and, one Dice draw in four, on Wheel or
Plinko: the same engine paying by a table; "wheel bet settled" and "plinko bet settled" must happen),
fulfil (singly or in batches), let
requests time out and settle or expire them, buy Jackpot tickets, draw, claim, refund and roll
over, create, join, settle, void, cancel and expire Matches, refund any lock past its deadline,
set wager limits and self-exclude, create, enter, settle, void, cancel and refund Tournaments, and move
time forward.

The oracle is also an adversary: it withholds a result past its deadline (block and time) and anyone
expires it, which pays the key's bond out by the game's rules; it answers late but within the
deadline, up to 400 blocks after the request (with the request block's hash stored past BLOCKHASH's
256 blocks, or left unfulfillable without it); governance rotates its key through the timelock with
requests pending (they stay fulfillable with the old key; the key is registered again, or the games
move to a second, freshly bonded key); and a withheld Dice bet's player stays away until the Vault's
lock deadline, so the stake comes back through the Vault's backstop before the expiry.

The model predicts every balance from the shared rules (fairstake.rules) and the Vault's
documented arithmetic, never from the contracts' events. After every step:

- the Vault's books equal the model (free, locked, bankroll, reserved, fees, shares; every player),
- solvency: per token the Vault holds at least free + locked + bankroll + fees,
- conservation: per token, everything ever deposited minus everything withdrawn equals
  free + locked + bankroll + fees (and what the Vault holds),
- no player lost more than the stakes of their resolved bets,
- no stake is stuck: every open lock past its deadline is refundable by anyone (checked by
  simulating the refund), and the Vault agrees which locks are open,
- exposure: the open bankroll locks' reserves together stay within the risk fraction of the assets,
- bonds: per key and token, bondOf's total is what was deposited less what was slashed, its reserved
  the sum of the pending requests' reservations; what slashes burnt sits at the burn address,
- no undelivered result ends below what the rules promise: every withheld Dice bet leaves its player
  with exactly W (refund + bond) and the bankroll with the whole stake (its fee paid at the lock);
  every ticket of an expired draw gets its stake back plus its pro-rata share of the compensation
  C = S + 2R, the shares summing to C.

The test asserts that every drawn action ran (did more than find nothing to do) and that the outcomes
in REQUIRED_OUTCOMES happened. The default run (100 sequences of 50 steps) is derandomized, so that
check is stable from run to run.

FAIRSTAKE_SOAK=1 runs 10,000 sequences instead, with a random seed. To split them over parallel
processes (each starts its own chain), set FAIRSTAKE_SOAK_SHARDS=N and FAIRSTAKE_SOAK_SHARD=0..N-1:
each process runs ceil(10,000 / N) sequences from its own fixed hypothesis seed, e.g.

    for i in 0 1 2 3; do FAIRSTAKE_SOAK=1 FAIRSTAKE_SOAK_SHARDS=4 FAIRSTAKE_SOAK_SHARD=$i \
        ./run test --chains anvil -- tests/system/test_system_stateful.py -x -q -p no:cacheprovider & done; wait

(pytest-xdist is not used: every worker would need a chain of its own.) Each process checks its own
coverage, so keep a few hundred sequences per shard. A sequence takes about 1.1 s, so the whole soak
is about 3 hours of one core. FAIRSTAKE_SYSTEM_EXAMPLES=n overrides the number of sequences for a
quick look (its coverage check may then fail).
"""

from __future__ import annotations

import copy
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from brownie import accounts, chain, web3
from brownie.exceptions import VirtualMachineError
from brownie.test import strategy
from hypothesis import seed, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from hypothesis.strategies import booleans, sampled_from
from system_support import (
    DAY,
    DAY_WINDOW,
    ETHER,
    ORACLE_SECRET,
    USD,
    WAGER,
    Commitment,
    Platform,
    Snapshot,
    batch_rpc,
    commitments,
    eth_call,
    expected_request_id,
    first_word,
    gas_paid,
    held,
    mine,
    now,
    past_deadline,
    prove,
    request_id,
    sign_match,
    sign_tournament,
    word,
)

from fairstake.manifest import ETH
from fairstake.rules import bankroll as bankroll_rules
from fairstake.rules import cointoss as cointoss_rules
from fairstake.rules import dice as dice_rules
from fairstake.rules import jackpot as jackpot_rules
from fairstake.rules import keno as keno_rules
from fairstake.rules import multiroll, weighted
from fairstake.rules import roulette as roulette_rules
from fairstake.rules.dice import encode_choice as dice_choice
from fairstake.rules.match import match_split
from fairstake.rules.tournament import tournament_split
from fairstake.rules.withholding import jackpot_compensation_and_sink
from ops.deployment import DEPLOYER
from ops.games.keno import DEFAULT_TABLE as KENO_TABLE
from ops.games.keno import DEFAULT_TABLE_ID as KENO_TABLE_ID
from ops.locks import LockTerms, lock_terms
from oracle import ecvrf

SOAK = os.environ.get("FAIRSTAKE_SOAK") == "1"
# The soak's 10,000 sequences split over FAIRSTAKE_SOAK_SHARDS processes, FAIRSTAKE_SOAK_SHARD
# (0-based) choosing this process's share, each drawn from its own hypothesis seed.
SOAK_SEQUENCES = 10_000
SHARDS = max(1, int(os.environ.get("FAIRSTAKE_SOAK_SHARDS", "1")))
SHARD = int(os.environ.get("FAIRSTAKE_SOAK_SHARD", "0"))
SHARD_SEED = 0x5EED
assert 0 <= SHARD < SHARDS, "FAIRSTAKE_SOAK_SHARD must lie in 0 .. FAIRSTAKE_SOAK_SHARDS - 1"
# (sequences, steps per sequence)
EXAMPLES, STEPS = (-(-SOAK_SEQUENCES // SHARDS), 50) if SOAK else (100, 50)
EXAMPLES = int(os.environ.get("FAIRSTAKE_SYSTEM_EXAMPLES", EXAMPLES))  # a quick look while developing
BPS = 10_000
VIRTUAL_SHARES, VIRTUAL_ASSETS = 10**6, 1
DICE_EDGE = 100
COINTOSS_EDGE = 100  # ops/games/cointoss.py EDGE_BPS
ROULETTE_EDGE = 100  # ops/games/roulette.py EDGE_BPS
COORDINATOR_TIMEOUT = 128
# Seconds of slack around time boundaries: the next block's timestamp is only known to a few seconds.
SLACK = 30
LP_DEPOSIT = {ETH: [ETHER // 10, 50 * ETHER, 300 * ETHER], "USDS": [7 * USD, 10_000 * USD, 400_000 * USD]}
PLAYER_DEPOSIT = {ETH: [ETHER // 100, ETHER, 20 * ETHER], "USDS": [5 * USD, 200 * USD, 20_000 * USD]}
DICE_STAKES = {ETH: [10**15, ETHER // 10, ETHER, 10 * ETHER], "USDS": [USD, 37 * USD, 2_000 * USD, 10_000 * USD]}
KENO_STAKES = {ETH: [10**14, 10**15, 10**16, ETHER], "USDS": [USD // 10, USD, 10 * USD, 1_000 * USD]}
KENO_RULES = keno_rules.Tables({KENO_TABLE_ID: KENO_TABLE})
MATCH_ENTRIES = {ETH: [ETHER // 100, ETHER], "USDS": [10 * USD, 3_333 * USD]}
WAGER_LIMITS = {ETH: [ETHER // 2, 5 * ETHER], "USDS": [50 * USD, 5_000 * USD]}
MATCH_SHARES = [[10_000], [7_000, 3_000], [5_000, 3_000, 2_000]]
SLEEPS = [60, 20 * 60, 2 * 3_600, DAY + 3_600]
REGISTRY_ERRORS = ("WagerLimitExceeded", "LossLimitExceeded")
JACKPOT_OPEN, DRAWING, DRAWN, CLAIMED, ROLLED_OVER, REFUNDABLE, CLOSED = 1, 2, 3, 4, 5, 6, 7
UNWOUND = 8  # model only: a drawn prize nobody claimed, returned to the tickets by the Vault's backstop
MATCH_OPEN, MATCH_FULL, MATCH_DONE = 1, 2, 3
CUP_OPEN, CUP_SETTLED, CUP_VOIDED, CUP_CANCELLED, CUP_EXPIRED = 1, 2, 3, 4, 5


# What the sequences did (outcomes), and how often each drawn action actually ran (did more
# than find nothing to do).
ACTIONS: Counter[str] = Counter()
RAN: Counter[str] = Counter()
# A second oracle key governance can rotate to, and its bond (posted by the deployer, its operator).
SECOND_ORACLE_SECRET = int.from_bytes(ecvrf.keccak256(b"fairstake/tests/system/oracle-2"), "big") % ecvrf.N
SECOND_KEY_BOND = {ETH: 200 * ETHER, "USDS": 1_000_000 * USD}


def mul_div(a: int, b: int, c: int) -> int:
    return a * b // c


def held_by(token: Any, address: str) -> int:
    """What `address` holds of `token` (ETH or an ERC-20) outside the Vault."""
    return (
        int(web3.eth.get_balance(web3.to_checksum_address(address))) if token == ETH else int(token.balanceOf(address))
    )


# ------------------------------------------------------------------ model


@dataclass
class Lock:
    player: str
    token: str
    amount: int
    max_payout: int
    deadline: int
    pool: int  # 0: a bankroll lock
    open: bool = True


@dataclass
class Book:
    """One token's books as the Vault should keep them."""

    free: dict[str, int] = field(default_factory=dict)
    bankroll: int = 0
    reserved: int = 0
    fees: int = 0
    shares: dict[str, int] = field(default_factory=dict)
    total_shares: int = 0
    deposited: int = 0
    withdrawn: int = 0
    paid_in: int = 0  # slashed bonds paid into the Vault by the coordinator (Vault.payIn)
    # pending bankroll requests, provider -> [amount, claimable at]: deposits (assets held, not in
    # the bankroll) and redeems (shares escrowed, still in total_shares)
    deposit_requests: dict[str, list[int]] = field(default_factory=dict)
    redeem_requests: dict[str, list[int]] = field(default_factory=dict)
    burnt: int = 0  # slashed bonds burnt to the coordinator's BURN_ADDRESS


@dataclass
class Player:
    deposited: dict[str, int] = field(default_factory=dict)
    withdrawn: dict[str, int] = field(default_factory=dict)
    resolved_stakes: dict[str, int] = field(default_factory=dict)
    excluded_until: int = 0
    wager_limits: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class DiceBet:
    """`stake` is everything the bet locked (the stake per roll x rolls) and `payout_if_win` the
    most it pays (rolls x one roll's win payout)."""

    player: str
    token: str
    stake: int
    target: int
    payout_if_win: int
    lock_id: int
    rc: Commitment
    settled: bool = False
    over: bool = False
    rolls: int = 1
    # the protocol fee its lock paid (Locked.fee)
    # withheld (its request expired): what the chain paid, from its events: the lock's refund
    # (by the expiry or the Vault's backstop), the bond's credit to the player, the bankroll's gain
    withheld: bool = False
    refunded: int = 0
    bond_credit: int = 0
    bankroll_gain: int = 0
    fee: int = 0
    # a bet of another game on the chance engine (CoinToss, Roulette, Keno, Wheel, Plinko): its name, house edge and its
    # payout by word (every roll of a multi-roll bet)
    game: str = "dice"
    house_edge: int = 0
    payout_of: Callable[[int], int] | None = None


@dataclass
class Purchase:
    player: str
    end: int
    lock_id: int
    stake: int
    refunded: bool = False
    # an expired draw: what the chain paid this purchase back (its refund) and its share of the
    # compensation, each read from the chain's events
    paid_back: int = 0
    compensation: int = 0
    due: int = 0  # the model's share of the compensation


@dataclass
class Round:
    token: str
    pool: int
    price: int
    rake_bps: int
    end: int
    draw_by: int
    lock_deadline: int
    status: int = JACKPOT_OPEN
    purchases: list[Purchase] = field(default_factory=list)
    rolled_in: int = 0
    winner: str = ""
    prize: int = 0
    claim_by: int = 0
    compensation: int = 0  # C = S + 2R, once its draw expired
    refunded_count: int = 0

    @property
    def tickets(self) -> int:
        return self.purchases[-1].end if self.purchases else 0


@dataclass
class Game:
    """A Match."""

    token: str
    entry: int
    seats: int
    shares: list[int]
    rake_bps: int
    deadline: int
    pool: int
    creator: str
    players: list[tuple[str, int]] = field(default_factory=list)
    status: int = MATCH_OPEN


@dataclass
class Cup:
    """A Tournament."""

    token: str
    entry: int
    max_entrants: int
    prizes: list[int]
    rake_bps: int
    registration_deadline: int
    result_deadline: int
    pool: int
    creator: str
    entrants: list[tuple[str, int]] = field(default_factory=list)
    status: int = CUP_OPEN
    refunded: bool = False


@dataclass
class Request:
    kind: str  # "dice" or "jackpot"
    ref: int  # bet id or round id
    rc: Commitment
    token: str
    reserved: int  # what it reserved from its key's bond: its slash
    beneficiary: str
    beneficiary_amount: int
    residual_to_bankroll: bool


@dataclass
class Bond:
    """One key's bond in one token as the coordinator should keep it."""

    deposited: int = 0
    slashed: int = 0
    reservations: dict[int, int] = field(default_factory=dict)  # pending request id -> amount

    @property
    def total(self) -> int:
        return self.deposited - self.slashed

    @property
    def reserved(self) -> int:
        return sum(self.reservations.values())


# ------------------------------------------------------------------ the state machine


# Every step is one action, drawn uniformly from this list (an action listed twice is twice as
# likely). One rule that dispatches, rather than one rule per action, because hypothesis' rule choice
# switches random subsets of rules off per sequence ("swarm testing"), which on a chain where every
# step costs a transaction spends most steps on a handful of actions.
ACTIONS_DRAWN = (
    "deposit",
    "deposit",
    "withdraw",
    "lp_deposit",
    "lp_withdraw",
    "set_wager_limit",
    "player_time_out",
    "dice_bet",
    "dice_bet",
    "other_chance_bet",  # one of Dice's three draws (CoinToss, Roulette or Keno): the others' draws stay put
    "fulfil",
    "fulfil",
    "fulfil",
    "time_out",
    "jackpot_buy",
    "jackpot_buy",
    "jackpot_draw",
    "jackpot_claim_or_roll_over",
    "jackpot_refund",
    "match_create",
    "match_join",
    "match_join",
    "match_join",
    "match_result",
    "match_result",
    "match_cancel_or_expire",
    "tournament_create",
    "tournament_enter",
    "tournament_enter",
    "tournament_enter",
    "tournament_result",
    "tournament_result",
    "tournament_cancel_or_refund",
    "sleep",
    "backstop_refund",
    # the oracle as adversary
    "withhold",
    "delay",
    "delay",
    "rotate_key",
    "rotate_key",
    "away_past_lock_deadline",
    # governance stopping a game mid-game
    "unregister_dice",
    # a closed pool its game never paid out (an unclaimed Jackpot prize) after the payout window
    "pool_backstop",
)

# The Wheel and Plinko configurations the model read, by (contract, id): immutable once added.
TABLES: dict[tuple[str, int], weighted.WeightedConfig] = {}

# Outcomes every run must reach (rarer ones are printed, and the soak reaches them).
REQUIRED_OUTCOMES = (
    "wheel bet settled",
    "plinko bet settled",
    "dice won",
    "dice lost",
    "dice multi-roll bet settled",
    "dice roll-over bet settled",
    "keno bet settled",
    "dice withheld",
    "jackpot drawn",
    "jackpot draw withheld",
    "jackpot refunded",
    "match settled",
    "tournament settled",
    "backstop refund",
    "withheld one result",
    "late result past 256 blocks",
    "late result past the deadline block",
    "late result without its block hash",
    "key deregistered with requests pending",
    "fulfilled with a deregistered key",
    "key registered again",
    "key replaced",
    "withheld dice bet refunded by the Vault first",
    "dice unregistered with bets open",
    "dice bet refused while unregistered",
    "dice bet of an unregistered game settled",
    "closed pool unwound by the backstop",
)


class PlatformMachine(RuleBasedStateMachine):
    """Bound to a deployment by `bind`. Written against hypothesis directly (brownie's compiled
    `state_machine` refuses subclasses); every sequence starts from the snapshot taken at `bind`."""

    platform: Platform
    players: list[Any]
    lps: list[Any]
    outsider: Any
    snapshot: Snapshot

    @classmethod
    def bind(cls, platform: Platform, players: list[Any], lps: list[Any], outsider: Any) -> type[PlatformMachine]:
        return type(
            "BoundPlatformMachine",
            (cls,),
            {
                "platform": platform,
                "players": players,
                "lps": lps,
                "outsider": outsider,
                "snapshot": Snapshot(),
            },
        )

    def __init__(self) -> None:
        super().__init__()
        self.snapshot.restore()
        platform = self.platform
        self.vault, self.usds = platform["Vault"], platform["MockStablecoin"]
        self.dice, self.jackpot, self.match = platform["Dice"], platform["Jackpot"], platform["Match"]
        self.cointoss, self.roulette, self.keno = platform["CoinToss"], platform["Roulette"], platform["Keno"]
        self.tournament = platform["Tournament"]
        self.weighted = {name: platform[name] for name in ("Wheel", "Plinko")}
        self.wheel, self.plinko = self.weighted["Wheel"], self.weighted["Plinko"]
        self.coordinator, self.registry = platform["RandomnessCoordinator"], platform["PlayerRegistry"]
        self.tokens = [ETH, str(self.usds.address)]
        # Every sequence starts from the same snapshot, so what the model reads of it is read once
        # and copied afterwards (the reads took a quarter of a short sequence's time).
        start = type(self).__dict__.get("start_state")
        if start is not None:
            self.__dict__.update(copy.deepcopy(start))
            return
        before = set(self.__dict__)
        self._read_start()
        type(self).start_state = copy.deepcopy({k: v for k, v in self.__dict__.items() if k not in before})

    def _read_start(self) -> None:
        """The model of the snapshot's state, read from the chain."""
        platform = self.platform
        self._calldata: dict[tuple[str, str, tuple[Any, ...]], str] = {}
        self._lock_terms: dict[int, LockTerms] = {}  # a lock's terms never change: read its event once
        self.fee_bps = int(self.vault.protocolFeeBps())
        self.risk_fraction = {token: int(self.vault.riskFractionBps(token)) for token in self.tokens}
        self.claim_period = int(self.jackpot.timing()[2])
        self.books: dict[str, Book] = {}
        for token in self.tokens:
            book = Book(bankroll=int(self.vault.bankrollAssets(token)), total_shares=int(self.vault.totalShares(token)))
            for lp in self.lps:
                book.shares[str(lp)] = int(self.vault.sharesOf(lp, token))
            book.deposited = held(self.vault, self._token(token))
            self.books[token] = book
        self.people = {str(p): Player() for p in (*self.players, *self.lps)}
        self.locks: dict[int, Lock] = {}
        self.pools: dict[int, int] = {}  # pool id -> balance
        self.pool_token: dict[int, str] = {}
        # closed pools: when they closed, the stakes still in them then and their locks, and
        # those the Vault's backstop has unwound (a closed pool is not resolved until paid out
        # or unwound)
        self.payout_window = int(self.vault.POOL_PAYOUT_WINDOW())
        self.closed_at: dict[int, int] = {}
        self.stakes_left: dict[int, int] = {}
        self.pool_locks_left: dict[int, list[int]] = {}
        self.unwound: set[int] = set()
        self.open_pools: set[int] = set()
        self.bets: dict[int, DiceBet] = {}
        self.bet_of_lock: dict[int, int] = {}
        self.rounds: dict[int, Round] = {}
        self.current_round: dict[str, int] = {}
        self.games: dict[int, Game] = {}
        self.cups: dict[int, Cup] = {}
        self.requests: dict[int, Request] = {}
        self.timeout_seconds = int(self.coordinator.timeoutSeconds())
        self.burn_address = str(self.coordinator.BURN_ADDRESS())
        self.burn_start = {token: held_by(self._token(token), self.burn_address) for token in self.tokens}
        # the oracle keys the tests hold (hash -> secret); the games request with `active_key`
        self.keys: dict[str, int] = {platform.key_hash: ORACLE_SECRET}
        self.active_key = platform.key_hash
        self.registered: set[str] = {platform.key_hash}
        self.dice_registered = True
        self.bonds: dict[tuple[str, str], Bond] = {}
        for token in self.tokens:
            info = self.coordinator.bondOf(platform.key_hash, token)
            assert info[1] == 0, "no request is pending at the snapshot"
            self.bonds[(platform.key_hash, token)] = Bond(deposited=int(info[0]))
        self.stored_blocks: set[int] = set()  # request blocks whose hash the coordinator stored
        self.jackpot_address = str(self.jackpot.address)
        for token in self.tokens:
            self._track_round(token)

    # -------------------------------------------------------------- helpers

    def _token(self, token: str) -> Any:
        return ETH if token == ETH else self.usds

    def _key(self, token: str) -> str:
        return ETH if token == ETH else "USDS"

    def _pick(self, items: list[Any], index: int) -> Any:
        return items[index % len(items)]

    def _now(self) -> int:
        return now()

    def _free(self, token: str, who: str) -> int:
        return self.books[token].free.get(who, 0)

    def _credit(self, token: str, who: str, amount: int) -> None:
        book = self.books[token]
        book.free[who] = book.free.get(who, 0) + amount

    def _deposit(self, token: str, who: str, amount: int) -> None:
        self._credit(token, who, amount)
        self.books[token].deposited += amount
        person = self.people[who]
        person.deposited[token] = person.deposited.get(token, 0) + amount

    def _lock(self, lock_id: int, token: str, who: str, amount: int, max_payout: int, deadline: int, pool: int) -> None:
        assert lock_id not in self.locks
        self._credit(token, who, -amount)
        assert self._free(token, who) >= 0
        self.locks[lock_id] = Lock(who, token, amount, max_payout, deadline, pool)
        if pool:
            self.pools[pool] += amount
        else:
            self.books[token].reserved += max_payout - amount

    def _resolve(self, lock: Lock) -> None:
        person = self.people[lock.player]
        person.resolved_stakes[lock.token] = person.resolved_stakes.get(lock.token, 0) + lock.amount

    def _settle(self, lock_id: int, payout: int) -> None:
        """Vault.settle of a bankroll lock."""
        lock = self.locks[lock_id]
        assert lock.open and lock.pool == 0 and payout <= lock.max_payout
        lock.open = False
        book = self.books[lock.token]
        book.reserved -= lock.max_payout - lock.amount
        if payout > lock.amount:
            book.bankroll -= payout - lock.amount
        elif payout < lock.amount:
            book.bankroll += lock.amount - payout  # the bet's fee was taken at its lock
        self._credit(lock.token, lock.player, payout)
        self._resolve(lock)

    def _refund(self, lock_id: int) -> None:
        """Vault.refund: the stake goes back to the player's free balance."""
        lock = self.locks[lock_id]
        assert lock.open
        lock.open = False
        if lock.pool:
            assert lock.pool in self.open_pools
            self.pools[lock.pool] -= lock.amount
        else:
            self.books[lock.token].reserved -= lock.max_payout - lock.amount
        self._credit(lock.token, lock.player, lock.amount)

    def _close_pool(self, pool: int) -> None:
        self.open_pools.discard(pool)
        self.closed_at[pool] = self._now()  # the closing transaction's block
        self.pool_locks_left[pool] = [i for i, lock in self.locks.items() if lock.pool == pool and lock.open]
        self.stakes_left[pool] = sum(self.locks[i].amount for i in self.pool_locks_left[pool])
        for lock in self.locks.values():
            if lock.pool == pool and lock.open:
                lock.open = False
                self._resolve(lock)

    def _pay_from_pool(self, pool: int, who: str, amount: int) -> None:
        self.pools[pool] -= amount
        assert self.pools[pool] >= 0
        self._credit(self.pool_token[pool], who, amount)

    def _pool_fee(self, pool: int, amount: int) -> None:
        self.pools[pool] -= amount
        self.books[self.pool_token[pool]].fees += amount

    def _open_pool(self, pool: int, token: str) -> None:
        assert pool not in self.pools
        self.pools[pool] = 0
        self.pool_token[pool] = token
        self.open_pools.add(pool)

    def _track_round(self, token: str) -> None:
        """Register the token's current round (opened by the Jackpot on its own)."""
        round_id = int(self.jackpot.currentRound(token))
        self.current_round[token] = round_id
        if round_id in self.rounds:
            return
        info = self.jackpot.roundOf(round_id)
        assert info["status"] == JACKPOT_OPEN and info["totalTickets"] == 0
        self.rounds[round_id] = Round(
            token,
            int(info["poolId"]),
            int(info["ticketPrice"]),
            int(info["rakeBps"]),
            int(info["end"]),
            int(info["drawBy"]),
            int(info["lockDeadline"]),
            rolled_in=int(info["rolledIn"]),
        )
        if int(info["poolId"]) not in self.pools:
            self._open_pool(int(info["poolId"]), token)

    def _move_pool(self, source: Round, amount: int) -> None:
        """Jackpot._rollOver: `amount` of a round's pool into the token's current round."""
        target = self.rounds[self.current_round[source.token]]
        self.pools[source.pool] -= amount
        self.pools[target.pool] += amount
        target.rolled_in += amount
        source.status = ROLLED_OVER

    def _excluded(self, who: str) -> bool | None:
        """True/False when certain at the next block's time, None near the boundary."""
        until = self.people[who].excluded_until
        now = self._now()
        if now + SLACK < until:
            return True
        if now > until + SLACK:
            return False
        return None

    def _over_limit(self, who: str, token: str, stake: int) -> bool:
        """A stake above every wager limit the player ever set must be refused."""
        limits = self.people[who].wager_limits.get(token, [])
        return bool(limits) and stake > max(limits)

    def _stake(self, who: str, token: str, stake: int, send: Any) -> Any | None:
        """Send a staking transaction whose registry checks the model can only partly predict:
        a certain exclusion or a stake above every limit must be refused; near an exclusion's end,
        or with limits set, the registry may refuse. Returns the receipt or None when refused."""
        excluded = self._excluded(who)
        must_fail = excluded is True or self._over_limit(who, token, stake)
        may_fail = excluded is None or bool(self.people[who].wager_limits.get(token))
        try:
            tx = send()
        except VirtualMachineError as error:
            message = str(error.revert_msg)
            ACTIONS["refused: " + message.split(":")[0]] += 1
            if excluded is True:
                assert message.startswith("TimedOut"), message
            elif must_fail:
                assert message.startswith(REGISTRY_ERRORS + ("TimedOut",)), message
            else:
                assert may_fail and message.startswith(REGISTRY_ERRORS + ("TimedOut",)), message
            return None
        assert not must_fail, f"{who} staked {stake} while excluded or over every limit"
        return tx

    # -------------------------------------------------------------- players and liquidity

    def do_deposit(self, st_index: int, st_token: int, st_small: int) -> None:
        who = self._pick(self.players, st_index)
        token = self.tokens[st_token]
        amount = PLAYER_DEPOSIT[self._key(token)][st_small % 3]
        self.vault.depositFor(who, token, amount, {"from": who, "value": amount if token == ETH else 0})
        self._deposit(token, str(who), amount)
        ACTIONS["deposit"] += 1

    def do_withdraw(self, st_index: int, st_token: int, st_small: int) -> None:
        who = self._pick(self.players, st_index)
        token = self.tokens[st_token]
        amount = self._free(token, str(who)) * (st_small + 1) // 4
        if amount == 0:
            return
        wallet = self._wallet(token, who)
        tx = self.vault.withdraw(token, amount, who, {"from": who})
        assert self._wallet(token, who) == wallet + amount - (gas_paid(tx) if token == ETH else 0)
        self._withdrawn(token, str(who), amount)
        ACTIONS["withdraw"] += 1

    def _wallet(self, token: str, who: Any) -> int:
        return int(web3.eth.get_balance(who.address)) if token == ETH else int(self.usds.balanceOf(who))

    def _withdrawn(self, token: str, who: str, amount: int) -> None:
        self._credit(token, who, -amount)
        self.books[token].withdrawn += amount
        person = self.people[who]
        person.withdrawn[token] = person.withdrawn.get(token, 0) + amount

    def _locked(self, token: str) -> int:
        locked = sum(lock.amount for lock in self.locks.values() if lock.open and not lock.pool and lock.token == token)
        return locked + sum(balance for pool, balance in self.pools.items() if self.pool_token[pool] == token)

    def do_lp_deposit(self, st_index: int, st_token: int, st_small: int) -> None:
        """Claim the LP's deposit request once claimable (priced as if the house won every open
        stake), else request one (a request not yet claimable is refused a claim)."""
        lp = self._pick(self.lps, st_index)
        token = self.tokens[st_token]
        book = self.books[token]
        request = book.deposit_requests.get(str(lp))
        if request is not None and now() >= request[1]:
            assets = request[0]
            ceiling = book.bankroll + (self._locked(token) if book.total_shares else 0)
            shares = mul_div(assets, book.total_shares + VIRTUAL_SHARES, ceiling + VIRTUAL_ASSETS)
            tx = self.vault.claimBankrollDeposit(token, lp, {"from": lp})
            assert tx.return_value == shares > 0
            del book.deposit_requests[str(lp)]
            book.bankroll += assets
            book.total_shares += shares
            book.shares[str(lp)] += shares
            ACTIONS["lp deposit claimed"] += 1
            return
        if request is not None:
            with pytest.raises(VirtualMachineError, match="BankrollRequestNotClaimable"):
                self.vault.claimBankrollDeposit(token, lp, {"from": lp})
        assets = LP_DEPOSIT[self._key(token)][st_small % 3]
        tx = self.vault.requestBankrollDeposit(token, assets, {"from": lp, "value": assets if token == ETH else 0})
        pending = book.deposit_requests.setdefault(str(lp), [0, 0])
        pending[0] += assets
        pending[1] = tx.timestamp + DAY
        assert tx.return_value == pending[1]
        book.deposited += assets
        ACTIONS["lp deposit requested"] += 1

    def do_lp_withdraw(self, st_index: int, st_token: int, st_small: int) -> None:
        """Claim the LP's redeem request once claimable (priced as if every open lock paid its
        maximum, credited to its free balance), else request one."""
        lp = self._pick(self.lps, st_index)
        token = self.tokens[st_token]
        book = self.books[token]
        request = book.redeem_requests.get(str(lp))
        if request is not None and now() >= request[1]:
            shares = request[0]
            assets = mul_div(shares, book.bankroll - book.reserved + VIRTUAL_ASSETS, book.total_shares + VIRTUAL_SHARES)
            # what stays must keep the open reserves within the risk fraction
            fraction = self.risk_fraction[token]
            needed = max(book.reserved, -(-book.reserved * BPS // fraction)) if fraction else book.reserved
            if assets == 0 or assets > book.bankroll - needed:
                expected = "ZeroAmount" if assets == 0 else "InsufficientBankroll"
                with pytest.raises(VirtualMachineError, match=expected):
                    self.vault.claimBankrollRedeem(token, lp, {"from": lp})
                ACTIONS["lp withdraw refused"] += 1
                if st_small % 2:
                    assert self.vault.cancelBankrollRedeem(token, {"from": lp}).return_value == shares
                    del book.redeem_requests[str(lp)]
                    book.shares[str(lp)] += shares
                return
            tx = self.vault.claimBankrollRedeem(token, lp, {"from": lp})
            assert tx.return_value == assets
            del book.redeem_requests[str(lp)]
            book.bankroll -= assets
            book.total_shares -= shares
            self._credit(token, str(lp), assets)
            ACTIONS["lp withdraw claimed"] += 1
            return
        shares = book.shares[str(lp)] * (st_small + 1) // 4
        if shares == 0:
            return
        tx = self.vault.requestBankrollRedeem(token, shares, {"from": lp})
        book.shares[str(lp)] -= shares
        pending = book.redeem_requests.setdefault(str(lp), [0, 0])
        pending[0] += shares
        pending[1] = tx.timestamp + DAY
        ACTIONS["lp withdraw requested"] += 1

    # -------------------------------------------------------------- player protection

    def do_set_wager_limit(self, st_index: int, st_token: int, st_flag: bool) -> None:
        who = self._pick(self.players, st_index)
        token = self.tokens[st_token]
        value = WAGER_LIMITS[self._key(token)][int(st_flag)]
        self.registry.setLimit(token, WAGER, DAY_WINDOW, value, {"from": who})
        self.people[str(who)].wager_limits.setdefault(token, []).append(value)
        ACTIONS["wager limit"] += 1

    def do_player_time_out(self, st_index: int) -> None:
        """A 24-hour time-out (the shortest break; a self-exclusion lasts at least six months, longer
        than a run): every stake is refused until it ends."""
        who = self._pick(self.players, st_index)
        tx = self.registry.takeTimeOut(0, {"from": who})
        self.people[str(who)].excluded_until = int(tx.timestamp) + DAY
        assert self.registry.isTimedOut(who)
        ACTIONS["time-out"] += 1

    # -------------------------------------------------------------- Dice

    def do_dice_bet(self, st_index: int, st_token: int, st_small: int, st_flag: bool) -> None:
        if st_index % 4 == 3:
            # one draw in four bets on Wheel or Plinko instead (the same engine, another table), so
            # the other actions keep their draws
            self._weighted_bet(st_index // 4, st_token, st_small, st_flag)
            return
        token = self.tokens[st_token]
        roll_stake = DICE_STAKES[self._key(token)][st_small]
        target = 2 + st_index % 97
        # every other bet rolls over (2..98 is a target both ways); one in five plays three rolls
        over, rolls = st_index % 2 == 1, 3 if st_index % 5 == 0 else 1
        choice = dice_choice(target, over)
        stake = roll_stake * rolls
        payout_if_win = dice_rules.payout_if_win(roll_stake, target, DICE_EDGE, over) * rolls
        # no stop: every roll plays, so the bet declares every roll's edge
        edge = dice_rules.house_edge(roll_stake, target, DICE_EDGE, over) * rolls
        bet = DiceBet("", token, stake, target, payout_if_win, 0, (), over=over, rolls=rolls, house_edge=edge)
        self._chance_bet(self.dice, bet, choice, self.dice_registered, st_index, st_flag)

    def do_cointoss_bet(self, st_index: int, st_token: int, st_small: int, st_flag: bool) -> None:
        """A coin toss on the same engine: the model's payout is fairstake.rules.cointoss's."""
        token = self.tokens[st_token]
        stake, choice = DICE_STAKES[self._key(token)][st_small], cointoss_rules.encode_choice(st_flag)
        payout_if_win, edge = cointoss_rules.roll_terms(stake, choice, COINTOSS_EDGE)
        bet = DiceBet("", token, stake, 0, payout_if_win, 0, (), game="cointoss", house_edge=edge)
        bet.payout_of = lambda word: cointoss_rules.roll_payout(stake, choice, COINTOSS_EDGE, word)
        self._chance_bet(self.cointoss, bet, choice, True, st_index, st_index % 2 == 0)

    def do_other_chance_bet(self, st_index: int, st_token: int, st_small: int, st_flag: bool) -> None:
        """A bet on a game on the chance engine other than Dice: a coin toss, a roulette spin or a
        Keno draw (Wheel and Plinko take a share of Dice's own draws)."""
        play = (self.do_roulette_bet, self.do_cointoss_bet, self.do_keno_bet)[st_index % 3]
        play(st_index // 3, st_token, st_small, st_flag)

    def do_roulette_bet(self, st_index: int, st_token: int, st_small: int, st_flag: bool) -> None:
        """A roulette spin on red (or black) and one straight number: the model's payouts are
        fairstake.rules.roulette's, the bet's maximum its best pocket's."""
        token = self.tokens[st_token]
        stake = DICE_STAKES[self._key(token)][st_small]
        masks = [roulette_rules.red() if st_flag else roulette_rules.black(), roulette_rules.straight(st_index % 37)]
        choice = roulette_rules.encode_choice(masks, [stake - stake // 4, stake // 4])
        most, edge = roulette_rules.roll_terms(stake, choice, ROULETTE_EDGE)
        bet = DiceBet("", token, stake, 0, most, 0, (), game="roulette", house_edge=edge)
        bet.payout_of = lambda word: roulette_rules.roll_payout(stake, choice, ROULETTE_EDGE, word)
        self._chance_bet(self.roulette, bet, choice, True, st_index, st_index % 2 == 0)

    def _chance_bet(
        self, game: Any, bet: DiceBet, choice: bytes, registered: bool, st_index: int, st_flag: bool
    ) -> None:
        """Place `bet` (its token, stakes, rolls, maximum payout and edge filled in) on `game`, a game
        on the chance engine, checking the Vault's and the coordinator's refusals and what it locks."""
        who = self._pick(self.players, st_index)
        token, stake, payout_if_win, rolls = bet.token, bet.stake, bet.payout_if_win, bet.rolls
        roll_stake = stake // rolls
        fee = bankroll_rules.protocol_fee(bet.house_edge, self.fee_bps)
        book = self.books[token]
        # the risk fraction caps the sum of the open locks' reserves and this bet's fee
        max_reserve = max(0, book.bankroll * self.risk_fraction[token] // BPS - book.reserved)
        deposit = stake if st_flag or self._free(token, str(who)) < stake else 0
        value = deposit if token == ETH else 0
        # the registry checks first, then the Vault's exposure, then the key's free bond
        refusal = (
            "NotGame"
            if not registered
            else "ExposureTooHigh"
            if payout_if_win - stake + fee > max_reserve
            else "BondTooSmall"
            if payout_if_win > self._bond_free(token)
            else None
        )
        if refusal and self._excluded(str(who)) is False and not self.people[str(who)].wager_limits.get(token):
            with pytest.raises(VirtualMachineError, match=refusal):
                game.placeMultiBet(token, roll_stake, choice, rolls, 0, 0, deposit, {"from": who, "value": value})
            ACTIONS["refused: " + refusal] += 1
            if refusal == "NotGame":
                ACTIONS["dice bet refused while unregistered"] += 1
            return
        if refusal:
            return  # refused one way or another; which check comes first is not the point here
        tx = self._stake(
            str(who),
            token,
            stake,
            lambda: game.placeMultiBet(token, roll_stake, choice, rolls, 0, 0, deposit, {"from": who, "value": value}),
        )
        if tx is None:
            return
        placed = tx.events["BetPlaced"]
        assert tx.events["Locked"]["maxPayout"] == payout_if_win  # BetPlaced leaves it to the lock
        if deposit:
            self._deposit(token, str(who), deposit)
        lock_id = int(tx.events["Locked"]["lockId"])
        deadline = int(tx.events["Locked"]["deadline"])
        assert deadline == int(tx.timestamp) + int(game.lockDuration())
        self._lock(lock_id, token, str(who), stake, payout_if_win, deadline, 0)
        # the protocol fee: the fee share of the bet's house edge, out of the bankroll at the lock
        assert int(tx.events["Locked"]["fee"]) == fee
        book.bankroll -= fee
        book.fees += fee
        rc = commitments(tx)[0]
        bet_id = int(placed["betId"])
        assert bet_id == request_id(rc) == expected_request_id(game.address, lock_id)  # the lock names it
        bet.player, bet.lock_id, bet.rc, bet.fee = str(who), lock_id, rc, fee
        self.bets[bet_id] = bet
        self.bet_of_lock[lock_id] = bet_id
        # expiry: the bond pays W - stake to the player and the stake to the bankroll
        self._request("dice", bet_id, tx, token, payout_if_win, str(who), payout_if_win - stake, True)
        ACTIONS[f"{bet.game} bet"] += 1

    # -------------------------------------------------------------- Keno

    def do_keno_bet(self, st_index: int, st_token: int, st_small: int, st_flag: bool) -> None:
        """A Keno bet on the deployed default table: 1..10 picks, one roll or (one in five) three;
        the model's payout is fairstake.rules.keno's through the multi-roll rules."""
        token = self.tokens[st_token]
        roll_stake = KENO_STAKES[self._key(token)][st_small]
        picks = [1 + (st_index * 7 + k * 11) % 40 for k in range(1 + st_index % 10)]
        choice = keno_rules.encode_choice(KENO_TABLE_ID, keno_rules.mask_of(picks))
        rolls = 3 if st_index % 5 == 0 else 1
        terms = multiroll.bet_terms(KENO_RULES, roll_stake, choice, 0, rolls)
        bet = DiceBet(
            "", token, terms.staked, 0, terms.max_payout, 0, (), rolls=rolls, game="keno", house_edge=terms.house_edge
        )
        bet.payout_of = lambda word: multiroll.play(KENO_RULES, word, roll_stake, choice, 0, rolls).payout
        self._chance_bet(self.keno, bet, choice, True, st_index, st_flag)

    def _table(self, contract: str, config_id: int) -> weighted.WeightedConfig:
        """A Wheel or Plinko configuration, read once (immutable once added)."""
        key = (contract, config_id)
        if key not in TABLES:
            header, weights, multipliers = self.weighted[contract].configOf(config_id)
            TABLES[key] = weighted.WeightedConfig(tuple(weights), tuple(multipliers), int(header[4]))
        return TABLES[key]

    def _weighted_bet(self, st_index: int, st_token: int, st_small: int, st_flag: bool) -> None:
        """A one-roll Wheel or Plinko bet on one of its default configurations; it settles, expires
        and is refunded by the same actions as a Dice bet (the engine's rules), paying by its table."""
        contract = ("Wheel", "Plinko")[st_index % 2]
        game = self.weighted[contract]
        config_id = 1 + st_index // 2 % int(game.configCount())
        table = self._table(contract, config_id)
        token = self.tokens[st_token]
        stake = DICE_STAKES[self._key(token)][st_small % 2]  # tables pay up to 510x: the small stakes
        choice = weighted.encode_choice(config_id)
        max_payout, house_edge = weighted.roll_terms(stake, choice, 0, table)
        bet = DiceBet("", token, stake, 0, max_payout, 0, (), game=contract.lower(), house_edge=house_edge)
        bet.payout_of = lambda word: weighted.roll_payout(stake, choice, 0, word, table)
        self._chance_bet(game, bet, choice, True, st_index, st_flag)

    # -------------------------------------------------------------- randomness

    def _expired(self, rc: Commitment) -> bool | None:
        """Whether the next transaction finds the request expired (the coordinator's rule: both
        deadlines passed, or the time deadline passed by a whole timeout more); None when its
        timestamp, known only to within SLACK seconds, could fall either side."""
        latest, block = self._now(), web3.eth.block_number + 1

        def at(timestamp: int) -> bool:
            return timestamp > rc[2] and (block > rc[1] or timestamp > rc[2] + self.timeout_seconds)

        early, late = at(latest), at(latest + SLACK)
        return early if early == late else None

    def _hash_readable(self, rc: Commitment) -> bool:
        """The request block's hash is there for the next transaction: BLOCKHASH's 256 blocks, or stored."""
        return web3.eth.block_number + 1 - rc[0] <= 256 or rc[0] in self.stored_blocks

    def _fulfillable(self) -> list[Request]:
        return [r for r in self.requests.values() if self._expired(r.rc) is False and self._hash_readable(r.rc)]

    def _request(
        self, kind: str, ref: int, tx: Any, token: str, amount: int, beneficiary: str, share: int, to_bankroll: bool
    ) -> Request:
        """Record the request `tx` made, checking what it reserved from the active key's bond."""
        rc = commitments(tx)[0]
        assert rc[6] == self.active_key
        reserved = tx.events["RandomnessRequested"]
        assert (int(reserved["bondAmount"]), int(reserved["beneficiaryAmount"])) == (amount, share)
        assert str(reserved["bondToken"]) == token
        assert str(reserved["beneficiary"]) == beneficiary and bool(reserved["residualToBankroll"]) is to_bankroll
        request = Request(kind, ref, rc, token, amount, beneficiary, share, to_bankroll)
        rid = request_id(rc)
        self.requests[rid] = request
        self.bonds[(rc[6], token)].reservations[rid] = amount
        return request

    def _bond_free(self, token: str) -> int:
        """The active key's free bond (the model's; nobody unbonds here)."""
        return self.bonds[(self.active_key, token)].total - self.bonds[(self.active_key, token)].reserved

    def _released(self, request: Request) -> None:
        """Fulfilled: the reservation goes back to the key's free bond."""
        rid = request_id(request.rc)
        del self.bonds[(request.rc[6], request.token)].reservations[rid]
        del self.requests[rid]

    def _slashed(self, request: Request) -> None:
        """Expired: the reservation leaves the bond; the beneficiary is credited in the Vault and the
        rest goes to the bankroll whole (the bet's fee was taken at its lock) or is burnt."""
        rid = request_id(request.rc)
        bond = self.bonds[(request.rc[6], request.token)]
        assert bond.reservations.pop(rid) == request.reserved
        bond.slashed += request.reserved
        book = self.books[request.token]
        residual = request.reserved - request.beneficiary_amount
        self._credit(request.token, request.beneficiary, request.beneficiary_amount)
        book.paid_in += request.beneficiary_amount
        if request.residual_to_bankroll:
            book.bankroll += residual
            book.paid_in += residual
        else:
            book.burnt += residual
        del self.requests[rid]

    def do_fulfil(self, st_index: int, st_small: int, st_flag: bool) -> None:
        ready = self._fulfillable()
        if not ready:
            return
        start = st_index % len(ready)
        self._deliver((ready[start:] + ready[:start])[: st_small + 1], batch=st_flag)

    def _deliver(self, chosen: list[Request], batch: bool) -> None:
        """Fulfil `chosen` (in one batch, or only the first) with its key's proofs."""
        proofs = [prove(r.rc, self.keys[r.rc[6]]) for r in chosen]
        sender = accounts[1]
        if batch and len(chosen) > 1:
            tx = self.coordinator.fulfilBatch(
                [p.as_solidity() for p in proofs], [r.rc for r in chosen], {"from": sender}
            )
            ACTIONS["fulfil batch"] += 1
        else:
            chosen, proofs = chosen[:1], proofs[:1]
            tx = self.coordinator.fulfil(proofs[0].as_solidity(), chosen[0].rc, {"from": sender})
        fulfilled = {int(e["requestId"]): bool(e["callbackSuccess"]) for e in tx.events["RandomnessFulfilled"]}
        assert set(fulfilled) == {request_id(r.rc) for r in chosen}
        for request, proof in zip(chosen, proofs, strict=True):
            word = first_word(proof)
            if request.kind == "dice":
                self._dice_randomness(request.ref, word, fulfilled[request_id(request.rc)])
            else:
                assert fulfilled[request_id(request.rc)]
                self._jackpot_randomness(request.ref, word, int(tx.timestamp))
            if request.rc[6] not in self.registered:
                ACTIONS["fulfilled with a deregistered key"] += 1
            self._released(request)

    def _dice_randomness(self, bet_id: int, word: int, callback_succeeded: bool) -> None:
        bet = self.bets[bet_id]
        # the lock's deadline lies beyond the coordinator's latest fulfilment: the backstop
        # cannot have refunded a bet whose result is still deliverable
        assert self.locks[bet.lock_id].open and callback_succeeded
        if bet.payout_of is not None:  # another game on the engine: one roll, by its rules
            payout = bet.payout_of(word)
            assert 0 <= payout <= bet.payout_if_win
            self._settle(bet.lock_id, payout)
            bet.settled = True
            ACTIONS[f"{bet.game} {'won' if payout > bet.stake else 'lost'}"] += 1
            ACTIONS[f"{bet.game} bet settled"] += 1
            return
        choice = dice_rules.encode_choice(bet.target, bet.over)
        outcome = multiroll.play(dice_rules, word, bet.stake // bet.rolls, choice, DICE_EDGE, bet.rolls)
        assert 0 <= outcome.payout <= bet.payout_if_win
        self._settle(bet.lock_id, outcome.payout)
        bet.settled = True
        ACTIONS["dice won" if outcome.payout > bet.stake else "dice lost"] += 1
        if bet.rolls > 1:
            ACTIONS["dice multi-roll bet settled"] += 1
        if bet.over:
            ACTIONS["dice roll-over bet settled"] += 1
        if not self.dice_registered:
            ACTIONS["dice bet of an unregistered game settled"] += 1

    def _jackpot_randomness(self, round_id: int, word: int, timestamp: int) -> None:
        round_ = self.rounds[round_id]
        assert round_.status == DRAWING
        if timestamp > round_.lock_deadline:
            round_.status = REFUNDABLE
            ACTIONS["jackpot result after its locks' deadline"] += 1
            return
        ends = [purchase.end for purchase in round_.purchases]
        _, index = jackpot_rules.draw(word, ends)
        total = round_.tickets * round_.price + round_.rolled_in
        prize, rake = jackpot_rules.prize_and_rake(total, round_.rake_bps, round_.rolled_in)
        round_.status, round_.winner, round_.prize = DRAWN, round_.purchases[index].player, prize
        round_.claim_by = timestamp + self.claim_period
        self._close_pool(round_.pool)
        if rake:
            self._pool_fee(round_.pool, rake)
        assert self.jackpot.roundOf(round_id)["winner"] == round_.winner
        ACTIONS["jackpot drawn"] += 1

    def do_time_out(self, st_flag: bool) -> None:
        """An outage: the oracle publishes nothing. Move past every pending request's deadlines (its
        block and its time), then expire each at the coordinator, which pays its slash and unwinds
        it by its game's rules. With `st_flag` the game is asked to unwind it first and refuses
        (only the coordinator's expiry pays the bond)."""
        if not self.requests:
            return
        # the latest request has the latest deadlines, in blocks and in time
        past_deadline(max((r.rc for r in self.requests.values()), key=lambda rc: rc[0]))
        for request in list(self.requests.values()):
            self._withhold(request, game_first=st_flag)
        ACTIONS["outage"] += 1

    def _withhold(self, request: Request, game_first: bool) -> None:
        """Expire a request that is past its deadline: a late result can no longer race it."""
        rid = request_id(request.rc)
        assert self._expired(request.rc) is True
        proof = prove(request.rc, self.keys[request.rc[6]]).as_solidity()
        with pytest.raises(VirtualMachineError, match="RequestExpired"):
            self.coordinator.fulfil.call(proof, request.rc, {"from": accounts[1]})
        if request.kind == "dice":
            self._dice_expired(request, game_first)
        else:
            self._jackpot_expired(request, game_first)
        assert not self.coordinator.isPending(rid)

    def _expire(self, request: Request) -> Any:
        tx = self.coordinator.expire(request.rc, {"from": self.outsider})
        assert tx.events["RandomnessExpired"]["callbackSuccess"]
        slashed = tx.events["BondSlashed"]
        assert int(slashed["beneficiaryAmount"]) + int(slashed["residual"]) == request.reserved
        return tx

    def _dice_expired(self, request: Request, game_first: bool) -> None:
        """The lock is refunded (unless the Vault's backstop was first: the same refund) and the bond
        pays W - stake to the player and the stake to the bankroll as a house win."""
        bet = self.bets[request.ref]
        if game_first:
            # a pending request is not the game's to refund; a lock the Vault's backstop already
            # refunded is no open bet of the game's any more
            error = "BetNotTimedOut" if self.locks[bet.lock_id].open else "NoOpenBet"
            with pytest.raises(VirtualMachineError, match=error):
                getattr(self, bet.game).settleTimedOut(bet.lock_id, self._terms(bet.lock_id), {"from": self.outsider})
        tx = self._expire(request)
        lock_open = self.locks[bet.lock_id].open
        assert ("Refunded" in tx.events) is lock_open
        if lock_open:
            bet.refunded += int(tx.events["Refunded"]["amount"])
            self._refund(bet.lock_id)
        else:
            ACTIONS["dice expired after the Vault's backstop"] += 1
        paid = tx.events["PaidIn"]
        assert str(paid["beneficiary"]) == bet.player
        bet.bond_credit, bet.bankroll_gain = int(paid["credited"]), int(paid["toBankroll"])
        bet.withheld = bet.settled = True
        self._slashed(request)
        ACTIONS["dice withheld"] += 1

    def _jackpot_expired(self, request: Request, game_first: bool) -> None:
        """The round becomes refundable; the bond credits the compensation C = S + 2R to the Jackpot
        (passed on with the refunds) and burns the sink S + R."""
        round_ = self.rounds[request.ref]
        if game_first:
            with pytest.raises(VirtualMachineError, match="DrawPending"):
                self.jackpot.markRefundable(request.ref, {"from": self.outsider})
        compensation, sink = jackpot_compensation_and_sink(round_.tickets * round_.price, round_.rolled_in)
        assert (request.beneficiary_amount, request.reserved) == (compensation, compensation + sink)
        tx = self._expire(request)
        assert int(tx.events["DrawCompensated"]["amount"]) == compensation
        round_.status, round_.compensation = REFUNDABLE, compensation
        self._slashed(request)
        ACTIONS["jackpot draw withheld"] += 1

    # -------------------------------------------------------------- the oracle as adversary

    def do_withhold(self, st_index: int, st_flag: bool) -> None:
        """The oracle leaves one result unanswered past its deadline (whatever it would have said),
        and anyone expires it: the bond pays what the game's rules say the result is worth."""
        if not self.requests:
            return
        request = self._pick(list(self.requests.values()), st_index)
        past_deadline(request.rc)
        self._withhold(request, game_first=st_flag)
        ACTIONS["withheld one result"] += 1

    def do_delay(self, st_index: int, st_small: int, st_flag: bool) -> None:
        """The oracle answers late but before the deadline: 100 to 400 blocks after the request
        (past the deadline block while the time deadline holds), having stored the request block's
        hash with `st_flag`. Past BLOCKHASH's 256 blocks an unstored hash leaves the request
        unfulfillable (it can only expire)."""
        latest = self._now()
        late = [r for r in self.requests.values() if self._hash_readable(r.rc) and latest + 2 * SLACK < r.rc[2]]
        if not late:
            return
        request = self._pick(late, st_index)
        rc = request.rc
        # storeBlockhash runs in the next block; BLOCKHASH reads the 256 blocks before it
        if st_flag and rc[0] not in self.stored_blocks and web3.eth.block_number + 1 - rc[0] <= 256:
            tx = self.coordinator.storeBlockhash(rc[0], {"from": self.outsider})
            assert int(tx.events["BlockhashStored"]["blockNum"]) == rc[0]
            self.stored_blocks.add(rc[0])
            ACTIONS["block hash stored"] += 1
        distance = (100, 200, 300, 400)[st_small]  # blocks from the request to its result
        mine(max(0, rc[0] + distance - web3.eth.block_number - 1))
        ACTIONS["result delayed"] += 1
        if self._expired(rc) is not False:
            return  # the blocks took long enough to reach the time deadline: it can only expire now
        if not self._hash_readable(rc):
            proof = prove(rc, self.keys[rc[6]]).as_solidity()
            with pytest.raises(VirtualMachineError, match="BlockhashUnavailable"):
                self.coordinator.fulfil.call(proof, rc, {"from": accounts[1]})
            ACTIONS["late result without its block hash"] += 1
            return
        past_block = web3.eth.block_number + 1 > rc[1]
        self._deliver([request], batch=False)
        if web3.eth.block_number - rc[0] > 256:
            ACTIONS["late result past 256 blocks"] += 1
        elif past_block:
            ACTIONS["late result past the deadline block"] += 1

    def do_rotate_key(self, st_small: int, st_flag: bool) -> None:
        """Governance rotates the oracle key through the timelock while requests are pending: the
        key is deregistered (new requests for it are refused; pending ones stay fulfillable with it,
        which `fulfil` goes on doing), then registered again (`st_flag`) or replaced by the other
        key, bonded on its first registration, which the games then request with."""
        old = self.active_key
        if st_small or not any(r.rc[6] == old for r in self.requests.values()):
            return  # governance is slow (a timelock delay per call): one draw in four, with requests pending
        self.platform.govern(self.coordinator, "deregisterKey", old)
        self.registered.discard(old)
        assert not self.coordinator.isKeyRegistered(old)
        ACTIONS["key deregistered with requests pending"] += 1
        self._check_refused_for_unknown_key()
        new = old if st_flag else self._other_key(old)
        if new not in self.registered:
            pk = list(ecvrf.public_key(self.keys[new]))
            self.platform.govern(self.coordinator, "registerKey", pk, accounts[DEPLOYER])
        self.registered.add(new)
        assert str(self.coordinator.operatorOf(new)) == str(accounts[DEPLOYER])
        if new != old:
            # the rotation is the coordinator governance's: each game's key lives there
            for game in (self.dice, self.jackpot, self.cointoss, self.roulette, self.keno, self.wheel, self.plinko):
                self.platform.govern(self.coordinator, "setConsumer", game, new)
                assert game.keyHash() == new
            self.active_key = new
        ACTIONS["key registered again" if new == old else "key replaced"] += 1

    def do_unregister_dice(self, st_small: int) -> None:
        """Governance unregisters Dice in the Vault with bets open (one draw in two), and registers it
        again the next time this action is drawn. Meanwhile new bets are refused (`NotGame`) and the
        open ones go on settling, expiring and being refunded by the other actions, exactly as
        before: unregistering stops new business and never freezes a stake (issue 12, finding 4)."""
        if self.dice_registered:
            open_bets = [b for b in self.bets.values() if not b.settled and b.game == "dice"]
            if st_small >= 2 or not open_bets:
                return  # governance is slow (a timelock delay per call)
            self.platform.govern(self.vault, "setGame", self.dice, False)
            self.dice_registered = False
            ACTIONS["dice unregistered with bets open"] += 1
        else:
            self.platform.govern(self.vault, "setGame", self.dice, True)
            self.dice_registered = True
            ACTIONS["dice registered again"] += 1
        assert self.vault.isGame(self.dice) is self.dice_registered

    def _other_key(self, key: str) -> str:
        """The key that is not `key`: the second key is made and bonded the first time it is needed."""
        others = [k for k in self.keys if k != key]
        if others:
            return others[0]
        secret = SECOND_ORACLE_SECRET
        key_hash = str(self.coordinator.hashOfKey(list(ecvrf.public_key(secret))))
        self.keys[key_hash] = secret
        self.platform.govern(self.coordinator, "registerKey", list(ecvrf.public_key(secret)), accounts[DEPLOYER])
        self.registered.add(key_hash)
        deployer = accounts[DEPLOYER]
        for token in self.tokens:
            amount = SECOND_KEY_BOND[self._key(token)]
            if token == ETH:
                self.coordinator.depositBond(key_hash, ETH, amount, {"from": deployer, "value": amount})
            else:
                self.usds.mint(deployer, amount, {"from": deployer})
                self.usds.approve(self.coordinator, amount, {"from": deployer})
                self.coordinator.depositBond(key_hash, token, amount, {"from": deployer})
            self.bonds[(key_hash, token)] = Bond(deposited=amount)
        return key_hash

    def _check_refused_for_unknown_key(self) -> None:
        """With no key registered for the games, a bet is refused at the coordinator."""
        player = next(
            (p for p in self.players if self._excluded(str(p)) is False and not self.people[str(p)].wager_limits), None
        )
        if player is None or not self.dice_registered:
            return  # the registry or the Vault (an unregistered game) would refuse it first
        stake, target = DICE_STAKES[ETH][0], 98
        book = self.books[ETH]
        fee = bankroll_rules.protocol_fee(dice_rules.house_edge(stake, target, DICE_EDGE), self.fee_bps)
        if (
            dice_rules.payout_if_win(stake, target, DICE_EDGE) - stake + fee
            > book.bankroll * self.risk_fraction[ETH] // BPS - book.reserved
        ):
            return  # the Vault's exposure check would refuse it first
        with pytest.raises(VirtualMachineError, match="UnknownKey"):
            self.dice.placeBet.call(ETH, stake, dice_choice(target), stake, {"from": player, "value": stake})
        ACTIONS["refused: UnknownKey"] += 1

    def do_pool_backstop(self, st_index: int) -> None:
        """A closed pool with money left (an unclaimed Jackpot prize): the payout window passes (a
        month) and anyone unwinds it through the Vault's backstop, each remaining lock getting its
        stake's pro-rata share of the balance (the last one what is left), or, with no lock left,
        the bankroll getting it. The prize can then no longer be claimed or rolled over."""
        waiting = sorted(p for p in self.closed_at if self.pools[p] > 0 and p not in self.unwound)
        if not waiting:
            return
        pool = self._pick(waiting, st_index)
        token = self.pool_token[pool]
        pay_by = self.closed_at[pool] + self.payout_window
        latest = self._now()
        if latest <= pay_by + SLACK:
            chain.sleep(pay_by - latest + SLACK + 1)
            chain.mine()
            ACTIONS["a month passed"] += 1
        balance, stakes = self.pools[pool], self.stakes_left[pool]
        locks = self.pool_locks_left[pool]
        if not locks:
            tx = self.vault.releaseClosedPool(pool, {"from": self.outsider})
            assert int(tx.events["ClosedPoolReleased"]["amount"]) == balance
            self.books[token].bankroll += balance
            balance = 0
        for lock_id in locks:
            lock = self.locks[lock_id]
            share = balance if stakes == lock.amount else lock.amount * balance // stakes
            tx = self.vault.refundClosedPool(lock_id, self._terms(lock_id), {"from": self.outsider})
            assert int(tx.events["ClosedPoolRefunded"]["amount"]) == share, f"pool {pool} lock {lock_id}"
            self._credit(token, lock.player, share)
            balance, stakes = balance - share, stakes - lock.amount
        assert balance == 0 == stakes
        self.pools[pool] = 0
        self.unwound.add(pool)
        for round_id, round_ in self.rounds.items():
            if round_.pool == pool and round_.status == DRAWN:
                with pytest.raises(VirtualMachineError, match="PoolUnwinding"):
                    self.jackpot.claim(round_id, {"from": self.outsider})
                round_.status = UNWOUND
        ACTIONS["closed pool unwound by the backstop"] += 1

    def do_away_past_lock_deadline(self, st_index: int, st_flag: bool) -> None:
        """The oracle withholds a Dice result and nobody expires it until the bet's Vault lock is
        past its deadline: anyone refunds the stake through the Vault's backstop first, and the
        expiry then pays the bond's share. The player still ends with exactly W."""
        pending = [r for r in self.requests.values() if r.kind == "dice" and self.locks[self.bets[r.ref].lock_id].open]
        if not pending:
            return
        request = self._pick(pending, st_index)
        bet = self.bets[request.ref]
        lock = self.locks[bet.lock_id]
        latest = self._now()
        if latest <= lock.deadline + SLACK:
            chain.sleep(lock.deadline - latest + SLACK + 1)
            chain.mine()
        tx = self.vault.refund(bet.lock_id, self._terms(bet.lock_id), {"from": self.outsider})
        assert tx.events["Refunded"]["afterDeadline"]
        self._refund(bet.lock_id)
        bet.refunded += int(tx.events["Refunded"]["amount"])
        self._withhold(request, game_first=st_flag)
        ACTIONS["withheld dice bet refunded by the Vault first"] += 1

    # -------------------------------------------------------------- Jackpot

    def do_jackpot_buy(self, st_index: int, st_token: int, st_small: int, st_flag: bool) -> None:
        who = self._pick(self.players, st_index)
        token = self.tokens[st_token]
        round_id = self.current_round[token]
        round_ = self.rounds[round_id]
        now = self._now()
        if abs(now - round_.end) <= SLACK:
            return
        count = st_small + 1
        stake = count * round_.price
        deposit = stake if st_flag or self._free(token, str(who)) < stake else 0
        value = deposit if token == ETH else 0
        if now > round_.end:
            with pytest.raises(VirtualMachineError, match="SalesClosed"):
                self.jackpot.buyTickets(round_id, count, deposit, {"from": who, "value": value})
            ACTIONS["refused: SalesClosed"] += 1
            return
        tx = self._stake(
            str(who),
            token,
            stake,
            lambda: self.jackpot.buyTickets(round_id, count, deposit, {"from": who, "value": value}),
        )
        if tx is None:
            return
        if deposit:
            self._deposit(token, str(who), deposit)
        lock_id = int(tx.events["TicketsBought"]["lockId"])
        self._lock(lock_id, token, str(who), stake, stake, round_.lock_deadline, round_.pool)
        round_.purchases.append(Purchase(str(who), round_.tickets + count, lock_id, stake))
        ACTIONS["jackpot tickets"] += 1

    def do_jackpot_draw(self, st_token: int) -> None:
        token = self.tokens[st_token]
        round_id = self.current_round[token]
        round_ = self.rounds[round_id]
        now = self._now()
        if now <= round_.end + SLACK:
            chain.sleep(round_.end - now + SLACK + 1)
        elif abs(now - round_.draw_by) <= SLACK:
            return
        if self._now() > round_.draw_by:
            with pytest.raises(VirtualMachineError, match="DrawWindowPassed"):
                self.jackpot.draw(round_id, {"from": self.outsider})
            self.jackpot.markRefundable(round_id, {"from": self.outsider})
            round_.status = REFUNDABLE
            ACTIONS["jackpot draw window missed"] += 1
            self._track_round(token)
            return
        compensation, sink = jackpot_compensation_and_sink(round_.tickets * round_.price, round_.rolled_in)
        if round_.tickets and compensation + sink > self._bond_free(token):
            with pytest.raises(VirtualMachineError, match="BondTooSmall"):
                self.jackpot.draw(round_id, {"from": self.outsider})
            ACTIONS["refused: BondTooSmall"] += 1
            return
        tx = self.jackpot.draw(round_id, {"from": self.outsider})
        self._track_round(token)
        if round_.tickets == 0:
            self._close_pool(round_.pool)
            if round_.rolled_in == 0:
                round_.status = CLOSED
                ACTIONS["jackpot closed empty"] += 1
            else:
                self._move_pool(round_, round_.rolled_in)
            return
        round_.status = DRAWING
        ACTIONS["jackpot draw requested"] += 1
        # expiry: the compensation to the Jackpot's Vault balance for the tickets, the sink burnt
        self._request("jackpot", round_id, tx, token, compensation + sink, self.jackpot_address, compensation, False)

    def do_jackpot_claim_or_roll_over(self, st_index: int) -> None:
        drawn = [(rid, r) for rid, r in self.rounds.items() if r.status == DRAWN]
        if not drawn:
            return
        round_id, round_ = self._pick(drawn, st_index)
        if self._now() > round_.claim_by + SLACK and st_index % 2:
            self.jackpot.rollOver(round_id, {"from": self.outsider})
            self._move_pool(round_, round_.prize)
            ACTIONS["jackpot prize rolled over"] += 1
            return
        self.jackpot.claim(round_id, {"from": self.outsider})
        self._pay_from_pool(round_.pool, round_.winner, round_.prize)
        round_.status = CLAIMED
        ACTIONS["jackpot claimed"] += 1

    def do_jackpot_refund(self, st_index: int) -> None:
        """Anyone refunds every ticket of a failed draw, then rolls its rolled-in money on."""
        refundable = [
            (rid, r)
            for rid, r in self.rounds.items()
            if r.status == REFUNDABLE and (r.rolled_in or any(not p.refunded for p in r.purchases))
        ]
        if not refundable:
            return
        round_id, round_ = self._pick(refundable, st_index)
        indexes = [i for i, p in enumerate(round_.purchases) if not p.refunded]
        refunds: dict[int, int] = {}
        shares: dict[int, int] = {}
        if indexes:
            tx = self.jackpot.refundTickets(round_id, indexes, {"from": self.outsider})
            refunds = {int(e["purchaseIndex"]): int(e["amount"]) for e in tx.events["TicketsRefunded"]}
            if "CompensationPaid" in tx.events:
                shares = {int(e["purchaseIndex"]): int(e["amount"]) for e in tx.events["CompensationPaid"]}
        sales = round_.tickets * round_.price
        for i in indexes:
            purchase = round_.purchases[i]
            purchase.refunded = True
            round_.refunded_count += 1
            if self.locks[purchase.lock_id].open:  # else the Vault's backstop was first
                self._refund(purchase.lock_id)
            purchase.paid_back, purchase.compensation = refunds[i], shares.get(i, 0)
            if round_.compensation:
                # pro rata to the purchase's tickets; the last purchase refunded takes what rounding left
                paid = sum(p.due for p in round_.purchases)
                last = round_.refunded_count == len(round_.purchases)
                purchase.due = round_.compensation - paid if last else round_.compensation * purchase.stake // sales
                self._credit(round_.token, self.jackpot_address, -purchase.due)
                self._credit(round_.token, purchase.player, purchase.due)
        if round_.rolled_in:
            self.jackpot.rollOver(round_id, {"from": self.outsider})
            self._close_pool(round_.pool)
            self._move_pool(round_, round_.rolled_in)
        assert self.pools[round_.pool] == 0
        ACTIONS["jackpot refunded"] += 1

    # -------------------------------------------------------------- Match

    def do_match_create(self, st_index: int, st_token: int, st_small: int, st_flag: bool) -> None:
        creator = self._pick(self.players, st_index)
        token = self.tokens[st_token]
        entry = MATCH_ENTRIES[self._key(token)][int(st_flag)]
        seats = 2 + st_small % 2
        shares = MATCH_SHARES[st_small % seats]
        deadline = self._now() + 2 * 3_600
        tx = self.match.create(token, entry, seats, shares, deadline, {"from": creator})
        created = tx.events["MatchCreated"]
        pool = int(created["poolId"])
        self._open_pool(pool, token)
        self.games[int(created["matchId"])] = Game(
            token, entry, seats, shares, int(created["rakeBps"]), deadline, pool, str(creator)
        )
        ACTIONS["match created"] += 1

    def do_match_join(self, st_index: int, st_small: int, st_flag: bool) -> None:
        """A player takes a seat in the newest open match (or, with `st_flag`, any open match)."""
        open_games = [(mid, g) for mid, g in self.games.items() if g.status == MATCH_OPEN]
        if not open_games:
            return
        match_id, game = self._pick(open_games, st_index) if st_flag else open_games[-1]
        if self._now() + SLACK >= game.deadline:
            return
        who = self._pick(self._unseated(game.players), st_index // 7 + st_small)
        joined = self._take_seat(
            who,
            game.token,
            game.entry,
            game.deadline,
            game.pool,
            game.players,
            lambda value: self.match.join(match_id, {"from": who, "value": value}).events["PlayerJoined"],
        )
        if not joined:
            return
        ACTIONS["match joined"] += 1
        if len(game.players) == game.seats:
            game.status = MATCH_FULL

    def do_match_result(self, st_index: int, st_flag: bool) -> None:
        """The referee settles a full match (a random ranking) or voids an open or full one."""
        live = [
            (mid, g)
            for mid, g in self.games.items()
            if g.status in (MATCH_OPEN, MATCH_FULL) and self._now() + SLACK < g.deadline
        ]
        void = st_flag and st_index % 4 == 0  # mostly results: a void needs no full table
        live = [(mid, g) for mid, g in live if g.status == MATCH_FULL or void]
        if not live:
            return
        match_id, game = self._pick(live, st_index)
        ranking = [] if void else self._rank(game.players, st_index)
        self.match.submitResult(match_id, ranking, sign_match(self.match, match_id, ranking), {"from": self.outsider})
        game.status = MATCH_DONE
        if not ranking:
            ACTIONS["match voided"] += 1
            for _, lock_id in game.players:
                self._refund(lock_id)
            return
        self._pay_ranking(game.pool, match_split(game.entry, game.rake_bps, game.shares, len(ranking)), ranking)
        ACTIONS["match settled"] += 1

    def _unseated(self, seats: list[tuple[str, int]]) -> list[Any]:
        seated = {who for who, _ in seats}
        return [p for p in self.players if str(p) not in seated]

    def _take_seat(
        self, who: Any, token: str, entry: int, deadline: int, pool: int, seats: list[tuple[str, int]], send: Any
    ) -> bool:
        """Stake a skill game's entry from the Vault balance into its pool: USDS short of it is
        deposited first, ETH short of it is sent along (`send(value)` returns the event carrying
        the lock id). False when the registry refused."""
        short = max(0, entry - self._free(token, str(who)))
        if short and token != ETH:
            self.vault.depositFor(who, token, short, {"from": who})
            self._deposit(token, str(who), short)
            short = 0
        event = self._stake(str(who), token, entry, lambda: send(short))
        if event is None:
            return False
        if short:
            self._deposit(token, str(who), short)
        lock_id = int(event["lockId"])
        self._lock(lock_id, token, str(who), entry, entry, deadline, pool)
        seats.append((str(who), lock_id))
        return True

    def _pay_ranking(self, pool: int, split: Any, ranking: list[str]) -> None:
        """A skill game's result: the pool closes, the rake goes to fees, each place is paid."""
        self._close_pool(pool)
        self._pool_fee(pool, split.rake)
        for who, amount in zip(ranking, split.payouts, strict=True):
            if amount:
                self._pay_from_pool(pool, who, amount)
        assert self.pools[pool] == 0

    @staticmethod
    def _rank(seats: list[tuple[str, int]], seed: int) -> list[str]:
        ranking = [who for who, _ in seats]
        shift = seed % len(ranking)
        return ranking[shift:] + ranking[:shift]

    def do_match_cancel_or_expire(self, st_index: int) -> None:
        now = self._now()
        candidates = [
            (mid, g)
            for mid, g in self.games.items()
            if (g.status == MATCH_OPEN and now + SLACK < g.deadline)
            or (g.status in (MATCH_OPEN, MATCH_FULL) and now > g.deadline + SLACK)
        ]
        if not candidates:
            return
        match_id, game = self._pick(candidates, st_index)
        if now > game.deadline:
            self.match.expire(match_id, {"from": self.outsider})
            ACTIONS["match expired"] += 1
        else:
            self.match.cancel(match_id, {"from": game.creator})
            ACTIONS["match cancelled"] += 1
        game.status = MATCH_DONE
        for _, lock_id in game.players:
            if self.locks[lock_id].open:
                self._refund(lock_id)

    # -------------------------------------------------------------- Tournament

    def do_tournament_create(self, st_index: int, st_token: int, st_small: int, st_flag: bool) -> None:
        creator = self._pick(self.players, st_index)
        token = self.tokens[st_token]
        entry = MATCH_ENTRIES[self._key(token)][int(st_flag)]
        max_entrants = 2 + st_small % 2
        prizes = MATCH_SHARES[st_index % min(3, max_entrants)]
        registration = self._now() + 3_600
        tx = self.tournament.create(
            token, entry, max_entrants, prizes, registration, registration + 2 * 3_600, {"from": creator}
        )
        created = tx.events["TournamentCreated"]
        pool = int(created["poolId"])
        self._open_pool(pool, token)
        self.cups[int(created["tournamentId"])] = Cup(
            token,
            entry,
            max_entrants,
            prizes,
            int(created["rakeBps"]),
            registration,
            registration + 2 * 3_600,
            pool,
            str(creator),
        )
        ACTIONS["tournament created"] += 1

    def do_tournament_enter(self, st_index: int, st_small: int, st_flag: bool) -> None:
        """A player enters the newest tournament still registering (or, with `st_flag`, any)."""
        now = self._now()
        registering = [
            (tid, c)
            for tid, c in self.cups.items()
            if c.status == CUP_OPEN and len(c.entrants) < c.max_entrants and now + SLACK < c.registration_deadline
        ]
        if not registering:
            return
        cup_id, cup = self._pick(registering, st_index) if st_flag else registering[-1]
        who = self._pick(self._unseated(cup.entrants), st_index // 7 + st_small)
        if self._take_seat(
            who,
            cup.token,
            cup.entry,
            cup.result_deadline,
            cup.pool,
            cup.entrants,
            lambda value: self.tournament.enter(cup_id, {"from": who, "value": value}).events["Entered"],
        ):
            ACTIONS["tournament entered"] += 1

    def _creator_may_cancel(self, cup: Cup) -> bool:
        return len(cup.entrants) < cup.max_entrants and self._now() + SLACK < cup.registration_deadline

    def _registration_closed(self, cup: Cup) -> bool:
        return len(cup.entrants) == cup.max_entrants or self._now() > cup.registration_deadline + SLACK

    def do_tournament_result(self, st_index: int, st_flag: bool) -> None:
        """The referee ranks the winners of a tournament whose registration closed, or voids it."""
        void = st_flag and st_index % 4 == 0
        results = [
            (tid, c)
            for tid, c in self.cups.items()
            if c.status == CUP_OPEN
            and self._registration_closed(c)
            and self._now() + SLACK < c.result_deadline
            and (void or len(c.entrants) >= 2)
        ]
        if not results:
            return
        cup_id, cup = self._pick(results, st_index)
        ranking = [] if void else self._rank(cup.entrants, st_index)[: min(len(cup.prizes), len(cup.entrants))]
        self.tournament.submitResult(
            cup_id, ranking, sign_tournament(self.tournament, cup_id, ranking), {"from": self.outsider}
        )
        if not ranking:
            cup.status = CUP_VOIDED
            ACTIONS["tournament voided"] += 1
            return
        cup.status = CUP_SETTLED
        split = tournament_split(cup.entry, len(cup.entrants), cup.rake_bps, cup.prizes)
        self._pay_ranking(cup.pool, split, ranking)
        ACTIONS["tournament settled"] += 1

    def do_tournament_cancel_or_refund(self, st_index: int) -> None:
        """The creator cancels while registering; anyone cancels one that closed short of two entrants;
        anyone refunds the entries of a cancelled, voided or result-less (expired) tournament."""
        now = self._now()
        candidates = [
            (tid, c)
            for tid, c in self.cups.items()
            if (
                c.status == CUP_OPEN
                and (
                    self._creator_may_cancel(c)
                    or (self._registration_closed(c) and len(c.entrants) < 2 and now + SLACK < c.result_deadline)
                    or now > c.result_deadline + SLACK
                )
            )
            or (c.status in (CUP_VOIDED, CUP_CANCELLED) and not c.refunded)
        ]
        if not candidates:
            return
        cup_id, cup = self._pick(candidates, st_index)
        if cup.status == CUP_OPEN and now <= cup.result_deadline:
            canceller = cup.creator if self._creator_may_cancel(cup) else self.outsider
            self.tournament.cancel(cup_id, {"from": canceller})
            cup.status = CUP_CANCELLED
            ACTIONS["tournament cancelled"] += 1
            return
        self.tournament.refundEntries(cup_id, 0, len(cup.entrants), {"from": self.outsider})
        if cup.status == CUP_OPEN:
            cup.status = CUP_EXPIRED
            ACTIONS["tournament expired"] += 1
        cup.refunded = True
        for _, lock_id in cup.entrants:
            if self.locks[lock_id].open:  # else the Vault's backstop was first
                self._refund(lock_id)
        ACTIONS["tournament refunded"] += 1

    # -------------------------------------------------------------- time and the deadline backstop

    def do_sleep(self, st_small: int) -> None:
        chain.sleep(SLEEPS[st_small])
        chain.mine()
        ACTIONS["sleep"] += 1

    def do_backstop_refund(self, st_index: int) -> None:
        """Anyone refunds a lock whose deadline passed (the Vault's backstop)."""
        now = self._now()
        expired = [
            lock_id
            for lock_id, lock in self.locks.items()
            if lock.open and now > lock.deadline + SLACK and (not lock.pool or lock.pool in self.open_pools)
        ]
        if not expired:
            return
        lock_id = self._pick(expired, st_index)
        tx = self.vault.refund(lock_id, self._terms(lock_id), {"from": self.outsider})
        self._refund(lock_id)
        if lock_id in self.bet_of_lock:
            self.bets[self.bet_of_lock[lock_id]].refunded += int(tx.events["Refunded"]["amount"])
            ACTIONS["backstop refund of a withheld dice bet"] += 1
        ACTIONS["backstop refund"] += 1

    # -------------------------------------------------------------- invariants

    @rule(
        action=sampled_from(ACTIONS_DRAWN),
        st_index=strategy("uint16"),
        st_token=strategy("uint8", max_value=1),
        st_small=strategy("uint8", max_value=3),
        st_flag=booleans(),
    )
    def step(self, action: str, st_index: int, st_token: int, st_small: int, st_flag: bool) -> None:
        """Run one action; each takes the drawn values it needs (by parameter name)."""
        method = getattr(self, f"do_{action}")
        names = method.__code__.co_varnames[1 : method.__code__.co_argcount]
        drawn = {"st_index": st_index, "st_token": st_token, "st_small": st_small, "st_flag": st_flag}
        before = sum(ACTIONS.values())
        method(**{name: drawn[name] for name in names})
        if sum(ACTIONS.values()) != before:  # it did something (each action counts what it did)
            RAN[action] += 1

    @invariant()
    def books_balance_and_nothing_is_stuck(self) -> None:
        ACTIONS["invariant checks"] += 1
        chain_values = self._read_chain()
        for token in self.tokens:
            book = self.books[token]

            def view(name: str, token: str = token) -> int:
                return chain_values[(name, token)]

            locked = sum(
                lock.amount for lock in self.locks.values() if lock.open and not lock.pool and lock.token == token
            )
            locked += sum(balance for pool, balance in self.pools.items() if self.pool_token[pool] == token)
            model = {
                "freeBalanceTotal": sum(book.free.values()),
                "lockedTotal": locked,
                "bankrollAssets": book.bankroll,
                "bankrollReserved": book.reserved,
                "accruedFees": book.fees,
                "totalShares": book.total_shares,
            }
            model |= {f"sharesOf {lp}": book.shares[lp] for lp in map(str, self.lps)}
            model |= {f"balanceOf {who}": self._free(token, who) for who in self._holders()}
            for name, value in model.items():
                assert view(name) == value, f"{name} {token}: chain {view(name)} != model {value}"
            pending_assets = sum(assets for assets, _ in book.deposit_requests.values())
            escrowed = sum(shares for shares, _ in book.redeem_requests.values())
            assert tuple(int(v) for v in self.vault.bankrollPending(token)) == (pending_assets, escrowed)
            owed = (
                view("freeBalanceTotal")
                + view("lockedTotal")
                + view("bankrollAssets")
                + view("accruedFees")
                + pending_assets
            )
            # solvency, from the Vault's own views
            assert view("held") >= owed and view("bankrollAssets") >= view("bankrollReserved")
            # conservation: everything deposited or paid in from slashed bonds, minus everything
            # withdrawn, is what the Vault owes (and, as nobody sends it money otherwise, what it holds)
            assert book.deposited + book.paid_in - book.withdrawn == owed == view("held"), (
                f"{token}: value created or destroyed"
            )
            # what slashes burnt is nobody's: it sits at the burn address
            assert view("burnt") == self.burn_start[token] + book.burnt, f"{token}: burnt {view('burnt')}"
            # each key's bond: what was deposited less what was slashed, reserving exactly what its
            # pending requests reserved
            for key in self.keys:
                bond = self.bonds[(key, token)]
                assert view(f"bond total {key}") == bond.total, f"bond of {key} in {token}"
                assert view(f"bond reserved {key}") == bond.reserved, f"reservations of {key} in {token}"
        for lock_id, lock in self.locks.items():
            if lock.open:
                assert chain_values[("open", str(lock_id))] == 1, f"the Vault closed lock {lock_id}"
        self._check_losses()
        self._check_deadlines(now())
        self._check_withheld()

    def _read_chain(self) -> dict[tuple[str, str], int]:
        """Every view the invariants compare, read in one batch."""
        vault = self.vault.address
        keys: list[tuple[str, str]] = []
        requests: list[tuple[str, list[Any]]] = []
        for token in self.tokens:
            for name in (
                "freeBalanceTotal",
                "lockedTotal",
                "bankrollAssets",
                "bankrollReserved",
                "accruedFees",
                "totalShares",
            ):
                keys.append((name, token))
                requests.append(eth_call(vault, self._data(name, token)))
            for holder, name in [(str(lp), "sharesOf") for lp in self.lps] + [
                (who, "balanceOf") for who in self._holders()
            ]:
                keys.append((f"{name} {holder}", token))
                requests.append(eth_call(vault, self._data(name, holder, token)))
            for name, holder in (("held", vault), ("burnt", self.burn_address)):
                keys.append((name, token))
                requests.append(
                    ("eth_getBalance", [holder, "latest"])
                    if token == ETH
                    else eth_call(token, self._data_of(self.usds, "balanceOf", holder))
                )
            for key_hash in self.keys:
                call = eth_call(self.coordinator.address, self._data_of(self.coordinator, "bondOf", key_hash, token))
                keys += [(f"bond total {key_hash}", token), (f"bond reserved {key_hash}", token)]
                requests += [call, call]
        for lock_id, lock in self.locks.items():
            if lock.open:
                keys.append(("open", str(lock_id)))
                requests.append(eth_call(vault, self._data("lockOf", lock_id)))
        values = {}
        for key, reply in zip(keys, batch_rpc(requests), strict=True):
            if key in (("held", ETH), ("burnt", ETH)):
                values[key] = int(reply["result"], 16)
            elif key[0] == "open":
                values[key] = int(word(reply, 0) != 0)  # a lock's slot is nonzero (its deadline) while open
            else:
                values[key] = word(reply, 1 if key[0].startswith("bond reserved") else 0)
        return values

    def _holders(self) -> list[str]:
        """Whose Vault balances the invariants compare: the players, and the Jackpot (an expired
        draw's compensation waits there for the refunds)."""
        return [*map(str, self.players), self.jackpot_address]

    def _terms(self, lock_id: int) -> LockTerms:
        """Lock `lock_id`'s terms as anyone refunding it reads them (its Locked event), checked
        against the model's player, token, amount, maxPayout and pool."""
        if lock_id not in self._lock_terms:
            self._lock_terms[lock_id] = lock_terms(web3, self.vault.address, lock_id)
        terms = self._lock_terms[lock_id]
        lock = self.locks[lock_id]
        assert (terms.player, terms.token, terms.amount, terms.maxPayout, terms.poolId) == (
            lock.player,
            lock.token,
            lock.amount,
            lock.max_payout,
            lock.pool,
        ), f"lock {lock_id}"
        return terms

    def _data(self, function: str, *args: Any) -> str:
        return self._data_of(self.vault, function, *args)

    def _data_of(self, contract: Any, function: str, *args: Any) -> str:
        key = (contract.address, function, args)
        if key not in self._calldata:
            self._calldata[key] = getattr(contract, function).encode_input(*args)
        return self._calldata[key]

    def _check_losses(self) -> None:
        """No player lost more than the stakes of their resolved bets."""
        for who in map(str, self.players):
            person = self.people[who]
            for token in self.tokens:
                staked_open = sum(
                    lock.amount
                    for lock in self.locks.values()
                    if lock.open and lock.player == who and lock.token == token
                )
                loss = (
                    person.deposited.get(token, 0)
                    - person.withdrawn.get(token, 0)
                    - self._free(token, who)
                    - staked_open
                )
                assert loss <= person.resolved_stakes.get(token, 0), f"{who} lost more than it staked"

    def _check_withheld(self) -> None:
        """No undelivered result ends below what the rules promise (fairstake.rules.withholding),
        judged by what the chain paid (its events): every withheld Dice bet leaves its player with
        exactly its win payout W (the refunded stake plus the bond's W - stake) and the bankroll with
        the stake less the protocol fee; every ticket of an expired draw gets its stake back and its
        pro-rata share of the compensation C, the shares adding up to C."""
        for bet in self.bets.values():
            if bet.withheld:
                # another game's edge by its own rules, computed when it was placed
                edge = bet.house_edge
                if bet.game == "dice":
                    edge = dice_rules.house_edge(bet.stake // bet.rolls, bet.target, DICE_EDGE, bet.over) * bet.rolls
                fee = bankroll_rules.protocol_fee(edge, self.fee_bps)
                assert bet.refunded + bet.bond_credit == bet.payout_if_win, f"withheld bet: {bet}"
                # the bankroll gets the whole stake; with the fee its lock paid, a house win
                assert (bet.bankroll_gain, bet.fee) == (bet.stake, fee), f"withheld bet: {bet}"
        for round_ in self.rounds.values():
            if round_.compensation:
                refunded = [p for p in round_.purchases if p.refunded]
                for purchase in refunded:
                    assert (purchase.paid_back, purchase.compensation) == (purchase.stake, purchase.due), purchase
                if len(refunded) == len(round_.purchases):
                    assert sum(p.compensation for p in refunded) == round_.compensation

    def _check_deadlines(self, latest: int) -> None:
        """Every open lock past its deadline can be released by anyone right now."""
        overdue = [lock_id for lock_id, lock in self.locks.items() if lock.open and latest > lock.deadline]
        replies = batch_rpc(
            [
                eth_call(self.vault.address, self._data("refund", lock_id, self._terms(lock_id)), str(self.outsider))
                for lock_id in overdue
            ]
        )
        for lock_id, reply in zip(overdue, replies, strict=True):
            assert "error" not in reply, f"lock {lock_id} is past its deadline and cannot be refunded: {reply}"
        ACTIONS["overdue locks checked"] += len(overdue)


# ------------------------------------------------------------------ the test


@pytest.fixture(scope="module")
def second_lp(funded: Platform) -> Any:
    lp = accounts[8]
    usds = funded["MockStablecoin"]
    usds.mint(lp, 10**15, {"from": lp})
    usds.approve(funded["Vault"], 2**256 - 1, {"from": lp})
    return lp


def test_platform_holds_under_random_use(
    funded: Platform, players: list[Any], lp: Any, second_lp: Any, outsider: Any
) -> None:
    machine = PlatformMachine.bind(funded, players, [lp, second_lp], outsider)
    if SOAK and SHARDS > 1:
        machine = seed(SHARD_SEED + SHARD)(machine)
    ACTIONS.clear()
    RAN.clear()
    run_state_machine_as_test(
        machine,
        settings=settings(max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, derandomize=not SOAK),
    )
    print("\nwhat the sequences did:", ", ".join(f"{name} {n}" for name, n in sorted(ACTIONS.items())))
    print("actions that ran:", ", ".join(f"{name} {n}" for name, n in sorted(RAN.items())))
    # every action ran, and the outcomes the invariants are about happened
    assert not [a for a in set(ACTIONS_DRAWN) if not RAN[a]], f"actions that never ran: {RAN}"
    missing = [outcome for outcome in REQUIRED_OUTCOMES if not ACTIONS[outcome]]
    assert not missing, f"never happened: {missing}"
