"""The daemon's transaction sender against a real anvil: nonces, fees, replacement of stuck
and lost transactions, and outbidding a transaction an earlier life left in the mempool."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from web3 import Web3

from fairstake.devchain import DEV_CHAIN_ID
from ops.chain import LocalChain, rpc_call
from oracle.daemon.chain import connect
from oracle.daemon.keys import dev_account
from oracle.daemon.log import JsonLog
from oracle.daemon.sender import Fees, TxSender, bump, market_fees

SENDER = dev_account(5)
TARGET = dev_account(6).address


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def node() -> Iterator[LocalChain]:
    with LocalChain() as chain:
        yield chain


@pytest.fixture
def w3(node: LocalChain) -> Web3:
    return connect(node.url)


def make_sender(w3: Web3, clock: FakeClock | None = None, stuck_after: float = 30.0) -> TxSender:
    return TxSender(
        w3, SENDER, DEV_CHAIN_ID, JsonLog(level="error"), stuck_after=stuck_after, clock=clock or FakeClock()
    )


def automine(node: LocalChain, on: bool) -> None:
    rpc_call(node.url, "evm_setAutomine", [on])


def test_bump_is_at_least_an_eighth_and_strictly_up() -> None:
    assert bump(0) == 1
    assert bump(1) == 2
    assert bump(8) == 9
    assert bump(100) == 113
    assert bump(10**9) == 1_125_000_000


def test_replacement_fees_outbid_every_component_and_follow_the_market() -> None:
    sent = Fees(max_fee=2_000, priority_fee=1_000)
    calm = sent.bumped_over(Fees(max_fee=1_000, priority_fee=100))
    assert calm.priority_fee is not None and calm.max_fee is not None
    assert calm.priority_fee >= 1_125 and calm.max_fee >= 2_250
    busy = sent.bumped_over(Fees(max_fee=9_000, priority_fee=3_000))
    assert (busy.max_fee, busy.priority_fee) == (9_000, 3_000)
    legacy = Fees(gas_price=800).bumped_over(Fees(gas_price=100))
    assert legacy.fields() == {"gasPrice": 900}


class _NoBaseFeeEth:
    gas_price = 7_000

    def get_block(self, tag: str) -> dict[str, int]:
        return {"number": 1}


class _NoBaseFeeWeb3:
    eth = _NoBaseFeeEth()


def test_market_fees_fall_back_to_legacy_without_a_base_fee(w3: Web3) -> None:
    assert market_fees(_NoBaseFeeWeb3()).fields() == {"gasPrice": 7_000}  # type: ignore[arg-type]
    fees = market_fees(w3)
    assert not fees.is_legacy
    assert fees.max_fee is not None and fees.priority_fee is not None and fees.max_fee >= fees.priority_fee


def test_sends_consecutive_nonces_and_reports_receipts(w3: Web3) -> None:
    sender = make_sender(w3)
    start = w3.eth.get_transaction_count(SENDER.address)
    sent = [sender.send(TARGET, "0x", 21_000, "transfer", (i,)) for i in range(3)]
    assert [tx.nonce for tx in sent] == [start, start + 1, start + 2]
    outcomes = sender.poll()
    assert [o.tx.nonce for o in outcomes] == [start, start + 1, start + 2]
    assert all(o.receipt is not None and o.receipt["status"] == 1 for o in outcomes)
    assert sender.in_flight == {}
    assert w3.eth.get_transaction_count(SENDER.address) == start + 3


def test_stuck_transaction_is_replaced_with_higher_fees_at_the_same_nonce(node: LocalChain, w3: Web3) -> None:
    clock = FakeClock()
    sender = make_sender(w3, clock, stuck_after=30)
    automine(node, False)
    tx = sender.send(TARGET, "0x", 21_000, "transfer", (1,))
    first_fees = tx.fees
    assert sender.poll() == []
    assert len(tx.hashes) == 1  # not yet stuck
    clock.now += 31
    assert sender.poll() == []
    assert len(tx.hashes) == 2 and sender.replacements == 1
    assert tx.fees.priority_fee is not None and first_fees.priority_fee is not None
    assert tx.fees.priority_fee * 8 >= first_fees.priority_fee * 9
    rpc_call(node.url, "evm_mine")
    (outcome,) = sender.poll()
    assert outcome.receipt is not None
    assert "0x" + bytes(outcome.receipt["transactionHash"]).hex() == tx.hashes[-1]
    assert outcome.receipt["effectiveGasPrice"] >= tx.fees.priority_fee


def test_transaction_the_node_lost_is_sent_again(node: LocalChain, w3: Web3) -> None:
    sender = make_sender(w3)
    automine(node, False)
    tx = sender.send(TARGET, "0x", 21_000, "transfer", (1,))
    rpc_call(node.url, "anvil_dropTransaction", [tx.hashes[0]])
    assert w3.eth.get_transaction_count(SENDER.address, "pending") == tx.nonce
    assert sender.poll() == []  # re-sent
    rpc_call(node.url, "evm_mine")
    (outcome,) = sender.poll()
    assert outcome.receipt is not None and outcome.receipt["status"] == 1


def test_outbids_a_transaction_an_earlier_life_left_at_the_nonce(node: LocalChain, w3: Web3) -> None:
    automine(node, False)
    fees = market_fees(w3)
    leftover = SENDER.sign_transaction(
        {
            "chainId": DEV_CHAIN_ID,
            "nonce": 0,
            "to": TARGET,
            "value": 1,
            "gas": 21_000,
            "type": 2,
            **fees.fields(),
        }
    )
    w3.eth.send_raw_transaction(leftover.raw_transaction)
    sender = make_sender(w3)
    sender.next_nonce = 0  # as if synced before the leftover arrived
    tx = sender.send(TARGET, "0x", 21_000, "transfer", (1,))
    assert tx.nonce == 0 and tx.fees != fees
    rpc_call(node.url, "evm_mine")
    (outcome,) = sender.poll()
    assert outcome.receipt is not None
    assert "0x" + bytes(outcome.receipt["transactionHash"]).hex() == tx.hashes[-1]


def test_a_nonce_taken_by_someone_else_releases_the_work(node: LocalChain, w3: Web3) -> None:
    sender = make_sender(w3)
    automine(node, False)
    tx = sender.send(TARGET, "0x", 21_000, "transfer", (9,))
    rpc_call(node.url, "anvil_dropTransaction", [tx.hashes[0]])
    other = SENDER.sign_transaction(
        {
            "chainId": DEV_CHAIN_ID,
            "nonce": tx.nonce,
            "to": TARGET,
            "value": 5,
            "gas": 21_000,
            "type": 2,
            **market_fees(w3).fields(),
        }
    )
    w3.eth.send_raw_transaction(other.raw_transaction)
    rpc_call(node.url, "evm_mine")
    (outcome,) = sender.poll()
    assert outcome.receipt is None and outcome.tx.request_ids == (9,)
    assert sender.in_flight == {}


def test_a_rewound_node_resets_the_nonce(node: LocalChain, w3: Web3) -> None:
    snapshot = rpc_call(node.url, "evm_snapshot")
    sender = make_sender(w3)
    sender.send(TARGET, "0x", 21_000, "transfer", (1,))
    assert len(sender.poll()) == 1
    rpc_call(node.url, "evm_revert", [snapshot])
    automine(node, False)
    # Our local nonce is now ahead of the node: the transaction can never mine.
    tx = sender.send(TARGET, "0x", 21_000, "transfer", (2,))
    assert tx.nonce == 1 and w3.eth.get_transaction_count(SENDER.address, "pending") == 0
    (outcome,) = sender.poll()
    assert outcome.receipt is None and sender.in_flight == {} and sender.next_nonce is None
    assert sender.send(TARGET, "0x", 21_000, "transfer", (2,)).nonce == 0
