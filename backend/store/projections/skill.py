"""Skill games (Match, Tournament: entries as bets, results as payouts) and player protection
(PlayerRegistry: self-exclusion, limits, KYC attestations)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ujson

from backend.store.events import Event, to_json_value
from backend.store.projections import get_or_new, projects, put_new, put_setting, setting_projection
from backend.store.projections.bets import place_bet, resolve_bet, update_details
from backend.store.state import BatchState, Row

MATCH = "Match"
TOURNAMENT = "Tournament"
REGISTRY = "PlayerRegistry"
LIMIT_KINDS = ("loss", "wager", "deposit")  # IPlayerRegistry.LimitKind
WINDOWS = ("day", "week", "month")


def _game(contract: str) -> str:
    return contract.lower()


def entry_key(kind: str, game_id: int, seat: int) -> str:
    return f"{kind}:{game_id}:{seat}"


def _created(contract: str, id_field: str, entry_field: str, extra: tuple[str, ...]) -> None:
    kind = _game(contract)

    def handler(e: Event, state: BatchState) -> None:
        a = e.args
        game_id = a[id_field]
        details = {k: a[k] for k in ("creator", "rakeBps", "poolId", *extra)}
        details["createdAt"] = e.block_time
        put_new(
            state,
            "matches",
            match_id=game_id,
            kind=kind,
            token=a["token"],
            status="open",
            entry=a[entry_field],
            details=ujson.dumps(to_json_value(details)),
            created_uid=e.uid,
            updated_uid=e.uid,
        )

    projects(contract, f"{contract}Created")(handler)


GameHandler = Callable[[Event, BatchState, Row], None]


def _on_game(contract: str, event: str, id_field: str) -> Callable[[GameHandler], GameHandler]:
    """Register `body` as the projection of `event`, called with the match or tournament row the
    event's `id_field` names. Events of a game we never saw created change nothing."""
    kind = _game(contract)

    def register(body: GameHandler) -> GameHandler:
        def handler(e: Event, state: BatchState) -> None:
            game = state.get("matches", e.args[id_field], kind)
            if game is not None:
                body(e, state, game)

        projects(contract, event)(handler)
        return body

    return register


def _joined(contract: str, event: str, id_field: str, seat_field: str) -> None:
    @_on_game(contract, event, id_field)
    def joined(e: Event, state: BatchState, game: Row) -> None:
        a = e.args
        kind = game["kind"]
        players = ujson.loads(game["players"])
        players.append(a["player"])
        game["players"] = ujson.dumps(players)
        game["updated_uid"] = e.uid
        state.put("matches", game)
        place_bet(
            state,
            e,
            game=kind,
            ref=a[id_field],
            key=entry_key(kind, a[id_field], a[seat_field]),
            player=a["player"],
            token=game["token"],
            stake=game["entry"],
            lock_id=a["lockId"],
            details={f"{kind}Id": a[id_field], "seat": a[seat_field]},
        )


def _set_status(game: Row, e: Event, state: BatchState, status: str, **details: Any) -> None:
    game["status"] = status
    game["updated_uid"] = e.uid
    if details:
        update_details(game, **details)
    state.put("matches", game)


def _settled(contract: str, id_field: str, ranked_field: str) -> None:
    @_on_game(contract, f"{contract}Settled", id_field)
    def settled(e: Event, state: BatchState, game: Row) -> None:
        a = e.args
        ranked = list(a[ranked_field])
        payouts = dict(zip(ranked, a["payouts"], strict=False))
        _set_status(
            game, e, state, "settled", referee=a["referee"], ranking=ranked, payouts=list(a["payouts"]), rake=a["rake"]
        )
        for bet in state.find("bets", game=game["kind"], game_ref=a[id_field]):
            payout = payouts.get(bet["player"], 0)
            rank = ranked.index(bet["player"]) + 1 if bet["player"] in ranked else None
            resolve_bet(state, bet, e, "won" if payout > 0 else "lost", payout, rank=rank)


def _ended(contract: str, event: str, id_field: str, status: str) -> None:
    """Voided / cancelled / expired: entries become refundable (EntryRefunded returns them)."""

    @_on_game(contract, event, id_field)
    def ended(e: Event, state: BatchState, game: Row) -> None:
        _set_status(game, e, state, status)
        for bet in state.find("bets", game=game["kind"], game_ref=e.args[id_field], status="pending"):
            bet["status"] = "refundable"
            state.put("bets", bet)


def _entry_refunded(contract: str) -> None:
    kind = _game(contract)

    def handler(e: Event, state: BatchState) -> None:
        for bet in state.find("bets", game=kind, lock_id=e.args["lockId"]):
            resolve_bet(state, bet, e, "refunded", bet["stake"], viaBackstop=e.args["viaBackstop"])

    projects(contract, "EntryRefunded")(handler)


