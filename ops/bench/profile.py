"""`fairstake bench profile`: where a transaction's gas goes, per contract and per cost class.

From an opcode trace of the transaction (geth-style struct logs of `debug_traceCall`: the same
call replayed on the state before it, with its block's number and time; anvil gives no struct
logs of a mined transaction unless started with `--steps-tracing`, which its bench runs do
not use) every unit of gas the transaction used is attributed to the contract whose code spent
it and to one cost class:

* `sstore_fresh` (a slot zero before the transaction and still zero, written nonzero: 20,000),
  `sstore_clean` (a nonzero slot not yet written in the transaction, changed: 2,900, clearing it
  included), `sstore_dirty` (a slot already changed in the transaction: 100), `sstore_noop` (the
  value it holds written again: 100); each plus 2,100 when the slot was cold;
* `sload_cold` (2,100) and `sload_warm` (100);
* `call_cold` and `call_warm`: what a CALL/STATICCALL/DELEGATECALL costs the caller besides the
  callee's own gas and memory (account access 2,600 cold, 100 warm; value transfers; a
  precompile's or a codeless account's whole cost); `account_access`: BALANCE, EXTCODESIZE,
  EXTCODEHASH, EXTCODECOPY;
* `log_topics` (375 per LOG plus 375 per topic) and `log_data` (8 per byte);
* `memory` (expansion, whichever opcode paid it), `keccak` (30 + 6 per word), `copy` (calldata,
  code and return data copies: 3 + 3 per word);
* `other`: every other opcode;
* transaction level: `intrinsic` (21,000), `calldata` (4 per zero byte, 16 per other) and
  `refund` (negative: the storage refund, capped at a fifth of the gas used).

The classes sum to the receipt's gasUsed (checked: a replay that spent otherwise fails). The
replay and an SSTORE's class need the state before the transaction, read at the previous block:
the transaction must be its block's first (anvil's automine mines one a block).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

Rpc = Callable[[str, list[Any]], Any]

CALLS = frozenset({"CALL", "CALLCODE", "DELEGATECALL", "STATICCALL", "CREATE", "CREATE2"})
ENDS = frozenset({"RETURN", "STOP", "REVERT", "SELFDESTRUCT"})
ACCOUNT_OPS = frozenset({"BALANCE", "EXTCODESIZE", "EXTCODEHASH", "EXTCODECOPY"})
COPY_OPS = frozenset({"CALLDATACOPY", "CODECOPY", "RETURNDATACOPY", "EXTCODECOPY", "MCOPY"})
COLD_SLOAD = 2_100
COLD_ACCOUNT = 2_600
TX_BASE = 21_000


def _memory_ranges(op: str, stack: list[int]) -> list[tuple[int, int]]:
    """The (offset, size) ranges of memory `op` touches, from its stack (top last)."""
    s = stack
    if op in ("MLOAD", "MSTORE"):
        return [(s[-1], 32)]
    if op == "MSTORE8":
        return [(s[-1], 1)]
    if op in ("KECCAK256", "SHA3", "RETURN", "REVERT") or op.startswith("LOG"):
        return [(s[-1], s[-2])]
    if op in ("CALLDATACOPY", "CODECOPY", "RETURNDATACOPY"):
        return [(s[-1], s[-3])]
    if op == "EXTCODECOPY":
        return [(s[-2], s[-4])]
    if op == "MCOPY":
        return [(s[-1], s[-3]), (s[-2], s[-3])]
    if op in ("CALL", "CALLCODE"):
        return [(s[-4], s[-5]), (s[-6], s[-7])]
    if op in ("DELEGATECALL", "STATICCALL"):
        return [(s[-3], s[-4]), (s[-5], s[-6])]
    if op in ("CREATE", "CREATE2"):
        return [(s[-2], s[-3])]
    return []


def _memory_cost(words: int) -> int:
    return 3 * words + words * words // 512


def calldata_gas(data: bytes) -> int:
    return sum(4 if b == 0 else 16 for b in data)


@dataclass
class Frame:
    """One call frame: the code that ran (`address`), whose storage it used (`storage`), what
    its own opcodes cost by class (`gas`, `counts`), and the frames it called."""

    address: str
    storage: str
    kind: str
    gas: Counter[str] = field(default_factory=Counter)
    counts: Counter[str] = field(default_factory=Counter)
    calls: list[Frame] = field(default_factory=list)
    inclusive: int = 0  # everything the frame consumed, its callees included (a call tracer's gasUsed)
    memory_words: int = 0
    writes: dict[tuple[str, int], int] = field(default_factory=dict)
    storage_ops: list[tuple[str, int, str, int]] = field(default_factory=list)  # (op, slot, class, gas)

    def walk(self) -> Iterator[Frame]:
        yield self
        for sub in self.calls:
            yield from sub.walk()

    def find(self, address: str) -> Frame | None:
        """The first frame (depth first) running `address`'s code."""
        return next((f for f in self.walk() if f.address == address.lower()), None)

    def self_gas(self) -> int:
        return sum(self.gas.values())


