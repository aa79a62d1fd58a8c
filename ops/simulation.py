"""Simulated players for the main job: every game played through real transactions on the local
chain, every chance outcome settled by the running oracle daemon with verified proofs.

Players are development accounts; each transaction is sent from the player's own account.
The summary is built from the chain-only audit and the API's solvency view.
"""

from __future__ import annotations

import functools
import random
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fairstake.games import GAMES, Game, part
from fairstake.manifest import ETH, Manifest
from fairstake.rules import dice as dice_rules
from fairstake.units import token_units
from ops import bankroll
from ops.deployment import FIRST_PLAYER, REFEREE

ETHER = 10**18
USD = 10**6
DAY = 24 * 3600
SETTLE_TIMEOUT_S = 180.0


@dataclass
class SimulationResult:
    players: list[str]
    dice_bets: list[int] = field(default_factory=list)
    jackpot_rounds: list[int] = field(default_factory=list)
    matches: list[int] = field(default_factory=list)
    tournaments: list[int] = field(default_factory=list)
    # the bets of the other games on the chance engine: by contract name (`chance_play`), by game name (Keno)
    chance_bets: dict[str, list[int]] = field(default_factory=dict)
    refused_while_excluded: int = 0
    unsettled: int = 0
    # bets whose stake was lowered (or that were skipped) to fit the bankroll's exposure cap or
    # the oracle's free bond
    stakes_lowered: int = 0
    bets_skipped: int = 0
    volume: dict[str, int] = field(default_factory=dict)


def _progress() -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    # brownie prints every transaction; the caller logs stdout, so rich must not re-route it.
    return Progress(*columns, console=Console(stderr=True), redirect_stdout=False, redirect_stderr=False)


@dataclass
class Table:
    """What a game's simulated play works with."""

    contracts: dict[str, Any]
    people: list[Any]
    rng: random.Random
    result: SimulationResult
    progress: Any
    bets_per_player: int


@dataclass(frozen=True)
class GamePlay:
    """How the simulated players use a game, phase by phase; every phase runs game by game in the
    registry's order (fairstake.games.GAMES). `place`: bets whose results the oracle delivers.
    `due(table)` / `still_due(table, head)`: how many of those results the oracle owes, at first
    and by block `head` (the session waits until none is left, or times out). `finish`: once every
    result is in (claim a prize, or play a whole skill game, which needs no oracle). `open(table
    of the end, host, now, start)`: leave the game open for the player at the end of `up` (`now`
    the node's clock, `start` the time the first game to ask for it read, the same for all)."""

    place: Callable[[Table], None] | None = None
    due: Callable[[Table], int] | None = None
    still_due: Callable[[Table, int], int] | None = None
    finish: Callable[[Table], None] | None = None
    open: Callable[[dict[str, Any], Any, Callable[[], int], Callable[[], int]], None] | None = None


def play(contracts: dict[str, Any], *, players: int, bets_per_player: int, seed: int = 7) -> SimulationResult:
    """Fund the bankrolls, then let `players` players use every game; returns what happened."""
    from brownie import accounts

    rng = random.Random(seed)
    vault, usds = contracts["Vault"], contracts["MockStablecoin"]
    people = [accounts[FIRST_PLAYER + i] for i in range(players)]
    result = SimulationResult(players=[str(p) for p in people], volume={"ETH": 0, "USDS": 0})

    with _progress() as progress, warnings.catch_warnings():
        # brownie warns about its own internal rpc calls behind chain.sleep
        warnings.simplefilter("ignore", FutureWarning)
        task = progress.add_task("funding bankrolls and players", total=2 + len(people))
        # a request, a day on the development chain's clock, a claim (ops.bankroll)
        bankroll.fund_local(contracts)
        progress.advance(task, 2)
        for player in people:
            vault.depositFor(player, ETH, 50 * ETHER, {"from": player, "value": 50 * ETHER})
            usds.mint(player, 50_000 * USD, {"from": player})
            usds.approve(vault, 2**256 - 1, {"from": player})
            vault.depositFor(player, usds, 20_000 * USD, {"from": player})
            progress.advance(task)

        _responsible_gaming(contracts, people, result)

        table = Table(contracts, people, rng, result, progress, bets_per_player)
        plays = [game_play(game) for game in GAMES]
        for play in plays:
            if play.place is not None:
                play.place(table)
        result.unsettled = _wait_settled(table, plays)
        for play in plays:
            if play.finish is not None:
                play.finish(table)

        for player in people:
            vault.withdraw(ETH, 5 * ETHER, player, {"from": player})
        open_for_play(contracts, people[0])
    return result


