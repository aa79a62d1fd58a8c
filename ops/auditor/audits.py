"""The games' chain-only audits; each game's module in ops.auditor.games names its own (AUDIT).

Each reads a game's facts from its events (the bet as recorded at placement, the verified
random words, what the game recorded and what the Vault actually credited) and asks the audit
policy (fairstake.audit) what the rules make of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from fairstake import audit as policy
from fairstake.rules.match import RulesError
from ops.auditor.reader import AuditReport, ChainReader, VerifiedRandomness

ZERO = "0x0000000000000000000000000000000000000000"


def _position(event: Any) -> tuple[int, int]:
    return (int(event.blockNumber), int(event.logIndex))


def _symbol(reader: ChainReader, token: str) -> str:
    for symbol, known in reader.manifest.tokens.items():
        if known.address.lower() == str(token).lower():
            return symbol
    return str(token)


def _vault_settlements(reader: ChainReader) -> dict[int, int]:
    """lockId -> payout the Vault credited when the lock was settled."""
    return {int(e.args.lockId): int(e.args.payout) for e in reader.events("Vault", "Settled")}


def _vault_refunds(reader: ChainReader) -> dict[int, Any]:
    """lockId -> the Vault's Refunded event of that lock."""
    return {int(e.args.lockId): e for e in reader.events("Vault", "Refunded")}


def _pool_payments(reader: ChainReader) -> dict[tuple[int, str], int]:
    """(poolId, player) -> total the Vault paid that player out of that pool."""
    paid: dict[tuple[int, str], int] = defaultdict(int)
    for e in reader.events("Vault", "PoolPaid"):
        paid[(int(e.args.poolId), str(e.args.player).lower())] += int(e.args.amount)
    return paid


def _edge_at(configs: list[Any], token: str, position: tuple[int, int]) -> int | None:
    """The Dice edge for `token` in force at `position` (the last configuration before it)."""
    edge = None
    for event in configs:
        if _position(event) > position:
            break
        if str(event.args.token).lower() == token.lower():
            edge = int(event.args.edgeBps)
    return edge


def _fee_bps_at(settings: list[Any], position: tuple[int, int]) -> int:
    """The Vault's protocol fee (bps of a bet's house edge) in force at `position`."""
    bps = 0
    for event in settings:
        if _position(event) > position:
            break
        bps = int(event.args.bps)
    return bps


def _audit_dice_fees(reader: ChainReader, report: AuditReport, configs: list[Any], placed: dict[int, Any]) -> None:
    """Each bet's lock paid the protocol fee the rules give: the fee share in force of the bet's
    house edge (fairstake.rules.bankroll), whatever its outcome."""
    fee_settings = sorted(reader.events("Vault", "ProtocolFeeSet"), key=_position)
    locks = {int(e.args.lockId): e for e in reader.events("Vault", "Locked")}
    for bet_id, bet in placed.items():
        args = bet.args
        locked = locks.get(int(args.lockId))
        edge = _edge_at(configs, str(args.token), _position(bet))
        if locked is None or edge is None:
            continue  # reported with the bet's settlement, or outside the audited range
        terms = policy.dice_terms(int(args.stake), int(args.target), edge, _fee_bps_at(fee_settings, _position(locked)))
        expected = terms.protocol_fee
        if int(locked.args.fee) != expected:
            report.flag("fee", bet_id, f"the lock paid a protocol fee of {locked.args.fee}, the rules say {expected}")


def audit_dice(reader: ChainReader, report: AuditReport, verified: dict[int, VerifiedRandomness]) -> None:
    if not reader.has("Dice"):
        return
    configs = sorted(reader.events("Dice", "TokenConfigured"), key=_position)
    placed = {int(e.args.betId): e for e in reader.events("Dice", "BetPlaced")}
    vault_paid = _vault_settlements(reader)
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
        edge = _edge_at(configs, token, _position(bet))
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
        tally.add(_symbol(reader, token), stake, credited or 0)
    refunds = _vault_refunds(reader)
    for event in reader.events("Dice", "BetTimedOut"):
        bet_id = int(event.args.betId)
        bet = placed.get(bet_id)
        if bet is None:
            report.flag("bet", bet_id, "timed out without a BetPlaced in the audited range")
            continue
        received = _audit_dice_timeout(report, bet.args, event, refunds.get(int(bet.args.lockId)))
        _audit_refused_result(report, bet, verified, configs)
        tally.add(_symbol(reader, str(bet.args.token)), int(bet.args.stake), received)


