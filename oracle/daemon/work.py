"""The oracle daemon's pure core: which requests are waiting, which may be fulfilled now,
which are left to expiry, and how many fit one transaction's gas budget. No I/O here.

Pending work is always derived from chain events (requested - fulfilled - expired, and the
block hashes stored on chain), so a daemon that restarts from nothing rebuilds exactly the
same book.

A request's deadline counts blocks and seconds (IRandomnessCoordinator): it is expired once
its block deadline and its time deadline have both passed, or its time deadline plus the
coordinator's timeoutSeconds has passed whatever the block number. Until then it is
fulfillable, given its block's hash: BLOCKHASH for 256 blocks, then only the copy stored on
chain with storeBlockhash while it was still readable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

ZERO_ADDRESS = "0x" + "00" * 20
# blockhash(n) is readable only from blocks n+1 .. n+256.
BLOCKHASH_WINDOW = 256
# IRandomnessCoordinator.RequestCommitment's fields, in struct order, as the RandomnessRequested
# event names them: a commitment is rebuilt from the event by these names.
COMMITMENT_FIELDS = (
    "blockNum",
    "deadlineBlock",
    "deadlineTime",
    "callbackGasLimit",
    "numWords",
    "consumer",
    "keyHash",
    "preSeed",
    "bondToken",
    "bondAmount",
    "beneficiary",
    "beneficiaryAmount",
    "residualToBankroll",
    "data",
)
# The commitment fields RandomnessRequested leaves out because its log carries them: preSeed is
# the request id (a topic), blockNum the block number of the log itself.
LOG_CARRIED_FIELDS = ("preSeed", "blockNum")


def commitment_from_event(args: Mapping[str, Any], block_number: int) -> tuple[Any, ...]:
    """The RequestCommitment (COMMITMENT_FIELDS order) of a RandomnessRequested event's `args`,
    its log mined in block `block_number`."""
    carried = {"preSeed": args["requestId"], "blockNum": block_number}
    return tuple(carried[name] if name in carried else args[name] for name in COMMITMENT_FIELDS)


@dataclass(frozen=True)
class Request:
    """A RandomnessRequested event: everything needed to rebuild the RequestCommitment."""

    request_id: int
    key_hash: bytes
    consumer: str
    pre_seed: int
    block_num: int
    deadline_block: int
    deadline_time: int
    callback_gas_limit: int
    num_words: int
    # The bond reservation and who its expiry pays: part of the commitment the coordinator
    # hashed, so fulfil and expire must hand them back exactly (zero: nothing reserved).
    bond_token: str = ZERO_ADDRESS
    bond_amount: int = 0
    beneficiary: str = ZERO_ADDRESS
    beneficiary_amount: int = 0
    residual_to_bankroll: bool = False
    # The consumer's own word (a game of chance's bet), committed and handed back with the result.
    data: bytes = bytes(32)

    def commitment(self) -> tuple[Any, ...]:
        """IRandomnessCoordinator.RequestCommitment, in field order (COMMITMENT_FIELDS)."""
        return (
            self.block_num,
            self.deadline_block,
            self.deadline_time,
            self.callback_gas_limit,
            self.num_words,
            self.consumer,
            self.key_hash,
            self.pre_seed,
            self.bond_token,
            self.bond_amount,
            self.beneficiary,
            self.beneficiary_amount,
            self.residual_to_bankroll,
            self.data,
        )

    def expirable_at(self, block: int, timestamp: int, timeout_seconds: int) -> bool:
        """The coordinator's isExpired for a transaction mined in `block` at `timestamp`: both
        deadlines passed, or the time deadline passed by a whole timeout more (a chain that
        stops producing blocks)."""
        return timestamp > self.deadline_time and (
            block > self.deadline_block or timestamp > self.deadline_time + timeout_seconds
        )

    def hash_readable_at(self, block: int) -> bool:
        """blockhash(block_num) is readable by a transaction mined in `block`."""
        return 0 < block - self.block_num <= BLOCKHASH_WINDOW

    def fulfillable_at(self, block: int, timestamp: int, timeout_seconds: int, hash_stored: bool = False) -> bool:
        """A fulfil mined in `block` at `timestamp` passes the deadline and blockhash checks;
        past BLOCKHASH's window only when the block's hash was stored on chain."""
        if block <= self.block_num or self.expirable_at(block, timestamp, timeout_seconds):
            return False
        return hash_stored or self.hash_readable_at(block)


@dataclass(frozen=True)
class Proven:
    """A request's proof, ready for the coordinator."""

    seed: int
    proof: tuple[Any, ...]  # IRandomnessCoordinator.Proof in field order
    output: int


