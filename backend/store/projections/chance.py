"""Bets on the chance-game engine (contracts/games/base/ChanceGame.sol): placed, settled by the
delivered word, or unwound without a result. Every game on the engine emits the same events, so
one set of projections serves them all; a game's module is `PROJECTIONS = chance_projections(GAME)`
and its rules module only decodes the choice (`choice_details`).

A bet's row: `stake` is everything staked (stake per roll x rolls), `max_payout` the most the whole
bet pays; `details` hold the choice (hex and decoded), rolls, stops, the edge and the declared house
edge, and once settled the word and the rolls played. Won: credited more than staked.

`BetPlaced` carries only what no other log of its transaction does; the rest is joined, both logs
applied before it (they come first in the transaction): the request's data word (its
RandomnessRequested, request id = bet id) gives the lock id, the rolls and the edge, and that lock's
`Locked` row the maximum payout."""

from __future__ import annotations

from typing import Any

from backend.store.events import Event
from backend.store.projections import Projections, put_setting
from backend.store.projections.bets import place_bet, resolve_bet
from backend.store.state import BatchState
from fairstake.audit import chance_bet_word
from fairstake.games import Game


def choice_bytes(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    text = str(value)
    return bytes.fromhex(text[2:] if text.startswith("0x") else text)


def word_int(value: Any) -> int:
    """A stored bytes32 (hex text, or bytes) as an integer."""
    if isinstance(value, bytes | bytearray):
        return int.from_bytes(value, "big")
    return int(str(value), 16)


def chance_projections(game: Game) -> Projections:
    """The indexer's projections of `game`, a contract on the chance-game engine."""
    contract, name, rules = game.contract, game.name, game.rules

    def key(bet_id: int) -> str:
        return f"{name}:{bet_id}"

    projections = Projections(bet_key=lambda event, args: key(args["betId"]) if "betId" in args else None)

    @projections.on(contract, "TokenConfigured")
    def token_configured(e: Event, state: BatchState) -> None:
        a = e.args
        value = {"enabled": a["enabled"], "minStake": a["minStake"], "maxStake": a["maxStake"], "edgeBps": a["edgeBps"]}
        put_setting(state, contract, f"token:{a['token']}", value, e.uid)

    @projections.on(
        contract,
        "BetPlaced",
        hints=lambda e, s: [
            ("bets", (key(e.args["betId"]),)),
            ("player_stats", (e.args["player"], e.args["token"], name)),
            ("randomness_requests", (e.args["betId"],)),
        ],
    )
    def bet_placed(e: Event, state: BatchState) -> None:
        a = e.args
        choice = choice_bytes(a["choice"])
        try:
            decoded = rules.choice_details(choice)
        except ValueError:
            decoded = {}  # the contract accepted it: an audit will say the rules disagree
        request = state.get("randomness_requests", a["betId"])  # a bet's id is its request id
        if request is None or request["data"] is None:
            return  # not a bet the engine placed: its request is in the same transaction
        word = chance_bet_word(word_int(request["data"]))
        lock = state.get("locks", word.lock_id)
        max_payout = None if lock is None else lock["max_payout"]
        rolls = word.rolls
        place_bet(
            state,
            e,
            game=name,
            ref=a["betId"],
            key=key(a["betId"]),
            player=a["player"],
            token=a["token"],
            stake=int(a["stake"]) * rolls,
            max_payout=max_payout,
            request_id=a["betId"],  # a bet's id is its randomness request id
            lock_id=word.lock_id,
            details={
                **decoded,
                "choice": "0x" + choice.hex(),
                "rollStake": a["stake"],
                "rolls": rolls,
                "stopGain": a["stopGain"],
                "stopLoss": a["stopLoss"],
                "edgeBps": word.edge_bps,
                "maxPayout": max_payout,
                "houseEdge": a["houseEdge"],
            },
        )

    def bet_hints(e: Event, state: BatchState) -> list[tuple[str, tuple[Any, ...]]]:
        hints: list[tuple[str, tuple[Any, ...]]] = [("bets", (key(e.args["betId"]),))]
        bet = state.peek("bets", key(e.args["betId"]))
        if bet is not None:
            hints.append(("player_stats", (bet["player"], bet["token"], name)))
        return hints

    @projections.on(contract, "BetSettled", hints=bet_hints, peeks=True)
    def bet_settled(e: Event, state: BatchState) -> None:
        a = e.args
        bet = state.get("bets", key(a["betId"]))
        if bet is not None:
            status = "won" if int(a["payout"]) > int(bet["stake"]) else "lost"
            resolve_bet(state, bet, e, status, a["payout"], word=a["word"], rollsPlayed=a["rollsPlayed"])

    def timeout_hints(e: Event, state: BatchState) -> list[tuple[str, tuple[Any, ...]]]:
        return [*bet_hints(e, state), ("bond_reservations", (e.args["betId"],))]

    @projections.on(contract, "BetTimedOut", hints=timeout_hints, peeks=True)
    def bet_timed_out(e: Event, state: BatchState) -> None:
        """Unwound without a result: `payout` is what the player ends with. `unwound` says why:
        expired (the request expired: the stakes refunded and the bond paid W - stakes, so W),
        refunded (the request resolved without settling the bet: the stakes alone) or backstop
        (the Vault's deadline backstop had already refunded the lock)."""
        bet = state.get("bets", key(e.args["betId"]))
        if bet is None:
            return
        reservation = state.get("bond_reservations", e.args["betId"])  # a bet id is its request id
        slashed = reservation is not None and reservation["status"] == "slashed"
        payout = e.args["payout"]
        extra: dict[str, Any] = {"unwound": "expired" if slashed else "backstop" if payout == 0 else "refunded"}
        if slashed:
            assert reservation is not None
            extra["bondPaid"] = reservation["beneficiary_amount"]
            extra["bondToBankroll"] = reservation["residual"] if reservation["residual_to_bankroll"] else 0
        resolve_bet(state, bet, e, "timed_out", payout, **extra)

    projections.setting(contract, "LockDurationSet", "lockDuration", "lockDuration")

    # the oracle key is the coordinator's (ConsumerSet); the game sets only its callback gas
    projections.setting(contract, "CallbackGasLimitSet", "callbackGasLimit", "callbackGasLimit")

    return projections
