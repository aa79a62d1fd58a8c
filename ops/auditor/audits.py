"""What the games' chain-only audits share: reading the Vault's settlements, refunds and pool
payments, event order, token symbols, and the ranked-payout audit of the skill games.

Each game's audit is in its module of ops.auditor.games (AUDIT): it reads the game's facts from
its events (the bet as recorded at placement, the verified random words, what the game recorded
and what the Vault actually credited) and asks the audit policy (fairstake.audit) what the rules
make of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from fairstake.rules.match import RulesError
from ops.auditor.reader import AuditReport, ChainReader, VerifiedRandomness

ZERO = "0x0000000000000000000000000000000000000000"


def event_position(event: Any) -> tuple[int, int]:
    return (int(event.blockNumber), int(event.logIndex))


def token_symbol(reader: ChainReader, token: str) -> str:
    for symbol, known in reader.manifest.tokens.items():
        if known.address.lower() == str(token).lower():
            return symbol
    return str(token)


def vault_settlements(reader: ChainReader) -> dict[int, int]:
    """lockId -> payout the Vault credited when the lock was settled."""
    return {int(e.args.lockId): int(e.args.payout) for e in reader.events("Vault", "Settled")}


def vault_refunds(reader: ChainReader) -> dict[int, Any]:
    """lockId -> the Vault's Refunded event of that lock."""
    return {int(e.args.lockId): e for e in reader.events("Vault", "Refunded")}


def pool_payments(reader: ChainReader) -> dict[tuple[int, str], int]:
    """(poolId, player) -> total the Vault paid that player out of that pool."""
    paid: dict[tuple[int, str], int] = defaultdict(int)
    for e in reader.events("Vault", "PoolPaid"):
        paid[(int(e.args.poolId), str(e.args.player).lower())] += int(e.args.amount)
    return paid


def audit_ranked(
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
    paid = pool_payments(reader)
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
        tally.add(token_symbol(reader, str(info.token)), total, sum(expected.values()))


GameAudit = Callable[[ChainReader, AuditReport, dict[int, VerifiedRandomness]], None]
