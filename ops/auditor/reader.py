"""The chain-only auditor's reader and report: events and block hashes fetched in chunks, every
fulfilment checked by the randomness policy (oracle.audit), every bond re-derived from the
coordinator's events. The per-game audits are in ops.auditor.audits (found through ops.auditor.games)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from web3 import Web3

from fairstake.manifest import Manifest
from oracle.audit import verify_fulfilment
from oracle.proof import Proof

if TYPE_CHECKING:
    from ops.auditor.solvency import Solvency

LOG_CHUNK_BLOCKS = 5_000


@dataclass(frozen=True)
class Mismatch:
    kind: str  # e.g. "proof", "seed", "output", "payout", "winner"
    ref: str  # what it is about (request id, bet id, round ...)
    detail: str


@dataclass
class GameTally:
    bets: int = 0
    staked: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    paid: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, token: str, staked: int, paid: int) -> None:
        self.bets += 1
        self.staked[token] += staked
        self.paid[token] += paid

    def rtp(self) -> dict[str, float]:
        return {t: self.paid[t] / s for t, s in self.staked.items() if s}


def attributes(obj: object, names: str) -> dict[str, Any]:
    """A report's entries: the attributes `names` (space-separated) of `obj`, in that order."""
    return {name: getattr(obj, name) for name in names.split()}


@dataclass
class BondState:
    """A key's bond in one token, re-derived from the coordinator's events alone:
    total = deposited - withdrawn - slashed; reserved = what the open reservations hold."""

    key_hash: str
    token: str
    deposited: int = 0
    withdrawn: int = 0
    slashed: int = 0
    unbonding: int = 0
    reserved: int = 0
    reservations: int = 0
    released: int = 0
    slashes: int = 0
    open_reservations: int = 0
    matches_chain: bool | None = None  # the coordinator's bondOf at the last block agrees

    @property
    def total(self) -> int:
        return self.deposited - self.withdrawn - self.slashed

    @property
    def free(self) -> int:
        return self.total - self.reserved - self.unbonding

    def as_dict(self) -> dict[str, Any]:
        return attributes(
            self,
            "key_hash token deposited withdrawn slashed total reserved unbonding free reservations released slashes"
            " open_reservations matches_chain",
        )


@dataclass(frozen=True)
class Reservation:
    """What a request reserved from its key's bond (its RandomnessRequested) and, once expired, what the
    slash paid (BondSlashed)."""

    request_id: int
    key_hash: str
    token: str
    amount: int
    beneficiary: str
    beneficiary_amount: int
    residual_to_bankroll: bool
    slash: Any = None  # the BondSlashed event's args


@dataclass
class AuditReport:
    from_block: int
    to_block: int
    requests: int = 0
    proofs_checked: int = 0
    expired: int = 0
    games: dict[str, GameTally] = field(default_factory=lambda: defaultdict(GameTally))
    mismatches: list[Mismatch] = field(default_factory=list)
    bonds: dict[tuple[str, str], BondState] = field(default_factory=dict)
    reservations: dict[int, Reservation] = field(default_factory=dict)
    # request id -> callbackSuccess of its RandomnessFulfilled / RandomnessExpired
    fulfilled_callbacks: dict[int, bool] = field(default_factory=dict)
    expired_requests: dict[int, bool] = field(default_factory=dict)
    solvency: list[Solvency] = field(default_factory=list)  # one row per manifest token

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def flag(self, kind: str, ref: object, detail: str) -> None:
        self.mismatches.append(Mismatch(kind, str(ref), detail))

    def as_dict(self) -> dict[str, Any]:
        return {
            **attributes(self, "from_block to_block requests proofs_checked expired"),
            "bets_checked": {g: t.bets for g, t in self.games.items()},
            "rtp": {g: t.rtp() for g, t in self.games.items()},
            "bonds": [b.as_dict() for _, b in sorted(self.bonds.items())],
            "slashes": sum(b.slashes for b in self.bonds.values()),
            "solvency": [row.as_dict() for row in self.solvency],
            "mismatches": [m.__dict__ for m in self.mismatches],
            "ok": self.ok,
        }


