"""ops.bench.profile on a real anvil: hand-assembled contracts whose every opcode's gas is known
from the yellow paper's schedule (shanghai), so the expected classes are computed here, not read
from the profiler."""

import time
from typing import Any

from ops.bench.profile import profile_transaction
from ops.chain import LocalChain, rpc_call

# runtime: SSTORE(0, 1); MSTORE nothing; LOG0(0, 32); STOP at the end of the code
STORE_AND_LOG = "6001600055" + "60206000a0"
# runtime: CALL(gas, target, 0, 0, 0, 0, 0) into the 20-byte address spliced in, then STOP
CALL_PREFIX = "6000600060006000600073"
CALL_SUFFIX = "5af100"


def _init(runtime: str) -> str:
    """Creation code returning `runtime` (under 256 bytes) as the contract's code: CODECOPY of
    what follows its 11 bytes, then RETURN."""
    return f"60{len(runtime) // 2:02x}80600b6000396000f3{runtime}"


def _mined(url: str, tx: dict[str, Any]) -> dict[str, Any]:
    txid = rpc_call(url, "eth_sendTransaction", [tx])
    for _ in range(100):
        receipt = rpc_call(url, "eth_getTransactionReceipt", [txid])
        if receipt:
            assert isinstance(receipt, dict)
            return receipt
        time.sleep(0.05)
    raise AssertionError("not mined")


def test_classes_of_a_fresh_store_a_log_and_a_cold_call() -> None:
    with LocalChain(kind="anvil") as chain:
        url = chain.url
        sender = rpc_call(url, "eth_accounts")[0]  # type: ignore[index]
        store = _mined(url, {"from": sender, "data": "0x" + _init(STORE_AND_LOG)})["contractAddress"]
        caller = _mined(url, {"from": sender, "data": "0x" + _init(CALL_PREFIX + store[2:] + CALL_SUFFIX)})[
            "contractAddress"
        ]
        receipt = _mined(url, {"from": sender, "to": caller, "data": "0x00ff", "gas": hex(200_000)})

        def rpc(method: str, params: list[Any]) -> Any:
            return rpc_call(url, method, params, timeout=30)

        profile = profile_transaction(rpc, receipt["transactionHash"])

    assert profile.gas_used == int(receipt["gasUsed"], 16)
    totals = profile.totals()
    # 21,000 + one zero (4) and one nonzero (16) calldata byte
    assert (totals["intrinsic"], totals["calldata"]) == (21_000, 20)
    # 0 -> 1 in a cold slot: 20,000 + 2,100
    assert totals["sstore_fresh"] == 22_100
    # LOG0 of 32 bytes: 375 and 8 a byte; its one word of memory: 3
    assert (totals["log_topics"], totals["log_data"], totals["memory"]) == (375, 256, 3)
    # the caller's CALL to a cold account without value: 2,600 (plus GAS, the pushes: 'other')
    assert totals["call_cold"] == 2_600
    # caller: 5 PUSH1 + PUSH20 (3 each) + GAS (2); callee: 4 PUSH1 (3 each); STOP 0
    assert totals["other"] == 6 * 3 + 2 + 4 * 3
    assert sum(totals.values()) == profile.gas_used
    by_contract = profile.by_contract()
    assert sum(by_contract[store.lower()].values()) == 22_100 + 375 + 256 + 3 + 12
    callee = profile.root.find(store)
    assert callee is not None and callee.inclusive == 22_100 + 375 + 256 + 3 + 12
