"""Dice unit tests, through it the chance-game engine's: placing (balance, ETH, tokens, batches,
multi-roll), settlement inside the callback (roll-under and roll-over, stops, unplayed stakes),
the bet's status while open and once closed, the timeout rule and its selective-abort economics,
configuration, and every revert path."""

from __future__ import annotations

from typing import Any

import brownie
import pytest
from brownie import ZERO_ADDRESS, Dice, MockCoordinator, SubtleDice, chain
from chance_support import (
    AWAITING_REFUND,
    AWAITING_WORD,
    CLOSED,
    DICE_CALLBACK_GAS,
    EDGE_BPS,
    KEY_HASH,
    LOCK_DURATION,
    MAX_STAKE,
    MIN_STAKE,
    TIMEOUT_BLOCKS,
    USD_MAX_STAKE,
    USD_MIN_STAKE,
    assert_expiry_pays_from_bond,
    assert_vault_solvent,
    bet_status,
    deliver,
    deploy_chance_game,
    deploy_dice,
    dice_choice,
    edge_fee,
    expire_past_deadline,
    mapping_entry_holding,
    placed_bet,
    placed_bets,
    storage_word,
    word_for_roll,
)
from contract_support import ETHER, USD, gas_cost, lock_record, lock_terms, token_balance

from fairstake.manifest import ETH
from fairstake.rules import bankroll as bankroll_rules
from fairstake.rules import dice as rules
from fairstake.rules import multiroll

NO_DATA = "0x" + "00" * 32


def _place(dice: Any, player: Any, stake: int = ETHER, target: int = 50, token: str = ETH, over: bool = False) -> Any:
    return dice.placeBet(token, stake, dice_choice(target, over), 0, {"from": player})


def _fee(vault: Any, stake: int, target: int, over: bool = False) -> int:
    """The protocol fee a bet pays at its lock, by the Python model: the fee share of its edge."""
    return bankroll_rules.protocol_fee(rules.house_edge(stake, target, EDGE_BPS, over), vault.protocolFeeBps())


# ------------------------------------------------------------------ placing


def test_place_from_balance_locks_stake_and_requests(
    dice: Any, vault: Any, coordinator: Any, registry: Any, alice: Any, funded: int
) -> None:
    tx = _place(dice, alice, ETHER, 30)
    event = placed_bet(tx)  # BetPlaced joined with its request's data word and its Locked
    bet_id = tx.return_value
    payout = rules.payout_if_win(ETHER, 30, EDGE_BPS)
    assert event["betId"] == bet_id
    assert (event["player"], event["token"], event["stake"], bytes(event["choice"])) == (
        alice,
        ETH,
        ETHER,
        dice_choice(30),
    )
    assert (event["rolls"], event["stopGain"], event["stopLoss"], event["edgeBps"]) == (1, 0, 0, EDGE_BPS)
    assert event["maxPayout"] == payout
    assert event["fee"] == edge_fee(vault, rules.house_edge(ETHER, 30, EDGE_BPS))
    lock = lock_record(vault, event["lockId"])
    assert lock["player"] == alice and lock["amount"] == ETHER and lock["maxPayout"] == payout
    assert lock["game"] == dice and lock["poolId"] == 0
    assert lock["deadline"] == chain[tx.block_number].timestamp + LOCK_DURATION
    assert vault.balanceOf(alice, ETH) == funded - ETHER
    assert coordinator.isPending(bet_id)
    request = coordinator.requests(bet_id)
    assert request["consumer"] == dice and request["callbackGasLimit"] == DICE_CALLBACK_GAS
    assert registry.staked(alice, ETH) == ETHER
    # the bet is named by its lock: the Vault's newest of the token, and the request's salt
    assert event["lockId"] == vault.nextLockId(ETH) - 1
    assert bet_status(dice, tx) == AWAITING_WORD
    # the bet reserves its win payout from the oracle bond: W - stake to the player, the stake to LPs
    assert tuple(coordinator.slashOf(bet_id)) == (ETH, payout, alice, payout - ETHER, True)
    assert dice.balance() == 0


def test_place_with_eth_deposits_in_the_same_call(dice: Any, vault: Any, alice: Any) -> None:
    tx = dice.placeBet(ETH, ETHER, dice_choice(50), 3 * ETHER, {"from": alice, "value": 3 * ETHER})
    assert vault.balanceOf(alice, ETH) == 2 * ETHER
    assert lock_record(vault, tx.events["Locked"]["lockId"])["amount"] == ETHER
    assert dice.balance() == 0


def test_place_with_tokens_pulls_the_approval(dice: Any, vault: Any, usds: Any, alice: Any) -> None:
    usds.mint(alice, 100 * USD, {"from": alice})
    usds.approve(vault, 100 * USD, {"from": alice})
    tx = dice.placeBet(usds, 20 * USD, dice_choice(50), 100 * USD, {"from": alice})
    assert usds.balanceOf(alice) == 0
    assert vault.balanceOf(alice, usds) == 80 * USD
    assert placed_bet(tx)["token"] == usds
    assert usds.balanceOf(dice) == 0


def test_place_several_bets_in_one_call(dice: Any, vault: Any, coordinator: Any, alice: Any) -> None:
    stakes, choices = [ETHER, 2 * ETHER, MIN_STAKE], [dice_choice(10), dice_choice(50, True), dice_choice(90)]
    tx = dice.placeBets(ETH, stakes, choices, 5 * ETHER, {"from": alice, "value": 5 * ETHER})
    bet_ids = tx.return_value
    assert len(set(bet_ids)) == 3
    for event, stake, choice, bet_id in zip(placed_bets(tx), stakes, choices, bet_ids, strict=True):
        assert (event["betId"], event["stake"], bytes(event["choice"])) == (bet_id, stake, choice)
        assert coordinator.isPending(bet_id)
    assert vault.balanceOf(alice, ETH) == 5 * ETHER - sum(stakes)


# ------------------------------------------------------------------ settlement


def test_winning_word_pays_the_win_payout(
    dice: Any, vault: Any, coordinator: Any, registry: Any, alice: Any, funded: int
) -> None:
    placed = _place(dice, alice, ETHER, 50)
    bet_id = placed.return_value
    bankroll_before = vault.bankrollAssets(ETH)
    word = word_for_roll(49)
    tx = deliver(coordinator, bet_id, word)
    payout = rules.payout_if_win(ETHER, 50, EDGE_BPS)
    settled = tx.events["BetSettled"]
    assert (settled["betId"], settled["word"], settled["rollsPlayed"], settled["payout"]) == (bet_id, word, 1, payout)
    assert vault.balanceOf(alice, ETH) == funded - ETHER + payout
    assert vault.bankrollAssets(ETH) == bankroll_before - (payout - ETHER)
    assert vault.bankrollReserved(ETH) == 0
    assert registry.paidOut(alice, ETH) == payout and registry.settledStake(alice, ETH) == ETHER
    # closed once settled: the result is in BetSettled (above) and the balances
    assert bet_status(dice, placed) == CLOSED
    assert_vault_solvent(vault, ETH)


