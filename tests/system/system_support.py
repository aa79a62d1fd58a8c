"""The real platform, deployed by ops/deploy.py, and the oracle played by the tests.

The tests hold the oracle's secret key, so they fulfil requests the way the oracle daemon does:
read the request's commitment from its event, prove the seed with oracle.ecvrf and call the
coordinator. Results of skill games are signed with the referee's development key.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from brownie import accounts, web3
from eth_abi import encode as abi_encode
from web3.types import RPCEndpoint

from fairstake import signing
from fairstake.manifest import ETH
from ops.deployment import DEPLOYER, ORACLE_SENDER, REFEREE, deploy_script
from oracle import ecvrf
from oracle.daemon.work import commitment_from_event

ETHER = 10**18
USD = 10**6
DAY = 86_400
WAGER, LOSS = 1, 0
DAY_WINDOW = 0
# A fixed oracle key: the tests are the oracle.
ORACLE_SECRET = int.from_bytes(ecvrf.keccak256(b"fairstake/tests/system/oracle"), "big") % ecvrf.N
OUTSIDER = 9

# (blockNum, deadlineBlock, deadlineTime, callbackGasLimit, numWords, consumer, keyHash, preSeed,
#  bondToken, bondAmount, beneficiary, beneficiaryAmount, residualToBankroll, data)
Commitment = tuple[int, int, int, int, int, str, str, int, str, int, str, int, bool, str]


@dataclass(frozen=True)
class Platform:
    """The deployed contracts by name, the oracle key hash, and governance."""

    contracts: dict[str, Any]
    key_hash: str

    def __getitem__(self, name: str) -> Any:
        return self.contracts[name]

    def govern(self, contract: Any, function: str, *args: Any) -> Any:
        """An owner-only call, scheduled and executed through the timelock (its delay is skipped)."""
        return deploy_script().govern(contract, accounts[DEPLOYER], function, *args)


def deploy() -> Platform:
    """ops/deploy.py's whole platform, with this module's oracle key and the dev referee."""
    contracts, key_hash = deploy_script().deploy_platform(
        accounts[DEPLOYER], oracle_pk=ecvrf.public_key(ORACLE_SECRET), referee=accounts[REFEREE]
    )
    return Platform(contracts, str(key_hash))


# ------------------------------------------------------------------ randomness


def commitments(tx: Any) -> list[Commitment]:
    """The RequestCommitment of every request made in `tx`, in struct order."""
    if "RandomnessRequested" not in tx.events:
        return []
    return [
        tuple(plain_value(value) for value in commitment_from_event(event, int(tx.block_number)))  # type: ignore[misc]
        for event in tx.events["RandomnessRequested"]
    ]


def plain_value(value: Any) -> Any:
    """An event argument as a plain int or checksummed address string."""
    return int(value) if isinstance(value, int) else str(value)


def seed_of(rc: Commitment) -> int:
    """The seed the coordinator expects a proof for: preSeed mixed with the request block's hash."""
    return ecvrf.request_seed(rc[7], bytes(web3.eth.get_block(rc[0])["hash"]))


def prove(rc: Commitment, secret: int = ORACLE_SECRET) -> Any:
    """The oracle's proof for the request (an `oracle.proof.Proof`)."""
    return ecvrf.prove(secret, seed_of(rc))


def first_word(proof: Any) -> int:
    """The single random word a one-word request receives for this proof."""
    return ecvrf.random_words(ecvrf.verify(proof), 1)[0]


def fulfil(coordinator: Any, rc: Commitment, sender: Any = None) -> Any:
    return coordinator.fulfil(prove(rc).as_solidity(), rc, {"from": sender or accounts[ORACLE_SENDER]})


def request_id(rc: Commitment) -> int:
    """A request's id is its preSeed."""
    return int(rc[7])


def expected_request_id(consumer: Any, salt: int) -> int:
    """keccak256(abi.encode(consumer, uint64 salt)), encoded here with eth_abi (the id a consumer's
    request with `salt` gets; a chance bet's salt is its Vault lock id)."""
    return int.from_bytes(web3.keccak(abi_encode(["address", "uint64"], [str(consumer), salt])), "big")


def mine(blocks: int) -> None:
    """Mine `blocks` empty blocks in one RPC call where the node allows it."""
    if _is_anvil():
        web3.provider.make_request(RPCEndpoint("anvil_mine"), [hex(blocks), "0x0"])
    else:
        web3.provider.make_request(RPCEndpoint("evm_mine"), [{"blocks": blocks}])


class Snapshot:
    """A chain snapshot taken with the node's own RPC, restorable any number of times, clock included.

    brownie's chain.revert() runs a full gc.collect() (about a second once a run has made a few
    thousand objects); the stateful test restores state before every sequence, so it uses this.
    The node's clock keeps running with the wall clock after a revert, so a restore also sets it
    back to the snapshot's time: otherwise every later sequence would start minutes "later" and
    find, say, the Jackpot round's sales long closed. Snapshots taken by brownie earlier (the
    per-test isolation) stay valid: restoring only drops snapshots taken after this one.
    """

    def __init__(self) -> None:
        self.id = self._rpc("evm_snapshot", [])
        self.time = now()

    def restore(self) -> None:
        from brownie.network import state

        assert self._rpc("evm_revert", [self.id]) is True
        # anvil takes seconds, ganache a JavaScript time in milliseconds
        self._rpc("evm_setTime", [(self.time + 1) * (1 if _is_anvil() else 1000)])
        self.id = self._rpc("evm_snapshot", [])  # a snapshot is used up by reverting to it
        # What chain.revert() tells brownie (its transaction history, above all: a re-sent
        # transaction has the hash of one from a reverted sequence), minus the gc.collect().
        height = web3.eth.block_number
        for ref in list(state._revert_refs):
            tracked = ref()
            if tracked is not None:
                tracked._revert(height)

    @staticmethod
    def _rpc(method: str, params: list[Any]) -> Any:
        reply = web3.provider.make_request(RPCEndpoint(method), params)
        assert "error" not in reply, reply
        return reply["result"]


