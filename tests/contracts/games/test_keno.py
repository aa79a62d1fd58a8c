"""Keno unit tests: payout tables (the caps on RTP and multipliers, ids immutable once added,
disabling), every bad choice, the terms of a bet (true maximum payout, house edge) against the
Python rules, settlement of single and multi-roll bets, and expiry paying the maximum payout."""

from __future__ import annotations

import random
from typing import Any

import pytest
from brownie import Keno, accounts
from brownie.exceptions import VirtualMachineError
from chance_support import (
    LOCK_DURATION,
    MAX_STAKE,
    MIN_STAKE,
    commitments_of,
    deliver,
    deploy_chance_game,
    edge_fee,
    expire_past_deadline,
    fulfil_all,
    placed_bet,
)
from contract_support import ETHER, wire_registry
from eth_abi import encode

from fairstake.manifest import ETH
from fairstake.rules import keno as rules
from fairstake.rules import multiroll
from ops.games.keno import DEFAULT_TABLE, KENO_CALLBACK_GAS

TABLE_ID = 7
RULES = rules.Tables({TABLE_ID: DEFAULT_TABLE})


def _row_replaced(picks: int, row: list[int]) -> list[list[int]]:
    table = [list(r) for r in DEFAULT_TABLE]
    table[picks - 1] = row
    return table


def _choice(numbers: list[int], table_id: int = TABLE_ID) -> bytes:
    return rules.encode_choice(table_id, rules.mask_of(numbers))


@pytest.fixture(scope="module")
def keno(owner: Any, vault: Any, coordinator: Any, registry: Any, bankroll: None) -> Any:
    game = deploy_chance_game(Keno, owner, vault, coordinator, registry, None, KENO_CALLBACK_GAS, edge_bps=0)
    game.addTable(TABLE_ID, DEFAULT_TABLE, {"from": owner})
    return game


# ------------------------------------------------------------------ tables


def test_added_table_reads_back_enabled(keno: Any) -> None:
    added, enabled, multipliers = keno.tableOf(TABLE_ID)
    assert added and enabled
    assert tuple(tuple(row) for row in multipliers) == rules.check_table(DEFAULT_TABLE)
    assert keno.tableOf(TABLE_ID + 1) == (False, False, ())


def test_table_ids_are_immutable_and_owner_only(keno: Any, owner: Any, alice: Any, reverts_with: Any) -> None:
    with reverts_with("TableExists"):
        keno.addTable(TABLE_ID, DEFAULT_TABLE, {"from": owner})
    with reverts_with("OwnableUnauthorizedAccount"):
        keno.addTable(TABLE_ID + 1, DEFAULT_TABLE, {"from": alice})
    with reverts_with("OwnableUnauthorizedAccount"):
        keno.setTableEnabled(TABLE_ID, False, {"from": alice})
    with reverts_with("UnknownTable"):
        keno.setTableEnabled(TABLE_ID + 1, False, {"from": owner})


@pytest.mark.parametrize(
    ("table", "error"),
    [
        (DEFAULT_TABLE[:9], "BadTableRows"),
        (_row_replaced(3, [0, 0, 37_500]), "BadRowLength"),
        (_row_replaced(1, [0, 1_000_000_001]), "MultiplierAboveCap"),
        (_row_replaced(2, [9_600, 10_000, 10_000]), "RowPaysNoWin"),
        (_row_replaced(1, [0, 39_201]), "RowRtpOutOfRange"),  # 98.0025 %
        (_row_replaced(1, [0, 37_999]), "RowRtpOutOfRange"),  # 94.9975 %
        (_row_replaced(10, [0, 0, 0, 0, 15_000, 50_000, 250_000, 1_000_000, 5_000_000, 50_000_000, 100_000_000]), None),
    ],
    ids=["rows", "row-length", "multiplier-cap", "no-win", "rtp-above", "rtp-below", "rtp-below-row-10"],
)
def test_tables_outside_the_caps_are_refused_as_the_rules_refuse_them(
    keno: Any, owner: Any, reverts_with: Any, table: list[list[int]], error: str | None
) -> None:
    with pytest.raises(ValueError):
        rules.check_table(table)
    with reverts_with(error or "RowRtpOutOfRange"):
        keno.addTable(99, table, {"from": owner})


