"""Stateful test: random sequences of everything that moves money through the Vault, checked
after every step against an exact Python model of the books.

After each step, per token: the Vault's token balance equals Σ deposits − Σ withdrawals (no
donations happen here), and that equals free + locked + bankroll + fees + pending bankroll
deposits; every aggregate view, every pool and every player's balance matches the model. LPs
request, claim (early, on time, by themselves or anyone) and cancel deposits and redeems between
settlements; the model prices each claim from its own books. FAIRSTAKE_SOAK=1 runs many more
sequences.

A closed pool's locks stay unresolved until its game pays the pool out or the backstop unwinds
them after the payout window (README: every pool unwinds); the model only knows the README's rule
for the backstop (each stake's share of what is left, rounded down, the last taking the rest),
and each share is also checked against the exact pro rata share of the balance at the backstop's
start.
"""

from __future__ import annotations

import copy
import os
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from brownie import accounts, chain, reverts
from brownie.test import strategy
from contract_support import DAY, ETHER, lock_terms
from vault_helpers import ETH

from ops import bankroll

VIRTUAL_SHARES = 10**6
CLAIM_GRACE = 7 * 86_400  # after the delay, only the owner may claim for this long
BPS = 10_000
MAX_RAKE_BPS = 1_000
PAYOUT_WINDOW = 30 * 86_400
OPEN, CLOSED, UNWINDING = 1, 2, 3
# how often the backstop's outcomes ran, over all examples (the test asserts each did)
SEEN: Counter[str] = Counter()


@dataclass
class Lock:
    player: Any
    token: str
    amount: int
    max_payout: int
    deadline: int
    pool_id: int


@dataclass
class Pool:
    token: str
    state: int = OPEN
    balance: int = 0
    rake_left: int = 0
    moved_in: int = 0
    pay_by: int = 0
    # from the backstop's start: the balance and stakes it shares out, and the stakes left
    start_balance: int = 0
    start_stakes: int = 0
    start_locks: int = 0

    @property
    def open(self) -> bool:
        return self.state == OPEN


@dataclass
class Books:
    """The model of one token's books."""

    free: dict[str, int] = field(default_factory=dict)
    shares: dict[str, int] = field(default_factory=dict)
    bankroll: int = 0
    reserved: int = 0
    fees: int = 0
    total_shares: int = 0
    inflow: int = 0
    outflow: int = 0
    # pending bankroll requests: provider -> [amount, claimable at] (deposits: assets; redeems: shares)
    deposits: dict[str, list[int]] = field(default_factory=dict)
    redeems: dict[str, list[int]] = field(default_factory=dict)

    def free_of(self, who: Any) -> int:
        return self.free.get(str(who), 0)

    def add_free(self, who: Any, amount: int) -> None:
        self.free[str(who)] = self.free_of(who) + amount


def amount_of(units: int) -> int:
    """Amounts from a 4-byte draw (cheap for hypothesis): up to ~4.3 ETH, odd wei included."""
    return units * 10**9 + units