def test_losing_word_keeps_the_stake(dice: Any, vault: Any, coordinator: Any, alice: Any, funded: int) -> None:
    bankroll_before = vault.bankrollAssets(ETH)
    bet_id = _place(dice, alice, ETHER, 50).return_value
    tx = deliver(coordinator, bet_id, word_for_roll(50))
    assert tx.events["BetSettled"]["payout"] == 0
    assert vault.balanceOf(alice, ETH) == funded - ETHER
    # the house keeps the stake; the fee share of the bet's edge left the bankroll at the lock
    fee = _fee(vault, ETHER, 50)
    assert fee == ETHER // 100 * 1_000 // 10_000  # a 1 % edge on an even-money bet, 10 % of it
    assert vault.bankrollAssets(ETH) == bankroll_before + ETHER - fee
    assert vault.accruedFees(ETH) == fee
    assert_vault_solvent(vault, ETH)


def test_settlement_fits_the_callback_gas(dice: Any, coordinator: Any, alice: Any, funded: int) -> None:
    for word in (word_for_roll(0), word_for_roll(99)):
        bet_id = _place(dice, alice).return_value
        tx = deliver(coordinator, bet_id, word)
        used = tx.events["Delivered"]["gasUsed"]
        print(f"dice settle callback gas: {used}")
        assert used < DICE_CALLBACK_GAS


def test_registry_failure_does_not_block_settlement(
    dice: Any, vault: Any, coordinator: Any, registry: Any, alice: Any, funded: int
) -> None:
    bet_id = _place(dice, alice).return_value
    registry.setRevertOnSettle(True, {"from": alice})
    tx = deliver(coordinator, bet_id, word_for_roll(99))
    assert tx.events["BetSettled"]["payout"] == 0
    assert vault.lockedTotal(ETH) == 0


def test_only_the_coordinator_calls_back(
    dice: Any, coordinator: Any, reverts_with: Any, alice: Any, funded: int
) -> None:
    bet_id = _place(dice, alice).return_value
    with reverts_with("NotCoordinator"):
        dice.onRandomness(bet_id, [0], coordinator.slashOf(bet_id), NO_DATA, {"from": alice})
    with reverts_with("NotCoordinator"):
        dice.onRandomnessExpired(bet_id, coordinator.slashOf(bet_id), NO_DATA, {"from": alice})


# ------------------------------------------------------------------ expiry (withheld results)


def test_an_expired_bet_refunds_the_stake_and_the_bond_pays_the_player_the_win(
    dice: Any, vault: Any, coordinator: Any, registry: Any, alice: Any, outsider: Any, funded: int, reverts_with: Any
) -> None:
    """A withheld result: the player ends with the win payout W, the LPs and the protocol exactly
    as if the house had won, and the oracle's bond pays W; nothing comes out of the bankroll."""
    tx = _place(dice, alice, ETHER, 20)
    bet_id, lock_id = tx.return_value, tx.events["Locked"]["lockId"]
    payout = tx.events["Locked"]["maxPayout"]
    terms = lock_terms(vault, lock_id)
    with reverts_with("BetNotTimedOut"):
        dice.settleTimedOut(lock_id, terms, {"from": outsider})
    assets, fees = vault.bankrollAssets(ETH), vault.accruedFees(ETH)
    bond_before = coordinator.balance()
    expired = expire_past_deadline(coordinator, bet_id)
    assert expired.events["Expired"]["callbackSuccess"]
    assert expired.events["BetTimedOut"]["betId"] == bet_id
    assert expired.events["BetTimedOut"]["payout"] == payout
    assert vault.balanceOf(alice, ETH) == funded - ETHER + payout
    # the bet's fee left the bankroll at the lock; the bond's stake arrives whole
    assert tx.events["Locked"]["fee"] == _fee(vault, ETHER, 20) > 0
    assert vault.bankrollAssets(ETH) == assets + ETHER
    assert vault.accruedFees(ETH) == fees
    assert coordinator.balance() == bond_before - payout
    assert registry.paidOut(alice, ETH) == ETHER  # the registry sees a refund
    assert bet_status(dice, tx) == CLOSED
    with reverts_with("NoOpenBet"):
        dice.settleTimedOut(lock_id, terms, {"from": outsider})
    assert_vault_solvent(vault, ETH)


def test_the_vault_backstop_never_undercuts_an_expired_bet(
    dice: Any, vault: Any, coordinator: Any, alice: Any, bob: Any, outsider: Any, funded: int, reverts_with: Any
) -> None:
    """Audit finding 6: a withheld winning result whose player stayed away past the lock deadline
    ended as a plain refund. Now the Vault's backstop refund and the game's expiry unwind the lock
    the same way, and the bond pays the rest whenever the expiry comes: a player offline for a day
    (bob) ends exactly like one who expired at once (alice)."""
    assets = vault.bankrollAssets(ETH)
    prompt = _place(dice, alice, ETHER, 10)
    late = _place(dice, bob, ETHER, 10)
    payout = prompt.events["Locked"]["maxPayout"]
    expire_past_deadline(coordinator, prompt.return_value)

    chain.sleep(LOCK_DURATION + 1)
    chain.mine()
    vault.refund(
        late.events["Locked"]["lockId"], lock_terms(vault, late.events["Locked"]["lockId"]), {"from": outsider}
    )  # the backstop, by anyone
    assert vault.lockOf(late.events["Locked"]["lockId"])[0] == 0  # closed
    # the oracle cannot answer any more: the request is past its deadline
    with reverts_with("RequestExpired"):
        coordinator.deliver(late.return_value, [word_for_roll(0)], {"from": outsider})
    expired = coordinator.expireRequest(late.return_value, {"from": outsider})
    assert expired.events["Expired"]["callbackSuccess"]
    # the backstop already refunded the stake: the expiry refunds nothing more
    assert (expired.events["BetTimedOut"]["betId"], expired.events["BetTimedOut"]["payout"]) == (late.return_value, 0)
    assert vault.balanceOf(alice, ETH) == vault.balanceOf(bob, ETH) == funded - ETHER + payout
    fee = _fee(vault, ETHER, 10)
    assert vault.bankrollAssets(ETH) == assets + 2 * (ETHER - fee)
    assert bet_status(dice, late) == CLOSED
    assert_vault_solvent(vault, ETH)


