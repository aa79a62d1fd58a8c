"""Statistics over the indexed bets: observed against theoretical return-to-player with a
confidence interval, and velocity and common-funding anomalies."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ujson
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from backend.api import models
from backend.store import schema
from fairstake import audit as policy
from fairstake.games import GAMES, part

Z_BY_CONFIDENCE = {0.9: 1.6449, 0.95: 1.96, 0.99: 2.5758, 0.999: 3.2905}


def rtp(conn: Connection, symbols: dict[str, str], confidence: float) -> models.Rtp:
    """Observed vs theoretical RTP per game and token over settled bets (refunds excluded).

    Games on the chance engine: each bet's payout has the expectation and variance its game's
    rules give (per roll played, fairstake.rules.multiroll.bet_moments), so the total payout has
    expectation Σ μ and variance Σ σ²; the interval is observed ± z·σ/Σstake and z_score =
    (paid − expected)/σ. Jackpot, Match and Tournament return a fixed
    share of every pool (1 − rake) whoever wins: their RTP is exact, the interval has no width."""
    z = Z_BY_CONFIDENCE[confidence]
    bets = schema.bets
    query = select(bets.c.game, bets.c.token, bets.c.stake, bets.c.payout, bets.c.details).where(
        bets.c.status.in_(("won", "lost", "timed_out"))
    )
    acc: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    exact: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_game = theories()
    for game, token, stake, payout, details in conn.execute(query):
        key = (game, token)
        exact[key]["bets"] += 1
        exact[key]["wagered"] += stake
        exact[key]["paid"] += payout or 0
        theory = by_game.get(game)
        if isinstance(theory, BetTheory):
            expected, variance = theory.moments(ujson.loads(details))
            acc[key]["expected"] += expected
            acc[key]["variance"] += variance
    for registered in GAMES:
        theory = by_game[registered.name]
        if not isinstance(theory, BetTheory):
            theory(conn, registered.name, acc)
    rows = []
    for (game, token), totals in sorted(exact.items()):
        wagered, paid = totals["wagered"], totals["paid"]
        observed = paid / wagered if wagered else None
        stats = acc.get((game, token), {})
        theoretical = stats.get("expected", 0.0) / wagered if wagered and "expected" in stats else None
        per_bet = isinstance(by_game.get(game), BetTheory)
        if not per_bet and (game, token) in acc:
            theoretical = stats.get("ratio")
        sigma = math.sqrt(stats.get("variance", 0.0))
        half = z * sigma / wagered if wagered else None
        z_score = (paid - stats["expected"]) / sigma if per_bet and sigma > 0 else None
        low = None if observed is None or half is None else observed - half
        high = None if observed is None or half is None else observed + half
        consistent = None
        if theoretical is not None and low is not None and high is not None:
            consistent = low - 1e-9 <= theoretical <= high + 1e-9
        rows.append(
            models.RtpRow(
                game=game,
                token=token,
                token_symbol=symbols.get(token),
                bets=int(totals["bets"]),
                wagered=str(wagered),
                paid_out=str(paid),
                observed_rtp=observed,
                theoretical_rtp=theoretical,
                ci_low=low,
                ci_high=high,
                confidence=confidence,
                z_score=z_score,
                consistent=consistent,
            )
        )
    return models.Rtp(confidence=confidence, rows=rows)


Totals = dict[tuple[str, str], dict[str, float]]


@dataclass(frozen=True)
class BetTheory:
    """A game against the bankroll: the expected payout and its variance the rules give each bet,
    from the bet's indexed details (`moments`)."""

    moments: Callable[[dict[str, Any]], tuple[float, float]]


def chance_theory(rules: Any, rules_of: Callable[[dict[str, Any]], Any] | None = None) -> BetTheory:
    """The theory of a game on the chance engine, from its rules module (the indexed details of
    backend.store.projections.chance: choice, rollStake, edgeBps, rolls, rollsPlayed), or from
    `rules_of(details)` for a game whose rules depend on governance's tables (Keno)."""

    def moments(details: dict[str, Any]) -> tuple[float, float]:
        played = details.get("rollsPlayed")
        return policy.chance_moments(
            rules if rules_of is None else rules_of(details),
            int(details["rollStake"]),
            bytes.fromhex(str(details["choice"]).removeprefix("0x")),
            int(details["edgeBps"]),
            int(details["rolls"]),
            None if played is None else int(played),
        )

    return BetTheory(moments)


# A pool game: adds Σ returned / Σ staked of its settled pools as "ratio" per (game, token).
PoolTheory = Callable[[Connection, str, Totals], None]


def jackpot_theory(conn: Connection, game: str, acc: Totals) -> None:
    """Theoretical RTP = Σ (what the rules return to players) / Σ ticket sales of the drawn
    rounds, i.e. 1 − rake per round (rolled-over prizes excluded)."""
    t = schema.jackpot_rounds
    rows = conn.execute(
        select(t.c.token, t.c.pot, t.c.details).where(t.c.status.in_(("drawn", "claimed", "rolled_over")))
    ).all()
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for token, pot, details in rows:
        info = ujson.loads(details)
        sold = pot - int(info.get("rolledIn", 0))
        per[token][0] += sold
        per[token][1] += policy.pool_return(game, sold, int(info["rakeBps"]))
    for token, (sold, returned) in per.items():
        if sold:
            acc[(game, token)]["ratio"] = returned / sold


