"""Dice in the chain-only auditor: every bet's terms, fee, outcome by the verified word, a refused
result, the timeout payout and the bond slash, from the events alone."""

from __future__ import annotations

from typing import Any

from fairstake import audit as policy
from ops.auditor.audits import (
    GameAudit,
    event_position,
    token_symbol,
    vault_refunds,
    vault_settlements,
)
from ops.auditor.reader import AuditReport, ChainReader, VerifiedRandomness


def _edge_at(configs: list[Any], token: str, position: tuple[int, int]) -> int | None:
    """The Dice edge for `token` in force at `position` (the last configuration before it)."""
    edge = None
    for event in configs:
        if event_position(event) > position:
            break
        if str(event.args.token).lower() == token.lower():
            edge = int(event.args.edgeBps)
    return edge


def _fee_bps_at(settings: list[Any], position: tuple[int, int]) -> int:
    """The Vault's protocol fee (bps of a bet's house edge) in force at `position`."""
    bps = 0
    for event in settings:
        if event_position(event) > position:
            break
        bps = int(event.args.bps)
    return bps


def _audit_dice_fees(reader: ChainReader, report: AuditReport, configs: list[Any], placed: dict[int, Any]) -> None:
    """Each bet's lock paid the protocol fee the rules give: the fee share in force of the bet's
    house edge (fairstake.rules.bankroll), whatever its outcome."""
    fee_settings = sorted(reader.events("Vault", "ProtocolFeeSet"), key=event_position)
    locks = {int(e.args.lockId): e for e in reader.events("Vault", "Locked")}
    for bet_id, bet in placed.items():
        args = bet.args
        locked = locks.get(int(args.lockId))
        edge = _edge_at(configs, str(args.token), event_position(bet))
        if locked is None or edge is None:
            continue  # reported with the bet's settlement, or outside the audited range
        terms = policy.dice_terms(
            int(args.stake), int(args.target), edge, _fee_bps_at(fee_settings, event_position(locked))
        )
        expected = terms.protocol_fee
        if int(locked.args.fee) != expected:
            report.flag("fee", bet_id, f"the lock paid a protocol fee of {locked.args.fee}, the rules say {expected}")


def audit_dice(reader: ChainReader, report: AuditReport, verified: dict[int, VerifiedRandomness]) -> None:
    if not reader.has("Dice"):
        return
    configs = sorted(reader.events("Dice", "TokenConfigured"), key=event_position)
    placed = {int(e.args.betId): e for e in reader.events("Dice", "BetPlaced")}
    vault_paid = vault_settlements(reader)
    _audit_dice_fees(reader, report, configs, placed)
    tally = report.games["dice"]
    for event in reader.events("Dice", "BetSettled"):
        bet_id = int(event.args.betId)
        bet = placed.get(bet_id)
        if bet is None:
            report.flag("bet", bet_id, "settled without a BetPlaced in the audited range")
            continue
        args = bet.args
        token, stake, target = str(args.token), int(args.stake), int(args.target)
        edge = _edge_at(configs, token, event_position(bet))
        if edge is None:
            report.flag("config", bet_id, "no Dice edge configured for the token before the bet")
            continue
        randomness = verified.get(int(args.requestId))
        if randomness is None:
            report.flag("randomness", bet_id, "settled without a verified fulfilment of its request")
            continue
        word = randomness.words[0]
        expected = policy.dice_outcome(word, stake, target, edge)
        if int(args.payoutIfWin) != policy.dice_terms(stake, target, edge).payout_if_win:
            report.flag("payout", bet_id, f"recorded win payout {args.payoutIfWin} differs from the rules")
        if int(event.args.word) != word:
            report.flag("word", bet_id, "settled with a word other than the verified one")
        if (int(event.args.roll), bool(event.args.won), int(event.args.payout)) != (
            expected.roll,
            expected.won,
            expected.payout,
        ):
            report.flag(
                "outcome",
                bet_id,
                f"chain says roll {event.args.roll} won {event.args.won} payout {event.args.payout}, "
                f"rules say roll {expected.roll} won {expected.won} payout {expected.payout}",
            )
        credited = vault_paid.get(int(args.lockId))
        if credited != expected.payout:
            report.flag("payout", bet_id, f"the Vault credited {credited}, the rules pay {expected.payout}")
        tally.add(token_symbol(reader, token), stake, credited or 0)
    refunds = vault_refunds(reader)
    for event in reader.events("Dice", "BetTimedOut"):
        bet_id = int(event.args.betId)
        bet = placed.get(bet_id)
        if bet is None:
            report.flag("bet", bet_id, "timed out without a BetPlaced in the audited range")
            continue
        received = _audit_dice_timeout(report, bet.args, event, refunds.get(int(bet.args.lockId)))
        _audit_refused_result(report, bet, verified, configs)
        tally.add(token_symbol(reader, str(bet.args.token)), int(bet.args.stake), received)


