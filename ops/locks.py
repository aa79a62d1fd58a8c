"""A Vault lock's terms rebuilt from its `Locked` event.

The Vault keeps one slot per lock (its deadline and a hash of the terms) and takes the terms
back in calldata on `settle`, `refund` and `refundClosedPool`; anyone refunding a lock after
its deadline reads them here, from the public event (docs/lock-hash.md).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from eth_abi import decode, encode
from eth_utils import keccak, to_checksum_address

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
LOCKED_TOPIC = keccak(text="Locked(uint256,address,address,address,uint256,uint256,uint64,uint256,uint256)")
_LOCKED_DATA = ["address", "uint256", "uint256", "uint64", "uint256", "uint256"]
_TERMS = ["address", "address", "address", "uint256", "uint256", "uint256"]
HASH_BITS = 216


class LockTerms(NamedTuple):
    """`IVault.LockTerms`, in its field order (a tuple the ABI encoder takes as the struct)."""

    player: str
    token: str
    game: str
    amount: int
    maxPayout: int  # noqa: N815 -- the Solidity field's name
    poolId: int  # noqa: N815


NO_LOCK = LockTerms(ZERO_ADDRESS, ZERO_ADDRESS, ZERO_ADDRESS, 0, 0, 0)


def lock_terms(w3: Any, vault: str, lock_id: int) -> LockTerms:
    """The terms of lock `lock_id` of the Vault at `vault`; `NO_LOCK` when it never emitted
    one (the Vault then answers `LockNotOpen`)."""
    topic = "0x" + int(lock_id).to_bytes(32, "big").hex()
    logs = w3.eth.get_logs({"address": vault, "fromBlock": 0, "topics": ["0x" + LOCKED_TOPIC.hex(), topic]})
    if not logs:
        return NO_LOCK
    log = logs[-1]
    game, player = (to_checksum_address(bytes(topic)[-20:]) for topic in log["topics"][2:4])
    token, amount, max_payout, _deadline, pool_id, _fee = decode(_LOCKED_DATA, bytes(log["data"]))
    return LockTerms(player, to_checksum_address(token), game, amount, max_payout, pool_id)


def terms_hash(terms: LockTerms | tuple[Any, ...]) -> int:
    """The low 216 bits of keccak256(abi.encode(terms)): what the Vault's lock slot holds under
    the deadline."""
    return int.from_bytes(keccak(encode(_TERMS, [str(v) if i < 3 else v for i, v in enumerate(terms)])), "big") & (
        (1 << HASH_BITS) - 1
    )