class VaultMachine:
    """Players 0 and 1 start with free ETH and USDS, the ETH bankroll starts funded and the
    USDS bankroll empty (so first-deposit share maths is exercised too). Starting funds are
    deposited once, before brownie's snapshot, so every sequence starts from them for free."""

    st_player = strategy("uint8", max_value=3)
    st_lp = strategy("uint8", max_value=1)
    st_token = strategy("uint8", max_value=1)
    st_units = strategy("uint32", min_value=1)
    st_bps = strategy("uint16", min_value=1, max_value=BPS)
    st_pick = strategy("uint8")
    st_seconds = strategy("uint16", min_value=60)
    st_multiplier = strategy("uint16", min_value=100, max_value=800)
    st_wait = strategy("bool")
    st_edge = strategy("uint16", max_value=1_100)  # bps of the stake; above MAX_HOUSE_EDGE_BPS = 1000 reverts

    def __init__(cls, vault: Any, game: Any, usds: Any, owner: Any, players: list[Any], lps: list[Any]) -> None:
        cls.vault, cls.game, cls.usds, cls.owner = vault, game, usds, owner
        cls.players, cls.lps = players, lps
        cls.outsider = accounts[9]
        cls.tokens = [ETH, usds.address]
        cls.risk = {token: int(vault.riskFractionBps(token)) for token in cls.tokens}
        cls.fee_bps = int(vault.protocolFeeBps())
        for holder in players + lps:
            usds.mint(holder, 10**30, {"from": holder})
            usds.approve(vault, 2**256 - 1, {"from": holder})

        cls.start = {token: Books() for token in cls.tokens}
        for token in cls.tokens:
            for player in players[:2]:
                amount = 20 * ETHER + 7
                value = {"value": amount} if token == ETH else {}
                vault.depositFor(player, token, amount, {"from": player, **value})
                cls.start[token].add_free(player, amount)
                cls.start[token].inflow += amount
        liquidity = 200 * ETHER + 3
        tx = bankroll.deposit(vault, ETH, liquidity, lps[0])
        cls.start[ETH].shares[str(lps[0])] = cls.start[ETH].total_shares = int(tx.return_value)
        cls.start[ETH].bankroll = liquidity
        cls.start[ETH].inflow += liquidity

    def setup(self) -> None:
        self.books = copy.deepcopy(self.start)
        self.locks: dict[int, Lock] = {}
        self.pools: dict[int, Pool] = {}

    # ------------------------------------------------------------------ helpers

    def _value(self, token: str, amount: int) -> dict[str, int]:
        return {"value": amount} if token == ETH else {}

    def _pick(self, items: list[Any], pick: int) -> Any:
        return items[pick % len(items)] if items else None

    def _holders(self, tokens: list[str]) -> list[tuple[Any, str]]:
        """(player, token) pairs with a free balance, so rules act on money that exists."""
        return [(p, t) for t in tokens for p in self.players if self.books[t].free_of(p)]

    def _free_share(self, tokens: list[str], pick: int, bps: int) -> tuple[Any, str, int] | None:
        """A holder of a free balance in `tokens` (by `pick`) and `bps` of that balance, or None
        when nobody holds one or the share rounds to nothing."""
        holder = self._pick(self._holders(tokens), pick)
        if holder is None:
            return None
        who, address = holder
        amount = self.books[address].free_of(who) * bps // BPS
        return (who, address, amount) if amount else None

    def _refundable(self) -> list[int]:
        return [i for i, lk in self.locks.items() if lk.pool_id == 0 or self.pools[lk.pool_id].open]

    def _release(self, lock_id: int) -> Lock:
        held = self.locks.pop(lock_id)
        if held.pool_id:
            self.pools[held.pool_id].balance -= held.amount
        else:
            self.books[held.token].reserved -= held.max_payout - held.amount
        return held

    def _stakes(self, pool_id: int) -> int:
        """The stakes of the pool's locks still held (refundable while open, shared by the backstop)."""
        return sum(lk.amount for lk in self.locks.values() if lk.pool_id == pool_id)

    def _past_pay_by(self, pool: Pool) -> None:
        if chain.time() <= pool.pay_by:
            chain.sleep(pool.pay_by - chain.time() + 1)

    # ------------------------------------------------------------------ players

    def rule_deposit(self, player: int = "st_player", token: int = "st_token", units: int = "st_units") -> None:
        who, address, amount = self.players[player], self.tokens[token], amount_of(units)
        self.vault.depositFor(who, address, amount, {"from": who, **self._value(address, amount)})
        books = self.books[address]
        books.add_free(who, amount)
        books.inflow += amount

    def rule_withdraw(self, pick: int = "st_pick", bps: int = "st_bps") -> None:
        share = self._free_share(self.tokens, pick, bps)
        if share is None:
            return
        who, address, amount = share
        books = self.books[address]
        self.vault.withdraw(address, amount, who, {"from": who})
        books.add_free(who, -amount)
        books.outflow += amount

    # ------------------------------------------------------------------ bankroll locks

    def rule_lock(
        self,
        pick: int = "st_pick",
        bps: int = "st_bps",
        multiplier: int = "st_multiplier",
        seconds: int = "st_seconds",
        edge_bps: int = "st_edge",
    ) -> None:
        """A bet with a house edge of `edge_bps` of its stake: the protocol fee, that edge times
        the fee share, leaves the bankroll at once whatever the outcome."""
        share = self._free_share(self.tokens, pick, bps)
        if share is None:
            return
        who, address, amount = share
        books = self.books[address]
        max_payout = amount * multiplier // 100
        house_edge = amount * edge_bps // BPS
        deadline = chain.time() + seconds
        if house_edge * BPS > amount * 1_000:
            with reverts(revert_pattern="HouseEdgeAboveCap.*"):
                self.game.lockWithEdge(address, amount, max_payout, house_edge, deadline, {"from": who})
            return
        fee = house_edge * self.fee_bps // BPS
        reserve = max_payout - amount
        # the reserves of all open locks and this lock's fee stay within the risk fraction of the bankroll
        if reserve + fee and (books.reserved + reserve + fee) * BPS > books.bankroll * self.risk[address]:
            with reverts(revert_pattern="ExposureTooHigh.*"):
                self.game.lockWithEdge(address, amount, max_payout, house_edge, deadline, {"from": who})
            return
        tx = self.game.lockWithEdge(address, amount, max_payout, house_edge, deadline, {"from": who})
        assert tx.events["Locked"]["fee"] == fee
        lock_id = tx.return_value
        self.locks[lock_id] = Lock(who, address, amount, max_payout, deadline, 0)
        books.add_free(who, -amount)
        books.reserved += reserve
        books.bankroll -= fee
        books.fees += fee

    def rule_settle(self, pick: int = "st_pick", bps: int = "st_bps") -> None:
        lock_id = self._pick([i for i, lk in self.locks.items() if lk.pool_id == 0], pick)
        if lock_id is None:
            return
        held = self.locks[lock_id]
        payout = held.max_payout * (bps - 1) // (BPS - 1)  # 0 ..= maxPayout
        self.game.settle(lock_id, lock_terms(self.game, lock_id), payout, {"from": self.owner})
        self._release(lock_id)
        books = self.books[held.token]
        books.add_free(held.player, payout)
        books.bankroll += held.amount - payout  # the fee was taken at the lock

    def rule_refund_by_game(self, pick: int = "st_pick") -> None:
        lock_id = self._pick(self._refundable(), pick)
        if lock_id is None:
            return
        self.game.refund(lock_id, lock_terms(self.game, lock_id), {"from": self.owner})
        held = self._release(lock_id)
        self.books[held.token].add_free(held.player, held.amount)

    def rule_refund_after_deadline(self, pick: int = "st_pick") -> None:
        lock_id = self._pick(self._refundable(), pick)
        if lock_id is None:
            return
        held = self.locks[lock_id]
        if chain.time() <= held.deadline:
            with reverts(revert_pattern="DeadlineNotReached.*"):
                self.vault.refund(lock_id, lock_terms(self.vault, lock_id), {"from": self.outsider})
            chain.sleep(held.deadline - chain.time() + 1)
        self.vault.refund(lock_id, lock_terms(self.vault, lock_id), {"from": self.outsider})
        self._release(lock_id)
        self.books[held.token].add_free(held.player, held.amount)

    # ------------------------------------------------------------------ pools

    def rule_open_pool(self, token: int = "st_token") -> None:
        address = self.tokens[token]
        pool_id = self.game.openPool(address, {"from": self.owner}).return_value
        self.pools[pool_id] = Pool(address)

    def rule_pool_lock(
        self, pick: int = "st_pick", player: int = "st_pick", bps: int = "st_bps", seconds: int = "st_seconds"
    ) -> None:
        pool_id = self._pick([i for i, p in self.pools.items() if p.open], pick)
        if pool_id is not None:
            self._pool_lock(pool_id, player, bps, seconds)

    def _pool_lock(self, pool_id: int, player: int, bps: int, seconds: int) -> None:
        pool = self.pools[pool_id]
        share = self._free_share([pool.token], player, bps)
        if share is None:
            return
        who, _, amount = share
        books = self.books[pool.token]
        deadline = chain.time() + seconds
        lock_id = self.game.lock(pool.token, amount, amount, deadline, pool_id, {"from": who}).return_value
        self.locks[lock_id] = Lock(who, pool.token, amount, amount, deadline, pool_id)
        books.add_free(who, -amount)
        pool.balance += amount

    def rule_close_pool(self, pick: int = "st_pick") -> None:
        pool_id = self._pick([i for i, p in self.pools.items() if p.open], pick)
        if pool_id is None:
            return
        self._close(pool_id)

    def _close(self, pool_id: int) -> None:
        tx = self.game.closePool(pool_id, {"from": self.owner})
        pool = self.pools[pool_id]
        pool.state = CLOSED
        pool.rake_left = pool.balance * MAX_RAKE_BPS // BPS
        pool.pay_by = tx.timestamp + PAYOUT_WINDOW
        # its locks stay unresolved: the game pays the pool out, or the backstop returns them
        assert tx.events["PoolClosed"]["stakes"] == self._stakes(pool_id) == pool.balance - pool.moved_in

    def _closed_with_balance(self, pick: int) -> int | None:
        """A closed pool the game can still pay from (unwinding pools revert PoolUnwinding)."""
        pool_id = self._pick([i for i, p in self.pools.items() if not p.open and p.balance], pick)
        if pool_id is not None and self.pools[pool_id].state == UNWINDING:
            with reverts(revert_pattern="PoolUnwinding.*"):
                self.game.payFromPool(pool_id, self.players[0], 1, {"from": self.owner})
            SEEN["game payout refused"] += 1
            return None
        return pool_id

    def rule_pay_from_pool(self, pick: int = "st_pick", player: int = "st_player", bps: int = "st_bps") -> None:
        pool_id = self._closed_with_balance(pick)
        if pool_id is None:
            return
        pool, who = self.pools[pool_id], self.players[player]
        amount = max(1, pool.balance * bps // BPS)
        self.game.payFromPool(pool_id, who, amount, {"from": self.owner})
        pool.balance -= amount
        self.books[pool.token].add_free(who, amount)

    def rule_take_pool_fee(self, pick: int = "st_pick", bps: int = "st_bps") -> None:
        pool_id = self._closed_with_balance(pick)
        if pool_id is None:
            return
        pool = self.pools[pool_id]
        amount = min(pool.rake_left, pool.balance) * bps // BPS
        if amount == 0:
            return
        with reverts(revert_pattern="RakeAboveCap.*"):
            self.game.takePoolFee(pool_id, pool.rake_left + 1, {"from": self.owner})
        self.game.takePoolFee(pool_id, amount, {"from": self.owner})
        pool.balance -= amount
        pool.rake_left -= amount
        self.books[pool.token].fees += amount

    def rule_move_pool(self, src: int = "st_pick", dst: int = "st_pick", bps: int = "st_bps") -> None:
        from_id = self._closed_with_balance(src)
        if from_id is None:
            return
        source = self.pools[from_id]
        to_id = self._pick([i for i, p in self.pools.items() if p.open and p.token == source.token], dst)
        if to_id is None:
            return
        amount = max(1, source.balance * bps // BPS)
        self.game.movePool(from_id, to_id, amount, {"from": self.owner})
        source.balance -= amount
        self.pools[to_id].balance += amount
        self.pools[to_id].moved_in += amount

    # ------------------------------------------------------------------ closed pools' backstop

    def _start_backstop(self, pool_id: int, tx: Any) -> None:
        pool = self.pools[pool_id]
        if pool.state == CLOSED:
            pool.state = UNWINDING
            pool.start_balance, pool.start_stakes = pool.balance, self._stakes(pool_id)
            pool.start_locks = sum(1 for lk in self.locks.values() if lk.pool_id == pool_id)
            started = tx.events["PoolBackstopStarted"]
            assert (started["balance"], started["stakes"]) == (pool.start_balance, pool.start_stakes)
        else:
            assert "PoolBackstopStarted" not in tx.events

    def _stuck_pool(self, pick: int, bps: int, seconds: int) -> int | None:
        """A game that closes a pool with stakes and never pays it out: an open pool with stakes
        (one is opened and staked by every holder of a token if none is) gets closed."""
        staked = [i for i, p in self.pools.items() if p.open and self._stakes(i)]
        if not staked:
            holders = self._holders([self.tokens[pick % 2]])
            if not holders:
                return None
            self.rule_open_pool(pick % 2)
            pool_id = max(self.pools)
            for offset in range(len(holders)):
                self._pool_lock(pool_id, pick + offset, bps, seconds)
            staked = [pool_id] if self._stakes(pool_id) else []
            if not staked:
                return None
        pool_id = self._pick(staked, pick)
        self._close(pool_id)
        return pool_id

    def rule_refund_closed_pool(self, pick: int = "st_pick", bps: int = "st_bps", seconds: int = "st_seconds") -> None:
        """Anyone, after the payout window: a closed pool's lock gets its share of what is left."""
        closed = [i for i, lk in self.locks.items() if lk.pool_id and not self.pools[lk.pool_id].open]
        if not closed:
            pool_id = self._stuck_pool(pick, bps, seconds)
            closed = [i for i, lk in self.locks.items() if lk.pool_id == pool_id]
        lock_id = self._pick(closed, pick)
        held = self.locks[lock_id]
        pool = self.pools[held.pool_id]
        if chain.time() <= pool.pay_by:
            with reverts(revert_pattern="DeadlineNotReached.*"):
                self.vault.refundClosedPool(lock_id, lock_terms(self.vault, lock_id), {"from": self.outsider})
            self._past_pay_by(pool)
        stakes = self._stakes(held.pool_id)
        tx = self.vault.refundClosedPool(lock_id, lock_terms(self.vault, lock_id), {"from": self.outsider})
        self._start_backstop(held.pool_id, tx)
        # the README's rule: the stake's share of what is left, rounded down; the last takes the rest
        share = pool.balance if stakes == held.amount else held.amount * pool.balance // stakes
        assert tx.events["ClosedPoolRefunded"]["amount"] == share
        # rounding moves the share less than a wei per lock of the pool away from its exact
        # share of the balance at the backstop's start
        exact = Fraction(held.amount * pool.start_balance, pool.start_stakes)
        assert abs(share - exact) < pool.start_locks + 1
        SEEN["last lock takes the rest" if stakes == held.amount else "lock refunded pro rata"] += 1
        del self.locks[lock_id]
        pool.balance -= share
        self.books[held.token].add_free(held.player, share)

    def rule_release_closed_pool(self, pick: int = "st_pick") -> None:
        """Anyone, after the payout window: a closed pool with no lock left gives its balance
        (moved-in money) to the bankroll; one with locks left refuses."""
        pool_id = self._pick([i for i, p in self.pools.items() if not p.open and p.balance], pick)
        if pool_id is None:
            return
        pool = self.pools[pool_id]
        self._past_pay_by(pool)
        stakes = self._stakes(pool_id)
        if stakes:
            with reverts(revert_pattern="StakesLeft.*"):
                self.vault.releaseClosedPool(pool_id, {"from": self.outsider})
            SEEN["release refused: stakes left"] += 1
            return
        tx = self.vault.releaseClosedPool(pool_id, {"from": self.outsider})
        SEEN["released to the bankroll"] += 1
        self._start_backstop(pool_id, tx)
        self.books[pool.token].bankroll += pool.balance
        pool.balance = 0

    # ------------------------------------------------------------------ liquidity providers

    # The model prices claims from its own books: entering as if the house won every open stake
    # (locks and pools: lockedTotal), leaving as if every open bankroll lock paid its maximum.

    def _locked(self, address: str) -> int:
        return sum(lk.amount for lk in self.locks.values() if lk.pool_id == 0 and lk.token == address) + sum(
            p.balance for p in self.pools.values() if p.token == address
        )

    def _mature(self, claimable_at: int, wait: bool, claim: Any) -> bool:
        """Whether the request can be claimed now by the claim's sender (`claimable_at` is for that
        sender); `wait`: move the clock to its time first (a day or more passes: every lock's
        deadline here is within 18 hours), else a claim too early reverts."""
        if chain.time() >= claimable_at:
            return True
        if wait:
            chain.sleep(claimable_at - chain.time() + 1)
            return True
        with reverts(revert_pattern="BankrollRequestNotClaimable.*"):
            claim()
        return False

    def _pending(self, queue: str, pick: int) -> tuple[Any, str, Any] | None:
        """A pending bankroll request (`queue`: "deposits" or "redeems"): (LP, token, its books)."""
        requests = [(lp, t) for t in self.tokens for lp in self.lps if str(lp) in getattr(self.books[t], queue)]
        request = self._pick(requests, pick)
        return None if request is None else (request[0], request[1], self.books[request[1]])

    def _ready_claim(
        self, queue: str, pick: int, wait: bool, by_owner: bool, claim_of: Any
    ) -> tuple[Any, str, Any, Any] | None:
        """A pending request whose claim can be sent now, by its owner or (`by_owner` false: after
        the owner's grace) by anyone: (LP, token, books, the claim). None when there is none, or it
        is not yet claimable and its early claim was shown to revert."""
        pending = self._pending(queue, pick)
        if pending is None:
            return None
        who, address, books = pending
        claimable_at = getattr(books, queue)[str(who)][1]
        # anyone may claim once the owner's grace has passed; what the claim gives is the owner's
        sender = who if by_owner else self.outsider
        claimable_at += 0 if by_owner else CLAIM_GRACE

        def claim() -> Any:
            return claim_of(address, who, {"from": sender})

        return (who, address, books, claim) if self._mature(claimable_at, wait, claim) else None

    def rule_lp_request_deposit(self, lp: int = "st_lp", token: int = "st_token", units: int = "st_units") -> None:
        who, address, amount = self.lps[lp], self.tokens[token], amount_of(units) * 10
        tx = self.vault.requestBankrollDeposit(address, amount, {"from": who, **self._value(address, amount)})
        books = self.books[address]
        pending = books.deposits.setdefault(str(who), [0, 0])
        pending[0] += amount
        pending[1] = tx.timestamp + DAY  # topping up restarts the delay
        assert tx.return_value == pending[1]
        books.inflow += amount

    def rule_lp_claim_deposit(self, pick: int = "st_pick", wait: bool = "st_wait", by_owner: bool = "st_wait") -> None:
        ready = self._ready_claim("deposits", pick, wait, by_owner, self.vault.claimBankrollDeposit)
        if ready is None:
            return
        who, address, books, claim = ready
        amount = books.deposits[str(who)][0]
        ceiling = books.bankroll + (self._locked(address) if books.total_shares else 0)
        shares = amount * (books.total_shares + VIRTUAL_SHARES) // (ceiling + 1)
        if shares == 0:
            with reverts(revert_pattern="ZeroShares.*"):
                claim()
            return
        assert claim().return_value == shares
        del books.deposits[str(who)]
        books.shares[str(who)] = books.shares.get(str(who), 0) + shares
        books.total_shares += shares
        books.bankroll += amount

    def rule_lp_cancel_deposit(self, pick: int = "st_pick") -> None:
        pending = self._pending("deposits", pick)
        if pending is None:
            return
        who, address, books = pending
        assert self.vault.cancelBankrollDeposit(address, {"from": who}).return_value == books.deposits[str(who)][0]
        books.add_free(who, books.deposits.pop(str(who))[0])

    def rule_lp_request_redeem(self, pick: int = "st_pick", bps: int = "st_bps") -> None:
        providers = [(lp, t) for t in self.tokens for lp in self.lps if self.books[t].shares.get(str(lp))]
        provider = self._pick(providers, pick)
        if provider is None:
            return
        who, address = provider
        books = self.books[address]
        shares = books.shares[str(who)] * bps // BPS
        if shares == 0:
            return
        tx = self.vault.requestBankrollRedeem(address, shares, {"from": who})
        books.shares[str(who)] -= shares  # escrowed, still in total_shares: bearing gains and losses
        pending = books.redeems.setdefault(str(who), [0, 0])
        pending[0] += shares
        pending[1] = tx.timestamp + DAY
        assert tx.return_value == pending[1]

    def rule_lp_claim_redeem(self, pick: int = "st_pick", wait: bool = "st_wait", by_owner: bool = "st_wait") -> None:
        ready = self._ready_claim("redeems", pick, wait, by_owner, self.vault.claimBankrollRedeem)
        if ready is None:
            return
        who, address, books, claim = ready
        shares = books.redeems[str(who)][0]
        assets = shares * (books.bankroll - books.reserved + 1) // (books.total_shares + VIRTUAL_SHARES)
        # what stays must keep the open reserves within the risk fraction of it (and cover them)
        left = books.bankroll - assets
        # (with a zero fraction, governance stopped new reserves: withdrawals keep only the reserves)
        keeps_cap = books.reserved * BPS <= left * self.risk[address] if self.risk[address] else True
        if assets == 0 or not keeps_cap or left < books.reserved:
            error = "ZeroAmount" if assets == 0 else "InsufficientBankroll"
            with reverts(revert_pattern=f"{error}.*"):
                claim()
            return
        assert claim().return_value == assets
        del books.redeems[str(who)]
        books.total_shares -= shares
        books.bankroll -= assets
        books.add_free(who, assets)  # credited to the free balance, withdrawn like any other

    def rule_lp_cancel_redeem(self, pick: int = "st_pick") -> None:
        pending = self._pending("redeems", pick)
        if pending is None:
            return
        who, address, books = pending
        shares = books.redeems.pop(str(who))[0]
        assert self.vault.cancelBankrollRedeem(address, {"from": who}).return_value == shares
        books.shares[str(who)] += shares

    def rule_withdraw_fees(self, token: int = "st_token") -> None:
        address = self.tokens[token]
        books = self.books[address]
        if books.fees == 0:
            return
        self.vault.withdrawFees(address, {"from": self.owner})
        books.outflow += books.fees
        books.fees = 0

    # ------------------------------------------------------------------ governance mid-game

    def rule_governance_stops_new_business(
        self, token: int = "st_token", pick: int = "st_pick", bps: int = "st_bps", units: int = "st_units"
    ) -> None:
        """Governance unregisters the game and disallows a token with locks and pools open (issue 12,
        finding 4). New business is refused: a deposit, a lock or a pool in the token, and any lock
        or pool of the game. What is already open unwinds exactly as the model says (the unwinding
        rules run unchanged while the game is unregistered and the token disallowed), and
        withdrawals work. Then governance registers and allows them again."""
        address = self.tokens[token]
        self.vault.setGame(self.game, False, {"from": self.owner})
        self.vault.setToken(address, False, {"from": self.owner})
        try:
            who = self.players[pick % len(self.players)]
            amount = amount_of(units)
            with reverts(revert_pattern="TokenNotAllowed.*"):
                self.vault.depositFor(who, address, amount, {"from": who, **self._value(address, amount)})
            with reverts(revert_pattern="NotGame.*"):
                self.game.lock(address, 1, 1, chain.time() + 3_600, 0, {"from": who})
            with reverts(revert_pattern="NotGame.*"):
                self.game.openPool(address, {"from": self.owner})
            # unwinding: each as the model says, refused by nothing
            self.rule_settle(pick, bps)
            self.rule_refund_by_game(pick // 2)
            self.rule_close_pool(pick)
            self.rule_pay_from_pool(pick, pick, bps)
            self.rule_take_pool_fee(pick, bps)
            self.rule_refund_after_deadline(pick // 3)
            # the closed pools' backstop (30 days on) runs whatever governance did
            if any(lk.pool_id and not self.pools[lk.pool_id].open for lk in self.locks.values()):
                self.rule_refund_closed_pool(pick, bps, 3_600)
                SEEN["backstop with the game unregistered"] += 1
            self.rule_withdraw(pick, bps)
            self.invariant_books_match_the_model()
            self.invariant_pools_match_the_model()
            # the game registered again, the token still disallowed: no lock or pool in it
            self.vault.setGame(self.game, True, {"from": self.owner})
            with reverts(revert_pattern="TokenNotAllowed.*"):
                self.game.lock(address, 1, 1, chain.time() + 3_600, 0, {"from": who})
            with reverts(revert_pattern="TokenNotAllowed.*"):
                self.game.openPool(address, {"from": self.owner})
        finally:
            self.vault.setToken(address, True, {"from": self.owner})
            self.vault.setGame(self.game, True, {"from": self.owner})

    # ------------------------------------------------------------------ invariants

    def invariant_books_match_the_model(self) -> None:
        for address in self.tokens:
            books = self.books[address]
            free = sum(books.free.values())
            locked = self._locked(address)
            pending_assets = sum(amount for amount, _ in books.deposits.values())
            escrowed = sum(shares for shares, _ in books.redeems.values())
            chain_books = self.vault.getBooks(address).dict()

            assert (
                chain_books["held"]
                == books.inflow - books.outflow
                == free + locked + books.bankroll + books.fees + pending_assets
            )
            assert tuple(int(v) for v in self.vault.bankrollPending(address)) == (pending_assets, escrowed)
            assert sum(books.shares.values()) + escrowed == books.total_shares
            assert chain_books["freeTotal"] == free
            assert chain_books["lockedTotal"] == locked
            assert chain_books["bankrollAssets"] == books.bankroll
            assert chain_books["bankrollReserved"] == books.reserved <= books.bankroll
            assert chain_books["accruedFees"] == books.fees
            assert chain_books["totalShares"] == books.total_shares

    def invariant_pools_match_the_model(self) -> None:
        for pool_id, pool in self.pools.items():
            info = self.vault.getPool(pool_id).dict()
            assert (info["state"], info["balance"], info["payBy"]) == (pool.state, pool.balance, pool.pay_by)
            assert info["stakes"] == self._stakes(pool_id)
            if pool.state != OPEN:
                assert info["rakeLeft"] == pool.rake_left

    def teardown(self) -> None:
        """Every player's balance and every provider's shares match the model."""
        for address in self.tokens:
            books = self.books[address]
            for player in self.players:
                assert self.vault.balanceOf(player, address) == books.free_of(player)
            for lp in self.lps:
                assert self.vault.sharesOf(lp, address) == books.shares.get(str(lp), 0)
                deposit = books.deposits.get(str(lp), [0, 0])
                redeem = books.redeems.get(str(lp), [0, 0])
                assert tuple(int(v) for v in self.vault.bankrollRequests(address, lp)) == (*deposit, *redeem)


def test_vault_books_stay_consistent(
    state_machine: Any, vault: Any, game: Any, usds: Any, owner: Any, alice: Any, bob: Any, lp: Any
) -> None:
    players = [alice, bob, accounts[6], accounts[7]]
    lps = [lp, accounts[8]]
    soak = os.environ.get("FAIRSTAKE_SOAK") == "1"
    # No example database: brownie's shared one replays stored short sequences first, which
    # use up max_examples before hypothesis generates any long ones. Hypothesis spends about
    # 20 examples on tiny sequences, so fewer examples would mean no long sequence at all.
    # Derandomized by default so the coverage check below is stable; the soak explores.
    settings = {
        "max_examples": 200 if soak else 20,
        "stateful_step_count": 60 if soak else 30,
        "database": None,
        "derandomize": not soak,
    }
    SEEN.clear()
    state_machine(VaultMachine, vault, game, usds, owner, players, lps, settings=settings)
    for outcome in (
        "lock refunded pro rata",
        "last lock takes the rest",
        "game payout refused",
        "backstop with the game unregistered",
    ):
        assert SEEN[outcome], f"the backstop outcome '{outcome}' never ran: {dict(SEEN)}"
