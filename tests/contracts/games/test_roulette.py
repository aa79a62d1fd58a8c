"""Roulette on the chance-game engine: its cap, its bad input, the true maximum over the 37
pockets that it locks and reserves (and the exposure cap refusing by it), settlement of bets
over several number sets and of multi-roll bets, the callback's gas for the largest bets, and
an expired spin paid from the bond. (The engine's own rules are tested through Dice.)"""

from __future__ import annotations

import itertools
from typing import Any

import brownie
from brownie import web3
from chance_support import (
    AWAITING_REFUND,
    CLOSED,
    EDGE_BPS,
    ROULETTE_CALLBACK_GAS,
    assert_expiry_pays_from_bond,
    assert_vault_solvent,
    deliver,
    edge_fee,
    mapping_entry_holding,
    placed_bet,
    storage_word,
)
from contract_support import ETHER, lock_record, lock_terms

from fairstake.manifest import ETH
from fairstake.rules import multiroll
from fairstake.rules import roulette as rules

# Written out here, not taken from the rules module: the European wheel's reds.
REDS = {1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36}


def mask(numbers: set[int] | list[int]) -> int:
    return sum(1 << n for n in set(numbers))


def model_pays(sets: list[tuple[set[int], int]], pocket: int, edge: int = EDGE_BPS) -> int:
    return sum(part * 36 * (10_000 - edge) // (len(nums) * 10_000) for nums, part in sets if pocket in nums)


def choice_of(sets: list[tuple[set[int], int]]) -> bytes:
    return rules.encode_choice([mask(nums) for nums, _ in sets], [part for _, part in sets])


def test_the_edge_cap_is_two_percent_over_the_zero(roulette: Any, owner: Any, reverts_with: Any) -> None:
    assert roulette.maxEdgeBps() == roulette.MAX_EDGE_BPS() == 200
    roulette.configureToken(ETH, True, 1, ETHER, 200, {"from": owner})
    with reverts_with("EdgeAboveCap"):
        roulette.configureToken(ETH, True, 1, ETHER, 201, {"from": owner})


def test_bad_bets_are_refused_with_their_numbers(roulette: Any, alice: Any, funded: int) -> None:
    stake = ETHER // 10
    for choice, error in (
        (b"\x00" * 64, "BadChoice: "),
        (
            rules.encode_choice([mask({1})] * 17, [stake // 17] * 16 + [stake - 16 * (stake // 17)]),
            "BadSetCount: 17, 16",
        ),
        (rules.encode_choice([mask({1}), 0], [stake - 1, 1]), "BadNumberSet: 1, 0"),
        (rules.encode_choice([mask({1}), 1 << 40], [stake - 1, 1]), f"BadNumberSet: 1, {1 << 40}"),
        (rules.encode_choice([mask({1}), mask({2})], [stake, 0]), "ZeroPart: 1"),
        (rules.encode_choice([mask({1}), mask({2})], [stake, 1]), f"PartsNotStake: {stake + 1}, {stake}"),
        (rules.encode_choice([rules.ALL_POCKETS], [stake]), "PayoutNotAboveStake: "),
    ):
        with brownie.reverts(revert_pattern=f"{error}.*" if error.endswith(": ") else error):
            roulette.placeBet(ETH, stake, choice, 0, {"from": alice})


def test_a_bet_locks_and_reserves_its_true_maximum(
    roulette: Any, vault: Any, coordinator: Any, alice: Any, funded: int
) -> None:
    """Red, 19 (red) and 17 (black): 19 pays red and its straight together, the most of any pocket,
    more than the largest single set pays; the lock and the bond reserve exactly that."""
    part = ETHER // 10
    sets = [(REDS, 4 * part), ({19}, part), ({17}, part)]
    most = max(model_pays(sets, pocket) for pocket in range(37))
    assert most == model_pays(sets, 19) > model_pays(sets, 17)
    tx = roulette.placeBet(ETH, 6 * part, choice_of(sets), 0, {"from": alice})
    event = placed_bet(tx)
    expected37 = sum(model_pays(sets, pocket) for pocket in range(37))
    assert (event["maxPayout"], event["fee"]) == (most, edge_fee(vault, 6 * part - -(-expected37 // 37)))
    lock = lock_record(vault, event["lockId"])
    assert (lock["amount"], lock["maxPayout"]) == (6 * part, most)
    assert tuple(coordinator.slashOf(tx.return_value)) == (ETH, most, alice, most - 6 * part, True)


def test_the_exposure_cap_refuses_by_the_true_maximum(
    roulette: Any, vault: Any, owner: Any, alice: Any, reverts_with: Any
) -> None:
    """The bankroll reserves maxPayout - stake; 3 ETH on one number would need ~104 ETH of the
    100 ETH the risk fraction allows, 3 ETH on red ~3 ETH."""
    roulette.configureToken(ETH, True, 1, 100 * ETHER, EDGE_BPS, {"from": owner})
    vault.depositFor(alice, ETH, 10 * ETHER, {"from": alice, "value": 10 * ETHER})
    reserve = vault.bankrollAssets(ETH) * vault.riskFractionBps(ETH) // 10_000 - vault.bankrollReserved(ETH)
    straight = rules.encode_choice([mask({7})], [3 * ETHER])
    assert model_pays([({7}, 3 * ETHER)], 7) - 3 * ETHER > reserve
    with reverts_with("ExposureTooHigh"):
        roulette.placeBet(ETH, 3 * ETHER, straight, 0, {"from": alice})
    roulette.placeBet(ETH, 3 * ETHER, rules.encode_choice([mask(REDS)], [3 * ETHER]), 0, {"from": alice})


def test_every_set_holding_the_pocket_pays(
    roulette: Any, vault: Any, coordinator: Any, alice: Any, funded: int
) -> None:
    part = 10**16
    sets = [
        (REDS, 6 * part),
        (set(range(1, 37, 2)), 3 * part),  # odd
        ({0, 1, 2, 3}, part),  # first four
        ({1, 2, 4, 5}, part),  # corner
        ({0}, part),
        (set(range(1, 13)), 2 * part),  # first dozen
    ]
    stake, choice = 14 * part, choice_of(sets)
    for pocket in (0, 1, 2, 5, 17, 36):
        before = vault.balanceOf(alice, ETH)
        bet_id = roulette.placeBet(ETH, stake, choice, 0, {"from": alice}).return_value
        settled = deliver(coordinator, bet_id, 37 * 12345 + pocket).events["BetSettled"]
        assert settled["payout"] == model_pays(sets, pocket), pocket
        assert vault.balanceOf(alice, ETH) == before - stake + model_pays(sets, pocket)
    assert_vault_solvent(vault, ETH)


def test_the_largest_bets_settle_within_their_callback_gas(
    roulette: Any, vault: Any, coordinator: Any, alice: Any, funded: int
) -> None:
    """16 sets (disjoint, or all holding every pocket a spin lands in: each spin pays all 16) for
    1 and for 100 rolls: the engine forwards callbackGasLimit plus Roulette's per-roll gas for each
    roll after the first, the settlement fits in it, and a 100-roll bet's request fits the
    coordinator's callback gas cap as deployed."""
    from ops.deploy import MAX_CALLBACK_GAS

    assert ROULETTE_CALLBACK_GAS + 99 * roulette.ROLL_GAS() <= MAX_CALLBACK_GAS
    disjoint = [(set(range(n, 37, 16)), 10**14) for n in range(16)]
    overlapping = [(set(range(37)), 10**14)] * 15 + [({(2**254 + 3) % 37}, 10**14)]
    for sets, rolls in itertools.product((disjoint, overlapping), (1, 100)):
        tx = roulette.placeMultiBet(ETH, 16 * 10**14, choice_of(sets), rolls, 0, 0, 0, {"from": alice})
        # the event's id: ganache cannot return the trace of the overlapping bet's placing
        bet_id = tx.events["BetPlaced"]["betId"]
        limit = coordinator.requests(bet_id)["callbackGasLimit"]
        assert limit == ROULETTE_CALLBACK_GAS + (rolls - 1) * roulette.ROLL_GAS()
        delivered = deliver(coordinator, bet_id, 2**254 + 3)
        assert delivered.events["Delivered"]["callbackSuccess"]
        assert delivered.events["Delivered"]["gasUsed"] < limit
        model = multiroll.play(rules, 2**254 + 3, 16 * 10**14, choice_of(sets), EDGE_BPS, rolls)
        assert delivered.events["BetSettled"]["payout"] == model.payout
    assert_vault_solvent(vault, ETH)


def test_an_expired_spin_pays_its_true_maximum_from_the_bond(
    roulette: Any, vault: Any, coordinator: Any, alice: Any, funded: int
) -> None:
    sets = [(REDS, ETHER // 2), ({19}, ETHER // 2)]
    tx = roulette.placeMultiBet(ETH, ETHER, choice_of(sets), 3, 0, 0, 0, {"from": alice})
    assert tx.events["Locked"]["maxPayout"] == 3 * model_pays(sets, 19)
    assert_expiry_pays_from_bond(vault, coordinator, alice, tx)
    assert_vault_solvent(vault, ETH)


def test_a_choice_that_does_not_pack_is_kept_until_the_bet_resolves(
    roulette: Any, vault: Any, coordinator: Any, owner: Any, alice: Any, outsider: Any, funded: int
) -> None:
    """A Roulette choice (two dynamic arrays) does not fit the request's data word, so the game
    keeps it, with the bet's stops, until the bet settles, expires or is refunded; then both go.
    The settlement follows the Python model over every roll, the stops included."""
    part = 10**15
    sets = [(REDS, 2 * part), ({0, 1, 2, 3}, part), ({17}, part)]
    stake, rolls, choice = 4 * part, 12, choice_of(sets)
    stop_gain, stop_loss = 5 * part, 6 * part
    words = (len(choice) + 31) // 32

    def place() -> tuple[Any, int, int]:
        tx = roulette.placeMultiBet(ETH, stake, choice, rolls, stop_gain, stop_loss, 0, {"from": alice})
        bet_id = tx.events["BetPlaced"]["betId"]
        # a long `bytes` in storage: its slot holds 2 * length + 1, its words start at keccak(slot)
        kept = mapping_entry_holding(roulette, bet_id, 2 * len(choice) + 1)
        start = int.from_bytes(web3.keccak(kept.to_bytes(32, "big")), "big")
        assert b"".join(storage_word(roulette, start + i).to_bytes(32, "big") for i in range(words)) == choice
        return tx, kept, mapping_entry_holding(roulette, bet_id, stop_gain | stop_loss << 128)

    def assert_nothing_kept(kept: int, stops: int) -> None:
        start = int.from_bytes(web3.keccak(kept.to_bytes(32, "big")), "big")
        assert storage_word(roulette, kept) == storage_word(roulette, stops) == 0
        assert all(storage_word(roulette, start + i) == 0 for i in range(words))

    for word in (2**254 + 3, 7 * 37**3 + 17, 2**256 - 1):
        tx, kept, stops = place()
        before = vault.balanceOf(alice, ETH)
        settled = deliver(coordinator, tx.events["BetPlaced"]["betId"], word).events["BetSettled"]
        model = multiroll.play(rules, word, stake, choice, EDGE_BPS, rolls, stop_gain, stop_loss)
        assert (settled["rollsPlayed"], settled["payout"]) == (model.rolls_played, model.payout)
        assert vault.balanceOf(alice, ETH) == before + model.payout
        assert_nothing_kept(kept, stops)
        assert roulette.betStatusOf(tx.events["Locked"]["lockId"])[1] == CLOSED

    tx, kept, stops = place()
    assert_expiry_pays_from_bond(vault, coordinator, alice, tx)
    assert_nothing_kept(kept, stops)

    roulette.setCallbackGasLimit(30_000, {"from": owner})  # too little to settle
    tx, kept, stops = place()
    assert not coordinator.deliver(tx.events["BetPlaced"]["betId"], [3], {"from": outsider}).events["Delivered"][
        "callbackSuccess"
    ]
    lock_id = tx.events["Locked"]["lockId"]
    assert roulette.betStatusOf(lock_id)[1] == AWAITING_REFUND
    before = vault.balanceOf(alice, ETH)
    roulette.settleTimedOut(lock_id, lock_terms(vault, lock_id), {"from": outsider})
    assert vault.balanceOf(alice, ETH) == before + stake * rolls
    assert_nothing_kept(kept, stops)
    assert_vault_solvent(vault, ETH)
