"""Units and helpers every contract test folder shares (plain functions; fixtures live in the
folders' conftest files and support modules)."""

from __future__ import annotations

import os
from typing import Any

from brownie import PlayerRegistry, web3

from fairstake.manifest import ETH
from ops import locks
from ops.locks import LockTerms, terms_hash

ETHER = 10**18
USD = 10**6
HOUR = 3_600
DAY = 86_400


def called_addresses(tx: Any) -> set[str]:
    """Every address a transaction's code called, lower case, from the node's trace: anvil's call
    tree (geth's callTracer), or ganache's opcode steps (it has no callTracer and answers with
    those). brownie's `subcalls` and `trace` stay empty here, so a check written on them would
    pass whatever the code did."""
    from web3.types import RPCEndpoint

    options = {"tracer": "callTracer", "disableStorage": True, "disableMemory": True}
    result = web3.provider.make_request(RPCEndpoint("debug_traceTransaction"), [tx.txid, options])["result"]
    called = set()
    if "structLogs" in result:
        for step in result["structLogs"]:
            if step["op"] in ("CALL", "STATICCALL", "DELEGATECALL", "CALLCODE"):
                called.add(f"0x{int(step['stack'][-2], 16) % 2**160:040x}")
        if not result["structLogs"]:
            raise AssertionError("the node returned no trace for this transaction")
        return called
    frames = list(result.get("calls", []))
    while frames:
        frame = frames.pop()
        called.add(str(frame["to"]).lower())
        frames.extend(frame.get("calls", []))
    return called


def ganache_share(count: int, share: int = 4) -> int:
    """`count` on anvil, a `share`-th of it (at least 1) on ganache: for sample sizes that only add
    confidence in a pure rule's Solidity code (agreement samples, example counts, RTP bets). The EVM
    runs the same code alike on both nodes, so anvil runs the full samples and ganache enough of
    each to show its node runs them alike; ganache's JavaScript EVM is several times slower per
    call, and these samples were most of the ganache run's time. Read when a test module is
    imported (collection), after the root conftest's pytest_configure has set the chain: conftest
    modules import this module earlier, so it is not a module constant."""
    on_ganache = os.environ.get("FAIRSTAKE_TEST_CHAIN") == "ganache"
    return max(1, count // share) if on_ganache else count


def gas_cost(tx: Any) -> int:
    """Wei the sender paid for gas (0 on anvil, > 0 on ganache)."""
    return int(tx.gas_used) * int(tx.gas_price)


def token_balance(token: Any, holder: Any) -> int:
    """`holder`'s balance of an ERC-20 contract, or of ETH when `token` is the ETH address."""
    if token == ETH:
        return int(web3.eth.get_balance(str(holder)))
    return int(token.balanceOf(holder))


def token_address(token: Any) -> str:
    return ETH if token == ETH else str(token.address)


def wire_registry(vault: Any, registry: Any, owner: Any) -> None:
    """The Vault asks the player registry on every lock (the games do not), so a game's registry
    must be the Vault's: wired once per Vault (a module's games share one registry)."""
    wired = str(vault.playerRegistry())
    if int(wired, 16) == 0:
        vault.setPlayerRegistry(registry, {"from": owner})
        if hasattr(registry, "setVault"):  # the real registry takes stakes from registered Vaults
            registry.setVault(vault, True, {"from": owner})
    elif wired.lower() != str(registry.address).lower():
        raise AssertionError("this module's Vault is already wired to another player registry")


def deploy_wired_registry(vault: Any, owner: Any) -> Any:
    """The real PlayerRegistry wired to the Vault as the deployment does: the Vault asks it on
    every lock and it takes stakes from the Vault. No game is registered in it."""
    deployed = PlayerRegistry.deploy(owner, {"from": owner})
    wire_registry(vault, deployed, owner)
    return deployed


def lock_terms(contract: Any, lock_id: int) -> LockTerms:
    """`ops.locks.lock_terms` of the Vault, or of the Vault of a game with a `vault()` getter."""
    vault = str(contract.vault()) if hasattr(contract, "vault") else str(contract.address)
    return locks.lock_terms(web3, vault, lock_id)


def open_lock(vault: Any, lock_id: int) -> tuple[int, int]:
    """`vault.lockOf(lock_id)` as (deadline, terms hash as an int); (0, 0) once it is closed."""
    deadline, held = vault.lockOf(lock_id)
    return int(deadline), int.from_bytes(bytes(held), "big")


def lock_record(vault: Any, lock_id: int) -> dict[str, Any]:
    """An open lock's terms and deadline as a client rebuilds them: the terms from its `Locked`
    event, checked against the one slot the Vault keeps (its deadline and the terms' hash)."""
    terms = lock_terms(vault, lock_id)
    deadline, held = open_lock(vault, lock_id)
    assert deadline != 0 and held == terms_hash(terms), f"lock {lock_id} is not open with its event's terms"
    return dict(zip(("player", "token", "game", "amount", "maxPayout", "poolId"), terms, strict=True)) | {
        "deadline": deadline
    }
