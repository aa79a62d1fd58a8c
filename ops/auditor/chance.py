"""The chain-only audit of every game on the chance-game engine: each bet's terms and fee, its
rolls by the verified word (fairstake.rules.multiroll with the game's `roll_payout`), a refused
result, the timeout payout and the bond slash, from the events alone. A game's module is
`AUDIT = chance_audit(GAME)`.

A bet's `BetPlaced` names it by its id alone; the audit joins its terms from the other logs of its
transaction (`_placed_bets`, fairstake.audit.chance_placement): its RandomnessRequested (request id
= bet id) gives the lock id, the rolls, the edge and a packed choice from the data word, that
lock's `Locked` (checked to be this game's) the player, the token, the stakes and the maximum
payout, and its `BetTerms`, when it has one, the choice and the stops."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from fairstake import audit as policy
from fairstake.games import Game
from ops.auditor.audits import (
    GameAudit,
    event_position,
    token_symbol,
    vault_refunds,
    vault_settlements,
)
from ops.auditor.reader import AuditReport, ChainReader, VerifiedRandomness
from oracle import ecvrf


def _fee_bps_at(settings: list[Any], position: tuple[int, int]) -> int:
    """The Vault's protocol fee (bps of a bet's house edge) in force at `position`."""
    bps = 0
    for event in settings:
        if event_position(event) > position:
            break
        bps = int(event.args.bps)
    return bps


def _edge_at(configs: list[Any], token: str, position: tuple[int, int]) -> int | None:
    """The game's edge for `token` in force at `position` (the last configuration before it)."""
    edge = None
    for event in configs:
        if event_position(event) > position:
            break
        if str(event.args.token).lower() == token.lower():
            edge = int(event.args.edgeBps)
    return edge


def _play(rules: Any, args: Any, word: int) -> Any:
    return policy.chance_play(
        rules,
        word,
        int(args.stake),
        bytes(args.choice),
        int(args.edgeBps),
        int(args.rolls),
        int(args.stopGain),
        int(args.stopLoss),
    )


def _placed(report: AuditReport, placed: dict[int, Any], bet_id: int, what: str) -> Any | None:
    """The BetPlaced event of a bet that was `what`, or None with a mismatch when it is missing."""
    bet = placed.get(bet_id)
    if bet is None:
        report.flag("bet", bet_id, f"{what} without a BetPlaced in the audited range")
    return bet


@dataclass(frozen=True)
class _Placed:
    """A BetPlaced log with the terms joined from its transaction's other logs in `args`."""

    args: Any
    blockNumber: int  # noqa: N815 -- a log's field name, as event_position reads it
    logIndex: int  # noqa: N815
    transactionHash: Any  # noqa: N815


def _placed_bets(reader: ChainReader, report: AuditReport, contract: str) -> dict[int, _Placed]:
    """Every BetPlaced of `contract`, by bet id, joined with its request's data word, its lock's
    Locked and its BetTerms (all logs of the same transaction); a bet whose request, lock or terms
    are missing or not its own is flagged and left out."""
    game = str(reader.contract(contract).address).lower()
    requests = {int(e.args.requestId): e for e in reader.events("RandomnessCoordinator", "RandomnessRequested")}
    locks = {int(e.args.lockId): e for e in reader.events("Vault", "Locked")}
    terms = {int(e.args.betId): e for e in reader.events(contract, "BetTerms")}
    placed: dict[int, _Placed] = {}
    for event in reader.events(contract, "BetPlaced"):
        bet_id = int(event.args.betId)
        tx = event.transactionHash
        request = requests.get(bet_id)
        if request is None or request.transactionHash != tx:
            report.flag("request", bet_id, "placed without its randomness request in the same transaction")
            continue
        word = policy.chance_bet_word(int.from_bytes(bytes(request.args.data), "big"))
        lock_id = word.lock_id
        locked = locks.get(lock_id)
        if locked is None or locked.transactionHash != tx or str(locked.args.game).lower() != game:
            report.flag(
                "lock", bet_id, f"placed without its lock {lock_id} locked by this game in the same transaction"
            )
            continue
        lock = locked.args
        own_terms = terms.get(bet_id)
        if own_terms is not None and own_terms.transactionHash != tx:
            own_terms = None
        try:
            bet = policy.chance_placement(
                bet_id,
                word,
                (str(lock.player), str(lock.token), int(lock.amount), int(lock.maxPayout)),
                None
                if own_terms is None
                else (bytes(own_terms.args.choice), int(own_terms.args.stopGain), int(own_terms.args.stopLoss)),
            )
        except policy.PlacementMissing as missing:
            report.flag("terms", bet_id, str(missing))
            continue
        args = SimpleNamespace(
            betId=bet_id,
            player=bet.player,
            token=bet.token,
            stake=bet.stake,
            choice=bet.choice,
            stopGain=bet.stop_gain,
            stopLoss=bet.stop_loss,
            lockId=bet.lock_id,
            rolls=bet.rolls,
            edgeBps=bet.edge_bps,
            maxPayout=bet.max_payout,
        )
        placed[bet_id] = _Placed(args, int(event.blockNumber), int(event.logIndex), tx)
    return placed