def test_a_failed_callback_is_refunded_with_the_locks_terms_and_no_others(
    dice: Any,
    vault: Any,
    coordinator: Any,
    owner: Any,
    registry: Any,
    alice: Any,
    outsider: Any,
    funded: int,
    reverts_with: Any,
) -> None:
    """A result whose callback ran out of gas leaves the bet open and its request gone: anyone
    refunds it with the terms of its Locked event. The game keeps none of them, so the Vault's hash
    is what refuses a wrong set: another player, a larger amount, another maxPayout or pool; terms
    naming another game are not this game's bet at all (NoOpenBet)."""
    dice.setCallbackGasLimit(20_000, {"from": owner})  # too little to settle
    tx = _place(dice, alice, ETHER, 50)
    bet_id, lock_id = tx.return_value, tx.events["Locked"]["lockId"]
    assert not coordinator.deliver(bet_id, [word_for_roll(0)], {"from": outsider}).events["Delivered"][
        "callbackSuccess"
    ]
    assert bet_status(dice, tx) == AWAITING_REFUND and not coordinator.isPending(bet_id)
    # the terms as a client reads them from the bet's events (BetPlaced, the Vault's Locked)
    terms = (alice, ETH, dice.address, ETHER, tx.events["Locked"]["maxPayout"], 0)
    assert tuple(lock_terms(vault, lock_id)) == terms
    for field, wrong in ((0, outsider), (3, ETHER + 1), (4, terms[4] + 1), (2, outsider), (5, 1)):
        forged = tuple(wrong if i == field else v for i, v in enumerate(terms))
        with reverts_with("NoOpenBet" if field == 2 else "BadLockTerms"):
            dice.settleTimedOut(lock_id, forged, {"from": outsider})
    assert bet_status(dice, tx) == AWAITING_REFUND
    refunded = dice.settleTimedOut(lock_id, terms, {"from": outsider})
    assert refunded.events["BetTimedOut"]["betId"] == bet_id
    assert refunded.events["BetTimedOut"]["payout"] == ETHER
    assert vault.balanceOf(alice, ETH) == funded  # the stake back, nothing more
    assert registry.paidOut(alice, ETH) == ETHER
    assert vault.lockOf(lock_id)[0] == 0 and bet_status(dice, tx) == CLOSED
    with reverts_with("NoOpenBet"):
        dice.settleTimedOut(lock_id, terms, {"from": outsider})


@pytest.fixture
def subtle(owner: Any, vault: Any, coordinator: Any, registry: Any, bankroll: None) -> Any:
    """SubtleDice (a test double of a dishonest game), wired like `dice`."""
    return deploy_chance_game(SubtleDice, owner, vault, coordinator, registry, None, DICE_CALLBACK_GAS)


def test_a_game_whose_slash_does_not_tell_its_stakes_must_keep_them(
    subtle: Any, vault: Any, coordinator: Any, alice: Any, outsider: Any, funded: int, reverts_with: Any
) -> None:
    """SubtleDice's bet without a bond payout commits beneficiaryAmount 0, so the engine's rebuild
    (stakes = bondAmount - beneficiaryAmount) is wrong for it. Keeping its own copy, it unwinds;
    rebuilding from the slash alone, the Vault refuses the terms and the expiry callback fails,
    leaving the bet to be refunded with the Locked event's terms."""
    kept = subtle.placeBetWithoutBondPayout(ETH, ETHER, dice_choice(50), {"from": alice})
    assert expire_past_deadline(coordinator, kept.return_value).events["Expired"]["callbackSuccess"]
    assert vault.balanceOf(alice, ETH) == funded  # the stake back, the bond's W to the bankroll

    subtle.setForgetStakes(True, {"from": outsider})
    forgot = subtle.placeBetWithoutBondPayout(ETH, ETHER, dice_choice(50), {"from": alice})
    lock_id = forgot.events["Locked"]["lockId"]
    assert not expire_past_deadline(coordinator, forgot.return_value).events["Expired"]["callbackSuccess"]
    assert bet_status(subtle, forgot) == AWAITING_REFUND and vault.lockOf(lock_id)[0] != 0
    rebuilt = (
        alice,
        ETH,
        subtle.address,
        forgot.events["Locked"]["maxPayout"],
        forgot.events["Locked"]["maxPayout"],
        0,
    )
    with reverts_with("BadLockTerms"):
        subtle.settleTimedOut(lock_id, rebuilt, {"from": outsider})
    subtle.settleTimedOut(lock_id, lock_terms(vault, lock_id), {"from": outsider})
    assert vault.balanceOf(alice, ETH) == funded and vault.lockOf(lock_id)[0] == 0


OTHER_KEY_HASH = "0x" + "cd" * 32


def test_a_key_rotation_between_placing_and_delivery_leaves_the_bet_to_its_word(
    dice: Any, vault: Any, coordinator: Any, owner: Any, alice: Any, outsider: Any, funded: int, reverts_with: Any
) -> None:
    """The coordinator's governance sets another key for the game while a bet waits: the bet's
    id names its lock, not the key, so the game still finds its pending request (no refund while
    it is pending) and the word settles it."""
    tx = _place(dice, alice, ETHER, 50)
    bet_id, lock_id = tx.return_value, tx.events["Locked"]["lockId"]
    assert tx.events["RandomnessRequested"]["keyHash"] == KEY_HASH
    coordinator.setConsumer(dice, OTHER_KEY_HASH, {"from": owner})
    assert dice.keyHash() == OTHER_KEY_HASH  # the game's view asks the coordinator
    assert bet_status(dice, tx) == AWAITING_WORD
    with reverts_with("BetNotTimedOut"):
        dice.settleTimedOut(lock_id, lock_terms(vault, lock_id), {"from": outsider})
    settled = deliver(coordinator, bet_id, word_for_roll(12)).events["BetSettled"]
    payout = rules.payout_if_win(ETHER, 50, EDGE_BPS)
    assert (settled["betId"], settled["rollsPlayed"], settled["payout"]) == (bet_id, 1, payout)
    assert vault.balanceOf(alice, ETH) == funded - ETHER + payout
    assert bet_status(dice, tx) == CLOSED
    with reverts_with("NoOpenBet"):
        dice.settleTimedOut(lock_id, lock_terms(vault, lock_id), {"from": outsider})
    # the next bet asks the new key, and is named by its own lock the same way
    later = _place(dice, alice, ETHER, 50)
    assert later.events["RandomnessRequested"]["keyHash"] == OTHER_KEY_HASH
    assert later.events["Locked"]["lockId"] == lock_id + 1
    assert bet_status(dice, later) == AWAITING_WORD