def _skill_game(
    contract: str, id_field: str, entry_field: str, extra: tuple[str, ...], joined: str, seat_field: str, ranked: str
) -> None:
    """Register the projections every skill game contract shares (Match and Tournament emit the
    same lifecycle under their own names and argument names)."""
    _created(contract, id_field, entry_field, extra)
    _joined(contract, joined, id_field, seat_field)
    _settled(contract, id_field, ranked)
    _entry_refunded(contract)
    for status in ("voided", "cancelled", "expired"):
        _ended(contract, f"{contract}{status.capitalize()}", id_field, status)


_skill_game(MATCH, "matchId", "entry", ("maxPlayers", "shares", "deadline"), "PlayerJoined", "seat", "ranking")
_skill_game(
    TOURNAMENT,
    "tournamentId",
    "entryFee",
    ("maxEntrants", "prizes", "registrationDeadline", "resultDeadline"),
    "Entered",
    "index",
    "winners",
)


@_on_game(MATCH, "MatchFull", "matchId")
def match_full(e: Event, state: BatchState, game: Row) -> None:
    _set_status(game, e, state, "full")


for _contract in (MATCH, TOURNAMENT):
    setting_projection(_contract, "RefereeSet", "referee", "registered", keyed_by="referee")
    setting_projection(_contract, "RakeSet", "rakeBps", "bps")
    setting_projection(_contract, "ResultsInvalidated", "invalidatedNonce", "nonce", keyed_by="id")


# ------------------------------------------------------------------------------ player protection
def _protection(state: BatchState, player: str, uid: int) -> Row:
    row = get_or_new(state, "protection", (player,))
    row["updated_uid"] = uid
    return row


@projects(REGISTRY, "SelfExclusionSet")
def self_excluded(e: Event, state: BatchState) -> None:
    row = _protection(state, e.args["player"], e.uid)
    row["excluded_until"] = e.args["until"]
    state.put("protection", row)


@projects(REGISTRY, "TimeOutTaken")
def time_out_taken(e: Event, state: BatchState) -> None:
    """A time-out is separate from self-exclusion: it neither starts nor changes one."""
    row = _protection(state, e.args["player"], e.uid)
    row["timed_out_until"] = e.args["until"]
    state.put("protection", row)


@projects(REGISTRY, "Attested")
def attested(e: Event, state: BatchState) -> None:
    a = e.args
    row = _protection(state, a["player"], e.uid)
    row.update(
        kyc_level=a["level"], kyc_expiry=a["expiry"], kyc_attestor=a["attestor"], kyc_jurisdiction=a["jurisdictionHash"]
    )
    state.put("protection", row)


@projects(REGISTRY, "SubjectBound")
def subject_bound(e: Event, state: BatchState) -> None:
    """One-way: a wallet's binding to a person survives revocations, so nothing ever clears it."""
    row = _protection(state, e.args["player"], e.uid)
    row["kyc_subject"] = e.args["subject"]
    row["kyc_person"] = e.args["person"]
    state.put("protection", row)


@projects(REGISTRY, "AttestationRevoked")
def attestation_revoked(e: Event, state: BatchState) -> None:
    row = _protection(state, e.args["player"], e.uid)
    row.update(kyc_level=None, kyc_expiry=None, kyc_attestor=None, kyc_jurisdiction=None)
    state.put("protection", row)


def _limit(state: BatchState, a: dict[str, Any], uid: int) -> Row:
    row = get_or_new(state, "limits", (a["player"], a["token"], LIMIT_KINDS[a["kind"]], WINDOWS[a["window"]]))
    row["updated_uid"] = uid
    return row


@projects(REGISTRY, "LimitSet")
def limit_set(e: Event, state: BatchState) -> None:
    """Lowering or adding a limit applies at once (effectiveAt ≤ now); raising or removing waits
    for the cooling-off: it is kept as pending until `effectiveAt` (value 0 = no limit)."""
    a = e.args
    row = _limit(state, a, e.uid)
    if a["effectiveAt"] <= e.block_time:
        row["value"] = a["value"] or None
        row["effective_at"] = None
        update_details(row, pending=None)
    else:
        row["effective_at"] = a["effectiveAt"]
        update_details(row, pending=a["value"])
    state.put("limits", row)


@projects(REGISTRY, "PendingLimitApplied")
def pending_limit_applied(e: Event, state: BatchState) -> None:
    a = e.args
    row = _limit(state, a, e.uid)
    row["value"] = a["value"] or None
    row["effective_at"] = None
    update_details(row, pending=None)
    state.put("limits", row)


setting_projection(REGISTRY, "GameSet", "game", "registered", keyed_by="game")
setting_projection(REGISTRY, "AttestorSet", "attestor", "registered", keyed_by="attestor")


@projects(REGISTRY, "KycRuleSet")
def kyc_rule_set(e: Event, state: BatchState) -> None:
    put_setting(
        state,
        REGISTRY,
        f"kycRule:{e.args['token']}",
        {"threshold": e.args["threshold"], "level": e.args["level"]},
        e.uid,
    )
