"""Wheel and Plinko on the chance-game engine (WeightedGame): configurations added by governance
(checked, immutable, disabled only for new bets), a bet's terms by its configuration's true
maximum and edge, settlement by the landed segment, multi-roll with stops, the contracts'
outcomesOf against fairstake.rules.weighted for thousands of words, and every custom error of
the weighted games. The engine itself (deposits, timeouts, bond, backstop) is tested through
Dice (test_dice.py)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from brownie import Plinko, Wheel
from chance_support import (
    CLOSED,
    MAX_STAKE,
    MIN_STAKE,
    assert_vault_solvent,
    bet_status,
    deliver,
    deploy_chance_game,
    edge_fee,
    expire_past_deadline,
    placed_bet,
)
from contract_support import ETHER, lock_record
from weighted_support import BAD_CONFIGURATIONS, enabled_header

from fairstake.manifest import ETH
from fairstake.rules import multiroll, plinko, weighted, wheel

CALLBACK_GAS = 150_000
# (game, configurations in the order added: ids 1, 2, 3)
CONFIGS = {
    "Wheel": [wheel.default_wheel(10, 0), wheel.default_wheel(50, 1), wheel.default_wheel(20, 2)],
    "Plinko": [plinko.default_board(8, 0), plinko.default_board(12, 1), plinko.default_board(16, 2)],
}
# 64 segments (weights 1..64, total 2080), the last paying back 97 %
WIDE = weighted.WeightedConfig(tuple(range(1, 65)), (0,) * 63 + (9_700 * 2080 // 64,))


def add(game: Any, config: weighted.WeightedConfig, owner: Any) -> Any:
    if game._name == "Plinko":
        return game.addConfig(len(config.weights) - 1, config.risk, config.multipliers, {"from": owner})
    return game.addConfig(config.weights, config.multipliers, config.risk, {"from": owner})


def deploy(name: str, owner: Any, vault: Any, coordinator: Any, registry: Any) -> Any:
    contract = {"Wheel": Wheel, "Plinko": Plinko}[name]
    deployed = deploy_chance_game(contract, owner, vault, coordinator, registry, None, CALLBACK_GAS, edge_bps=0)
    for config in CONFIGS[name]:
        add(deployed, config, owner)
    return deployed


@pytest.fixture(scope="module", params=["Wheel", "Plinko"])
def game(request: Any, owner: Any, vault: Any, coordinator: Any, registry: Any, usds: Any, bankroll: None) -> Any:
    return deploy(request.param, owner, vault, coordinator, registry)


def tables(game: Any) -> weighted.Tables:
    return weighted.Tables({i + 1: config for i, config in enumerate(CONFIGS[game._name])})


def test_configurations_read_back_as_added(game: Any) -> None:
    assert game.configCount() == 3
    assert game.maxEdgeBps() == 0
    for config_id, config in enumerate(CONFIGS[game._name], start=1):
        header, weights, multipliers = game.configOf(config_id)
        assert (tuple(weights), tuple(multipliers)) == (config.weights, config.multipliers)
        assert tuple(header) == enabled_header(config)


def test_a_bet_locks_its_true_maximum_and_declares_its_edge(
    game: Any, vault: Any, coordinator: Any, alice: Any, funded: int
) -> None:
    rules = tables(game)
    for config_id in (1, 2, 3):
        choice, stake = weighted.encode_choice(config_id), 10**16 + config_id
        max_payout, house_edge = rules.roll_terms(stake, choice, 0)
        assert tuple(game.quote(ETH, stake, choice)) == (max_payout, house_edge)
        tx = game.placeBet(ETH, stake, choice, 0, {"from": alice})
        event = placed_bet(tx)
        assert (event["maxPayout"], event["fee"], bytes(event["choice"])) == (
            max_payout,
            edge_fee(vault, house_edge),
            choice,
        )
        assert lock_record(vault, event["lockId"])["maxPayout"] == max_payout
        assert tuple(coordinator.slashOf(tx.return_value)) == (ETH, max_payout, alice, max_payout - stake, True)


def test_a_registry_burning_its_whole_report_allowance_leaves_the_callback_enough(
    game: Any, vault: Any, coordinator: Any, registry: Any, owner: Any, alice: Any, funded: int
) -> None:
    """The smallest deployed callback allowance (a one-roll Wheel or Plinko bet, 150,000) still
    settles a win when the registry burns every unit of the Vault's report allowance: the report
    is dropped, the payout is not."""
    rules, choice, stake = tables(game), weighted.encode_choice(2), 10**16
    word = next(w for w in range(1_000) if rules.roll_payout(stake, choice, 0, w) > stake)
    registry.setBurnOnSettle(True, {"from": owner})
    before = vault.balanceOf(alice, ETH)
    tx = game.placeBet(ETH, stake, choice, 0, {"from": alice})
    done = deliver(coordinator, tx.return_value, word)
    assert done.events["Delivered"]["callbackSuccess"]
    payout = rules.roll_payout(stake, choice, 0, word)
    assert done.events["BetSettled"]["payout"] == payout
    assert vault.balanceOf(alice, ETH) == before - stake + payout
    assert registry.paidOut(alice, ETH) == 0  # the report was dropped


def test_settlement_pays_the_segment_the_word_lands_on(
    game: Any, vault: Any, coordinator: Any, alice: Any, funded: int
) -> None:
    """A word on each side of every segment boundary of configuration 2."""
    config, rules = CONFIGS[game._name][1], tables(game)
    choice, stake = weighted.encode_choice(2), 10**16
    ends = [sum(config.weights[: i + 1]) for i in range(len(config.weights))]
    for word in sorted({end - 1 for end in ends} | {end % config.total_weight for end in ends})[:24]:
        before = vault.balanceOf(alice, ETH)
        tx = game.placeBet(ETH, stake, choice, 0, {"from": alice})
        settled = deliver(coordinator, tx.return_value, word).events["BetSettled"]
        expected = stake * config.multipliers[weighted.segment(config, word)] // 10_000
        assert expected == rules.roll_payout(stake, choice, 0, word)
        assert (settled["rollsPlayed"], settled["payout"]) == (1, expected)
        assert vault.balanceOf(alice, ETH) == before - stake + expected
    assert_vault_solvent(vault, ETH)


def test_outcomes_of_agree_with_the_rules(game: Any) -> None:
    rng = random.Random(game._name)
    rules = tables(game)
    for config_id in (1, 2, 3):
        choice = weighted.encode_choice(config_id)
        words = [rng.getrandbits(256) for _ in range(1_500)] + [0, 2**256 - 1]
        stake = rng.randrange(1, 2**96)
        payouts = game.outcomesOf(words, stake, choice, 0)
        assert list(payouts) == [rules.roll_payout(stake, choice, 0, word) for word in words]


def test_multi_roll_with_stops_settles_as_the_engine_model(
    game: Any, vault: Any, coordinator: Any, alice: Any, funded: int
) -> None:
    rules = tables(game)
    choice, stake, rolls = weighted.encode_choice(1), 10**16, 40
    roll_max = rules.roll_terms(stake, choice, 0)[0]
    for stop_gain, stop_loss in ((0, 0), (0, 3 * stake), (roll_max - stake, 0)):
        for word in (5, 2**200 + 17):
            model = multiroll.play(rules, word, stake, choice, 0, rolls, stop_gain, stop_loss)
            before = vault.balanceOf(alice, ETH)
            tx = game.placeMultiBet(ETH, stake, choice, rolls, stop_gain, stop_loss, 0, {"from": alice})
            assert tx.events["Locked"]["maxPayout"] == rolls * roll_max
            settled = deliver(coordinator, tx.return_value, word).events["BetSettled"]
            assert (settled["rollsPlayed"], settled["payout"]) == (model.rolls_played, model.payout)
            assert vault.balanceOf(alice, ETH) == before - stake * rolls + model.payout
    assert_vault_solvent(vault, ETH)


def test_a_hundred_rolls_on_the_widest_configuration_fit_the_callback_gas(
    game: Any, owner: Any, coordinator: Any, alice: Any, funded: int
) -> None:
    """The callback gets callbackGasLimit + 99 x the game's per-roll gas; the binary search keeps
    a roll cheap on 64 segments (Wheel) and 17 slots (Plinko)."""
    if game._name == "Wheel":
        add(game, WIDE, owner)
        config_id = 4
    else:
        config_id = 3
    tx = game.placeMultiBet(ETH, MIN_STAKE, weighted.encode_choice(config_id), 100, 0, 0, 0, {"from": alice})
    allowance = coordinator.requests(tx.return_value)["callbackGasLimit"]
    done = deliver(coordinator, tx.return_value, 2**256 - 3)
    assert done.events["BetSettled"]["rollsPlayed"] == 100
    assert done.gas_used < allowance + 60_000  # the mock coordinator's own work around the callback


def test_a_disabled_configuration_refuses_new_bets_and_settles_open_ones(
    game: Any, owner: Any, coordinator: Any, alice: Any, funded: int, reverts_with: Any
) -> None:
    choice = weighted.encode_choice(2)
    placed = game.placeBet(ETH, 10**16, choice, 0, {"from": alice})
    tx = game.setConfigEnabled(2, False, {"from": owner})
    assert tx.events["ConfigEnabled"]["enabled"] is False
    assert game.configOf(2)[0][5] is False
    with reverts_with("ConfigDisabled"):
        game.placeBet(ETH, 10**16, choice, 0, {"from": alice})
    with reverts_with("ConfigDisabled"):
        game.quote(ETH, 10**16, choice)
    config = CONFIGS[game._name][1]  # configuration 2
    settled = deliver(coordinator, placed.return_value, 12345).events["BetSettled"]
    expected = 10**16 * config.multipliers[weighted.segment(config, 12345)] // 10_000
    assert (settled["rollsPlayed"], settled["payout"]) == (1, expected)
    assert bet_status(game, placed) == CLOSED
    game.setConfigEnabled(2, True, {"from": owner})
    game.placeBet(ETH, 10**16, choice, 0, {"from": alice})


def test_an_expired_bet_ends_with_the_configurations_maximum(
    game: Any, vault: Any, coordinator: Any, alice: Any, funded: int
) -> None:
    stake = 10**16
    max_payout = tables(game).roll_terms(stake, weighted.encode_choice(3), 0)[0]
    before = vault.balanceOf(alice, ETH)
    tx = game.placeBet(ETH, stake, weighted.encode_choice(3), 0, {"from": alice})
    expired = expire_past_deadline(coordinator, tx.return_value)
    assert expired.events["BetTimedOut"]["payout"] == max_payout
    assert vault.balanceOf(alice, ETH) == before - stake + max_payout


def test_bad_bets_are_refused(game: Any, vault: Any, owner: Any, alice: Any, funded: int, reverts_with: Any) -> None:
    for choice in (b"", weighted.encode_choice(1)[:31], weighted.encode_choice(1) + b"\x00", b"\x01" + bytes(31)):
        with reverts_with("BadChoice"):
            game.placeBet(ETH, 10**16, choice, 0, {"from": alice})
    for config_id in (0, 99):
        with reverts_with("UnknownConfig"):
            game.placeBet(ETH, 10**16, weighted.encode_choice(config_id), 0, {"from": alice})
        with reverts_with("UnknownConfig"):
            game.outcomesOf([1], 10**16, weighted.encode_choice(config_id), 0)
        with reverts_with("UnknownConfig"):
            game.setConfigEnabled(config_id, False, {"from": owner})
    with reverts_with("EdgeAboveCap"):
        game.configureToken(ETH, True, MIN_STAKE, MAX_STAKE, 1, {"from": owner})
    with reverts_with("EdgeAboveCap"):
        game.outcomesOf([1], 10**16, weighted.encode_choice(1), 1)
    # the exposure cap reserves by the configuration's true maximum: stake x (max multiplier - 1)
    room = int(vault.maxReserve(ETH))
    stake = room * 10_000 // (CONFIGS[game._name][2].max_multiplier - 10_000) + ETHER // 10
    game.configureToken(ETH, True, MIN_STAKE, 1_000 * ETHER, 0, {"from": owner})
    vault.depositFor(alice, ETH, 200 * ETHER, {"from": alice, "value": 200 * ETHER})
    with reverts_with("ExposureTooHigh"):
        game.placeBet(ETH, stake, weighted.encode_choice(3), 0, {"from": alice})
    with reverts_with("OwnableUnauthorizedAccount"):
        game.setConfigEnabled(1, False, {"from": alice})


def test_wheel_configurations_are_checked(
    owner: Any, alice: Any, vault: Any, coordinator: Any, registry: Any, reverts_with: Any
) -> None:
    game = deploy("Wheel", owner, vault, coordinator, registry)
    for weights, multipliers, risk, error in BAD_CONFIGURATIONS:
        with reverts_with(error):
            game.addConfig(weights, multipliers, risk, {"from": owner})
    with reverts_with("OwnableUnauthorizedAccount"):
        game.addConfig((1, 1), (19_400, 0), 0, {"from": alice})
    assert game.configCount() == 3
    # 1 wei on a wheel paying at most 1.5x pays at most 1: nothing to win
    game.configureToken(ETH, True, 1, MAX_STAKE, 0, {"from": owner})
    with reverts_with("PayoutNotAboveStake"):
        game.placeBet(ETH, 1, weighted.encode_choice(1), 0, {"from": alice})
    tx = game.addConfig((1, 1), (19_600, 0), 2, {"from": owner})  # exactly 98 %: allowed
    event = tx.events["ConfigAdded"]
    assert (event["configId"], event["risk"], event["totalWeight"], event["weightedSum"]) == (4, 2, 2, 19_600)
    assert (tuple(event["weights"]), tuple(event["multipliers"])) == ((1, 1), (19_600, 0))


def test_plinko_boards_are_checked(
    owner: Any, alice: Any, vault: Any, coordinator: Any, registry: Any, reverts_with: Any
) -> None:
    """Governance names the rows; the weights are the paths to each slot, computed on chain."""
    game = deploy("Plinko", owner, vault, coordinator, registry)
    table = plinko.default_board(10, 1).multipliers
    for rows in (7, 17):
        with reverts_with("BadRows"):
            game.addConfig(rows, 1, table, {"from": owner})
    with reverts_with("LengthMismatch"):
        game.addConfig(11, 1, table, {"from": owner})
    lopsided = list(table)
    lopsided[2] += 1
    with reverts_with("NotSymmetric"):
        game.addConfig(10, 1, lopsided, {"from": owner})
    generous = [m * 2 for m in table]
    with reverts_with("RtpOutOfRange"):
        game.addConfig(10, 1, generous, {"from": owner})
    with reverts_with("BadRisk"):
        game.addConfig(10, 3, table, {"from": owner})
    with reverts_with("OwnableUnauthorizedAccount"):
        game.addConfig(10, 1, table, {"from": alice})
    event = game.addConfig(10, 1, table, {"from": owner}).events["ConfigAdded"]
    assert tuple(event["weights"]) == plinko.slot_weights(10) and event["totalWeight"] == 2**10