def test_settle_timed_out_takes_a_lock_of_this_games_bet(
    dice: Any,
    vault: Any,
    coordinator: Any,
    owner: Any,
    registry: Any,
    usds: Any,
    alice: Any,
    outsider: Any,
    funded: int,
    reverts_with: Any,
) -> None:
    """Another game's lock, even one waiting for its refund there, and a bet id passed for a lock
    id are refused: NoOpenBet naming the number passed, nothing refunded."""
    other = deploy_dice(owner, vault, coordinator, registry, usds)
    other.setCallbackGasLimit(20_000, {"from": owner})  # too little to settle
    theirs = _place(other, alice, ETHER, 50)
    their_lock = theirs.events["Locked"]["lockId"]
    assert not coordinator.deliver(theirs.return_value, [word_for_roll(0)], {"from": outsider}).events["Delivered"][
        "callbackSuccess"
    ]
    assert bet_status(other, theirs) == AWAITING_REFUND
    their_terms = lock_terms(vault, their_lock)
    # this game cannot tell an open lock of another game from one of its own whose callback failed
    # (the Vault keeps only the terms' hash): the view reads AwaitingRefund, the refund is refused
    assert dice.betStatusOf(their_lock)[1] == AWAITING_REFUND
    with brownie.reverts(revert_pattern=f"NoOpenBet: {their_lock}"):
        dice.settleTimedOut(their_lock, their_terms, {"from": outsider})
    # the same terms claimed for this game: not its bet's either (the Vault keeps them for `other`)
    claimed = (*tuple(their_terms)[:2], dice.address, *tuple(their_terms)[3:])
    with reverts_with("BadLockTerms"):
        dice.settleTimedOut(their_lock, claimed, {"from": outsider})

    mine = _place(dice, alice, ETHER, 50)
    bet_id, lock_id = mine.return_value, mine.events["Locked"]["lockId"]
    with brownie.reverts(revert_pattern=f"NoOpenBet: {bet_id}"):
        dice.settleTimedOut(bet_id, lock_terms(vault, lock_id), {"from": outsider})
    with brownie.reverts(revert_pattern=f"NoOpenBet: {bet_id}"):
        dice.betStatusOf(bet_id)
    assert vault.balanceOf(alice, ETH) == funded - 2 * ETHER
    # both locks still open: the other game refunds its own
    assert vault.lockOf(their_lock)[0] != 0 and vault.lockOf(lock_id)[0] != 0
    other.settleTimedOut(their_lock, their_terms, {"from": outsider})
    assert vault.balanceOf(alice, ETH) == funded - ETHER and bet_status(other, theirs) == CLOSED


def test_a_bet_with_stops_leaves_no_stops_behind(
    dice: Any, vault: Any, coordinator: Any, owner: Any, alice: Any, outsider: Any, funded: int, reverts_with: Any
) -> None:
    """Stops are the one thing a Dice bet keeps in the game (its choice packs into the request's
    data word): gone once the bet settles, expires or is refunded after a failed callback."""
    stake, rolls, choice = 10**16, 20, dice_choice(45, True)
    stop_gain, stop_loss = 3 * stake, 4 * stake
    stops = stop_gain | stop_loss << 128  # Stops{uint128 stopGain; uint128 stopLoss}: one slot

    def place() -> tuple[Any, int]:
        tx = dice.placeMultiBet(ETH, stake, choice, rolls, stop_gain, stop_loss, 0, {"from": alice})
        return tx, mapping_entry_holding(dice, tx.return_value, stops)

    tx, slot = place()
    word = 2**255 + 12345
    settled = deliver(coordinator, tx.return_value, word).events["BetSettled"]
    expected = multiroll.play(rules, word, stake, choice, EDGE_BPS, rolls, stop_gain, stop_loss)
    assert (settled["rollsPlayed"], settled["payout"]) == (expected.rolls_played, expected.payout)
    assert storage_word(dice, slot) == 0 and bet_status(dice, tx) == CLOSED

    tx, slot = place()
    most = assert_expiry_pays_from_bond(vault, coordinator, alice, tx)
    assert most == rolls * rules.payout_if_win(stake, 45, EDGE_BPS, True)
    assert storage_word(dice, slot) == 0 and bet_status(dice, tx) == CLOSED

    dice.setCallbackGasLimit(20_000, {"from": owner})  # too little to settle
    tx, slot = place()
    coordinator.deliver(tx.return_value, [word], {"from": outsider})
    assert bet_status(dice, tx) == AWAITING_REFUND and storage_word(dice, slot) == stops
    lock_id = tx.events["Locked"]["lockId"]
    dice.settleTimedOut(lock_id, lock_terms(vault, lock_id), {"from": outsider})
    assert storage_word(dice, slot) == 0 and bet_status(dice, tx) == CLOSED
    with reverts_with("NoOpenBet"):
        dice.settleTimedOut(lock_id, lock_terms(vault, lock_id), {"from": outsider})


def test_a_delivered_result_settles_the_bet_of_an_unregistered_game(
    dice: Any, vault: Any, coordinator: Any, owner: Any, alice: Any, outsider: Any, funded: int, reverts_with: Any
) -> None:
    """Unregistering the game stops new bets only: the delivered result still settles an open bet
    (it used to fail the callback and turn the result into a refund)."""
    tx = _place(dice, alice, ETHER, 50)
    bet_id, lock_id = tx.return_value, tx.events["Locked"]["lockId"]
    vault.setGame(dice, False, {"from": owner})
    delivered = coordinator.deliver(bet_id, [word_for_roll(99)], {"from": outsider})
    assert delivered.events["Delivered"]["callbackSuccess"]  # the delivered result settles it
    assert not coordinator.isPending(bet_id)
    assert bet_status(dice, tx) == CLOSED
    with reverts_with("NoOpenBet"):
        dice.settleTimedOut(lock_id, lock_terms(vault, lock_id), {"from": outsider})
    assert vault.balanceOf(alice, ETH) == funded - ETHER  # a roll of 99 loses
    vault.setGame(dice, True, {"from": owner})