def open_for_play(contracts: dict[str, Any], host: Any) -> None:
    """Leave every game playable at once (each game's `open`): the funding and the simulation
    moved the clock past the Jackpot rounds' sales (a day for the bankroll delay, ten minutes for
    the tournament), so each token's stopped round is drawn or made refundable, and `host` creates
    a Match and a Tournament for anyone to join."""
    from brownie import web3

    def now() -> int:
        # the node's clock, not brownie's chain.time(): that one only knows brownie's own sleeps
        return int(web3.eth.get_block("latest")["timestamp"])

    start = functools.cache(now)
    for game in GAMES:
        opener = game_play(game).open
        if opener is not None:
            opener(contracts, host, now, start)


# ----------------------------------------------- what the games' plays share (ops/games/<name>.py)


def game_play(game: Game) -> GamePlay:
    """How the simulated players use the registered `game`: PLAY of ops.games.<name>."""
    found: GamePlay = part(game, "ops.games", "PLAY")
    return found


def affordable_stake(
    contracts: dict[str, Any],
    token: str,
    stake: int,
    choice: bytes | Callable[[int], bytes],
    rolls: int = 1,
    game: str = "Dice",
) -> int | None:
    """`stake` per roll, halved until the bet (`rolls` rolls of `choice` on the chance game
    `game`) fits what is left of the bankroll's exposure cap (its maximum payout minus its stakes,
    with the protocol fee on its declared edge, within `vault.maxReserve(token)`, the room the
    Vault's risk fraction leaves for the total of open reserves) and the oracle key's free bond
    (which reserves the whole maximum payout); None when not even the minimum stake fits.
    `choice` may be a function of the stake (a Roulette bet's parts add up to it)."""
    vault, chance, coordinator = contracts["Vault"], contracts[game], contracts["RandomnessCoordinator"]
    room = int(vault.maxReserve(token))
    free_bond = int(coordinator.bondOf(chance.keyHash(), token)[4])  # BondView.free
    fee_bps = int(vault.protocolFeeBps())
    minimum = int(chance.tokenConfig(token)[1])
    while stake >= minimum:
        roll_max, roll_edge = (
            int(x) for x in chance.quote(token, stake, choice(stake) if callable(choice) else choice)
        )
        fee = roll_edge * rolls * fee_bps // 10_000  # at most the fee: the declared edge is <= rolls x one roll's
        if (roll_max - stake) * rolls + fee <= room and roll_max * rolls <= free_bond:
            return stake
        stake //= 2
    return None


# the wanted stakes per roll of a game played by `chance_play`, by symbol
CHANCE_STAKES = {"ETH": [10**16, 5 * 10**16, 10**17], "USDS": [5 * USD, 20 * USD, 50 * USD]}


def chance_play(contract: str, label: str, choose: Callable[[random.Random], Callable[[int], bytes]]) -> GamePlay:
    """How the simulated players bet on `contract`, a game on the chance-game engine
    (`place_chance_bets` with `CHANCE_STAKES`): `choose(rng)` draws a bet, its choice for a given
    stake. Its bet ids go to `result.chance_bets[contract]`."""

    def place(t: Table) -> None:
        bets = t.result.chance_bets.setdefault(contract, [])
        place_chance_bets(t, contract, bets, CHANCE_STAKES, lambda t: choose(t.rng), label=label)

    def still_due(t: Table, head: int) -> int:
        return chance_still_due(t, contract, t.result.chance_bets.get(contract, []), head)

    return GamePlay(place=place, due=lambda t: len(t.result.chance_bets.get(contract, [])), still_due=still_due)