class ChainReader:
    """Event and block access for the audit, chunked so long ranges stay within node limits."""

    def __init__(self, w3: Web3, manifest: Manifest, from_block: int, to_block: int) -> None:
        self.w3 = w3
        self.manifest = manifest
        self.from_block = from_block
        self.to_block = to_block
        self._contracts: dict[str, Any] = {}
        self._events: dict[tuple[str, str], list[Any]] = {}

    def has(self, name: str) -> bool:
        return name in self.manifest.contracts

    def contract(self, name: str) -> Any:
        if name not in self._contracts:
            deployed = self.manifest.contract(name)
            self._contracts[name] = self.w3.eth.contract(
                address=Web3.to_checksum_address(deployed.address), abi=deployed.abi
            )
        return self._contracts[name]

    def events(self, name: str, event: str) -> list[Any]:
        """Every `event` of contract `name` in the range, in chain order (fetched once)."""
        cached = self._events.get((name, event))
        if cached is None:
            cached = self._events[(name, event)] = self._fetch(name, event)
        return cached

    def _fetch(self, name: str, event: str) -> list[Any]:
        contract = self.contract(name)
        start = max(self.from_block, self.manifest.contract(name).block)
        found: list[Any] = []
        while start <= self.to_block:
            end = min(start + LOG_CHUNK_BLOCKS - 1, self.to_block)
            found.extend(getattr(contract.events, event).get_logs(from_block=start, to_block=end))
            start = end + 1
        return found

    def block_hash(self, number: int) -> bytes:
        return bytes(self.w3.eth.get_block(number)["hash"])


def _field(value: Any, name: str, index: int) -> Any:
    """A struct member from web3's event decoding (dict-like or positional tuple)."""
    if isinstance(value, Mapping):
        return value[name]
    return value[index]


def proof_from_event(raw: Any) -> Proof:
    def point(v: Any) -> tuple[int, int]:
        return (int(v[0]), int(v[1]))

    return Proof(
        pk=point(_field(raw, "pk", 0)),
        gamma=point(_field(raw, "gamma", 1)),
        c=int(_field(raw, "c", 2)),
        s=int(_field(raw, "s", 3)),
        seed=int(_field(raw, "seed", 4)),
        u_witness=Web3.to_checksum_address(_field(raw, "uWitness", 5)),
        c_gamma_witness=point(_field(raw, "cGammaWitness", 6)),
        s_hash_witness=point(_field(raw, "sHashWitness", 7)),
        z_inv=int(_field(raw, "zInv", 8)),
    )


@dataclass(frozen=True)
class VerifiedRandomness:
    request_id: int
    consumer: str
    words: list[int]


def audit_randomness(reader: ChainReader, report: AuditReport) -> dict[int, VerifiedRandomness]:
    """Re-verify every fulfilment: the proof, that it proves the seed fixed at request time
    (preSeed and the request block's hash), and the output the coordinator delivered."""
    if not reader.has("RandomnessCoordinator"):
        return {}
    # the whole log: the request's block (blockNum) is its block number, its preSeed its id
    requested = {int(e.args.requestId): e for e in reader.events("RandomnessCoordinator", "RandomnessRequested")}
    report.requests = len(requested)
    expired = reader.events("RandomnessCoordinator", "RandomnessExpired")
    report.expired = len(expired)
    report.expired_requests = {int(e.args.requestId): bool(e.args.callbackSuccess) for e in expired}
    verified: dict[int, VerifiedRandomness] = {}
    for event in reader.events("RandomnessCoordinator", "RandomnessFulfilled"):
        request_id = int(event.args.requestId)
        report.fulfilled_callbacks[request_id] = bool(event.args.callbackSuccess)
        report.proofs_checked += 1
        request_log = requested.get(request_id)
        if request_log is None:
            report.flag("request", hex(request_id), "fulfilled without a request in the audited range")
            continue
        request = request_log.args
        verdict = verify_fulfilment(
            proof_from_event(event.args.proof),
            request_id,  # the preSeed
            reader.block_hash(int(request_log.blockNumber)),  # the request's block
            int(request.numWords),
        )
        failure = verdict.first_failure(int(event.args.seed), Web3.to_hex(request.keyHash), int(event.args.output))
        if failure is not None:
            report.flag(failure[0], hex(request_id), failure[1])
            continue
        words = verdict.words
        verified[request_id] = VerifiedRandomness(request_id, str(request.consumer), words)
    return verified


def _position(event: Any) -> tuple[int, int]:
    return (int(event.blockNumber), int(event.logIndex))