def test_withholding_a_result_never_beats_publishing_it(
    dice: Any, vault: Any, coordinator: Any, alice: Any, bob: Any, funded: int
) -> None:
    """Selective abort, bet by bet against the real Vault: whatever the result, withholding leaves
    the player at W (at least what publishing gives), the LPs and the protocol where a house win
    leaves them (at least what publishing gives) and costs the oracle's bond W; so the key's holder,
    whether it plays the bet, holds bankroll or takes the fee, never ends above publishing
    (fairstake/rules/withholding.py enumerates every holding; this checks the chain agrees)."""
    fee = _fee(vault, ETHER, 25)
    assert fee > 0
    for roll in (0, 24, 25, 99):  # target 25: rolls 0 and 24 win, 25 and 99 lose
        # each bet measured from before it was placed: its fee leaves the bankroll at the lock
        before = (vault.balanceOf(alice, ETH), vault.bankrollAssets(ETH), vault.accruedFees(ETH))
        published = _place(dice, alice, ETHER, 25)
        payout = published.events["Locked"]["maxPayout"]
        deliver(coordinator, published.return_value, word_for_roll(roll))
        after = (vault.balanceOf(alice, ETH), vault.bankrollAssets(ETH), vault.accruedFees(ETH))
        player_published, lp_published, fee_published = (a - b for a, b in zip(after, before, strict=True))
        player_published += ETHER  # counted below as the stake paid

        before = (vault.balanceOf(bob, ETH), vault.bankrollAssets(ETH), vault.accruedFees(ETH), coordinator.balance())
        withheld = _place(dice, bob, ETHER, 25)
        expire_past_deadline(coordinator, withheld.return_value)
        after = (vault.balanceOf(bob, ETH), vault.bankrollAssets(ETH), vault.accruedFees(ETH), coordinator.balance())
        player_withheld, lp_withheld, fee_withheld, bond_withheld = (a - b for a, b in zip(after, before, strict=True))
        player_withheld += ETHER

        won = roll < 25
        assert (player_published, lp_published, fee_published) == (
            (payout, ETHER - payout - fee, fee) if won else (0, ETHER - fee, fee)
        )
        assert (player_withheld, lp_withheld, fee_withheld, bond_withheld) == (payout, ETHER - fee, fee, -payout)
        assert player_withheld >= player_published
        assert lp_withheld >= lp_published and fee_withheld >= fee_published
        # the key's holder in every combination of roles: bettor (stake paid), LP, fee recipient
        for plays in (0, 1):
            for lp_share in (0, 1):
                for takes_fee in (0, 1):
                    published_value = plays * (player_published - ETHER) + lp_share * lp_published
                    withheld_value = plays * (player_withheld - ETHER) + lp_share * lp_withheld + bond_withheld
                    published_value += takes_fee * fee_published
                    withheld_value += takes_fee * fee_withheld
                    assert withheld_value <= published_value, (roll, plays, lp_share, takes_fee)


def test_withholding_a_multi_roll_result_never_beats_publishing_it(
    dice: Any, vault: Any, coordinator: Any, alice: Any, bob: Any, funded: int
) -> None:
    """The adversary holds the oracle key and any of: the bet, the bankroll, the fee. For 20-roll
    bets with a stop-loss, published with words that stop early, play every roll, win and lose,
    against the same bet withheld: withholding never ends above publishing for any holding, and
    the bond pays exactly the bet's true maximum (docs/randomness-economics.md, multi-roll)."""
    stake, rolls, stop_loss, choice = 10**16, 20, 5 * 10**16, dice_choice(30, True)
    for word in (1, 2, 3, 2**255, 2**256 - 1):
        model = multiroll.play(rules, word, stake, choice, EDGE_BPS, rolls, 0, stop_loss)
        before = (vault.balanceOf(alice, ETH), vault.bankrollAssets(ETH), vault.accruedFees(ETH))
        published = dice.placeMultiBet(ETH, stake, choice, rolls, 0, stop_loss, 0, {"from": alice})
        most = published.events["Locked"]["maxPayout"]
        deliver(coordinator, published.return_value, word)
        after = (vault.balanceOf(alice, ETH), vault.bankrollAssets(ETH), vault.accruedFees(ETH))
        player_published, lp_published, fee_published = (a - b for a, b in zip(after, before, strict=True))
        assert player_published == model.payout - stake * rolls

        before_w = (vault.balanceOf(bob, ETH), vault.bankrollAssets(ETH), vault.accruedFees(ETH), coordinator.balance())
        withheld = dice.placeMultiBet(ETH, stake, choice, rolls, 0, stop_loss, 0, {"from": bob})
        expire_past_deadline(coordinator, withheld.return_value)
        after_w = (vault.balanceOf(bob, ETH), vault.bankrollAssets(ETH), vault.accruedFees(ETH), coordinator.balance())
        player_withheld, lp_withheld, fee_withheld, bond = (a - b for a, b in zip(after_w, before_w, strict=True))
        assert (player_withheld, bond) == (most - stake * rolls, -most)
        assert fee_withheld == fee_published and lp_withheld >= lp_published
        for plays in (0, 1):
            for lp_share in (0, 1):
                for takes_fee in (0, 1):
                    published_value = plays * player_published + lp_share * lp_published + takes_fee * fee_published
                    withheld_value = plays * player_withheld + lp_share * lp_withheld + takes_fee * fee_withheld + bond
                    assert withheld_value <= published_value, (word, plays, lp_share, takes_fee)
    assert_vault_solvent(vault, ETH)


def test_vault_deadline_outlasts_the_latest_fulfilment(
    dice: Any, vault: Any, coordinator: Any, owner: Any, registry: Any, alice: Any, funded: int, reverts_with: Any
) -> None:
    tx = _place(dice, alice)
    lock = lock_record(vault, tx.events["Locked"]["lockId"])
    assert lock["deadline"] - chain[tx.block_number].timestamp > coordinator.maxFulfilDelay()
    assert dice.maxFulfilDelay() == coordinator.maxFulfilDelay()
    slow = MockCoordinator.deploy(vault, TIMEOUT_BLOCKS, LOCK_DURATION, 200_000, {"from": owner})
    with reverts_with("BadLockDuration"):
        Dice.deploy((owner, vault, slow, registry, 100_000), LOCK_DURATION, {"from": owner})


# ------------------------------------------------------------------ player protection


def test_excluded_player_cannot_bet(dice: Any, registry: Any, alice: Any, funded: int, reverts_with: Any) -> None:
    registry.setExcluded(alice, True, {"from": alice})
    with reverts_with("SelfExcluded"):
        _place(dice, alice)
    with reverts_with("SelfExcluded"):
        dice.placeBets(ETH, [ETHER], [dice_choice(50)], 0, {"from": alice})
    with reverts_with("SelfExcluded"):
        dice.placeMultiBet(ETH, MIN_STAKE, dice_choice(50), 10, 0, 0, 0, {"from": alice})


# ------------------------------------------------------------------ configuration