def past_deadline(rc: Commitment) -> None:
    """Move the chain past a request's deadline: its time and its block."""
    latest = now()
    if latest <= rc[2]:
        web3.provider.make_request(RPCEndpoint("evm_increaseTime"), [rc[2] - latest + 2])
    mine(max(1, rc[1] - web3.eth.block_number + 1))


def set_next_block_time(timestamp: int) -> None:
    """The next block's timestamp (anvil; ganache moves its clock there instead)."""
    if _is_anvil():
        web3.provider.make_request(RPCEndpoint("evm_setNextBlockTimestamp"), [timestamp])
    else:
        web3.provider.make_request(RPCEndpoint("evm_setTime"), [timestamp * 1000])


def _is_anvil() -> bool:
    return _client_is_anvil(str(getattr(web3.provider, "endpoint_uri", "")))


@functools.cache
def _client_is_anvil(endpoint: str) -> bool:
    """Asked once per chain (an RPC round trip; the system test asks before every mine)."""
    return "anvil" in str(web3.client_version).lower()


def now() -> int:
    """The latest block's timestamp (what the next transaction sees, give or take a second).
    Read raw: web3's block formatters cost more than the round trip."""
    reply = web3.provider.make_request(RPCEndpoint("eth_getBlockByNumber"), ["latest", False])
    return int(reply["result"]["timestamp"], 16)


# ------------------------------------------------------------------ signed results


def referee_key() -> bytes:
    return signing.dev_private_key(REFEREE)


def sign_match(
    match: Any,
    match_id: int,
    ranking: list[str],
    *,
    chain_id: int | None = None,
    nonce: int | None = None,
    contract: str | None = None,
) -> bytes:
    """The referee's signature of a Match result (overrides forge one for another domain)."""
    typed = signing.match_result(
        contract or match.address,
        web3.eth.chain_id if chain_id is None else chain_id,
        match_id,
        match.resultNonce(match_id) if nonce is None else nonce,
        ranking,
    )
    return signing.sign(typed, referee_key()).signature


def sign_tournament(tournament: Any, tournament_id: int, winners: list[str], *, nonce: int | None = None) -> bytes:
    typed = signing.tournament_result(
        tournament.address,
        web3.eth.chain_id,
        tournament_id,
        tournament.resultNonce(tournament_id) if nonce is None else nonce,
        winners,
    )
    return signing.sign(typed, referee_key()).signature


# ------------------------------------------------------------------ balances


def token_address(token: Any) -> str:
    return ETH if token == ETH else str(token.address)


def owed(vault: Any, token: str) -> int:
    """What the Vault owes in `token`: free balances, locks, bankroll, fees and pending bankroll deposits."""
    return int(
        vault.freeBalanceTotal(token)
        + vault.lockedTotal(token)
        + vault.bankrollAssets(token)
        + vault.accruedFees(token)
        + vault.bankrollPending(token)[0]
    )


def held(vault: Any, token: Any) -> int:
    """What the Vault actually holds in `token`."""
    if token == ETH:
        return int(web3.eth.get_balance(vault.address))
    return int(token.balanceOf(vault))


def assert_solvent(vault: Any, token: Any) -> None:
    address = token_address(token)
    assert held(vault, token) >= owed(vault, address)
    assert vault.bankrollAssets(address) >= vault.bankrollReserved(address)


def batch_rpc(requests_: list[tuple[str, list[Any]]]) -> list[dict[str, Any]]:
    """Several JSON-RPC requests in one HTTP round trip; the replies in order (each with "result"
    or "error"). The invariants read dozens of views after every step; one batch keeps that fast."""
    if not requests_:
        return []
    payload = [{"jsonrpc": "2.0", "id": i, "method": m, "params": p} for i, (m, p) in enumerate(requests_)]
    url = str(getattr(web3.provider, "endpoint_uri", ""))
    replies = _session().post(url, json=payload, timeout=60).json()
    by_id = {reply["id"]: reply for reply in replies}
    return [by_id[i] for i in range(len(requests_))]


@functools.cache
def _session() -> Any:
    """One keep-alive session for the batches (a new connection per batch cost more than the
    batch), ignoring proxy settings: it only talks to the local chain."""
    import requests

    session = requests.Session()
    session.trust_env = False
    return session


def eth_call(to: str, data: str, sender: str | None = None) -> tuple[str, list[Any]]:
    """An eth_call request for `batch_rpc`."""
    call = {"to": to, "data": data} if sender is None else {"from": sender, "to": to, "data": data}
    return "eth_call", [call, "latest"]


def word(reply: dict[str, Any], index: int = 0) -> int:
    """Word `index` of an eth_call result, as an unsigned integer."""
    assert "error" not in reply, reply["error"]
    data = bytes.fromhex(reply["result"][2:])
    return int.from_bytes(data[32 * index : 32 * index + 32], "big")


def gas_paid(tx: Any) -> int:
    """Wei the sender paid for gas (0 on anvil, > 0 on ganache)."""
    return int(tx.gas_used) * int(tx.gas_price)