def audit_bonds(reader: ChainReader, report: AuditReport) -> None:
    """Re-derive every provider bond from the coordinator's events (deposits, unbonding,
    withdrawals, reservations, releases by fulfilment, slashes by expiry) and check each slash:
    it must pay exactly what its request reserved, into the Vault as that reservation said.
    When the range starts at the coordinator's deployment, the result must equal its `bondOf`."""
    name = "RandomnessCoordinator"
    if not reader.has(name):
        return
    kinds = (
        "BondDeposited",
        "BondUnbonding",
        "BondWithdrawn",
        "RandomnessRequested",
        "BondSlashed",
        "RandomnessFulfilled",
    )
    timeline = sorted(((e, kind) for kind in kinds for e in reader.events(name, kind)), key=lambda x: _position(x[0]))
    open_: dict[int, Reservation] = {}
    coordinator = reader.manifest.contract(name).address.lower()
    paid_in: dict[str, list[Any]] = defaultdict(list)
    if reader.has("Vault"):
        for e in reader.events("Vault", "PaidIn"):
            if str(e.args.payer).lower() == coordinator:
                paid_in[Web3.to_hex(e.transactionHash)].append(e.args)

    def bond(key_hash: Any, token: Any) -> BondState:
        key = (Web3.to_hex(key_hash), str(token))
        if key not in report.bonds:
            report.bonds[key] = BondState(*key)
        return report.bonds[key]

    for event, kind in timeline:
        a = event.args
        if kind == "RandomnessFulfilled":
            reservation = open_.pop(int(a.requestId), None)
            if reservation is not None:
                state = report.bonds[(reservation.key_hash, reservation.token)]
                state.reserved -= reservation.amount
                state.open_reservations -= 1
                state.released += 1
            continue
        if kind == "RandomnessRequested":
            if int(a.bondAmount) == 0:
                continue  # reserved nothing
            state = bond(a.keyHash, a.bondToken)
        else:
            state = bond(a.keyHash, a.token)
        if kind == "BondDeposited":
            state.deposited += int(a.amount)
        elif kind == "BondUnbonding":
            state.unbonding += int(a.amount)
        elif kind == "BondWithdrawn":
            state.withdrawn += int(a.amount)
            state.unbonding = 0
        elif kind == "RandomnessRequested":
            request_id = int(a.requestId)
            reservation = Reservation(
                request_id,
                state.key_hash,
                state.token,
                int(a.bondAmount),
                str(a.beneficiary),
                int(a.beneficiaryAmount),
                bool(a.residualToBankroll),
            )
            open_[request_id] = reservation
            report.reservations[request_id] = reservation
            state.reserved += reservation.amount
            state.reservations += 1
            state.open_reservations += 1
        else:  # BondSlashed
            request_id = int(a.requestId)
            amount = int(a.beneficiaryAmount) + int(a.residual)
            state.slashed += amount
            state.slashes += 1
            reservation = open_.pop(request_id, None)
            if reservation is None:
                report.flag("bond", hex(request_id), "slashed without an open reservation in the audited range")
                continue
            state.reserved -= reservation.amount
            state.open_reservations -= 1
            report.reservations[request_id] = replace(reservation, slash=a)
            if (amount, int(a.beneficiaryAmount), bool(a.residualToBankroll)) != (
                reservation.amount,
                reservation.beneficiary_amount,
                reservation.residual_to_bankroll,
            ) or (reservation.beneficiary_amount and str(a.beneficiary).lower() != reservation.beneficiary.lower()):
                report.flag("bond", hex(request_id), "the slash differs from what the request reserved")
            credit = int(a.beneficiaryAmount)
            to_bankroll = int(a.residual) if a.residualToBankroll else 0
            if credit or to_bankroll:
                paid = [
                    p
                    for p in paid_in.get(Web3.to_hex(event.transactionHash), [])
                    # the bankroll's part arrives whole (the bet's fee was taken at its lock)
                    if (
                        str(p.beneficiary).lower(),
                        str(p.token).lower(),
                        int(p.credited),
                        int(p.toBankroll),
                    )
                    == (str(a.beneficiary).lower(), str(a.token).lower(), credit, to_bankroll)
                ]
                if not paid:
                    report.flag("bond", hex(request_id), "the slash was not paid into the Vault as reserved")
    for request_id in report.expired_requests:
        reservation = report.reservations.get(request_id)
        if reservation is not None and reservation.slash is None:
            report.flag("bond", hex(request_id), "expired without slashing its reservation")
    if reader.from_block <= reader.manifest.contract(name).block:
        _compare_bond_views(reader, report)


def _compare_bond_views(reader: ChainReader, report: AuditReport) -> None:
    """The events' bond state against the coordinator's own `bondOf` at the last audited block."""
    coordinator = reader.contract("RandomnessCoordinator")
    if not hasattr(coordinator.functions, "bondOf"):
        return
    for (key_hash, token), state in report.bonds.items():
        try:
            view = coordinator.functions.bondOf(key_hash, token).call(block_identifier=reader.to_block)
        except Exception:  # noqa: BLE001 - a node without that block's state: nothing to compare
            continue
        total, reserved, unbonding = (int(view[0]), int(view[1]), int(view[2]))
        state.matches_chain = (total, reserved, unbonding) == (state.total, state.reserved, state.unbonding)
        if not state.matches_chain:
            report.flag(
                "bond",
                f"{key_hash}/{token}",
                f"events give total/reserved/unbonding {state.total}/{state.reserved}/{state.unbonding}, "
                f"the coordinator holds {total}/{reserved}/{unbonding}",
            )