def test_owner_configures_tokens_edges_and_durations(dice: Any, owner: Any, usds: Any) -> None:
    tx = dice.configureToken(usds, True, USD, 500 * USD, 500, {"from": owner})
    assert tx.events["TokenConfigured"]["edgeBps"] == 500
    assert list(dice.tokenConfig(usds)) == [True, USD, 500 * USD, 500]
    assert list(dice.quote(usds, 100 * USD, dice_choice(50))) == [
        rules.payout_if_win(100 * USD, 50, 500),
        rules.house_edge(100 * USD, 50, 500),
    ]
    assert list(dice.quote(usds, 100 * USD, dice_choice(30, True))) == [
        rules.payout_if_win(100 * USD, 30, 500, over=True),
        rules.house_edge(100 * USD, 30, 500, over=True),
    ]
    assert dice.maxEdgeBps() == 500
    dice.setLockDuration(7 * 86_400, {"from": owner})
    assert dice.lockDuration() == 7 * 86_400
    tx = dice.setCallbackGasLimit(150_000, {"from": owner})
    assert tx.events["CallbackGasLimitSet"]["callbackGasLimit"] == 150_000
    # the game sets only its callback gas: its key stays the one the coordinator keeps for it
    assert dice.callbackGasLimit() == 150_000 and dice.keyHash() == KEY_HASH