def test_tables_at_the_caps_are_accepted(keno: Any, owner: Any) -> None:
    for table_id, one_pick in ((20, [0, 39_200]), (21, [0, 38_000])):  # RTP exactly 98 % and 95 %
        table = _row_replaced(1, one_pick)
        rules.check_table(table)
        keno.addTable(table_id, table, {"from": owner})
        assert list(keno.tableOf(table_id)[2][0]) == one_pick


def test_refusal_reports_the_row_and_its_rtp(keno: Any, owner: Any) -> None:
    with pytest.raises(VirtualMachineError) as caught:
        keno.addTable(99, _row_replaced(1, [0, 39_201]), {"from": owner})
    # 1 pick wins 1/4 of the draws: 39,201 / 4 = 9,800.25 bps, reported rounded up
    assert "RowRtpOutOfRange: 1, 9801, 9500, 9800" in str(caught.value.revert_msg)


def test_disabled_table_refuses_new_bets_and_settles_open_ones(
    keno: Any, coordinator: Any, vault: Any, owner: Any, alice: Any, funded: int, reverts_with: Any
) -> None:
    choice = _choice([1, 2, 3])
    bet_id = keno.placeBet(ETH, ETHER // 100, choice, 0, {"from": alice}).return_value
    keno.setTableEnabled(TABLE_ID, False, {"from": owner})
    with reverts_with("TableDisabled"):
        keno.placeBet(ETH, ETHER // 100, choice, 0, {"from": alice})
    with reverts_with("TableDisabled"):
        keno.quote(ETH, ETHER // 100, choice)
    word = 0  # draws 1..10: three hits
    settled = deliver(coordinator, bet_id, word).events["BetSettled"]
    assert settled["payout"] == rules.roll_payout(ETHER // 100, choice, 0, word, DEFAULT_TABLE) > 0
    keno.setTableEnabled(TABLE_ID, True, {"from": owner})
    keno.placeBet(ETH, ETHER // 100, choice, 0, {"from": alice})


def test_the_edge_is_the_tables(keno: Any, owner: Any, reverts_with: Any) -> None:
    with reverts_with("EdgeAboveCap"):
        keno.configureToken(ETH, True, MIN_STAKE, MAX_STAKE, 1, {"from": owner})


# ------------------------------------------------------------------ choices


@pytest.mark.parametrize(
    ("choice", "error"),
    [
        (b"", "BadChoice"),
        (bytes(63), "BadChoice"),
        (encode(["uint256", "uint256"], [2**32, 1]), "BadChoice"),
        (encode(["uint256", "uint256"], [TABLE_ID, 2**64]), "BadChoice"),
        (rules.encode_choice(TABLE_ID, 0), "BadPicks"),
        (rules.encode_choice(TABLE_ID, (1 << 11) - 1), "BadPicks"),
        (rules.encode_choice(TABLE_ID, 1 << 40), "BadPicks"),
        (rules.encode_choice(TABLE_ID + 1, 1), "UnknownTable"),
    ],
    ids=["empty", "short", "table-id", "mask-word", "no-pick", "eleven", "number-41", "table"],
)
def test_bad_choices_are_refused(
    keno: Any, alice: Any, funded: int, reverts_with: Any, choice: bytes, error: str
) -> None:
    with reverts_with(error):
        keno.quote(ETH, ETHER // 100, choice)
    with reverts_with(error):
        keno.placeBet(ETH, ETHER // 100, choice, 0, {"from": alice})


# ------------------------------------------------------------------ terms and settlement


def test_quotes_are_the_rules_terms(keno: Any) -> None:
    rng = random.Random(3)
    for picks in range(1, 11):
        for stake in (MIN_STAKE, rng.randrange(MIN_STAKE, MAX_STAKE), MAX_STAKE, 10**15 + 7):
            choice = _choice(rng.sample(range(1, 41), picks))
            max_payout, house_edge = keno.quote(ETH, stake, choice)
            assert (max_payout, house_edge) == rules.roll_terms(stake, choice, 0, DEFAULT_TABLE)
            # the true maximum: some outcome pays it (every hit count can happen)
            assert max_payout == max(rules.payout(stake, m) for m in DEFAULT_TABLE[picks - 1])


def test_outcomes_of_thousands_of_words_are_the_rules(keno: Any) -> None:
    rng = random.Random(11)
    for picks in (1, 4, 10):
        choice = _choice(rng.sample(range(1, 41), picks))
        words = [rng.getrandbits(256) for _ in range(400)]
        payouts = keno.outcomesOf(words, ETHER, choice, 0)
        assert list(payouts) == [rules.roll_payout(ETHER, choice, 0, w, DEFAULT_TABLE) for w in words]


def test_eight_hits_and_more_pay_the_rules_in_one_roll_and_many(keno: Any) -> None:
    """8..10 hits, which random picks almost never reach, price on a row's second slot: picks
    made from a word's own draw (8, 9 or 10 picks) pay as the rules pay, through `outcomeOf` (a
    one-roll bet's path) and `outcomesOf` (a multi-roll bet's prepared row)."""
    rng = random.Random(23)
    paid_over_stake = 0
    for _ in range(4):
        word = rng.getrandbits(256)
        drawn = list(rules.draw(word))
        others = [n for n in range(1, 41) if n not in drawn]
        for picks in (8, 9, 10):
            for hit_count in range(8, picks + 1):
                choice = _choice(rng.sample(drawn, hit_count) + rng.sample(others, picks - hit_count))
                assert rules.hits(rules.decode_choice(choice)[1], word) == hit_count
                expected = rules.roll_payout(ETHER, choice, 0, word, DEFAULT_TABLE)
                assert keno.outcomeOf(word, ETHER, choice, 0) == expected
                assert keno.outcomesOf([word, word ^ 1], ETHER, choice, 0)[0] == expected
                paid_over_stake += expected > ETHER
    assert paid_over_stake > 0  # the table pays for these hit counts, so a wrong slot shows


def test_settled_bets_pay_the_rules(keno: Any, coordinator: Any, vault: Any, alice: Any, funded: int) -> None:
    rng = random.Random(17)
    for _ in range(12):
        picks = rng.randint(1, 10)
        choice = _choice(rng.sample(range(1, 41), picks))
        stake = rng.randrange(MIN_STAKE, ETHER // 100)
        tx = keno.placeBet(ETH, stake, choice, 0, {"from": alice})
        placed = placed_bet(tx)
        max_payout, house_edge = rules.roll_terms(stake, choice, 0, DEFAULT_TABLE)
        assert (placed["maxPayout"], placed["fee"], placed["choice"]) == (
            max_payout,
            edge_fee(vault, house_edge),
            "0x" + choice.hex(),
        )
        before = vault.balanceOf(alice, ETH)
        word = rng.getrandbits(256)
        settled = deliver(coordinator, tx.return_value, word).events["BetSettled"]
        paid = rules.roll_payout(stake, choice, 0, word, DEFAULT_TABLE)
        assert (settled["rollsPlayed"], settled["payout"]) == (1, paid)
        assert vault.balanceOf(alice, ETH) == before + paid


def test_multi_roll_bets_settle_every_roll_by_the_rules(
    keno: Any, coordinator: Any, vault: Any, alice: Any, funded: int
) -> None:
    rng = random.Random(23)
    stake = 10**15
    for rolls, stop_gain, stop_loss in ((10, 0, 0), (25, 0, 5 * stake), (40, stake, 0), (100, 0, 0)):
        choice = _choice(rng.sample(range(1, 41), rng.randint(1, 4)))  # at most 100x: 100 rolls fit the room
        tx = keno.placeMultiBet(ETH, stake, choice, rolls, stop_gain, stop_loss, 0, {"from": alice})
        assert tx.events["Locked"]["maxPayout"] == rolls * rules.roll_terms(stake, choice, 0, DEFAULT_TABLE)[0]
        before = vault.balanceOf(alice, ETH)
        word = rng.getrandbits(256)
        settled = deliver(coordinator, tx.return_value, word).events["BetSettled"]
        expected = multiroll.play(RULES, word, stake, choice, 0, rolls, stop_gain, stop_loss)
        assert (settled["rollsPlayed"], settled["payout"]) == (expected.rolls_played, expected.payout)
        assert vault.balanceOf(alice, ETH) == before + expected.payout


def test_exposure_cap_refuses_a_bet_by_its_true_maximum(
    keno: Any, vault: Any, alice: Any, funded: int, reverts_with: Any
) -> None:
    """Ten picks pay at most 10,000x: a stake whose maximum passes the Vault's room is refused,
    although its expected payout is below the stake."""
    room = int(vault.maxReserve(ETH))
    choice = _choice(list(range(1, 11)))
    stake = room // 9_000
    max_payout, _ = rules.roll_terms(stake, choice, 0, DEFAULT_TABLE)
    assert max_payout - stake > room
    with reverts_with("ExposureTooHigh"):
        keno.placeBet(ETH, stake, choice, 0, {"from": alice})


def test_expiry_pays_the_maximum_from_the_bond(
    keno: Any, coordinator: Any, vault: Any, alice: Any, funded: int
) -> None:
    stake, rolls = 10**15, 3
    choice = _choice([5, 6])
    tx = keno.placeMultiBet(ETH, stake, choice, rolls, 0, 0, 0, {"from": alice})
    before = vault.balanceOf(alice, ETH)
    expire_past_deadline(coordinator, tx.return_value)
    max_payout = rolls * rules.roll_terms(stake, choice, 0, DEFAULT_TABLE)[0]
    assert vault.balanceOf(alice, ETH) == before + max_payout


def test_a_hundred_roll_bet_fits_the_deployed_callback_gas_and_settles_with_a_real_proof(
    owner: Any,
    vault: Any,
    registry: Any,
    real_coordinator: Any,
    real_key_hash: str,
    alice: Any,
    funded: int,
    reverts_with: Any,
) -> None:
    """A bet asks callbackGasLimit + (rolls - 1) x ROLL_GAS of callback gas, which the coordinator
    caps (ops.deploy.MAX_CALLBACK_GAS as `up` deploys it): with the deployment's Keno callback gas a
    bet of the engine's 100 rolls is accepted, its callback gets the gas it asked and settles every
    roll as the multi-roll model says; a 101st roll is refused before anything is locked."""
    from ops.deploy import MAX_CALLBACK_GAS
    from oracle import ecvrf

    game = Keno.deploy((owner, vault, real_coordinator, registry, KENO_CALLBACK_GAS), LOCK_DURATION, {"from": owner})
    wire_registry(vault, registry, owner)
    vault.setGame(game, True, {"from": owner})
    real_coordinator.setConsumer(game, real_key_hash, {"from": owner})
    game.configureToken(ETH, True, MIN_STAKE, MAX_STAKE, 0, {"from": owner})
    game.addTable(TABLE_ID, DEFAULT_TABLE, {"from": owner})
    assert real_coordinator.maxCallbackGasLimit() == MAX_CALLBACK_GAS
    assert KENO_CALLBACK_GAS + 99 * game.ROLL_GAS() <= MAX_CALLBACK_GAS
    choice = _choice([3, 14, 27])
    balance = vault.balanceOf(alice, ETH)
    with reverts_with("BadRolls"):
        game.placeMultiBet(ETH, MIN_STAKE, choice, 101, 0, 0, 0, {"from": alice})
    assert vault.balanceOf(alice, ETH) == balance

    placed = game.placeMultiBet(ETH, MIN_STAKE, choice, 100, 0, 0, 0, {"from": alice})
    tx, outputs = fulfil_all(real_coordinator, commitments_of(placed), accounts[7])
    (fulfilled,) = tx.events["RandomnessFulfilled"]
    assert fulfilled["callbackSuccess"]
    word = ecvrf.random_words(outputs[0], 1)[0]
    expected = multiroll.play(RULES, word, MIN_STAKE, choice, 0, 100)
    (settled,) = tx.events["BetSettled"]
    assert (settled["rollsPlayed"], settled["payout"]) == (100, expected.payout)
    assert vault.balanceOf(alice, ETH) == balance - 100 * MIN_STAKE + expected.payout