class Prover(Protocol):
    """Proves request seeds with the oracle's ECVRF key."""

    @property
    def key_hash(self) -> bytes: ...

    def prove(self, pre_seed: int, block_hash: bytes) -> Proven: ...


class ClaimKind(Enum):
    FULFIL = "fulfil"
    EXPIRE = "expire"
    STORE = "store"  # storeBlockhash of a request block (claims are keyed by block number)


@dataclass
class Claim:
    """A request covered by one of our transactions, so no other transaction takes it.

    A claim lives until the confirmed event scan resolves the request; if the scan passes the
    block our transaction was mined in and the request is still open (our entry was skipped
    or the block was reorganised away), the claim lapses and the request is worked again."""

    kind: ClaimKind
    nonce: int
    mined_block: int | None = None


class RequestBook:
    """Open requests for one oracle key, built from coordinator events in chain order."""

    def __init__(self, key_hash: bytes, timeout_seconds: int = 0) -> None:
        self.key_hash = key_hash
        self.timeout_seconds = timeout_seconds  # the coordinator's timeoutSeconds
        self.open: dict[int, Request] = {}
        self.claims: dict[int, Claim] = {}
        # block number -> hash stored on chain (BlockhashStored), for blocks of open requests
        self.stored: dict[int, bytes] = {}
        # block number -> our storeBlockhash transaction for it
        self.store_claims: dict[int, Claim] = {}
        self._open_per_block: Counter[int] = Counter()
        # request id -> (block, clock time): not retried before that block, or that time when
        # blocks stand still (an automining dev chain mines only when someone sends).
        self.parked: dict[int, tuple[int, float]] = {}
        self.resolved_ids: set[int] = set()  # resolved since start: duplicate/late events are ignored

    def __len__(self) -> int:
        return len(self.open)

    def requested(self, request: Request) -> bool:
        """Record a RandomnessRequested event; True when it is ours and new."""
        if request.key_hash != self.key_hash:
            return False
        if request.request_id in self.open or request.request_id in self.resolved_ids:
            return False
        self.open[request.request_id] = request
        self._open_per_block[request.block_num] += 1
        return True

    def blockhash_stored(self, block_num: int, block_hash: bytes) -> bool:
        """Record a BlockhashStored event (or a storedBlockhash read); True when an open request
        of ours needs that block's hash. Hashes no open request needs are not kept."""
        self.store_claims.pop(block_num, None)
        if not any(block_hash) or block_num not in self._open_per_block:
            return False
        new = block_num not in self.stored
        self.stored[block_num] = block_hash
        return new

    def resolved(self, request_id: int) -> Request | None:
        """Record a RandomnessFulfilled / RandomnessExpired event (or a not-pending answer)."""
        self.claims.pop(request_id, None)
        self.parked.pop(request_id, None)
        request = self.open.pop(request_id, None)
        if request is not None:
            self.resolved_ids.add(request_id)
            self._open_per_block[request.block_num] -= 1
            if self._open_per_block[request.block_num] <= 0:
                del self._open_per_block[request.block_num]
                self.stored.pop(request.block_num, None)
                self.store_claims.pop(request.block_num, None)
        return request

    def claim(self, request_ids: Iterable[int], kind: ClaimKind, nonce: int) -> None:
        for request_id in request_ids:
            if request_id in self.open:
                self.claims[request_id] = Claim(kind, nonce)

    def claim_store(self, block_num: int, nonce: int) -> None:
        """Our transaction at `nonce` stores the hash of `block_num`: no other one is sent."""
        self.store_claims[block_num] = Claim(ClaimKind.STORE, nonce)

    def release_nonce(self, nonce: int) -> list[int]:
        """Drop every claim made by the transaction at `nonce` (it was dropped or reverted);
        returns the request ids released (store claims are released too)."""
        released = [rid for rid, claim in self.claims.items() if claim.nonce == nonce]
        for rid in released:
            del self.claims[rid]
        for block_num in [b for b, claim in self.store_claims.items() if claim.nonce == nonce]:
            del self.store_claims[block_num]
        return released

    def mark_mined(self, nonce: int, block: int) -> None:
        for claim in (*self.claims.values(), *self.store_claims.values()):
            if claim.nonce == nonce:
                claim.mined_block = block

    def release_all(self) -> None:
        self.claims.clear()
        self.store_claims.clear()

    def lapse_claims(self, confirmed_through: int) -> list[int]:
        """Release claims whose mined block the confirmed scan has passed without resolving them
        (a store claim without its BlockhashStored event lapses the same way)."""
        lapsed = [
            rid
            for rid, claim in self.claims.items()
            if claim.mined_block is not None and claim.mined_block <= confirmed_through
        ]
        for rid in lapsed:
            del self.claims[rid]
        for block_num, claim in list(self.store_claims.items()):
            if claim.mined_block is not None and claim.mined_block <= confirmed_through:
                del self.store_claims[block_num]
        return lapsed

    def park(self, request_id: int, until_block: int, until_time: float = float("inf")) -> None:
        self.parked[request_id] = (until_block, until_time)

    def _available(self, next_block: int, now: float) -> Iterable[Request]:
        for request in self.open.values():
            if request.request_id in self.claims:
                continue
            until_block, until_time = self.parked.get(request.request_id, (0, 0.0))
            if next_block < until_block and now < until_time:
                continue
            yield request

    def fulfillable_at(self, request: Request, block: int, timestamp: int) -> bool:
        return request.fulfillable_at(block, timestamp, self.timeout_seconds, request.block_num in self.stored)

    def expirable_at(self, request: Request, block: int, timestamp: int) -> bool:
        return request.expirable_at(block, timestamp, self.timeout_seconds)

    def fulfillable(self, next_block: int, next_time: int, now: float = 0.0) -> list[Request]:
        """Unclaimed requests a fulfil mined in `next_block` at `next_time` may satisfy, the
        nearest deadline first."""
        ready = [r for r in self._available(next_block, now) if self.fulfillable_at(r, next_block, next_time)]
        ready.sort(key=lambda r: (r.deadline_time, r.deadline_block, r.block_num, r.request_id))
        return ready

    def expirable(self, next_block: int, next_time: int, now: float = 0.0) -> list[Request]:
        ready = [r for r in self._available(next_block, now) if self.expirable_at(r, next_block, next_time)]
        ready.sort(key=lambda r: (r.deadline_time, r.deadline_block, r.request_id))
        return ready

    def blocks_to_store(self, next_block: int, next_time: int, store_after: int) -> list[int]:
        """Request blocks whose hash a storeBlockhash mined in `next_block` should keep: an
        open, not expired request of ours whose block's hash is not stored nor being stored,
        still readable, and either `store_after` blocks old (its fulfilment may not land
        before BLOCKHASH forgets it) or parked (its fulfilment failed once). A request whose
        fulfilment is mined and awaits confirmation needs no store. Oldest block first."""
        wanted: set[int] = set()
        for request in self.open.values():
            block_num = request.block_num
            if block_num in self.stored or block_num in self.store_claims or block_num in wanted:
                continue
            if not request.hash_readable_at(next_block) or self.expirable_at(request, next_block, next_time):
                continue
            claim = self.claims.get(request.request_id)
            if claim is not None and claim.mined_block is not None:
                continue
            if next_block - block_num >= store_after or request.request_id in self.parked:
                wanted.add(block_num)
        return sorted(wanted)

    def stranded(self, next_block: int, next_time: int) -> list[Request]:
        """Open, not yet expirable, but no longer fulfillable: its block's hash left BLOCKHASH's
        window without being stored."""
        return [
            r
            for r in self.open.values()
            if next_block > r.block_num
            and not self.fulfillable_at(r, next_block, next_time)
            and not self.expirable_at(r, next_block, next_time)
        ]

    def low_water_mark(self, scanned_through: int) -> int:
        """The first block a rebuild must scan from: nothing open lies before it."""
        if not self.open:
            return scanned_through + 1
        return min(r.block_num for r in self.open.values())


