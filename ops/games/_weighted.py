"""What Wheel and Plinko share in the operator tooling (ops/games/wheel.py, plinko.py): their
deployment on the chance engine with their default configurations, and the simulated players'
bets, one-roll and multi-roll, on configurations drawn at random. The bets owed a result are
counted from the chain (BetPlaced against BetSettled and BetTimedOut), so the play keeps no list."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fairstake.manifest import ETH
from fairstake.rules import weighted
from ops.deploy import DICE_LOCK_DURATION, USD, GameDeploy, Wiring
from ops.simulation import GamePlay, Table, affordable_stake

# the settle rows of `bench gas` (wheel/plinko_settle_callback, one roll: 69,614 and 77,583) with
# a margin for a player's limits in the registry; each further roll adds the contract's own 8,000
# (WeightedGame._rollGas; measured 6,398 and 5,021 per extra roll)
WEIGHTED_CALLBACK_GAS = 150_000
# stakes per roll: Plinko's high-risk boards pay up to 510x, so the largest stake is modest
ETH_STAKES = (10**15, 10**17)
USD_STAKES = (1 * USD, 100 * USD)


def weighted_deploy(
    configs: Callable[[], Iterable[weighted.WeightedConfig]], add: Callable[[Any, weighted.WeightedConfig, Any], None]
) -> GameDeploy:
    """Deploy a weighted game, enable ETH and USDS at edge 0 (the configuration's is the edge)
    and add `configs()` with `add(game, config, deployer)`, before the hand-over to governance."""

    def deploy(deployer: Any, w: Wiring, contract: str) -> Any:
        return w.chance_game(deployer, contract, WEIGHTED_CALLBACK_GAS, DICE_LOCK_DURATION)

    def configure(deployer: Any, game: Any, usds: Any, referee: Any) -> None:
        game.configureToken(ETH, True, *ETH_STAKES, 0, {"from": deployer})
        game.configureToken(usds, True, *USD_STAKES, 0, {"from": deployer})
        for config in configs():
            add(game, config, deployer)

    return GameDeploy(deploy, configure)


def weighted_play(contract: str) -> GamePlay:
    """The simulated players' bets on `contract`: a random configuration each, one bet in five
    several rolls (half of those with a stop-loss), stakes lowered to what the bankroll's exposure
    cap and the oracle's free bond allow."""

    def place(t: Table) -> None:
        game, usds, result, progress = t.contracts[contract], t.contracts["MockStablecoin"], t.result, t.progress
        count = int(game.configCount())
        task = progress.add_task(f"{contract.lower()} bets", total=len(t.people) * t.bets_per_player)
        for player in t.people:
            for _ in range(t.bets_per_player):
                if t.rng.random() < 0.5:
                    wanted, token, symbol = t.rng.choice([10**15, 5 * 10**15, 10**16]), ETH, "ETH"
                else:
                    wanted, token, symbol = t.rng.choice([1, 5, 10]) * USD, usds.address, "USDS"
                choice = weighted.encode_choice(t.rng.randint(1, count))
                rolls = t.rng.choice([2, 5, 10]) if t.rng.random() < 0.2 else 1
                stake = affordable_stake(t.contracts, token, wanted, choice, rolls, game=contract)
                progress.advance(task)
                if stake is None:
                    result.bets_skipped += 1
                    continue
                result.stakes_lowered += stake != wanted
                if rolls == 1:
                    game.placeBet(token, stake, choice, 0, {"from": player})
                else:
                    stop_loss = stake * (rolls // 2) if t.rng.random() < 0.5 else 0
                    game.placeMultiBet(token, stake, choice, rolls, 0, stop_loss, 0, {"from": player})
                result.volume[symbol] += stake * rolls

    def placed(t: Table, head: int | None = None) -> set[int]:
        game = t.contracts[contract]
        logs = game.events.BetPlaced.get_logs(from_block=int(game.tx.block_number), to_block=head or "latest")
        return {int(event.args.betId) for event in logs}

    def still_due(t: Table, head: int) -> int:
        game = t.contracts[contract]
        start = int(game.tx.block_number)
        # a bet the oracle missed is expired by the daemon (--expire-overdue): the bond pays it
        resolved = [
            *game.events.BetSettled.get_logs(from_block=start, to_block=head),
            *game.events.BetTimedOut.get_logs(from_block=start, to_block=head),
        ]
        return len(placed(t, head) - {int(event.args.betId) for event in resolved})

    return GamePlay(place=place, due=lambda t: len(placed(t)), still_due=still_due)