@dataclass
class TxProfile:
    tx_gas: Counter[str]  # transaction-level classes: intrinsic, calldata, refund
    root: Frame
    gas_used: int

    def by_contract(self, root: Frame | None = None) -> dict[str, Counter[str]]:
        """Gas by class of every contract's own opcodes within `root` (default: the whole transaction)."""
        out: dict[str, Counter[str]] = {}
        for frame in (root or self.root).walk():
            out.setdefault(frame.address, Counter()).update(frame.gas)
        return out

    def totals(self, root: Frame | None = None) -> Counter[str]:
        total: Counter[str] = Counter()
        for gas in self.by_contract(root).values():
            total.update(gas)
        if root is None:
            total.update(self.tx_gas)
        return total

    def counts(self, root: Frame | None = None) -> Counter[str]:
        total: Counter[str] = Counter()
        for frame in (root or self.root).walk():
            total.update(frame.counts)
        return total


class _Storage:
    """Slot values as the transaction saw them: before it (read at the previous block), then as
    its frames wrote them (a reverted frame's writes dropped)."""

    def __init__(self, rpc: Rpc, block: int) -> None:
        self._rpc = rpc
        self._block = hex(block)
        self._original: dict[tuple[str, int], int] = {}

    def original(self, key: tuple[str, int]) -> int:
        if key not in self._original:
            value = self._rpc("eth_getStorageAt", [key[0], hex(key[1]), self._block])
            self._original[key] = int(value, 16)
        return self._original[key]

    def current(self, frames: list[Frame], key: tuple[str, int]) -> int:
        for frame in reversed(frames):
            if key in frame.writes:
                return frame.writes[key]
        return self.original(key)


def _sstore_class(original: int, current: int, new: int) -> str:
    if new == current:
        return "sstore_noop"
    if original != current:
        return "sstore_dirty"
    return "sstore_fresh" if original == 0 else "sstore_clean"


def _address(word: int) -> str:
    return "0x" + (word & ((1 << 160) - 1)).to_bytes(20, "big").hex()