# The coordinator's exact-gas callback needs callbackGasLimit + 1/63 of it + 1 + CALL_OVERHEAD_GAS
# left when it calls; each delivered word costs a keccak and calldata on top.
CALLBACK_CALL_OVERHEAD_GAS = 1_000
GAS_PER_WORD = 150


def callback_allowance(request: Request) -> int:
    """Gas a fulfil must hold back for the request's callback, whatever the callback uses."""
    limit = request.callback_gas_limit
    return limit + limit // 63 + 1 + CALLBACK_CALL_OVERHEAD_GAS + GAS_PER_WORD * request.num_words


@dataclass
class GasModel:
    """Predicts a fulfil's gas as sum(callback allowance) + n x (proof verification and
    bookkeeping), the second term learned from the node's estimates. Predictions are checked
    with an eth_call at the predicted limit before sending, so a miss costs a call, not a tx;
    it spares an eth_estimateGas (a binary search over whole executions) per batch."""

    per_request: int | None = None

    @property
    def calibrated(self) -> bool:
        return self.per_request is not None

    def learn(self, requests: list[Request], estimated: int) -> None:
        held_back = sum(callback_allowance(r) for r in requests)
        self.per_request = max(0, -(-(estimated - held_back) // len(requests)))

    def predict(self, requests: list[Request]) -> int:
        if self.per_request is None:
            raise ValueError("the gas model has not learned from an estimate yet")
        return sum(callback_allowance(r) for r in requests) + self.per_request * len(requests)

    def typical(self, requests: list[Request]) -> int:
        """Average predicted gas per request: a first batch size guess for plan_batch."""
        return max(1, self.predict(requests) // len(requests))


class BatchVerdict(Enum):
    FITS = "fits"
    OVER_BUDGET_SINGLE = "over_budget_single"  # one request alone needs more than the budget
    REVERTS = "reverts"


@dataclass(frozen=True)
class BatchPlan:
    requests: list[Request]
    gas_limit: int
    verdict: BatchVerdict


def gas_with_margin(estimate: int, margin: float) -> int:
    return int(estimate * (1 + margin)) + 1


def plan_batch(
    candidates: list[Request],
    gas_budget: int,
    per_request_gas: int,
    estimate: Callable[[list[Request]], int | None],
    margin: float = 0.15,
    max_batch: int = 256,
    max_estimates: int = 8,
) -> BatchPlan:
    """The longest prefix of `candidates` whose gas (estimate plus margin) fits `gas_budget`.

    `per_request_gas` only picks the first size to try; `estimate` asks the node (None when
    the call would revert). Each estimate extrapolates linearly to the next size, bracketed
    by the largest size known to fit and the smallest known not to, so a handful settles it."""
    if not candidates:
        raise ValueError("plan_batch needs at least one candidate")
    limit = min(len(candidates), max_batch)
    size = min(limit, max(1, gas_budget // max(per_request_gas, 1)))
    best: BatchPlan | None = None
    too_big = limit + 1  # smallest size known not to fit
    for _ in range(max_estimates):
        chosen = candidates[:size]
        estimated = estimate(chosen)
        if estimated is None:
            # Keep what already fits: the reverting entry is isolated once it leads the queue.
            return best or BatchPlan(chosen, 0, BatchVerdict.REVERTS)
        gas = gas_with_margin(estimated, margin)
        proposal = size * gas_budget // gas
        if gas <= gas_budget:
            best = BatchPlan(chosen, gas, BatchVerdict.FITS)
            if size + 1 >= too_big:
                break
            size = min(too_big - 1, max(size + 1, proposal))
        else:
            too_big = size
            if size == 1:
                return BatchPlan(chosen, gas, BatchVerdict.OVER_BUDGET_SINGLE)
            floor = len(best.requests) + 1 if best else 1
            if floor >= too_big:
                break
            size = max(floor, min(size - 1, proposal))
    if best is None:
        # Out of estimates without a fit: settle for one request, which always goes alone.
        return plan_batch(candidates[:1], gas_budget, per_request_gas, estimate, margin, 1, 1)
    return best