def _audit_refused_result(
    report: AuditReport, bet: Any, verified: dict[int, VerifiedRandomness], configs: list[Any]
) -> None:
    """A bet refunded after its verified result was delivered: Dice's callback has the gas it asked
    for (the coordinator refuses to fulfil with less) and catches the registry, so a failed
    callback is the game refusing the result, and the refund is not what the rules pay for it."""
    args = bet.args
    request_id, bet_id = int(args.requestId), int(args.betId)
    randomness = verified.get(request_id)
    edge = _edge_at(configs, str(args.token), _position(bet))
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


def audit_jackpot(reader: ChainReader, report: AuditReport, verified: dict[int, VerifiedRandomness]) -> None:
    if not reader.has("Jackpot"):
        return
    rounds = {int(e.args.roundId): e.args for e in reader.events("Jackpot", "RoundOpened")}
    purchases: dict[int, list[Any]] = defaultdict(list)
    for e in sorted(reader.events("Jackpot", "TicketsBought"), key=_position):
        purchases[int(e.args.roundId)].append(e.args)
    rolled_in: dict[int, int] = defaultdict(int)
    for e in reader.events("Jackpot", "PrizeRolledOver"):
        rolled_in[int(e.args.toRoundId)] += int(e.args.amount)
    requests = {int(e.args.roundId): int(e.args.requestId) for e in reader.events("Jackpot", "DrawRequested")}
    claims = {int(e.args.roundId): e.args for e in reader.events("Jackpot", "PrizeClaimed")}
    paid = _pool_payments(reader)
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
        token = _symbol(reader, str(opened.token))
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
    for e in sorted(reader.events("Jackpot", "CompensationPaid"), key=_position):
        shares[int(e.args.roundId)].append(e.args)
    refunds: dict[int, list[int]] = defaultdict(list)
    for e in sorted(reader.events("Jackpot", "TicketsRefunded"), key=_position):
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


def _audit_ranked(
    reader: ChainReader,
    report: AuditReport,
    game: str,
    created_event: str,
    settled_event: str,
    id_field: str,
    ranked_field: str,
    expected_payouts: Any,
) -> None:
    created = {int(getattr(e.args, id_field)): e.args for e in reader.events(game, created_event)}
    paid = _pool_payments(reader)
    tally = report.games[game.lower()]
    for event in reader.events(game, settled_event):
        game_id = int(getattr(event.args, id_field))
        info = created.get(game_id)
        if info is None:
            report.flag(game.lower(), game_id, "settled without its creation in the audited range")
            continue
        ranked = [str(a) for a in getattr(event.args, ranked_field)]
        try:
            expected, total = expected_payouts(reader, info, game_id, ranked)
        except RulesError as exc:
            report.flag("result", game_id, f"the recorded result breaks the rules: {exc}")
            continue
        recorded = [int(p) for p in event.args.payouts]
        if recorded != [expected[a] for a in ranked]:
            report.flag("payout", game_id, f"recorded payouts {recorded} differ from the rules")
        for player in ranked:
            if paid.get((int(info.poolId), player.lower()), 0) != expected[player]:
                report.flag("payout", game_id, f"the Vault paid {player} other than {expected[player]}")
        tally.add(_symbol(reader, str(info.token)), total, sum(expected.values()))


def _match_payouts(reader: ChainReader, info: Any, game_id: int, ranking: list[str]) -> tuple[dict[str, int], int]:
    shares = [int(s) for s in info.shares]
    payouts = policy.pool_payouts("match", int(info.entry), int(info.rakeBps), shares, len(ranking), ranking)
    return payouts, int(info.entry) * len(ranking)


def _tournament_payouts(reader: ChainReader, info: Any, game_id: int, winners: list[str]) -> tuple[dict[str, int], int]:
    entrants = sum(1 for e in reader.events("Tournament", "Entered") if int(e.args.tournamentId) == game_id)
    prizes = [int(p) for p in info.prizes]
    payouts = policy.pool_payouts("tournament", int(info.entryFee), int(info.rakeBps), prizes, entrants, winners)
    return payouts, int(info.entryFee) * entrants


def audit_match(reader: ChainReader, report: AuditReport, verified: dict[int, VerifiedRandomness]) -> None:
    if reader.has("Match"):
        _audit_ranked(reader, report, "Match", "MatchCreated", "MatchSettled", "matchId", "ranking", _match_payouts)


def audit_tournament(reader: ChainReader, report: AuditReport, verified: dict[int, VerifiedRandomness]) -> None:
    if reader.has("Tournament"):
        _audit_ranked(
            reader,
            report,
            "Tournament",
            "TournamentCreated",
            "TournamentSettled",
            "tournamentId",
            "winners",
            _tournament_payouts,
        )


GameAudit = Callable[[ChainReader, AuditReport, dict[int, VerifiedRandomness]], None]
