"""Bets on the chance-game engine (contracts/games/base/ChanceGame.sol): placed, settled by the
delivered word, or unwound without a result. Every game on the engine emits the same events, so
one set of projections serves them all; a game's module is `PROJECTIONS = chance_projections(GAME)`
and its rules module only decodes the choice (`choice_details`).

A bet's row: `stake` is everything staked (stake per roll x rolls), `max_payout` the most the whole
bet pays; `details` hold the choice (hex and decoded), rolls, stops and the edge, and once settled
the word and the rolls played. The house edge the game declared is no log's: the lock's protocol
fee is its fee share, which the audit API recomputes. Won: credited more than staked.

`BetPlaced(betId)` names the bet; its terms are joined from the logs before it in its transaction
(fairstake.audit.chance_placement): the request's data word (its RandomnessRequested, request id =
bet id) gives the lock id, the rolls, the edge and, when it packs, the choice; that lock's `Locked`
row the player, the token, the stakes and the maximum payout; and the log just before it, a
`BetTerms`, the choice and the stops of a bet that has stops or a choice that does not pack."""

from __future__ import annotations

from typing import Any

import ujson

from backend.store.events import Event
from backend.store.projections import Projections, put_setting
from backend.store.projections.bets import place_bet, resolve_bet
from backend.store.state import BatchState
from fairstake.audit import PlacementMissing, chance_bet_word, chance_placement
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


def peeked_choice(state: BatchState, bet_id: int) -> bytes | None:
    """For a prefetch hint (state.peek): a bet's choice packed in its request's data word, when the
    request's row is already loaded and the choice packs."""
    request = state.peek("randomness_requests", bet_id)  # a bet's id is its request id
    if request is None or request["data"] is None:
        return None
    return chance_bet_word(word_int(request["data"])).choice


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

    def placement_hints(e: Event, state: BatchState) -> list[tuple[str, tuple[Any, ...]]]:
        bet_id = e.args["betId"]
        hints: list[tuple[str, tuple[Any, ...]]] = [("bets", (key(bet_id),)), ("randomness_requests", (bet_id,))]
        request = state.peek("randomness_requests", bet_id)
        if request is not None and request["data"] is not None:
            lock_id = chance_bet_word(word_int(request["data"])).lock_id
            hints.append(("locks", (lock_id,)))
            lock = state.peek("locks", lock_id)
            if lock is not None:
                hints.append(("player_stats", (lock["player"], lock["token"], name)))
        return hints

    def bet_terms(e: Event, state: BatchState) -> tuple[bytes, int, int] | None:
        """The bet's BetTerms: the engine emits it just before the BetPlaced, when it has one."""
        before = state.get("events", e.uid - 1)
        if before is None or before["event"] != "BetTerms" or before["address"] != e.address:
            return None
        a = ujson.loads(before["args"])
        if int(a["betId"]) != int(e.args["betId"]):
            return None
        return choice_bytes(a["choice"]), int(a["stopGain"]), int(a["stopLoss"])

    @projections.on(contract, "BetPlaced", hints=placement_hints, peeks=True)
    def bet_placed(e: Event, state: BatchState) -> None:
        bet_id = int(e.args["betId"])
        request = state.get("randomness_requests", bet_id)  # a bet's id is its request id
        if request is None or request["data"] is None:
            return  # not a bet the engine placed (the chain auditor flags it)
        word = chance_bet_word(word_int(request["data"]))
        lock = state.get("locks", word.lock_id)
        try:
            bet = chance_placement(
                bet_id,
                word,
                None if lock is None else (lock["player"], lock["token"], int(lock["amount"]), int(lock["max_payout"])),
                bet_terms(e, state) if word.has_terms else None,
            )
        except PlacementMissing:
            return  # not a bet the engine placed (the chain auditor flags it)
        try:
            decoded = rules.choice_details(bet.choice)
        except ValueError:
            decoded = {}  # the contract accepted it: an audit will say the rules disagree
        place_bet(
            state,
            e,
            game=name,
            ref=bet_id,
            key=key(bet_id),
            player=bet.player,
            token=bet.token,
            stake=bet.stake * bet.rolls,
            max_payout=bet.max_payout,
            request_id=bet_id,  # a bet's id is its randomness request id
            lock_id=bet.lock_id,
            details={
                **decoded,
                "choice": "0x" + bet.choice.hex(),
                "rollStake": bet.stake,
                "rolls": bet.rolls,
                "stopGain": bet.stop_gain,
                "stopLoss": bet.stop_loss,
                "edgeBps": bet.edge_bps,
                "maxPayout": bet.max_payout,
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