def _audit_refused_result(
    report: AuditReport, bet: Any, verified: dict[int, VerifiedRandomness], configs: list[Any]
) -> None:
    """A bet refunded after its verified result was delivered: Dice's callback has the gas it asked
    for (the coordinator refuses to fulfil with less) and catches the registry, so a failed
    callback is the game refusing the result, and the refund is not what the rules pay for it."""
    args = bet.args
    request_id, bet_id = int(args.requestId), int(args.betId)
    randomness = verified.get(request_id)
    edge = _edge_at(configs, str(args.token), event_position(bet))
    if report.fulfilled_callbacks.get(request_id) is not False or randomness is None or edge is None:
        return
    expected = policy.dice_outcome(randomness.words[0], int(args.stake), int(args.target), edge)
    report.flag(
        "refused",
        bet_id,
        f"its verified result (roll {expected.roll}) was delivered and the bet refunded {args.stake}; "
        f"the rules pay {expected.payout}",
    )


def _audit_dice_timeout(report: AuditReport, bet: Any, event: Any, refund: Any) -> int:
    """A bet unwound without a result. Its lock must be refunded (the stake), and:
    - when its request expired: the bond's slash pays the player W - stake (credited in the
      Vault) and the bankroll the stake, so the player ends with W = payoutIfWin (BetTimedOut
      payout W, or 0 when the Vault's deadline backstop had refunded the lock before);
    - when its request was fulfilled but the callback failed: the stake alone (settleTimedOut).
    Returns what the player received for the bet."""
    bet_id = int(event.args.betId)
    request_id = int(bet.requestId)
    stake, win = int(bet.stake), int(bet.payoutIfWin)
    payout = int(event.args.payout)
    refunded = 0 if refund is None else int(refund.args.amount)
    if refund is None:
        report.flag("timeout", bet_id, "unwound without the Vault refunding its lock")
    elif refunded != stake:
        report.flag("timeout", bet_id, f"the Vault refunded {refunded}, the stake was {stake}")
    backstop = refund is not None and refund.transactionHash != event.transactionHash
    if request_id in report.expired_requests:
        expected = policy.dice_timeout(stake, win, str(bet.player), expired=True, backstop=backstop)
        reservation = report.reservations.get(request_id)
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
                f"the bankroll; an expired bet pays W - stake = {win - stake} to the player and the stake {stake} "
                "to the bankroll",
            )
        if payout != expected.payout:
            report.flag("timeout", bet_id, f"BetTimedOut says {payout}, the player ends with W = {win}")
        return refunded + int(slash.beneficiaryAmount)
    if request_id in report.fulfilled_callbacks:
        if report.fulfilled_callbacks[request_id]:
            report.flag("timeout", bet_id, "unwound although its randomness was delivered to the game")
        if payout != policy.dice_timeout(stake, win, str(bet.player), expired=False, backstop=backstop).payout:
            report.flag("timeout", bet_id, f"BetTimedOut says {payout}, a failed settlement refunds the stake {stake}")
        return refunded
    report.flag("timeout", bet_id, "unwound while its request is neither fulfilled nor expired in the audited range")
    return refunded


AUDIT: GameAudit = audit_dice
