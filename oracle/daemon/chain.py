"""Chain access for the oracle daemon: a web3 connection without hidden retries (the daemon
owns retry policy), RandomnessCoordinator log decoding, and revert-reason decoding.

Everything here is a thin edge over web3; the decisions live in oracle.daemon.work."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import requests
from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_utils import keccak, to_checksum_address
from web3 import HTTPProvider, Web3
from web3.contract import Contract
from web3.exceptions import ContractCustomError, ContractLogicError, Web3RPCError
from web3.types import LogReceipt, TxReceipt

from oracle.daemon.work import Request

EVENT_REQUESTED = "RandomnessRequested"
EVENT_FULFILLED = "RandomnessFulfilled"
EVENT_EXPIRED = "RandomnessExpired"
EVENT_BLOCKHASH_STORED = "BlockhashStored"

# Transport failures: the node is down, restarting or overloaded. The daemon retries these
# forever; anything else is a real answer from the node.
CONNECTIVITY_ERRORS: tuple[type[BaseException], ...] = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.HTTPError,
    ConnectionError,
    TimeoutError,
)


def is_connectivity_error(exc: BaseException) -> bool:
    return isinstance(exc, CONNECTIVITY_ERRORS)


def connect(rpc_url: str, timeout: float = 30.0) -> Web3:
    """A Web3 over HTTP with web3's own retry layer off, so an outage surfaces at once, and
    without the middleware that adds hidden requests."""
    session = requests.Session()
    session.trust_env = False  # no proxy/netrc lookups (file stats) on every request
    provider = HTTPProvider(
        rpc_url, request_kwargs={"timeout": timeout}, session=session, exception_retry_configuration=None
    )
    w3 = Web3(provider)
    # The daemon builds, prices and signs its own transactions; these layers would only add
    # round trips (validation asks for the chain id before every call and estimate).
    for name in ("validation", "gas_estimate", "gas_price_strategy", "ens_name_to_address"):
        w3.middleware_onion.remove(name)
    return w3


def _blockhash_probe(number: int) -> str:
    """Creation code returning a zero byte then blockhash(number): PUSH32 n, BLOCKHASH,
    MSTORE at 1, RETURN(0, 33). The returned bytes become (simulated) contract code, so they
    must not start with 0xEF (EIP-3541); the leading zero byte sees to that."""
    return "0x7f" + number.to_bytes(32, "big").hex() + "40600152" + "60216000f3"


def evm_blockhashes(w3: Web3, numbers: Iterable[int], chunk: int = 200) -> dict[int, bytes]:
    """blockhash(n) for each n as the EVM of the next block will see it, which is what the
    coordinator hashes into the seed; one batched request per `chunk` blocks.

    Asked with an eth_call in the pending block, since a node's EVM may disagree with its own
    block headers (anvil after --load-state does). Nodes without a distinct pending block run
    the call in the latest block, where the latest block's own hash reads as zero: then the
    header hash is used."""
    wanted = sorted(set(numbers))
    found: dict[int, bytes] = {}
    for start in range(0, len(wanted), chunk):
        part = wanted[start : start + chunk]
        with w3.batch_requests() as batch:
            for number in part:
                batch.add(w3.eth.call({"data": _blockhash_probe(number)}, "pending"))  # type: ignore[typeddict-item]
            replies = batch.execute()
        for number, reply in zip(part, replies, strict=True):
            raw = bytes(reply)  # type: ignore[arg-type]
            if len(raw) == 33 and any(raw[1:]):
                found[number] = raw[1:]
            else:
                found[number] = bytes(w3.eth.get_block(number)["hash"])
    return found


@dataclass(frozen=True)
class ChainEvent:
    """One coordinator log, decoded, in chain order."""

    name: str
    request_id: int
    block_number: int
    log_index: int
    tx_hash: str
    request: Request | None = None  # set for RandomnessRequested
    stored_hash: bytes | None = None  # set for BlockhashStored (request_id is then the block number)


class Coordinator:
    """The deployed RandomnessCoordinator as the daemon sees it."""

    def __init__(self, w3: Web3, address: str, abi: list[dict[str, Any]]) -> None:
        self.w3 = w3
        self.address = to_checksum_address(address)
        self.contract: Contract = w3.eth.contract(address=self.address, abi=abi)
        self._topics = {
            self._topic(abi, name): name
            for name in (EVENT_REQUESTED, EVENT_FULFILLED, EVENT_EXPIRED, EVENT_BLOCKHASH_STORED)
        }
        self._errors = {_selector(item): item for item in abi if item.get("type") == "error"}
        # eth_abi directly: web3's encode_abi validates every nested value and costs ~5 ms a proof.
        self._functions = {
            str(item["name"]): (_selector(item), [_canonical_type(i) for i in item["inputs"]])
            for item in abi
            if item.get("type") == "function"
        }

    @staticmethod
    def _topic(abi: list[dict[str, Any]], name: str) -> str:
        for item in abi:
            if item.get("type") == "event" and item.get("name") == name:
                signature = f"{name}({','.join(_canonical_type(i) for i in item['inputs'])})"
                return "0x" + keccak(text=signature).hex()
        raise ValueError(f"the coordinator ABI has no event {name}")

    def logs(self, from_block: int, to_block: int) -> list[ChainEvent]:
        """Requested/Fulfilled/Expired/BlockhashStored logs in [from_block, to_block], in chain order."""
        raw = self.w3.eth.get_logs(
            {
                "address": self.address,
                "fromBlock": from_block,
                "toBlock": to_block,
                "topics": [list(self._topics)],
            }
        )
        return self.decode_logs(raw)

    def decode_logs(self, raw: Iterable[LogReceipt]) -> list[ChainEvent]:
        events: list[ChainEvent] = []
        for log in raw:
            if to_checksum_address(log["address"]) != self.address or not log["topics"]:
                continue
            name = self._topics.get("0x" + bytes(log["topics"][0]).hex())
            if name is None:
                continue
            request_id = int.from_bytes(bytes(log["topics"][1]), "big")
            request = None
            stored_hash = None
            if name == EVENT_BLOCKHASH_STORED:
                stored_hash = bytes(log["data"])[:32]
            elif name == EVENT_REQUESTED:
                args = self.contract.events.RandomnessRequested().process_log(log)["args"]
                request = Request(
                    request_id=request_id,
                    key_hash=bytes(args["keyHash"]),
                    consumer=to_checksum_address(args["consumer"]),
                    # not in the event: the log carries them (the coordinator's commitment has them)
                    pre_seed=request_id,
                    block_num=int(log["blockNumber"]),
                    deadline_block=int(args["deadlineBlock"]),
                    deadline_time=int(args["deadlineTime"]),
                    callback_gas_limit=int(args["callbackGasLimit"]),
                    num_words=int(args["numWords"]),
                    bond_token=to_checksum_address(args["bondToken"]),
                    bond_amount=int(args["bondAmount"]),
                    beneficiary=to_checksum_address(args["beneficiary"]),
                    beneficiary_amount=int(args["beneficiaryAmount"]),
                    residual_to_bankroll=bool(args["residualToBankroll"]),
                    data=bytes(args["data"]),
                )
            events.append(
                ChainEvent(
                    name=name,
                    request_id=request_id,
                    block_number=int(log["blockNumber"]),
                    log_index=int(log["logIndex"]),
                    tx_hash="0x" + bytes(log["transactionHash"]).hex(),
                    request=request,
                    stored_hash=stored_hash,
                )
            )
        events.sort(key=lambda e: (e.block_number, e.log_index))
        return events

    def fulfilled_in(self, receipt: TxReceipt) -> set[int]:
        return {e.request_id for e in self.decode_logs(receipt["logs"]) if e.name == EVENT_FULFILLED}

    def expired_in(self, receipt: TxReceipt) -> set[int]:
        return {e.request_id for e in self.decode_logs(receipt["logs"]) if e.name == EVENT_EXPIRED}

    def is_pending(self, request_id: int) -> bool:
        return bool(self.contract.functions.isPending(request_id).call())

    def pending_flags(self, request_ids: Iterable[int], chunk: int = 200) -> dict[int, bool]:
        """isPending for many requests, one batched request per `chunk` ids."""
        ids = list(request_ids)
        flags: dict[int, bool] = {}
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            with self.w3.batch_requests() as batch:
                for request_id in part:
                    batch.add(self.contract.functions.isPending(request_id))
                replies = batch.execute()
            flags.update({rid: bool(reply) for rid, reply in zip(part, replies, strict=True)})
        return flags

    def timeout_seconds(self) -> int:
        """The coordinator's timeoutSeconds (an immutable: read once)."""
        return int(self.contract.functions.timeoutSeconds().call())

    def stored_blockhash(self, block_num: int) -> bytes:
        """The hash of `block_num` stored on chain with storeBlockhash (zeros when nobody did)."""
        return bytes(self.contract.functions.storedBlockhash(block_num).call())

    def encode_call(self, function: str, *args: Any) -> str:
        selector, types = self._functions[function]
        return "0x" + (selector + abi_encode(types, list(args))).hex()

    def fulfil_data(self, proofs: list[tuple[Any, ...]], requests_: list[Request]) -> str:
        if len(proofs) == 1:
            return self.encode_call("fulfil", proofs[0], requests_[0].commitment())
        return self.encode_call("fulfilBatch", proofs, [r.commitment() for r in requests_])

    def expire_data(self, request: Request) -> str:
        return self.encode_call("expire", request.commitment())

    def store_blockhash_data(self, block_num: int) -> str:
        return self.encode_call("storeBlockhash", block_num)

    def describe_revert(self, exc: BaseException) -> str:
        """A readable reason for a failed call: the custom error's name and arguments when known."""
        data: Any = None
        if isinstance(exc, (ContractCustomError, ContractLogicError)):
            data = exc.data
        elif isinstance(exc, Web3RPCError) and isinstance(exc.rpc_response, dict):
            response: dict[str, Any] = dict(exc.rpc_response)
            data = (response.get("error") or {}).get("data")
        if isinstance(data, dict):
            data = data.get("data")
        if isinstance(data, str) and data.startswith("0x") and len(data) >= 10:
            raw = bytes.fromhex(data[2:])
            error = self._errors.get(raw[:4])
            if error is not None:
                try:
                    values = abi_decode([_canonical_type(i) for i in error["inputs"]], raw[4:])
                    return f"{error['name']}({', '.join(str(v) for v in values)})"
                except Exception:  # noqa: BLE001 - a malformed payload still has a useful name
                    return str(error["name"])
        return str(exc)


def _canonical_type(param: dict[str, Any]) -> str:
    kind = str(param["type"])
    if kind.startswith("tuple"):
        return f"({','.join(_canonical_type(c) for c in param['components'])}){kind[5:]}"
    return kind


def _selector(item: dict[str, Any]) -> bytes:
    return keccak(text=f"{item['name']}({','.join(_canonical_type(i) for i in item['inputs'])})")[:4]