def skill_theory(conn: Connection, game: str, acc: Totals) -> None:
    """Theoretical RTP = 1 − rake over the settled matches or tournaments (`kind` = the game)."""
    t = schema.matches
    games = conn.execute(
        select(t.c.token, t.c.entry, t.c.players, t.c.details).where(t.c.kind == game, t.c.status == "settled")
    ).all()
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for token, entry, players, details in games:
        total = int(entry or 0) * len(ujson.loads(players))
        per[token][0] += total
        per[token][1] += policy.pool_return(game, total, int(ujson.loads(details)["rakeBps"]))
    for token, (total, returned) in per.items():
        if total:
            acc[(game, token)]["ratio"] = returned / total


# Where each registered game's theoretical RTP is: THEORY of backend.api.audit.games.<name>.
GAME_PARTS = "backend.api.audit.games"


def theories() -> dict[str, BetTheory | PoolTheory]:
    """Each registered game's theoretical RTP, by the game's name (fairstake.games.GAMES)."""
    return {game.name: part(game, GAME_PARTS, "THEORY") for game in GAMES}


# --------------------------------------------------------------------------------- anomalies
def first_uid_at(conn: Connection, since: int) -> int:
    """A uid bound splitting the log at unix time `since`: events with uid >= the bound are at
    or after it, the others before. Block times never decrease along the chain, so a binary
    search over uids finds it with a few index lookups."""
    e = schema.events
    low = conn.execute(select(func.min(e.c.uid))).scalar()
    high = conn.execute(select(func.max(e.c.uid))).scalar()
    if low is None or high is None:
        return 0
    high += 1
    while low < high:
        middle = (low + high) // 2
        row = conn.execute(select(e.c.uid, e.c.block_time).where(e.c.uid >= middle).order_by(e.c.uid).limit(1)).first()
        if row is None or row.block_time >= since:
            high = middle
        else:
            low = row.uid + 1
    return int(low)


def anomalies(
    conn: Connection,
    *,
    now: int,
    window: int,
    max_bets: int,
    withdrawal_share: float,
    funding_min_players: int,
    tx_senders: Any,
    platform_addresses: set[str],
) -> models.Anomalies:
    """Velocity and funding flags over the last `window` seconds of indexed activity:
    - bet_velocity: an address placing more than `max_bets` bets within any `window`;
    - large_withdrawal: a withdrawal larger than `withdrawal_share` of everything withdrawn of
      that token in the window (and the address's own deposits in it);
    - common_funding: one address paying Vault deposits for, or sending tokens (ERC-20 Transfer
      events of indexed tokens) to, at least `funding_min_players` distinct players."""
    since = now - window
    first_uid = first_uid_at(conn, since)
    items: list[models.Anomaly] = []

    def flag(kind: str, address: str, detail: str, **evidence: Any) -> None:
        items.append(models.Anomaly(kind=kind, address=address, detail=detail, **evidence))

    bets = schema.bets
    counts: dict[str, list[int]] = defaultdict(list)
    for player, placed in conn.execute(
        select(bets.c.player, bets.c.placed_time).where(bets.c.placed_uid >= first_uid).order_by(bets.c.placed_uid)
    ):
        counts[player].append(placed)
    for player, stamps in counts.items():
        if len(stamps) > max_bets:
            count = len(stamps)
            flag("bet_velocity", player, f"{count} bets within {window} s", window_start=stamps[0], count=count)
    e = schema.events
    movements = conn.execute(
        select(e.c.event, e.c.args, e.c.tx_hash, e.c.contract).where(
            e.c.uid >= first_uid, e.c.event.in_(("Withdrawn", "Deposited", "Transfer"))
        )
    ).all()
    withdrawn_total: dict[str, int] = defaultdict(int)
    withdrawals: list[tuple[str, str, int]] = []
    deposits: list[tuple[str, str, int, str]] = []
    transfers: dict[str, set[str]] = defaultdict(set)
    for event, args_json, tx, contract in movements:
        args = ujson.loads(args_json)
        if contract == "Vault" and event == "Withdrawn":
            withdrawn_total[args["token"]] += int(args["amount"])
            withdrawals.append((args["player"], args["token"], int(args["amount"])))
        elif contract == "Vault" and event == "Deposited":
            deposits.append((args["player"], args["token"], int(args["amount"]), tx))
        elif event == "Transfer" and "from" in args and "to" in args:
            source, target = str(args["from"]), str(args["to"])
            if source not in platform_addresses and target not in platform_addresses and int(source, 16) != 0:
                transfers[source].add(target)
    for player, token, amount in withdrawals:
        total = withdrawn_total[token]
        if len(withdrawals) > 1 and total and amount > withdrawal_share * total:
            detail = f"withdrew {amount} of token {token}: {amount * 100 // total}% of the window's withdrawals"
            flag("large_withdrawal", player, detail, amount=str(amount), related=[token])
    payers: dict[str, set[str]] = defaultdict(set)
    senders = tx_senders(sorted({tx for *_, tx in deposits}))
    for player, _token, _amount, tx in deposits:
        sender = senders.get(tx)
        if sender and sender.lower() != player.lower():
            payers[sender].add(player)
    for source, targets in list(payers.items()) + list(transfers.items()):
        if len(targets) >= funding_min_players:
            count = len(targets)
            flag("common_funding", source, f"funded {count} distinct players", count=count, related=sorted(targets))
    return models.Anomalies(window_seconds=window, items=items)