def test_lock_duration_and_callback_gas_reach_every_token_configured_before_or_after(
    owner: Any, vault: Any, coordinator: Any, registry: Any, usds: Any, alice: Any, funded: int
) -> None:
    """A bet reads its lock duration and callback gas from its token's configuration slot, so
    governance's new values must reach the tokens configured before the change and after it."""
    game = deploy_chance_game(Dice, owner, vault, coordinator, registry, None, DICE_CALLBACK_GAS)  # ETH only
    usds.mint(alice, 100 * USD, {"from": alice})
    usds.approve(vault, 100 * USD, {"from": alice})

    def lock_and_request(tx: Any, rolls: int) -> tuple[int, int]:
        deadline = lock_record(vault, tx.events["Locked"]["lockId"])["deadline"]
        gas = coordinator.requests(tx.return_value)["callbackGasLimit"]
        assert gas - 1_000 * (rolls - 1) > 0  # Dice's per-roll gas, the engine's default
        return deadline - chain[tx.block_number].timestamp, gas - 1_000 * (rolls - 1)

    game.setLockDuration(5 * 86_400, {"from": owner})
    game.setCallbackGasLimit(123_456, {"from": owner})
    game.configureToken(usds, True, USD_MIN_STAKE, USD_MAX_STAKE, EDGE_BPS, {"from": owner})
    eth_bet = game.placeMultiBet(ETH, ETHER // 10, dice_choice(50), 3, 0, 0, 0, {"from": alice})
    usd_bet = game.placeBet(usds, 10 * USD, dice_choice(50), 100 * USD, {"from": alice})
    assert lock_and_request(eth_bet, 3) == (5 * 86_400, 123_456)
    assert lock_and_request(usd_bet, 1) == (5 * 86_400, 123_456)

    game.setLockDuration(2 * 86_400, {"from": owner})
    game.setCallbackGasLimit(98_765, {"from": owner})
    # reconfiguring a token keeps the game's values and lists it once
    game.configureToken(ETH, True, MIN_STAKE, MAX_STAKE, EDGE_BPS, {"from": owner})
    game.setLockDuration(3 * 86_400, {"from": owner})
    eth_bet = game.placeBet(ETH, ETHER // 10, dice_choice(50), 0, {"from": alice})
    usd_bet = game.placeMultiBet(usds, 10 * USD, dice_choice(50), 2, 0, 0, 0, {"from": alice})
    assert lock_and_request(eth_bet, 1) == (3 * 86_400, 98_765)
    assert lock_and_request(usd_bet, 2) == (3 * 86_400, 98_765)
    assert (game.lockDuration(), game.callbackGasLimit()) == (3 * 86_400, 98_765)
    assert list(game.tokenConfig(usds)) == [True, USD_MIN_STAKE, USD_MAX_STAKE, EDGE_BPS]
    game.configureToken(usds, False, 1, 2**88 - 1, 0, {"from": owner})  # the largest range
    assert list(game.tokenConfig(usds)) == [False, 1, 2**88 - 1, 0]


def test_open_bets_keep_their_terms_when_the_edge_changes(
    dice: Any, vault: Any, coordinator: Any, owner: Any, alice: Any, funded: int
) -> None:
    bet_id = _place(dice, alice, ETHER, 50).return_value
    dice.configureToken(ETH, True, MIN_STAKE, MAX_STAKE, 500, {"from": owner})
    tx = deliver(coordinator, bet_id, word_for_roll(0))
    assert tx.events["BetSettled"]["payout"] == rules.payout_if_win(ETHER, 50, EDGE_BPS)


def test_disabled_token_refuses_bets_but_open_bets_settle(
    dice: Any, coordinator: Any, owner: Any, alice: Any, funded: int, reverts_with: Any
) -> None:
    placed = _place(dice, alice)
    bet_id = placed.return_value
    dice.configureToken(ETH, False, MIN_STAKE, MAX_STAKE, EDGE_BPS, {"from": owner})
    with reverts_with("TokenNotEnabled"):
        _place(dice, alice)
    settled = deliver(coordinator, bet_id, word_for_roll(3)).events["BetSettled"]
    # a roll of 3 under target 50 wins, at the terms the bet was placed with
    assert (settled["betId"], settled["payout"]) == (bet_id, rules.payout_if_win(ETHER, 50, EDGE_BPS))
    assert bet_status(dice, placed) == CLOSED


def test_outcome_of_is_the_rule(dice: Any, reverts_with: Any) -> None:
    for word in (0, 49, 50, 98, 99, 2**256 - 1):
        for target, over in ((50, False), (50, True), (1, False), (0, True), (98, True)):
            expected = rules.outcome(word, ETHER, target, EDGE_BPS, over).payout
            assert dice.outcomeOf(word, ETHER, dice_choice(target, over), EDGE_BPS) == expected
    with reverts_with("BadTarget"):
        dice.outcomeOf(1, ETHER, dice_choice(0), EDGE_BPS)
    with reverts_with("BadTarget"):
        dice.outcomeOf(1, ETHER, dice_choice(99, True), EDGE_BPS)
    with reverts_with("BadChoice"):
        dice.outcomeOf(1, ETHER, dice_choice(50)[:63], EDGE_BPS)
    with reverts_with("BadChoice"):
        dice.outcomeOf(1, ETHER, dice_choice(50)[:63] + b"\x02", EDGE_BPS)
    with reverts_with("EdgeAboveCap"):
        dice.outcomeOf(1, ETHER, dice_choice(50), 501)
    with reverts_with("StakeOutOfRange"):
        dice.outcomeOf(1, 2**96, dice_choice(50), 0)


def test_roll_over_wins_above_the_target(dice: Any, vault: Any, coordinator: Any, alice: Any, funded: int) -> None:
    """Roll-over 70 wins on 71..99 (29 outcomes) and pays stake x 100 x 0.99 / 29."""
    payout = ETHER * 100 * 9_900 // (29 * 10_000)
    for roll, paid in ((70, 0), (71, payout), (99, payout), (0, 0)):
        tx = _place(dice, alice, ETHER, 70, over=True)
        assert tx.events["Locked"]["maxPayout"] == payout
        assert tx.events["Locked"]["fee"] == _fee(vault, ETHER, 70, over=True)
        settled = deliver(coordinator, tx.return_value, word_for_roll(roll)).events["BetSettled"]
        assert settled["payout"] == paid, roll
    assert_vault_solvent(vault, ETH)


# ------------------------------------------------------------------ multi-roll


def test_multi_roll_locks_every_roll_and_reserves_its_true_maximum(
    dice: Any, vault: Any, coordinator: Any, alice: Any, funded: int
) -> None:
    stake, rolls = 10**16, 10
    roll_max = rules.payout_if_win(stake, 40, EDGE_BPS)
    tx = dice.placeMultiBet(ETH, stake, dice_choice(40), rolls, 0, 0, 0, {"from": alice})
    event, bet_id = placed_bet(tx), tx.return_value
    assert (event["stake"], event["rolls"], event["maxPayout"]) == (stake, rolls, roll_max * rolls)
    # no stop: every roll plays, so the declared edge is every roll's
    assert event["fee"] == edge_fee(vault, rolls * rules.house_edge(stake, 40, EDGE_BPS))
    lock = lock_record(vault, event["lockId"])
    assert (lock["amount"], lock["maxPayout"]) == (stake * rolls, roll_max * rolls)
    assert tuple(coordinator.slashOf(bet_id)) == (ETH, roll_max * rolls, alice, (roll_max - stake) * rolls, True)
    # each roll after the first adds the engine's default per-roll gas (1,000) to the callback's allowance
    assert coordinator.requests(bet_id)["callbackGasLimit"] == DICE_CALLBACK_GAS + (rolls - 1) * 1_000
    assert bet_status(dice, tx) == AWAITING_WORD


def test_multi_roll_settles_by_the_derived_words(
    dice: Any, vault: Any, coordinator: Any, registry: Any, alice: Any, funded: int
) -> None:
    """Roll i uses keccak256(abi.encode(word, i)); the payout is the sum of the rolls' payouts,
    as the Python model (fairstake.rules.multiroll) plays it."""
    stake, rolls, choice = 10**16, 20, dice_choice(45, True)
    for word in (7, 2**255 + 12345, 2**256 - 1):
        before = vault.balanceOf(alice, ETH)
        tx = dice.placeMultiBet(ETH, stake, choice, rolls, 0, 0, 0, {"from": alice})
        settled = deliver(coordinator, tx.return_value, word).events["BetSettled"]
        expected = multiroll.play(rules, word, stake, choice, EDGE_BPS, rolls)
        assert expected.rolls_played == rolls and 0 < expected.payout < rolls * max(expected.roll_payouts)
        assert (settled["rollsPlayed"], settled["payout"]) == (rolls, expected.payout)
        assert vault.balanceOf(alice, ETH) == before - stake * rolls + expected.payout
        assert bet_status(dice, tx) == CLOSED
    assert vault.lockedTotal(ETH) == 0 and vault.bankrollReserved(ETH) == 0
    assert_vault_solvent(vault, ETH)


def test_stops_end_the_bet_and_return_the_unplayed_stakes(
    dice: Any, vault: Any, coordinator: Any, alice: Any, funded: int
) -> None:
    """A stop-loss of three stakes on a long-shot bet stops after the third straight loss; a
    stop-gain of one win stops at the first win; the unplayed rolls' stakes come back."""
    stake, rolls, choice = 10**16, 50, dice_choice(10)  # wins 10 % of rolls, pays ~9.9x
    win = rules.payout_if_win(stake, 10, EDGE_BPS)
    for stop_gain, stop_loss in ((0, 3 * stake), (win - stake, 0), (win - stake, 3 * stake)):
        stopped = 0
        for word in range(1, 7):
            model = multiroll.play(rules, word, stake, choice, EDGE_BPS, rolls, stop_gain, stop_loss)
            if model.rolls_played < rolls:
                stopped += 1
            before = vault.balanceOf(alice, ETH)
            tx = dice.placeMultiBet(ETH, stake, choice, rolls, stop_gain, stop_loss, 0, {"from": alice})
            settled = deliver(coordinator, tx.return_value, word).events["BetSettled"]
            assert (settled["rollsPlayed"], settled["payout"]) == (model.rolls_played, model.payout), word
            assert vault.balanceOf(alice, ETH) == before - stake * rolls + model.payout
        assert stopped > 0, (stop_gain, stop_loss)
    assert_vault_solvent(vault, ETH)


def test_a_stop_declares_only_the_rolls_it_plays_for_certain(dice: Any, vault: Any, alice: Any, funded: int) -> None:
    """The fee is a share of the declared edge, which must never exceed what the house expects on
    the rolls actually played: a stop-loss of 3 stakes plays at least 3 rolls, a stop-gain that one
    win reaches at least 1."""
    stake, rolls = 10**16, 30
    roll_max = rules.payout_if_win(stake, 50, EDGE_BPS)
    edge = rules.house_edge(stake, 50, EDGE_BPS)
    for stop_gain, stop_loss, certain in (
        (0, 3 * stake, 3),
        (0, 3 * stake - 1, 3),
        (0, 3 * stake + 1, 4),
        (roll_max - stake, 0, 1),
        (3 * (roll_max - stake), 0, 3),
        (3 * (roll_max - stake), 2 * stake, 2),
    ):
        tx = dice.placeMultiBet(ETH, stake, dice_choice(50), rolls, stop_gain, stop_loss, 0, {"from": alice})
        assert tx.events["Locked"]["fee"] == certain * edge * vault.protocolFeeBps() // 10_000
        assert dice.declaredEdge(stake, roll_max, edge, rolls, stop_gain, stop_loss) == certain * edge


def test_an_expired_multi_roll_bet_pays_its_whole_maximum_from_the_bond(
    dice: Any, vault: Any, coordinator: Any, alice: Any, funded: int
) -> None:
    stake, rolls = 10**16, 5
    tx = dice.placeMultiBet(ETH, stake, dice_choice(50), rolls, 0, 2 * stake, 0, {"from": alice})
    most = assert_expiry_pays_from_bond(vault, coordinator, alice, tx)
    assert most == rolls * rules.payout_if_win(stake, 50, EDGE_BPS)
    assert bet_status(dice, tx) == CLOSED


# ------------------------------------------------------------------ reverts


def test_place_reverts(
    dice: Any, vault: Any, usds: Any, owner: Any, alice: Any, bob: Any, funded: int, reverts_with: Any
) -> None:
    with reverts_with("TokenNotEnabled"):
        dice.placeBet(bob, ETHER, dice_choice(50), 0, {"from": alice})
    for target in (0, 100, 255):
        with reverts_with("BadTarget"):
            _place(dice, alice, ETHER, target)
    for target in (99, 100, 255):
        with reverts_with("BadTarget"):
            _place(dice, alice, ETHER, target, over=True)
    with reverts_with("BadChoice"):
        dice.placeBet(ETH, ETHER, dice_choice(50) + b"\x00", 0, {"from": alice})
    for rolls in (0, 101):
        with reverts_with("BadRolls"):
            dice.placeMultiBet(ETH, MIN_STAKE, dice_choice(50), rolls, 0, 0, 0, {"from": alice})
    win = rules.payout_if_win(MIN_STAKE, 50, EDGE_BPS)
    with reverts_with("BadStop"):
        dice.placeMultiBet(ETH, MIN_STAKE, dice_choice(50), 4, 4 * (win - MIN_STAKE) + 1, 0, 0, {"from": alice})
    with reverts_with("BadStop"):
        dice.placeMultiBet(ETH, MIN_STAKE, dice_choice(50), 4, 0, 4 * MIN_STAKE + 1, 0, {"from": alice})
    with reverts_with("StakeOutOfRange"):
        _place(dice, alice, MIN_STAKE - 1)
    with reverts_with("StakeOutOfRange"):
        _place(dice, alice, MAX_STAKE + 1)
    # 1 % edge at target 99 pays 100 * 0.99 / 99 = exactly the stake: nothing to win
    with reverts_with("PayoutNotAboveStake"):
        _place(dice, alice, ETHER, 99)
    with reverts_with("PayoutNotAboveStake"):
        _place(dice, alice, ETHER, 0, over=True)
    with reverts_with("UnexpectedEth"):
        dice.placeBet(ETH, ETHER, dice_choice(50), 0, {"from": alice, "value": 1})
    usds.mint(alice, 100 * USD, {"from": alice})
    usds.approve(vault, 100 * USD, {"from": alice})
    with reverts_with("UnexpectedEth"):
        dice.placeBet(usds, 10 * USD, dice_choice(50), 10 * USD, {"from": alice, "value": 1})
    with reverts_with("WrongEthValue"):
        dice.placeBet(ETH, ETHER, dice_choice(50), 2 * ETHER, {"from": alice, "value": ETHER})
    with reverts_with("InsufficientBalance"):
        dice.placeBet(usds, 10 * USD, dice_choice(50), 0, {"from": alice})
    with reverts_with("LengthMismatch"):
        dice.placeBets(ETH, [ETHER, ETHER], [dice_choice(50)], 0, {"from": alice})
    with reverts_with("NoBets"):
        dice.placeBets(ETH, [], [], 0, {"from": alice})
    # the Vault's exposure rule bounds the win payout: 10 % of the free 1000 ETH bankroll
    dice.configureToken(ETH, True, MIN_STAKE, 1_000 * ETHER, EDGE_BPS, {"from": owner})
    vault.depositFor(alice, ETH, 200 * ETHER, {"from": alice, "value": 200 * ETHER})
    with reverts_with("ExposureTooHigh"):
        _place(dice, alice, 2 * ETHER, 1)
    # a multi-roll bet reserves rolls x (win - stake): 10 rolls at even money need ~10 ETH per ETH
    with reverts_with("ExposureTooHigh"):
        dice.placeMultiBet(ETH, 11 * ETHER, dice_choice(50), 10, 0, 0, 0, {"from": alice})
    vault.pause({"from": owner})
    with reverts_with("LocksArePaused"):
        _place(dice, alice)


def test_unregistered_game_cannot_lock(
    dice: Any, vault: Any, owner: Any, alice: Any, funded: int, reverts_with: Any
) -> None:
    vault.setGame(dice, False, {"from": owner})
    with reverts_with("NotGame"):
        _place(dice, alice)


def test_config_reverts(dice: Any, owner: Any, alice: Any, usds: Any, reverts_with: Any) -> None:
    with reverts_with("EdgeAboveCap"):
        dice.configureToken(usds, True, USD, 10 * USD, 501, {"from": owner})
    # a stake of 2^88 or more could never be locked (its maxPayout, above it, must be below 2^88)
    for low, high in ((0, 10), (10, 9), (1, 2**88), (2**88, 2**88)):
        with reverts_with("BadStakeRange"):
            dice.configureToken(usds, True, low, high, 100, {"from": owner})
    for duration in (86_400 - 1, 30 * 86_400 + 1):
        with reverts_with("BadLockDuration"):
            dice.setLockDuration(duration, {"from": owner})
    with reverts_with("ZeroCallbackGas"):
        dice.setCallbackGasLimit(0, {"from": owner})
    with reverts_with("OwnableUnauthorizedAccount"):
        dice.configureToken(usds, True, USD, 10 * USD, 100, {"from": alice})
    with reverts_with("OwnableUnauthorizedAccount"):
        dice.setLockDuration(2 * 86_400, {"from": alice})
    with reverts_with("OwnableUnauthorizedAccount"):
        dice.setCallbackGasLimit(100_000, {"from": alice})


def test_constructor_reverts(owner: Any, vault: Any, coordinator: Any, registry: Any, reverts_with: Any) -> None:
    with reverts_with("ZeroAddress"):
        Dice.deploy((owner, ZERO_ADDRESS, coordinator, registry, 100_000), LOCK_DURATION, {"from": owner})
    with reverts_with("ZeroAddress"):
        Dice.deploy((owner, vault, coordinator, ZERO_ADDRESS, 100_000), LOCK_DURATION, {"from": owner})
    with reverts_with("ZeroCallbackGas"):
        Dice.deploy((owner, vault, coordinator, registry, 0), LOCK_DURATION, {"from": owner})
    with reverts_with("BadLockDuration"):
        Dice.deploy((owner, vault, coordinator, registry, 100_000), 60, {"from": owner})


def test_eth_balance_moves_only_through_the_vault(dice: Any, vault: Any, coordinator: Any, alice: Any) -> None:
    before = token_balance(ETH, alice)
    tx = dice.placeBet(ETH, ETHER, dice_choice(50), ETHER, {"from": alice, "value": ETHER})
    assert token_balance(ETH, alice) == before - ETHER - gas_cost(tx)
    deliver(coordinator, tx.return_value, word_for_roll(10))
    payout = rules.payout_if_win(ETHER, 50, EDGE_BPS)
    before = token_balance(ETH, alice)
    tx = vault.withdraw(ETH, payout, alice, {"from": alice})
    assert token_balance(ETH, alice) == before + payout - gas_cost(tx)
    assert dice.balance() == 0