def place_chance_bets(
    t: Table,
    game: str,
    bet_ids: list[int],
    stakes: dict[str, list[int]],
    choose: Callable[[Table], bytes | Callable[[int], bytes]],
    label: str | None = None,
) -> None:
    """Every simulated player's bets on `game`, a contract on the chance engine: half in ETH, half
    in USDS (`stakes`: the wanted stakes per roll by symbol), each lowered to what the bankroll's
    exposure cap and the oracle's free bond can back (or skipped), `choose(t)` the choice (or, when
    it depends on the stake, the choice for a stake); one bet in five plays several rolls, half of
    those with a stop-loss. The bets' ids go to `bet_ids`; `label` names the progress bar."""
    contract, usds, result, progress = t.contracts[game], t.contracts["MockStablecoin"], t.result, t.progress
    task = progress.add_task(f"{label or game.lower()} bets", total=len(t.people) * t.bets_per_player)
    for player in t.people:
        for _ in range(t.bets_per_player):
            if t.rng.random() < 0.5:
                wanted, token, symbol = t.rng.choice(stakes["ETH"]), ETH, "ETH"
            else:
                wanted, token, symbol = t.rng.choice(stakes["USDS"]), usds.address, "USDS"
            choice = choose(t)
            rolls = t.rng.choice([2, 5, 10]) if t.rng.random() < 0.2 else 1
            stake = affordable_stake(t.contracts, token, wanted, choice, rolls, game=game)
            if stake is None:
                result.bets_skipped += 1
                progress.advance(task)
                continue
            result.stakes_lowered += stake != wanted
            chosen = choice(stake) if callable(choice) else choice
            if rolls == 1:
                tx = contract.placeBet(token, stake, chosen, 0, {"from": player})
            else:
                stop_loss = stake * (rolls // 2) if t.rng.random() < 0.5 else 0
                tx = contract.placeMultiBet(token, stake, chosen, rolls, 0, stop_loss, 0, {"from": player})
            bet_ids.append(int(tx.events["BetPlaced"]["betId"]))
            result.volume[symbol] += stake * rolls
            progress.advance(task)


def chance_still_due(t: Table, game: str, bet_ids: list[int], head: int) -> int:
    """How many of `bet_ids` on `game` have no result by block `head`. A bet the oracle missed is
    expired by the daemon (--expire-overdue): the bond pays it, and its BetTimedOut counts."""
    contract = t.contracts[game]
    start = int(contract.tx.block_number)
    resolved = [
        *contract.events.BetSettled.get_logs(from_block=start, to_block=head),
        *contract.events.BetTimedOut.get_logs(from_block=start, to_block=head),
    ]
    return len(set(bet_ids) - {int(event.args.betId) for event in resolved})


def round_field(jackpot: Any, name: str) -> int:
    outputs = next(f for f in jackpot.abi if f.get("name") == "roundOf")["outputs"][0]["components"]
    return [c["name"] for c in outputs].index(name)


def _responsible_gaming(contracts: dict[str, Any], people: list[Any], result: SimulationResult) -> None:
    """One player caps their daily ETH wagers; the last one self-excludes and is refused."""
    from brownie.exceptions import VirtualMachineError

    registry, dice = contracts["PlayerRegistry"], contracts["Dice"]
    registry.setLimit(ETH, 1, 0, 5 * ETHER, {"from": people[0]})  # wager limit, 24 h window
    if len(people) < 3:
        return
    excluded = people[-1]
    registry.selfExclude(184 * 24 * 3600, {"from": excluded})  # the shortest self-exclusion: 6 months
    try:
        dice.placeBet(ETH, 10**16, dice_rules.encode_choice(50), 0, {"from": excluded})
    except VirtualMachineError:
        result.refused_while_excluded += 1
    people.pop()


def _wait_settled(t: Table, plays: list[GamePlay]) -> int:
    """Wait until the oracle delivered (or the daemon expired) every result the games are owed;
    returns how many are still owed at the timeout."""
    from brownie import web3

    waiting = [p for p in plays if p.due is not None and p.still_due is not None]
    owed = [p.due(t) for p in waiting if p.due is not None]
    task = t.progress.add_task("waiting for the oracle to settle", total=sum(owed))
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while sum(owed) and time.monotonic() < deadline:
        head = int(web3.eth.block_number)
        for i, play in enumerate(waiting):
            if owed[i] and play.still_due is not None:
                left = play.still_due(t, head)
                t.progress.advance(task, owed[i] - left)
                owed[i] = left
        time.sleep(0.25)
    return sum(owed)


def sign_ranked(kind: str, contract: Any, game_id: int, ranking: list[str]) -> bytes:
    from brownie import web3

    from fairstake import signing

    nonce = int(contract.resultNonce(game_id))
    build = signing.match_result if kind == "match" else signing.tournament_result
    typed = build(contract.address, int(web3.eth.chain_id), game_id, nonce, ranking)
    return signing.sign(typed, signing.dev_private_key(REFEREE)).signature


def _bond_lines(report: Any, manifest: Any) -> list[str]:
    """The oracle key's bond per token, re-derived from the coordinator's events by the audit
    (and checked against its bondOf): total, reserved by open requests, slashed by expiries."""
    symbols = {t.address.lower(): t for t in manifest.tokens.values()}
    lines = []
    for (_, token), bond in sorted(report.bonds.items()):
        known = symbols.get(str(token).lower())
        symbol, scale = (known.symbol, 10**known.decimals) if known else (str(token), 1)
        agrees = {True: "matches the coordinator", False: "DIFFERS from the coordinator", None: "not compared"}
        lines.append(
            f"  oracle bond {symbol}: total {bond.total / scale:,.4f}, reserved {bond.reserved / scale:,.4f}, "
            f"slashed {bond.slashed / scale:,.4f} ({bond.slashes} expiries), {agrees[bond.matches_chain]}"
        )
    return lines or ["  oracle bond: none found"]


def summary(result: SimulationResult, rpc_url: str, manifest_path: Path, api_url: str) -> str:
    """Bets, volume, RTP per game, every proof re-verified (chain-only audit), solvency per token."""
    from web3 import Web3

    from fairstake.manifest import load_manifest
    from ops.auditor import run_audit
    from ops.platform import get_json

    manifest = load_manifest(manifest_path)
    report = run_audit(Web3(Web3.HTTPProvider(rpc_url)), manifest)
    lines = [
        "",
        "=== Fairstake session summary ===",
        f"players: {len(result.players)}   dice bets: {len(result.dice_bets)}   jackpot rounds: "
        f"{len(result.jackpot_rounds)}   matches: {len(result.matches)}   tournaments: {len(result.tournaments)}",
        f"volume: {result.volume.get('ETH', 0) / ETHER:.3f} ETH, {result.volume.get('USDS', 0) / USD:,.2f} USDS",
        f"bets refused for a self-excluded player: {result.refused_while_excluded}",
        f"dice stakes lowered to fit the exposure cap or the oracle's bond: {result.stakes_lowered}"
        f" ({result.bets_skipped} bets skipped)",
        f"randomness: {report.requests} requests, {report.proofs_checked} proofs re-verified independently, "
        f"{report.expired} expired",
    ]
    for game, tally in sorted(report.games.items()):
        rtp = ", ".join(f"{t} {v:.3f}" for t, v in sorted(tally.rtp().items())) or "-"
        lines.append(f"  {game:<11} {tally.bets:>4} outcomes recomputed   RTP {rtp}")
    lines.append(f"audit mismatches: {len(report.mismatches)}")
    lines += _bond_lines(report, manifest)
    try:
        lines += solvency_lines(get_json(f"{api_url}/audit/solvency"), manifest)
    except OSError as exc:
        lines.append(f"  solvency: the API did not answer ({exc})")
    return "\n".join(lines)


def solvency_lines(solvency: dict[str, Any], manifest: Manifest) -> list[str]:
    """The API's /audit/solvency rows in token units: the Vault's balance against its liabilities."""
    decimals = {t.address.lower(): (symbol, t.decimals) for symbol, t in manifest.tokens.items()}
    lines = []
    for row in solvency.get("tokens", []):
        symbol, places = decimals.get(str(row.get("token")).lower(), (str(row.get("symbol") or row.get("token")), 0))

        def units(value: Any, symbol: str = symbol, places: int = places) -> str:
            return "unknown" if value is None else f"{token_units(int(value), places)} {symbol}"

        lines.append(
            f"  solvency {symbol}: balance {units(row.get('balance'))} >= liabilities {units(row.get('liabilities'))}: "
            f"{'OK' if row.get('solvent') else 'NOT SOLVENT'}"
        )
    return lines
