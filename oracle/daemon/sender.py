"""Transaction sending for the oracle daemon: local nonces, EIP-1559 fees (legacy gas price
when the node has no base fee), and replacement of transactions that sit unmined too long.

Every transaction is recorded before it is broadcast, so a broadcast that dies with the
connection is simply re-sent once the node answers again (same nonce, same or higher fees)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.exceptions import TransactionNotFound, Web3RPCError
from web3.types import TxReceipt

from oracle.daemon.log import JsonLog

# Replacement must outbid the transaction it replaces: geth wants +10 %, we bump by 12.5 %.
BUMP_NUMERATOR, BUMP_DENOMINATOR = 9, 8
DEFAULT_PRIORITY_FEE = 10**9  # 1 gwei, when the node cannot suggest one


@dataclass(frozen=True)
class Fees:
    """Either EIP-1559 (max_fee, priority_fee) or legacy (gas_price)."""

    max_fee: int | None = None
    priority_fee: int | None = None
    gas_price: int | None = None

    @property
    def is_legacy(self) -> bool:
        return self.gas_price is not None

    def fields(self) -> dict[str, int]:
        if self.gas_price is not None:
            return {"gasPrice": self.gas_price}
        assert self.max_fee is not None and self.priority_fee is not None
        return {"maxFeePerGas": self.max_fee, "maxPriorityFeePerGas": self.priority_fee}

    def bumped_over(self, market: Fees) -> Fees:
        """Fees for replacing a transaction sent with `self`: at least +12.5 % on every
        component and never below what the market asks now."""
        if self.gas_price is not None:
            return Fees(gas_price=max(bump(self.gas_price), market.gas_price or market.max_fee or 0))
        assert self.max_fee is not None and self.priority_fee is not None
        priority = max(bump(self.priority_fee), market.priority_fee or 0)
        max_fee = max(bump(self.max_fee), market.max_fee or market.gas_price or 0, priority)
        return Fees(max_fee=max_fee, priority_fee=priority)


def bump(value: int) -> int:
    """value * 1.125, rounded up, and strictly greater (a zero fee still goes up)."""
    return max(-(-value * BUMP_NUMERATOR // BUMP_DENOMINATOR), value + 1)


def market_fees(w3: Web3) -> Fees:
    """What the node suggests now: 2 x base fee + tip, or its gas price without a base fee."""
    block = w3.eth.get_block("latest")
    base_fee = block.get("baseFeePerGas")
    if base_fee is None:
        return Fees(gas_price=int(w3.eth.gas_price))
    try:
        priority = int(w3.eth.max_priority_fee)
    except (Web3RPCError, ValueError):
        priority = DEFAULT_PRIORITY_FEE
    return Fees(max_fee=2 * int(base_fee) + priority, priority_fee=priority)


@dataclass
class SentTx:
    """One nonce of ours in flight, with every version of it we broadcast."""

    nonce: int
    to: str
    data: str
    gas: int
    fees: Fees
    label: str
    request_ids: tuple[int, ...]
    hashes: list[str] = field(default_factory=list)
    first_sent: float = 0.0
    last_sent: float = 0.0


@dataclass(frozen=True)
class Outcome:
    """A transaction of ours that left the mempool: mined (receipt) or superseded (None)."""

    tx: SentTx
    receipt: TxReceipt | None


def _message(exc: BaseException) -> str:
    if isinstance(exc, Web3RPCError) and isinstance(exc.rpc_response, dict):
        response: dict[str, Any] = dict(exc.rpc_response)
        error = response.get("error") or {}
        return str(error.get("message", exc)).lower()
    return str(exc).lower()


class TxSender:
    def __init__(
        self,
        w3: Web3,
        account: LocalAccount,
        chain_id: int,
        log: JsonLog,
        stuck_after: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        fee_ttl: float = 1.0,
    ) -> None:
        self.w3 = w3
        self.account = account
        self.chain_id = chain_id
        self.log = log
        self.stuck_after = stuck_after
        self.clock = clock
        self.in_flight: dict[int, SentTx] = {}
        self.next_nonce: int | None = None
        self.replacements = 0
        self.fee_ttl = fee_ttl
        self._fees: tuple[float, Fees] | None = None

    @property
    def address(self) -> str:
        return str(self.account.address)

    def chain_nonce(self, block: str = "pending") -> int:
        return int(self.w3.eth.get_transaction_count(self.account.address, block))  # type: ignore[arg-type]

    def sync_nonce(self) -> int:
        """Take the next nonce from the node (its pending count covers our mempool entries)."""
        self.next_nonce = self.chain_nonce("pending")
        return self.next_nonce

    def reset(self) -> list[SentTx]:
        """Forget everything in flight (the node lost or rewound it) and resync the nonce."""
        dropped = list(self.in_flight.values())
        self.in_flight.clear()
        self.next_nonce = None
        return dropped

    def _market_fees(self) -> Fees:
        """Market fees, asked at most once per `fee_ttl` seconds for a stream of sends."""
        now = self.clock()
        if self._fees is None or now - self._fees[0] >= self.fee_ttl:
            self._fees = (now, market_fees(self.w3))
        return self._fees[1]

    def prepare(self, to: str, data: str, gas: int, label: str, request_ids: tuple[int, ...]) -> SentTx:
        """Take the next nonce and record the transaction as in flight (not yet broadcast)."""
        if self.next_nonce is None:
            self.sync_nonce()
        assert self.next_nonce is not None
        tx = SentTx(
            nonce=self.next_nonce,
            to=to,
            data=data,
            gas=gas,
            fees=self._market_fees(),
            label=label,
            request_ids=request_ids,
        )
        self.next_nonce += 1
        self.in_flight[tx.nonce] = tx
        return tx

    def send(self, to: str, data: str, gas: int, label: str, request_ids: tuple[int, ...]) -> SentTx:
        tx = self.prepare(to, data, gas, label, request_ids)
        self.broadcast(tx)
        return tx

    def _sign(self, tx: SentTx) -> tuple[bytes, str]:
        fields: dict[str, Any] = {
            "chainId": self.chain_id,
            "nonce": tx.nonce,
            "to": tx.to,
            "data": tx.data,
            "gas": tx.gas,
            "value": 0,
            **tx.fees.fields(),
        }
        if not tx.fees.is_legacy:
            fields["type"] = 2
        signed = self.account.sign_transaction(fields)
        return bytes(signed.raw_transaction), "0x" + bytes(signed.hash).hex()

    def broadcast(self, tx: SentTx, attempts: int = 6) -> None:
        """Send `tx` at its nonce; outbid an unknown occupant of the nonce if the node says so.

        Connectivity errors propagate with the transaction already recorded, so the caller's
        retry reaches `poll`, which re-sends it."""
        for _ in range(attempts):
            raw, tx_hash = self._sign(tx)
            if tx_hash not in tx.hashes:
                tx.hashes.append(tx_hash)
            now = self.clock()
            tx.first_sent = tx.first_sent or now
            tx.last_sent = now
            try:
                self.w3.eth.send_raw_transaction(raw)
                self.log.info(
                    "tx_sent",
                    tx=tx_hash,
                    nonce=tx.nonce,
                    label=tx.label,
                    gas=tx.gas,
                    request_ids=list(tx.request_ids),
                    **tx.fees.fields(),
                )
                return
            except Web3RPCError as exc:
                message = _message(exc)
                if "already known" in message or "already imported" in message:
                    return
                if "underpriced" in message or "replacement" in message:
                    # Someone (an earlier life of this daemon) holds this nonce in the mempool.
                    tx.fees = tx.fees.bumped_over(market_fees(self.w3))
                    continue
                if "nonce too low" in message or "nonce has already been used" in message:
                    # The nonce is spent: hand the work back and continue from the node's count.
                    self.log.warning("nonce_spent", nonce=tx.nonce, label=tx.label)
                    tx.hashes.clear()
                    self.next_nonce = None
                    return
                raise
        raise RuntimeError(f"could not outbid the occupant of nonce {tx.nonce}")

    def _receipt(self, tx: SentTx) -> TxReceipt | None:
        for tx_hash in tx.hashes:
            try:
                return self.w3.eth.get_transaction_receipt(tx_hash)  # type: ignore[arg-type]
            except TransactionNotFound:
                continue
        return None

    def _known_to_node(self, tx: SentTx) -> bool:
        for tx_hash in tx.hashes:
            try:
                self.w3.eth.get_transaction(tx_hash)  # type: ignore[arg-type]
                return True
            except TransactionNotFound:
                continue
        return False

    def poll(self) -> list[Outcome]:
        """Collect mined transactions, re-send lost ones, replace stuck ones."""
        if not self.in_flight:
            return []
        outcomes: list[Outcome] = []
        waiting: list[SentTx] = []
        for nonce in sorted(self.in_flight):
            tx = self.in_flight[nonce]
            receipt = self._receipt(tx)
            if receipt is None:
                waiting.append(tx)
            else:
                outcomes.append(Outcome(tx, receipt))
                del self.in_flight[nonce]
        if not waiting:
            return outcomes
        mined_count = self.chain_nonce("latest")
        for tx in waiting:
            nonce = tx.nonce
            if nonce < mined_count:
                # The nonce is used: by ours if it mined since we looked, else by a transaction
                # we never recorded, and then ours can never mine.
                outcomes.append(Outcome(tx, self._receipt(tx)))
                del self.in_flight[nonce]
                continue
            if not tx.hashes or not self._known_to_node(tx):
                self.log.warning("tx_lost", nonce=nonce, label=tx.label, hashes=tx.hashes)
                self.broadcast(tx)
            elif self.clock() - tx.last_sent >= self.stuck_after:
                old = tx.fees
                tx.fees = tx.fees.bumped_over(market_fees(self.w3))
                self.replacements += 1
                self.log.warning(
                    "tx_replaced",
                    nonce=nonce,
                    label=tx.label,
                    previous=tx.hashes[-1],
                    old_fees=old.fields(),
                    new_fees=tx.fees.fields(),
                )
                self.broadcast(tx)
        if self.in_flight and min(self.in_flight) > self.chain_nonce("pending"):
            # A nonce below our lowest in-flight one is missing on the node (it rewound):
            # nothing above the gap can ever mine. Start over from the node's count.
            self.log.warning("nonce_gap", lowest_in_flight=min(self.in_flight), node_pending=self.chain_nonce())
            outcomes.extend(Outcome(tx, None) for tx in self.reset())
        return outcomes
