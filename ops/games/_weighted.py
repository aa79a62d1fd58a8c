"""What Wheel and Plinko share in the operator tooling (ops/games/wheel.py, plinko.py): their
deployment on the chance engine with their default configurations, and the simulated players'
bets, one-roll and multi-roll, on configurations drawn at random, placed by the engine's shared
loop (ops.simulation.place_chance_bets)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fairstake.rules import weighted
from ops.deploy import DICE_LOCK_DURATION, USD, GameDeploy, chance_deploy
from ops.simulation import GamePlay, Table, chance_still_due, place_chance_bets

# the settle rows of `bench gas` (wheel/plinko_settle_callback, one roll: 69,614 and 77,583) with
# a margin for a player's limits in the registry; each further roll adds the contract's own 4,000
# (WeightedGame._rollGas; measured about 2,700 and 2,100 per extra roll)
WEIGHTED_CALLBACK_GAS = 150_000
# stakes per roll: Plinko's high-risk boards pay up to 510x, so the largest stake is modest
ETH_STAKES = (10**15, 10**17)
USD_STAKES = (1 * USD, 100 * USD)


def weighted_deploy(
    configs: Callable[[], Iterable[weighted.WeightedConfig]], add: Callable[[Any, weighted.WeightedConfig, Any], None]
) -> GameDeploy:
    """Deploy a weighted game, enable ETH and USDS at edge 0 (the configuration's is the edge)
    and add `configs()` with `add(game, config, deployer)`, before the hand-over to governance."""

    def add_configs(game: Any, deployer: Any) -> None:
        for config in configs():
            add(game, config, deployer)

    return chance_deploy(WEIGHTED_CALLBACK_GAS, (DICE_LOCK_DURATION,), (*ETH_STAKES, 0), (*USD_STAKES, 0), add_configs)


# the wanted stakes per roll of a simulated bet, by symbol
PLAY_STAKES = {"ETH": [10**15, 5 * 10**15, 10**16], "USDS": [1 * USD, 5 * USD, 10 * USD]}


def weighted_play(contract: str) -> GamePlay:
    """The simulated players' bets on `contract` (the engine's `place_chance_bets`): a random
    configuration each, one bet in five several rolls (half of those with a stop-loss), stakes
    lowered to what the bankroll's exposure cap and the oracle's free bond allow. Its bet ids go
    to `result.chance_bets[contract]`."""

    def place(t: Table) -> None:
        count = int(t.contracts[contract].configCount())
        bets = t.result.chance_bets.setdefault(contract, [])
        place_chance_bets(t, contract, bets, PLAY_STAKES, lambda t: weighted.encode_choice(t.rng.randint(1, count)))

    def still_due(t: Table, head: int) -> int:
        return chance_still_due(t, contract, t.result.chance_bets.get(contract, []), head)

    return GamePlay(place=place, due=lambda t: len(t.result.chance_bets.get(contract, [])), still_due=still_due)