def _grow_memory(frame: Frame, op: str, stack: list[int]) -> int:
    """Expands `frame`'s memory for `op` and returns the expansion's gas."""
    words = frame.memory_words
    for offset, size in _memory_ranges(op, stack):
        if size:
            words = max(words, (offset + size + 31) // 32)
    cost = _memory_cost(words) - _memory_cost(frame.memory_words)
    frame.memory_words = words
    return cost


def _step_classes(op: str, cost: int, stack: list[int], frame: Frame, frames: list[Frame], storage: _Storage) -> None:
    """Attribute a non-call step's `cost` to `frame` by class."""
    memory = _grow_memory(frame, op, stack)
    rest = cost - memory
    frame.gas["memory"] += memory
    if op == "SSTORE":
        key = (frame.storage, stack[-1])
        new = stack[-2]
        kind = _sstore_class(storage.original(key), storage.current(frames, key), new)
        frame.writes[key] = new
        frame.storage_ops.append(("SSTORE", stack[-1], kind, rest))
        frame.gas[kind] += rest
        frame.counts[kind] += 1
        if rest >= COLD_SLOAD:
            frame.counts["sstore_cold_slot"] += 1
    elif op == "SLOAD":
        kind = "sload_cold" if rest >= COLD_SLOAD else "sload_warm"
        frame.storage_ops.append(("SLOAD", stack[-1], kind, rest))
        frame.gas[kind] += rest
        frame.counts[kind] += 1
    elif op.startswith("LOG"):
        topics = int(op[3:])
        frame.gas["log_topics"] += 375 * (topics + 1)
        frame.gas["log_data"] += rest - 375 * (topics + 1)
        frame.counts["logs"] += 1
        frame.counts["log_topics"] += topics
        frame.counts["log_bytes"] += stack[-2]
    elif op in ACCOUNT_OPS:
        frame.gas["account_access"] += rest
        frame.counts["account_access_cold" if rest >= COLD_ACCOUNT else "account_access_warm"] += 1
    elif op in ("KECCAK256", "SHA3"):
        frame.gas["keccak"] += rest
    elif op in COPY_OPS:
        frame.gas["copy"] += rest
    else:
        frame.gas["other"] += rest


def _callee(op: str, stack: list[int], frame: Frame) -> Frame:
    if op in ("CREATE", "CREATE2"):
        return Frame(address="create", storage="create", kind=op)
    target = _address(stack[-2])
    storage = frame.storage if op in ("DELEGATECALL", "CALLCODE") else target
    return Frame(address=target, storage=storage, kind=op)


def _words(values: list[str]) -> list[int]:
    return [int(v, 16) for v in values]


def attribute(logs: list[dict[str, Any]], to: str, storage: _Storage) -> Frame:
    """The frame tree of a transaction to `to` with every step's gas attributed (see module doc)."""
    root = Frame(address=to.lower(), storage=to.lower(), kind="TX")
    frames = [root]
    calls: list[tuple[int, int]] = []  # per open callee frame: its call step's index and memory expansion
    first_gas = [int(logs[0]["gas"])] if logs else []
    for i, step in enumerate(logs):
        frame = frames[-1]
        op = str(step["op"])
        stack = _words(step.get("stack", []))
        following = logs[i + 1] if i + 1 < len(logs) else None
        if op in CALLS:
            memory = _grow_memory(frame, op, stack)
            frame.gas["memory"] += memory
            if following is not None and int(following["depth"]) == int(step["depth"]) + 1:
                callee = _callee(op, stack, frame)
                frame.calls.append(callee)
                frames.append(callee)
                calls.append((i, memory))
                first_gas.append(int(following["gas"]))
            else:  # a precompile, an account without code, or a call refused before entering
                spent = int(step["gas"]) - (int(following["gas"]) if following is not None else 0)
                _charge_call(frame, spent - memory, stack, op)
        else:
            _step_classes(op, int(step["gasCost"]), stack, frame, frames, storage)
        ends = following is None or int(following["depth"]) < int(step["depth"])
        if not ends:
            continue
        # the frame returns: what it consumed, then (unless it is the root) what the call cost its caller
        left = int(step["gas"]) - int(step["gasCost"]) if op in ENDS else 0
        frame.inclusive = first_gas.pop() - left
        if len(frames) == 1:
            break
        frames.pop()
        caller = frames[-1]
        if op in ("RETURN", "STOP"):
            caller.writes.update(frame.writes)
        call_index, memory = calls.pop()
        call_step = logs[call_index]
        assert following is not None  # a callee returns to its caller's next step
        spent = int(call_step["gas"]) - int(following["gas"]) - frame.inclusive
        _charge_call(caller, spent - memory, _words(call_step.get("stack", [])), str(call_step["op"]))
    return root


def _charge_call(frame: Frame, cost: int, stack: list[int], op: str) -> None:
    """What a call cost its caller besides memory and the callee's own gas."""
    kind = "call_cold" if cost >= COLD_ACCOUNT else "call_warm"
    frame.gas[kind] += cost
    frame.counts[kind] += 1
    if op not in ("CREATE", "CREATE2") and stack[-2] < 0x100:
        frame.counts["precompile_calls"] += 1


def profile_transaction(rpc: Rpc, txid: str) -> TxProfile:
    """Fetch the transaction's struct logs from `rpc` and attribute its gas (see module doc)."""
    tx = rpc("eth_getTransactionByHash", [txid])
    receipt = rpc("eth_getTransactionReceipt", [txid])
    if int(receipt["transactionIndex"], 16) != 0:
        raise RuntimeError("the transaction is not its block's first: its storage's prior values are unknown")
    if not tx.get("to"):
        raise RuntimeError("contract creations are not profiled")
    block = int(receipt["blockNumber"], 16)
    header = rpc("eth_getBlockByNumber", [hex(block), False])
    call = {k: tx[k] for k in ("from", "to", "input", "value", "gas")} | {"gasPrice": "0x0"}
    options = {
        "disableStorage": True,
        "enableMemory": False,
        "blockOverrides": {"number": hex(block), "time": header["timestamp"]},
    }
    trace = rpc("debug_traceCall", [call, hex(block - 1), options])
    logs = list(trace["structLogs"])
    if not logs:
        raise RuntimeError("the node recorded no opcode steps")
    if int(trace["gas"]) != int(receipt["gasUsed"], 16):
        raise RuntimeError(f"the replay used {trace['gas']} gas, the transaction {int(receipt['gasUsed'], 16)}")
    data = bytes.fromhex(str(tx["input"])[2:])
    tx_gas: Counter[str] = Counter(intrinsic=TX_BASE, calldata=calldata_gas(data))
    storage = _Storage(rpc, block - 1)
    root = attribute(logs, str(tx["to"]), storage)
    execution = int(logs[0]["gas"]) - (int(logs[-1]["gas"]) - int(logs[-1]["gasCost"]))
    if execution != root.inclusive:
        raise RuntimeError(f"execution gas {execution} but the frames consumed {root.inclusive}")
    if int(tx["gas"], 16) - int(logs[0]["gas"]) != tx_gas.total():
        raise RuntimeError(f"intrinsic gas {int(tx['gas'], 16) - int(logs[0]['gas'])}, computed {tx_gas.total()}")
    gas_used = int(receipt["gasUsed"], 16)
    before_refund = tx_gas.total() + execution
    refund = before_refund - gas_used
    if refund < 0 or refund > before_refund // 5:
        raise RuntimeError(f"gasUsed {gas_used} does not follow from {before_refund} before the refund")
    tx_gas["refund"] = -refund
    return TxProfile(tx_gas=tx_gas, root=root, gas_used=gas_used)


# ------------------------------------------------------------------ report

CLASS_ORDER = (
    "intrinsic",
    "calldata",
    "sstore_fresh",
    "sstore_clean",
    "sstore_dirty",
    "sstore_noop",
    "sload_cold",
    "sload_warm",
    "call_cold",
    "call_warm",
    "account_access",
    "log_topics",
    "log_data",
    "memory",
    "keccak",
    "copy",
    "other",
    "refund",
)


def table(profile: TxProfile, names: Mapping[str, str], root: Frame | None = None) -> str:
    """Gas by class (rows) and contract (columns: each contract's own opcodes) of the transaction
    or of the frame `root` within it, with each frame's inclusive gas and the counts below."""
    by_contract = profile.by_contract(root)
    columns = sorted(by_contract, key=lambda a: -sum(by_contract[a].values()))
    totals = profile.totals(root)
    heads = [names.get(a, a[:10]) for a in columns]
    width = max(14, *(len(h) for h in heads))
    lines = [f"{'class':<15}" + "".join(f"{h:>{width + 2}}" for h in heads) + f"{'total':>10}"]
    for kind in CLASS_ORDER:
        if totals[kind] == 0:
            continue
        cells = "".join(f"{by_contract[a][kind]:>{width + 2},}" for a in columns)
        lines.append(f"{kind:<15}{cells}{totals[kind]:>10,}")
    own = "".join(f"{sum(by_contract[a].values()):>{width + 2},}" for a in columns)
    lines.append(f"{'total':<15}{own}{sum(totals.values()):>10,}")
    lines.append("frames (inclusive gas, callees included):")
    lines.extend(_tree(root or profile.root, names, 1))
    counts = profile.counts(root)
    lines.append("counts: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    lines.append("storage writes and cold reads (contract, slot, class, gas):")
    for frame in (root or profile.root).walk():
        for op, slot, kind, gas in frame.storage_ops:
            if op == "SSTORE" or kind == "sload_cold":
                lines.append(f"  {names.get(frame.storage, frame.storage[:10]):<22} {slot:#066x} {kind:<13} {gas:>6,}")
    return "\n".join(lines)


def _tree(frame: Frame, names: Mapping[str, str], depth: int) -> Iterator[str]:
    yield f"{'  ' * depth}{frame.kind} {names.get(frame.address, frame.address)}  {frame.inclusive:,}"
    for sub in frame.calls:
        yield from _tree(sub, names, depth + 1)


def figures(name: str, profile: TxProfile, names: Mapping[str, str], root: Frame | None = None) -> dict[str, int]:
    """Flat figures of one profile: `<name>.<class>` totals and `<name>.<contract>` own gas."""
    out = {f"{name}.{k}": v for k, v in profile.totals(root).items() if v}
    for address, gas in profile.by_contract(root).items():
        key = f"{name}.{names.get(address, address)}"
        out[key] = out.get(key, 0) + sum(gas.values())
    return out


def _brownie_rpc(method: str, params: list[Any]) -> Any:
    from brownie import web3
    from web3.types import RPCEndpoint

    response = web3.provider.make_request(RPCEndpoint(method), params)
    if "error" in response:
        raise RuntimeError(f"{method}: {response['error']}")
    return response["result"]


def profile_dice() -> str:
    """Profile a Dice bet's place transaction (the player's second bet: their storage warm, as
    `bench gas`'s `dice_place`) and the first winning fulfilment after it (the callback frame, as
    `dice_settle_callback`): the tables, then one JSON line of figures."""
    from fairstake.manifest import ETH
    from fairstake.rules.dice import encode_choice
    from ops.bench.gas import _fulfil, bench_platform

    with bench_platform() as c:
        names = {str(contract.address).lower(): name for name, contract in c.contracts.items()}
        dice = c.contracts["Dice"]
        dice_address = str(dice.address)
        p = {"from": c.player}
        dice.placeBet(ETH, 10**16, encode_choice(50), 0, p)
        tx = dice.placeBet(ETH, 10**16, encode_choice(50), 0, p)
        placed = profile_transaction(_brownie_rpc, tx.txid)
        for _ in range(64):
            fulfil = _fulfil(c, tx)
            if int(fulfil.events["BetSettled"]["payout"]) > 0:
                break
            tx = dice.placeBet(ETH, 10**16, encode_choice(50), 0, p)
        else:
            raise RuntimeError("64 bets did not win once")
        settled = profile_transaction(_brownie_rpc, fulfil.txid)
    callback = settled.root.find(dice_address)
    if callback is None:
        raise RuntimeError("the fulfilment made no call into Dice")
    parts = [
        f"== dice_place (gasUsed {placed.gas_used:,})",
        table(placed, names),
        f"== dice_settle_callback (the coordinator's call into Dice: {callback.inclusive:,})",
        table(settled, names, callback),
        f"== dice_fulfil_tx (gasUsed {settled.gas_used:,})",
        table(settled, names),
    ]
    result = {"dice_place": placed.gas_used, "dice_settle_callback": callback.inclusive}
    result |= figures("dice_place", placed, names) | figures("dice_settle_callback", settled, names, callback)
    parts.append(json.dumps({"bench": "profile", **result}))
    return "\n".join(parts)
