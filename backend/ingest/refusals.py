"""Stakes and deposits the registry refused: failed transactions sent to a platform contract whose
revert reason is a player-protection error (fairstake.rules.protection.REFUSALS).

A reverted transaction leaves no log, so eth_getLogs never sees it: for each block of a range the
fetcher reads the receipts (eth_getBlockReceipts; per transaction where the node lacks it), and
for each failed one sent to a platform contract recovers the revert data from the node's call
trace (debug_traceTransaction with the callTracer: exact, the transaction as mined), or, on a node
without it, by re-running the call on the state of the block before. That re-run is exact when
the transaction was its block's first, as on a local chain mining one per block; an earlier
transaction of the same block can change the state it ran on (then the refusal may be missed or
its amounts differ). Only protection errors are kept; any other revert is not a refusal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ujson
from eth_abi import decode as abi_decode
from eth_utils import function_signature_to_4byte_selector, to_checksum_address

from backend.rpc import RpcClient, RpcError
from backend.store.events import Refusal, to_json_value
from fairstake.rules.protection import REFUSALS

# Calls per JSON-RPC batch: a long backfill range is read in slices this size.
_BATCH = 200


@dataclass(frozen=True)
class _ErrorSpec:
    name: str
    names: tuple[str, ...]
    types: tuple[str, ...]


def _type(entry: dict[str, Any]) -> str:
    if entry["type"].startswith("tuple"):
        return "(" + ",".join(_type(c) for c in entry["components"]) + ")" + entry["type"][5:]
    return str(entry["type"])


def error_specs(contracts: Mapping[str, tuple[str, list[dict[str, Any]]]]) -> dict[bytes, _ErrorSpec]:
    """Selector -> protection error, from every ABI of the deployment (the registry's errors bubble
    up unchanged through the games and the Vault)."""
    specs: dict[bytes, _ErrorSpec] = {}
    for _address, abi in contracts.values():
        for entry in abi:
            if entry.get("type") != "error" or entry["name"] not in REFUSALS:
                continue
            types = tuple(_type(i) for i in entry["inputs"])
            selector = function_signature_to_4byte_selector(f"{entry['name']}({','.join(types)})")
            specs[selector] = _ErrorSpec(entry["name"], tuple(i["name"] for i in entry["inputs"]), types)
    return specs


def decode_refusal(data: str | None, specs: Mapping[bytes, _ErrorSpec]) -> tuple[str, dict[str, Any]] | None:
    """(error name, arguments) when revert `data` is a protection error, else None."""
    if not isinstance(data, str) or not data.startswith("0x") or len(data) < 10:
        return None
    raw = bytes.fromhex(data[2:])
    spec = specs.get(raw[:4])
    if spec is None:
        return None
    try:
        values = abi_decode(list(spec.types), raw[4:])
    except Exception:  # noqa: BLE001 - malformed data is simply not a refusal we can read
        return None
    args = {
        name: to_checksum_address(value) if kind == "address" else value
        for name, kind, value in zip(spec.names, spec.types, values, strict=True)
    }
    return spec.name, args


def _unsupported(result: Any) -> bool:
    """Whether a call failed because the node lacks the method (anvil: -32601; ganache: -32000
    "The method ... does not exist/is not available")."""
    if not isinstance(result, RpcError):
        return False
    message = result.message.lower()
    return result.code == -32601 or any(s in message for s in ("does not exist", "not available", "not supported"))


def _revert_data(error: Any) -> str | None:
    data = error.data if isinstance(error, RpcError) else None
    if isinstance(data, dict):
        data = data.get("data")
    return data if isinstance(data, str) else None


class RefusalFinder:
    def __init__(self, rpc: RpcClient, contracts: Mapping[str, tuple[str, list[dict[str, Any]]]]) -> None:
        self.rpc = rpc
        self.names = {address.lower(): name for name, (address, _abi) in contracts.items()}
        self.specs = error_specs(contracts)
        self.block_receipts = True  # until the node says it lacks eth_getBlockReceipts
        self.tracing = True  # until the node says it lacks debug_traceTransaction

    def _batch(self, calls: Sequence[tuple[str, Sequence[Any]]]) -> list[Any]:
        results: list[Any] = []
        for start in range(0, len(calls), _BATCH):
            results += self.rpc.batch(calls[start : start + _BATCH], retry=False)
        return results

    def _failed_receipts(self, start: int, end: int) -> list[dict[str, Any]]:
        numbers = range(start, end + 1)
        if self.block_receipts:
            results = self._batch([("eth_getBlockReceipts", [hex(n)]) for n in numbers])
            if not any(_unsupported(r) for r in results):
                receipts: list[dict[str, Any]] = []
                for result in results:
                    if isinstance(result, RpcError):
                        raise result
                    receipts += result or []
                return [r for r in receipts if self._failed_to_platform(r)]
            self.block_receipts = False
        blocks = self._batch([("eth_getBlockByNumber", [hex(n), True]) for n in numbers])
        hashes = []
        for block in blocks:
            if isinstance(block, RpcError):
                raise block
            hashes += [tx["hash"] for tx in (block or {}).get("transactions", []) if self._to_platform(tx)]
        found = self._batch([("eth_getTransactionReceipt", [h]) for h in hashes])
        for receipt in found:
            if isinstance(receipt, RpcError):
                raise receipt
        return [r for r in found if r is not None and self._failed_to_platform(r)]

    def _to_platform(self, tx: dict[str, Any]) -> bool:
        return str(tx.get("to") or "").lower() in self.names

    def _failed_to_platform(self, receipt: dict[str, Any]) -> bool:
        return int(receipt.get("status") or "0x1", 16) == 0 and self._to_platform(receipt)

    def _revert(self, receipt: dict[str, Any]) -> str | None:
        tx_hash = receipt["transactionHash"]
        if self.tracing:
            try:
                trace = self.rpc.call("debug_traceTransaction", [tx_hash, {"tracer": "callTracer"}], retry=False)
                if isinstance(trace, dict) and "type" in trace:
                    output = trace.get("output")
                    return output if isinstance(output, str) else None
                self.tracing = False  # a node that ignores the tracer (ganache: struct logs)
            except RpcError as exc:
                if not _unsupported(exc):
                    raise
                self.tracing = False
        tx = self.rpc.call("eth_getTransactionByHash", [tx_hash], retry=False)
        call = {"from": tx["from"], "to": tx["to"], "data": tx["input"], "value": tx["value"], "gas": tx["gas"]}
        parent = hex(int(receipt["blockNumber"], 16) - 1)
        try:
            self.rpc.call("eth_call", [call, parent], retry=False)
        except RpcError as exc:
            return _revert_data(exc)
        return None

    def find(self, start: int, end: int, times: Mapping[int, int]) -> list[Refusal]:
        """The refusals mined in blocks start..end; `times` gives block timestamps it already has."""
        refusals = []
        for receipt in self._failed_receipts(start, end):
            decoded = decode_refusal(self._revert(receipt), self.specs)
            if decoded is None:
                continue
            error, args = decoded
            number = int(receipt["blockNumber"], 16)
            if number not in times:
                header = self.rpc.call("eth_getBlockByNumber", [hex(number), False], retry=False)
                times = {**times, number: int(header["timestamp"], 16)}
            address = to_checksum_address(receipt["to"])
            refusals.append(
                Refusal(
                    block_number=number,
                    tx_index=int(receipt["transactionIndex"], 16),
                    block_hash=receipt["blockHash"].lower(),
                    block_time=times[number],
                    tx_hash=receipt["transactionHash"].lower(),
                    sender=to_checksum_address(receipt["from"]),
                    contract=self.names[address.lower()],
                    address=address,
                    player=str(args["player"]),
                    error=error,
                    args=ujson.dumps(to_json_value(args), ensure_ascii=False, escape_forward_slashes=False),
                )
            )
        return refusals