def _staked(args: Any) -> int:
    """Everything a bet locked: its stake per roll times its rolls."""
    return int(args.stake) * int(args.rolls)


def chance_audit(game: Game, rules_of: Callable[[ChainReader], Any] | None = None) -> GameAudit:
    """The chain-only auditor's audit of `game`, a contract on the chance-game engine;
    `rules_of(reader)` gives the rules of a game whose payouts come from governance's tables
    (Keno), read from the chain."""
    contract, name = game.contract, game.name

    def audit(reader: ChainReader, report: AuditReport, verified: dict[int, VerifiedRandomness]) -> None:
        if not reader.has(contract):
            return
        rules = game.rules if rules_of is None else rules_of(reader)
        configs = sorted(reader.events(contract, "TokenConfigured"), key=event_position)
        placed = _placed_bets(reader, report, contract)
        _audit_terms(reader, report, rules, configs, placed)
        _audit_requests(reader, report, str(reader.contract(contract).address), placed)
        vault_paid = vault_settlements(reader)
        tally = report.games[name]
        for event in reader.events(contract, "BetSettled"):
            bet_id = int(event.args.betId)
            bet = _placed(report, placed, bet_id, "settled")
            if bet is None:
                continue
            args = bet.args
            randomness = verified.get(bet_id)  # a bet's id is its request id
            if randomness is None:
                report.flag("randomness", bet_id, "settled without a verified fulfilment of its request")
                continue
            word = randomness.words[0]
            try:
                expected = _play(rules, args, word)
            except ValueError as refused:
                report.flag("terms", bet_id, f"the rules refuse this bet: {refused}")
                continue
            if int(event.args.word) != word:
                report.flag("word", bet_id, "settled with a word other than the verified one")
            recorded = (int(event.args.rollsPlayed), int(event.args.payout))
            if recorded != (expected.rolls_played, expected.payout):
                report.flag(
                    "outcome",
                    bet_id,
                    f"chain says {recorded[0]} rolls paying {recorded[1]}, "
                    f"rules say {expected.rolls_played} rolls paying {expected.payout}",
                )
            credited = vault_paid.get(int(args.lockId))
            if credited != expected.payout:
                report.flag("payout", bet_id, f"the Vault credited {credited}, the rules pay {expected.payout}")
            tally.add(token_symbol(reader, str(args.token)), _staked(args), credited or 0)
        refunds = vault_refunds(reader)
        for event in reader.events(contract, "BetTimedOut"):
            bet = _placed(report, placed, int(event.args.betId), "timed out")
            if bet is None:
                continue
            received = _audit_timeout(report, bet.args, event, refunds.get(int(bet.args.lockId)))
            _audit_refused_result(report, rules, bet, verified)
            tally.add(token_symbol(reader, str(bet.args.token)), _staked(bet.args), received)

    return audit


def _audit_terms(
    reader: ChainReader, report: AuditReport, rules: Any, configs: list[Any], placed: dict[int, Any]
) -> None:
    """Each bet's recorded terms are the rules' (the edge in force, the maximum payout) and its
    lock paid the protocol fee the rules give: the fee share in force of the house edge the rules
    declare for the bet (fairstake.rules.bankroll), whatever its outcome."""
    fee_settings = sorted(reader.events("Vault", "ProtocolFeeSet"), key=event_position)
    locks = {int(e.args.lockId): e for e in reader.events("Vault", "Locked")}
    for bet_id, bet in placed.items():
        args = bet.args
        edge = _edge_at(configs, str(args.token), event_position(bet))
        if edge is None:
            report.flag("config", bet_id, "no edge configured for the token before the bet")
            continue
        if int(args.edgeBps) != edge:
            report.flag("config", bet_id, f"placed at edge {args.edgeBps} bps, the token's edge was {edge}")
        locked = locks.get(int(args.lockId))
        fee_bps = None if locked is None else _fee_bps_at(fee_settings, event_position(locked))
        try:
            terms = policy.chance_terms(
                rules,
                int(args.stake),
                bytes(args.choice),
                edge,
                int(args.rolls),
                int(args.stopGain),
                int(args.stopLoss),
                fee_bps,
            )
        except ValueError as refused:
            report.flag("terms", bet_id, f"the rules refuse this bet: {refused}")
            continue
        if int(args.maxPayout) != terms.max_payout:
            report.flag("payout", bet_id, f"recorded maximum payout {args.maxPayout}, the rules say {terms.max_payout}")
        if locked is not None and int(locked.args.fee) != terms.protocol_fee:
            report.flag(
                "fee", bet_id, f"the lock paid a protocol fee of {locked.args.fee}, the rules say {terms.protocol_fee}"
            )


