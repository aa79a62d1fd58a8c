"""Jackpot in the chain-only auditor: each round's draw, rake and prize, and a compensated draw's
shares, from the events alone."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fairstake import audit as policy
from ops.auditor.audits import (
    GameAudit,
    event_position,
    pool_payments,
    token_symbol,
)
from ops.auditor.reader import AuditReport, ChainReader, VerifiedRandomness


def audit_jackpot(reader: ChainReader, report: AuditReport, verified: dict[int, VerifiedRandomness]) -> None:
    if not reader.has("Jackpot"):
        return
    rounds = {int(e.args.roundId): e.args for e in reader.events("Jackpot", "RoundOpened")}
    purchases: dict[int, list[Any]] = defaultdict(list)
    for e in sorted(reader.events("Jackpot", "TicketsBought"), key=event_position):
        purchases[int(e.args.roundId)].append(e.args)
    rolled_in: dict[int, int] = defaultdict(int)
    for e in reader.events("Jackpot", "PrizeRolledOver"):
        rolled_in[int(e.args.toRoundId)] += int(e.args.amount)
    requests = {int(e.args.roundId): int(e.args.requestId) for e in reader.events("Jackpot", "DrawRequested")}
    claims = {int(e.args.roundId): e.args for e in reader.events("Jackpot", "PrizeClaimed")}
    paid = pool_payments(reader)
    tally = report.games["jackpot"]
    _audit_jackpot_compensation(reader, report, rounds, purchases, rolled_in, requests)
    for event in reader.events("Jackpot", "RoundDrawn"):
        round_id = int(event.args.roundId)
        opened, bought = rounds.get(round_id), purchases.get(round_id, [])
        randomness = verified.get(requests.get(round_id, -1))
        if opened is None or not bought or randomness is None:
            report.flag("round", round_id, "drawn without its opening, tickets or a verified draw in range")
            continue
        word = randomness.words[0]
        ends = [int(p.fromTicket) + int(p.count) for p in bought]
        sold = sum(int(p.count) for p in bought) * int(opened.ticketPrice)
        draw = policy.jackpot_draw(word, ends, sold + rolled_in[round_id], int(opened.rakeBps), rolled_in[round_id])
        ticket, prize, rake = draw.ticket, draw.prize, draw.rake
        winner = str(bought[draw.winner_index].player)
        if int(event.args.word) != word or int(event.args.winningTicket) != ticket:
            report.flag("winner", round_id, "drawn ticket differs from the verified word's ticket")
        if str(event.args.winner).lower() != winner.lower():
            report.flag("winner", round_id, f"chain winner {event.args.winner}, rules winner {winner}")
        if (int(event.args.prize), int(event.args.rake)) != (prize, rake):
            report.flag("payout", round_id, f"prize/rake {event.args.prize}/{event.args.rake}, rules {prize}/{rake}")
        claim = claims.get(round_id)
        if claim is not None and paid.get((int(opened.poolId), winner.lower())) != prize:
            report.flag("payout", round_id, "the Vault paid the winner something other than the prize")
        # one bet per ticket purchase, as the API counts them: the winning ticket's purchase is
        # paid the prize once claimed, every other purchase lost
        token = token_symbol(reader, str(opened.token))
        for index, purchase in enumerate(bought):
            won = index == draw.winner_index and claim is not None
            tally.add(token, int(purchase.count) * int(opened.ticketPrice), prize if won else 0)


def _audit_jackpot_compensation(
    reader: ChainReader,
    report: AuditReport,
    rounds: dict[int, Any],
    purchases: dict[int, list[Any]],
    rolled_in: dict[int, int],
    requests: dict[int, int],
) -> None:
    """A draw whose request expired: the bond reserved 2 x pot (pot = ticket sales + rolled-in),
    paid one pot to the Jackpot's Vault balance (DrawCompensated) and burnt the other; refunds
    pass the pot on pro rata to each purchase's stake, the last refund taking what rounding left."""
    jackpot = reader.manifest.contract("Jackpot").address.lower()
    compensated = {int(e.args.roundId): int(e.args.amount) for e in reader.events("Jackpot", "DrawCompensated")}
    shares: dict[int, list[Any]] = defaultdict(list)
    for e in sorted(reader.events("Jackpot", "CompensationPaid"), key=event_position):
        shares[int(e.args.roundId)].append(e.args)
    refunds: dict[int, list[int]] = defaultdict(list)
    for e in sorted(reader.events("Jackpot", "TicketsRefunded"), key=event_position):
        refunds[int(e.args.roundId)].append(int(e.args.purchaseIndex))
    for round_id, request_id in requests.items():
        if request_id in report.expired_requests and round_id not in compensated:
            report.flag("compensation", round_id, "its draw expired without compensating the tickets")
    for round_id, amount in compensated.items():
        opened, bought = rounds.get(round_id), purchases.get(round_id, [])
        if opened is None:
            report.flag("compensation", round_id, "compensated without its opening in the audited range")
            continue
        sold = sum(int(p.count) for p in bought) * int(opened.ticketPrice)
        pot = sold + rolled_in[round_id]
        if amount != pot:
            report.flag("compensation", round_id, f"compensated {amount}, the pot was {pot}")
        reservation = report.reservations.get(requests.get(round_id, -1))
        slash = None if reservation is None else reservation.slash
        if slash is None:
            report.flag("compensation", round_id, "compensated without a slash of its draw's bond reservation")
        elif (str(slash.beneficiary).lower(), int(slash.beneficiaryAmount), int(slash.residual)) != (
            jackpot,
            pot,
            pot,
        ) or slash.residualToBankroll:
            report.flag("compensation", round_id, "the draw's slash must credit one pot to the Jackpot and burn one")
        _check_shares(report, round_id, amount, sold, opened, bought, shares.get(round_id, []), refunds[round_id])


def _check_shares(
    report: AuditReport,
    round_id: int,
    amount: int,
    sold: int,
    opened: Any,
    bought: list[Any],
    paid: list[Any],
    refunded: list[int],
) -> None:
    """Each refunded purchase's CompensationPaid: amount x stake / sold, except the purchase
    refunded last once all are, which takes the rest (a zero share pays nothing, no event)."""
    by_index = {int(p.purchaseIndex): int(p.amount) for p in paid}
    for index in refunded:
        if index >= len(bought) or sold == 0:
            report.flag("compensation", round_id, f"a refund of unknown purchase {index}")
            return
    stakes = [int(p.count) * int(opened.ticketPrice) for p in bought]
    shares = policy.compensation_shares(amount, stakes, refunded) if refunded else {}
    expected = {i: v for i, v in shares.items() if v}
    if by_index != expected:
        report.flag("compensation", round_id, f"shares paid {by_index}, the rules pay {expected}")


AUDIT: GameAudit = audit_jackpot