def _audit_requests(reader: ChainReader, report: AuditReport, game: str, placed: dict[int, Any]) -> None:
    """Each bet names its randomness request by its Vault lock (its id is the request id
    keccak256(abi.encode(game, lockId)), which settleTimedOut and betStatusOf derive from the lock)
    and commits its terms in that request's data word, which the engine settles by: the word must
    be the one the bet describes (fairstake.audit.chance_bet_data: the lock, rolls and edge read from
    it, and the stops and choice joined with them)."""
    requested = {int(e.args.requestId): e.args for e in reader.events("RandomnessCoordinator", "RandomnessRequested")}
    for bet_id, bet in placed.items():
        args = bet.args
        if bet_id != ecvrf.request_id(game, int(args.lockId)):
            report.flag("request", bet_id, f"the bet's id is not the request id of its lock {args.lockId}")
            continue
        request = requested.get(bet_id)
        if request is None:
            continue  # requested outside the audited range
        has_stops = int(args.stopGain) != 0 or int(args.stopLoss) != 0
        expected = policy.chance_bet_data(
            int(args.lockId), int(args.rolls), int(args.edgeBps), has_stops, bytes(args.choice)
        )
        if int.from_bytes(bytes(request.data), "big") != expected:
            report.flag("request", bet_id, "its request's data word is not the bet its logs describe")


def _audit_refused_result(report: AuditReport, rules: Any, bet: Any, verified: dict[int, VerifiedRandomness]) -> None:
    """A bet refunded after its verified result was delivered: the engine's callback has the gas it
    asked for (the coordinator refuses to fulfil with less) and catches the registry, so a failed
    callback is the game refusing the result, and the refund is not what the rules pay for it."""
    args = bet.args
    bet_id = int(args.betId)
    randomness = verified.get(bet_id)
    if report.fulfilled_callbacks.get(bet_id) is not False or randomness is None:
        return
    try:
        expected = _play(rules, args, randomness.words[0])
    except ValueError:
        return  # flagged with the bet's terms
    staked = _staked(args)
    report.flag(
        "refused",
        bet_id,
        f"its verified result was delivered and the bet refunded {staked}; the rules pay {expected.payout}",
    )


def _audit_timeout(report: AuditReport, bet: Any, event: Any, refund: Any) -> int:
    """A bet unwound without a result. Its lock must be refunded (the stakes), and:
    - when its request expired: the bond's slash pays the player W - stakes (credited in the
      Vault) and the bankroll the stakes, so the player ends with W, the bet's maximum payout
      (BetTimedOut payout W, or 0 when the Vault's deadline backstop had refunded the lock before);
    - when its request was fulfilled but the callback failed: the stakes alone (settleTimedOut).
    Returns what the player received for the bet."""
    bet_id = int(event.args.betId)
    staked, most = _staked(bet), int(bet.maxPayout)
    payout = int(event.args.payout)
    refunded = 0 if refund is None else int(refund.args.amount)
    if refund is None:
        report.flag("timeout", bet_id, "unwound without the Vault refunding its lock")
    elif refunded != staked:
        report.flag("timeout", bet_id, f"the Vault refunded {refunded}, the stakes were {staked}")
    backstop = refund is not None and refund.transactionHash != event.transactionHash
    if bet_id in report.expired_requests:
        expected = policy.chance_timeout(staked, most, str(bet.player), expired=True, backstop=backstop)
        reservation = report.reservations.get(bet_id)
        slash = None if reservation is None else reservation.slash
        if slash is None or expected.slash is None:
            report.flag("timeout", bet_id, "its request expired but the bond was not slashed (refund without slash)")
            return refunded
        if not expected.slash.same_as(
            str(slash.beneficiary), int(slash.beneficiaryAmount), int(slash.residual), bool(slash.residualToBankroll)
        ):
            report.flag(
                "timeout",
                bet_id,
                f"the bond paid {int(slash.beneficiaryAmount)} to {slash.beneficiary} and {int(slash.residual)} to "
                f"the bankroll; an expired bet pays W - stakes = {most - staked} to the player and the stakes "
                f"{staked} to the bankroll",
            )
        if payout != expected.payout:
            report.flag("timeout", bet_id, f"BetTimedOut says {payout}, the player ends with W = {most}")
        return refunded + int(slash.beneficiaryAmount)
    if bet_id in report.fulfilled_callbacks:
        if report.fulfilled_callbacks[bet_id]:
            report.flag("timeout", bet_id, "unwound although its randomness was delivered to the game")
        if payout != policy.chance_timeout(staked, most, str(bet.player), expired=False, backstop=backstop).payout:
            report.flag(
                "timeout", bet_id, f"BetTimedOut says {payout}, a failed settlement refunds the stakes {staked}"
            )
        return refunded
    report.flag("timeout", bet_id, "unwound while its request is neither fulfilled nor expired in the audited range")
    return refunded
