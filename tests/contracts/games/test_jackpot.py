"""Jackpot unit tests: rounds, ticket sales, the draw and its winner, claims, rollovers,
timeouts and refunds (game path and Vault backstop), configuration and every revert path."""

from __future__ import annotations

from itertools import accumulate
from typing import Any

from brownie import ZERO_ADDRESS, Jackpot, chain, web3
from chance_support import (
    CLAIM_PERIOD,
    DRAW_GRACE,
    DRAW_WINDOW,
    JACKPOT_CALLBACK_GAS,
    RAKE_BPS,
    ROUND_DURATION,
    TICKET_PRICE,
    TIMING,
    USD_TICKET_PRICE,
    assert_vault_solvent,
    deliver,
    expire_past_deadline,
)
from contract_support import ETHER, USD, lock_record, lock_terms

from fairstake.manifest import ETH
from fairstake.rules import jackpot as rules

BURN_ADDRESS = "0x000000000000000000000000000000000000dEaD"

OPEN, DRAWING, DRAWN, CLAIMED, ROLLED_OVER, REFUNDABLE, CLOSED = 1, 2, 3, 4, 5, 6, 7


def _buy(jackpot: Any, player: Any, count: int, round_id: int | None = None) -> Any:
    round_id = round_id or jackpot.currentRound(ETH)
    return jackpot.buyTickets(round_id, count, 0, {"from": player})


def _advance_to(timestamp: int) -> None:
    """Mine a block with a timestamp of at least `timestamp`."""
    while chain[-1].timestamp < timestamp:
        chain.sleep(timestamp - chain[-1].timestamp)
        chain.mine()


def _end_sales(jackpot: Any, round_id: int) -> None:
    _advance_to(jackpot.roundOf(round_id)["end"])


def _lengthen_rounds(jackpot: Any, owner: Any) -> None:
    """Rounds opened from now on sell for 14 days, longer than the 7-day claim period, so the
    round a prize rolls into is still selling."""
    jackpot.configureToken(ETH, True, TICKET_PRICE, 14 * 86_400, RAKE_BPS, {"from": owner})


def _draw(jackpot: Any, round_id: int, sender: Any) -> int:
    """End sales, trigger the draw and return the request id."""
    _end_sales(jackpot, round_id)
    tx = jackpot.draw(round_id, {"from": sender})
    return int(tx.events["DrawRequested"]["requestId"])


def _played_round(jackpot: Any, players: list[Any], counts: list[int]) -> tuple[int, int]:
    round_id = jackpot.currentRound(ETH)
    for player, count in zip(players, counts, strict=True):
        _buy(jackpot, player, count, round_id)
    return round_id, _draw(jackpot, round_id, players[0])


def _unclaimed_prize_rolled_over(
    jackpot: Any, owner: Any, coordinator: Any, player: Any, tickets: int, keeper: Any
) -> tuple[int, int]:
    """`player` alone buys `tickets` in a long round, wins it (word 0: ticket 0) and leaves the
    prize past the claim period; `keeper` rolls it into the next round. Returns that round and
    the prize."""
    _lengthen_rounds(jackpot, owner)
    round_id, request_id = _played_round(jackpot, [player], [tickets])
    deliver(coordinator, request_id, 0)
    prize = jackpot.roundOf(round_id)["prize"]
    _advance_to(chain[-1].timestamp + CLAIM_PERIOD + 1)
    next_round = jackpot.currentRound(ETH)
    jackpot.rollOver(round_id, {"from": keeper})
    return next_round, prize


# ------------------------------------------------------------------ rounds and tickets


def test_configuring_a_token_opens_its_first_round(jackpot: Any, vault: Any, usds: Any) -> None:
    eth_round, usd_round = jackpot.currentRound(ETH), jackpot.currentRound(usds)
    assert {eth_round, usd_round} == {1, 2} and jackpot.roundCount() == 2
    info = jackpot.roundOf(eth_round)
    assert info["token"] == ETH and info["status"] == OPEN
    assert info["ticketPrice"] == TICKET_PRICE and info["rakeBps"] == RAKE_BPS
    assert info["drawBy"] == info["end"] + DRAW_WINDOW
    assert info["lockDeadline"] == info["drawBy"] + DRAW_GRACE
    pool = vault.getPool(info["poolId"])
    assert pool["game"] == jackpot and pool["state"] == 1 and pool["token"] == ETH
    assert list(jackpot.tokenConfig(usds)) == [True, USD_TICKET_PRICE, ROUND_DURATION, RAKE_BPS]
    assert list(jackpot.timing()) == list(TIMING)


def test_buying_tickets_locks_the_stake_in_the_round_pool(
    jackpot: Any, vault: Any, registry: Any, alice: Any, bob: Any, funded: int
) -> None:
    round_id = jackpot.currentRound(ETH)
    info = jackpot.roundOf(round_id)
    first = _buy(jackpot, alice, 3)
    second = _buy(jackpot, bob, 5)
    event = second.events["TicketsBought"]
    assert (event["roundId"], event["player"], event["fromTicket"], event["count"]) == (round_id, bob, 3, 5)
    lock = lock_record(vault, event["lockId"])
    assert lock["poolId"] == info["poolId"] and lock["amount"] == 5 * TICKET_PRICE
    assert lock["deadline"] == info["lockDeadline"]
    assert vault.getPool(info["poolId"])["balance"] == 8 * TICKET_PRICE
    assert vault.balanceOf(bob, ETH) == funded - 5 * TICKET_PRICE
    assert list(jackpot.purchaseOf(round_id, 0)) == [alice, 0, 3, first.return_value]
    assert list(jackpot.purchaseOf(round_id, 1)) == [bob, 3, 5, event["lockId"]]
    assert jackpot.roundOf(round_id)["totalTickets"] == 8
    assert registry.staked(bob, ETH) == 5 * TICKET_PRICE
    assert jackpot.balance() == 0


def test_buying_with_eth_or_tokens_in_the_same_call(jackpot: Any, vault: Any, usds: Any, alice: Any) -> None:
    jackpot.buyTickets(jackpot.currentRound(ETH), 2, ETHER, {"from": alice, "value": ETHER})
    assert vault.balanceOf(alice, ETH) == ETHER - 2 * TICKET_PRICE
    usds.mint(alice, 100 * USD, {"from": alice})
    usds.approve(vault, 100 * USD, {"from": alice})
    jackpot.buyTickets(jackpot.currentRound(usds), 4, 100 * USD, {"from": alice})
    assert vault.balanceOf(alice, usds) == 100 * USD - 4 * USD_TICKET_PRICE
    assert jackpot.balance() == 0 and usds.balanceOf(jackpot) == 0


# ------------------------------------------------------------------ draw and claim


def test_draw_opens_the_next_round_and_picks_the_winner_by_the_rules(
    jackpot: Any, vault: Any, coordinator: Any, registry: Any, alice: Any, bob: Any, carol: Any, funded: int
) -> None:
    counts = [2, 7, 1]
    round_id, request_id = _played_round(jackpot, [alice, bob, carol], counts)
    assert jackpot.roundOf(round_id)["status"] == DRAWING
    next_round = jackpot.currentRound(ETH)
    assert next_round > round_id and jackpot.roundOf(next_round)["status"] == OPEN

    word = 2**255 + 12_345
    tx = deliver(coordinator, request_id, word)
    ticket, index = rules.draw(word, list(accumulate(counts)))
    sales = sum(counts) * TICKET_PRICE
    prize, rake = rules.prize_and_rake(sales, RAKE_BPS)
    drawn = tx.events["RoundDrawn"]
    winner = [alice, bob, carol][index]
    assert (drawn["roundId"], drawn["word"], drawn["winningTicket"]) == (round_id, word, ticket)
    assert (drawn["winner"], drawn["prize"], drawn["rake"]) == (winner, prize, rake)
    print(f"jackpot draw callback gas: {tx.events['Delivered']['gasUsed']}")
    info = jackpot.roundOf(round_id)
    assert info["status"] == DRAWN and info["winner"] == winner and info["winningPurchase"] == index
    assert info["claimBy"] == chain[tx.block_number].timestamp + CLAIM_PERIOD
    pool = vault.getPool(info["poolId"])
    assert pool["state"] == 2 and pool["balance"] == prize
    assert vault.accruedFees(ETH) == rake

    before = vault.balanceOf(winner, ETH)
    claimed = jackpot.claim(round_id, {"from": carol})
    assert claimed.events["PrizeClaimed"]["prize"] == prize
    assert vault.balanceOf(winner, ETH) == before + prize
    assert jackpot.roundOf(round_id)["status"] == CLAIMED
    assert registry.paidOut(winner, ETH) == prize
    assert registry.settledStake(winner, ETH) == counts[index] * TICKET_PRICE
    assert vault.getPool(info["poolId"])["balance"] == 0
    assert_vault_solvent(vault, ETH)


def test_round_without_tickets_just_closes(jackpot: Any, coordinator: Any, alice: Any) -> None:
    round_id = jackpot.currentRound(ETH)
    _end_sales(jackpot, round_id)
    tx = jackpot.draw(round_id, {"from": alice})
    assert "DrawRequested" not in tx.events
    assert tx.events["RoundClosed"]["rolledIn"] == 0
    assert jackpot.roundOf(round_id)["status"] == CLOSED
    assert jackpot.currentRound(ETH) != round_id


def test_unclaimed_prize_rolls_into_the_next_round_unraked(
    jackpot: Any,
    owner: Any,
    vault: Any,
    coordinator: Any,
    alice: Any,
    bob: Any,
    outsider: Any,
    funded: int,
    reverts_with: Any,
) -> None:
    _lengthen_rounds(jackpot, owner)
    round_id, request_id = _played_round(jackpot, [alice, bob], [4, 6])
    deliver(coordinator, request_id, 7)
    prize = jackpot.roundOf(round_id)["prize"]
    next_round = jackpot.currentRound(ETH)
    with reverts_with("ClaimPeriodRunning"):
        jackpot.rollOver(round_id, {"from": outsider})
    _advance_to(chain[-1].timestamp + CLAIM_PERIOD + 1)
    chain.mine()
    tx = jackpot.rollOver(round_id, {"from": outsider})
    moved = tx.events["PrizeRolledOver"]
    assert (moved["fromRoundId"], moved["toRoundId"], moved["amount"]) == (round_id, next_round, prize)
    assert jackpot.roundOf(round_id)["status"] == ROLLED_OVER
    assert jackpot.roundOf(next_round)["rolledIn"] == prize
    with reverts_with("NotDrawn"):
        jackpot.claim(round_id, {"from": alice})

    # the next round's winner gets the rolled-over prize too; rake only on its own sales
    _buy(jackpot, alice, 3, next_round)
    request_id = _draw(jackpot, next_round, alice)
    tx = deliver(coordinator, request_id, 1)
    sales = 3 * TICKET_PRICE
    expected_prize, expected_rake = rules.prize_and_rake(sales + prize, RAKE_BPS, rolled_over=prize)
    assert tx.events["RoundDrawn"]["prize"] == expected_prize
    assert tx.events["RoundDrawn"]["rake"] == expected_rake == sales * RAKE_BPS // 10_000
    before = vault.balanceOf(alice, ETH)
    jackpot.claim(next_round, {"from": alice})
    assert vault.balanceOf(alice, ETH) == before + expected_prize
    assert_vault_solvent(vault, ETH)


def test_prize_can_still_be_claimed_after_the_period_until_rolled_over(
    jackpot: Any, vault: Any, coordinator: Any, alice: Any, funded: int
) -> None:
    round_id, request_id = _played_round(jackpot, [alice], [1])
    deliver(coordinator, request_id, 0)
    _advance_to(chain[-1].timestamp + CLAIM_PERIOD + 10)
    jackpot.claim(round_id, {"from": alice})
    assert jackpot.roundOf(round_id)["status"] == CLAIMED


def test_empty_round_passes_rolled_over_money_on(
    jackpot: Any, owner: Any, vault: Any, coordinator: Any, alice: Any, outsider: Any, funded: int
) -> None:
    second, prize = _unclaimed_prize_rolled_over(jackpot, owner, coordinator, alice, 2, outsider)
    _end_sales(jackpot, second)
    tx = jackpot.draw(second, {"from": outsider})
    third = jackpot.currentRound(ETH)
    assert tx.events["RoundClosed"]["rolledIn"] == prize
    assert tx.events["PrizeRolledOver"]["toRoundId"] == third
    assert jackpot.roundOf(second)["status"] == ROLLED_OVER
    assert jackpot.roundOf(third)["rolledIn"] == prize
    assert vault.getPool(jackpot.roundOf(third)["poolId"])["balance"] == prize


def test_disabled_token_keeps_a_winnerless_prize_until_a_round_opens(
    jackpot: Any, coordinator: Any, owner: Any, alice: Any, outsider: Any, funded: int, reverts_with: Any
) -> None:
    second, _ = _unclaimed_prize_rolled_over(jackpot, owner, coordinator, alice, 2, outsider)
    jackpot.configureToken(ETH, False, TICKET_PRICE, ROUND_DURATION, RAKE_BPS, {"from": owner})
    _end_sales(jackpot, second)
    jackpot.draw(second, {"from": outsider})
    assert jackpot.currentRound(ETH) == 0
    info = jackpot.roundOf(second)
    assert info["status"] == DRAWN and info["winner"] == ZERO_ADDRESS and info["prize"] > 0
    with reverts_with("NoWinner"):
        jackpot.claim(second, {"from": alice})
    with reverts_with("NoOpenRound"):
        jackpot.rollOver(second, {"from": outsider})
    jackpot.configureToken(ETH, True, TICKET_PRICE, ROUND_DURATION, RAKE_BPS, {"from": owner})
    third = jackpot.currentRound(ETH)
    jackpot.rollOver(second, {"from": outsider})
    assert jackpot.roundOf(third)["rolledIn"] == info["prize"]


# ------------------------------------------------------------------ timeouts and refunds


def test_an_expired_draw_refunds_every_ticket_and_the_bond_adds_a_pot_pro_rata(
    jackpot: Any,
    vault: Any,
    coordinator: Any,
    registry: Any,
    alice: Any,
    bob: Any,
    outsider: Any,
    funded: int,
    reverts_with: Any,
) -> None:
    """A withheld draw (audit finding 5): every ticket is refunded and the oracle's bond pays a
    compensation (sales + twice the rolled-in money; here just the sales) to share among the
    tickets pro rata, and burns a pot, so withholding costs the key's holder more than any draw
    could give it, whatever tickets it holds."""
    round_id, request_id = _played_round(jackpot, [alice, bob, alice], [1, 2, 3])
    pot = 6 * TICKET_PRICE
    assert tuple(coordinator.slashOf(request_id)) == (ETH, 2 * pot, jackpot.address, pot, False)
    assert jackpot.drawRequestOf(round_id) == request_id
    with reverts_with("DrawPending"):
        jackpot.markRefundable(round_id, {"from": outsider})  # the request can still be fulfilled
    with reverts_with("NotRefundable"):
        jackpot.refundTickets(round_id, [0], {"from": outsider})
    burnt = web3.eth.get_balance(BURN_ADDRESS)
    tx = expire_past_deadline(coordinator, request_id)
    with reverts_with("UnknownRequest"):
        coordinator.deliver(request_id, [1], {"from": outsider})
    assert tx.events["Expired"]["callbackSuccess"]
    assert tx.events["RoundRefundable"]["roundId"] == round_id
    assert tx.events["DrawCompensated"]["amount"] == pot
    assert web3.eth.get_balance(BURN_ADDRESS) == burnt + pot
    assert jackpot.roundOf(round_id)["status"] == REFUNDABLE
    assert tuple(jackpot.compensationOf(round_id)) == (pot, 0)
    assert vault.balanceOf(jackpot, ETH) == pot
    with reverts_with("CannotMarkRefundable"):
        jackpot.markRefundable(round_id, {"from": outsider})

    refunded = jackpot.refundTickets(round_id, [0, 2], {"from": outsider})
    assert [e["amount"] for e in refunded.events["TicketsRefunded"]] == [TICKET_PRICE, 3 * TICKET_PRICE]
    alice_share = pot * 1 // 6 + pot * 3 // 6
    assert [e["amount"] for e in refunded.events["CompensationPaid"]] == [pot * 1 // 6, pot * 3 // 6]
    assert vault.balanceOf(alice, ETH) == funded + alice_share
    with reverts_with("AlreadyRefunded"):
        jackpot.refundTickets(round_id, [2], {"from": outsider})
    with reverts_with("BadPurchase"):
        jackpot.refundTickets(round_id, [3], {"from": outsider})
    jackpot.refundTickets(round_id, [1], {"from": bob})
    assert vault.balanceOf(bob, ETH) == funded + pot - alice_share  # the last refund takes the rest
    assert vault.balanceOf(jackpot, ETH) == 0
    assert tuple(jackpot.compensationOf(round_id)) == (pot, pot)
    assert registry.paidOut(alice, ETH) == 4 * TICKET_PRICE
    assert jackpot.roundOf(round_id)["refunded"] == 3
    assert vault.getPool(jackpot.roundOf(round_id)["poolId"])["balance"] == 0
    assert_vault_solvent(vault, ETH)


def test_missed_draw_window_makes_the_round_refundable(
    jackpot: Any, vault: Any, alice: Any, outsider: Any, funded: int, reverts_with: Any
) -> None:
    round_id = jackpot.currentRound(ETH)
    _buy(jackpot, alice, 5)
    _end_sales(jackpot, round_id)
    with reverts_with("CannotMarkRefundable"):
        jackpot.markRefundable(round_id, {"from": outsider})
    _advance_to(jackpot.roundOf(round_id)["drawBy"] + 1)
    with reverts_with("DrawWindowPassed"):
        jackpot.draw(round_id, {"from": outsider})
    tx = jackpot.markRefundable(round_id, {"from": outsider})
    assert tx.events["RoundOpened"]["roundId"] == jackpot.currentRound(ETH) != round_id
    jackpot.refundTickets(round_id, [0], {"from": outsider})
    assert vault.balanceOf(alice, ETH) == funded


def test_vault_backstop_refund_is_recognised(
    jackpot: Any, vault: Any, alice: Any, bob: Any, outsider: Any, funded: int
) -> None:
    round_id = jackpot.currentRound(ETH)
    lock_id = _buy(jackpot, alice, 2).return_value
    _buy(jackpot, bob, 1)
    info = jackpot.roundOf(round_id)
    _advance_to(info["lockDeadline"] + 1)
    vault.refund(
        lock_id, lock_terms(vault, lock_id), {"from": outsider}
    )  # the Vault's deadline backstop, no game involved
    assert vault.balanceOf(alice, ETH) == funded
    jackpot.markRefundable(round_id, {"from": outsider})
    tx = jackpot.refundTickets(round_id, [0, 1], {"from": outsider})
    assert len(tx.events["TicketsRefunded"]) == 2
    assert vault.balanceOf(alice, ETH) == funded  # not paid twice
    assert vault.balanceOf(bob, ETH) == funded
    assert_vault_solvent(vault, ETH)


def test_a_draw_always_resolves_before_the_lock_deadline(
    jackpot: Any, vault: Any, coordinator: Any, owner: Any, alice: Any, outsider: Any, funded: int, reverts_with: Any
) -> None:
    """drawGrace must outlast the coordinator's latest fulfilment, so by the locks' deadline the
    draw was either drawn or can be expired (paying the bond): the Vault's backstop refund never
    races a pending result."""
    round_id, request_id = _played_round(jackpot, [alice], [2])
    _advance_to(jackpot.roundOf(round_id)["lockDeadline"] + 1)
    with reverts_with("RequestExpired"):
        coordinator.deliver(request_id, [0], {"from": outsider})
    coordinator.expireRequest(request_id, {"from": outsider})
    jackpot.refundTickets(round_id, [0], {"from": outsider})
    assert vault.balanceOf(alice, ETH) == funded + 2 * TICKET_PRICE
    too_short = (DRAW_WINDOW, coordinator.maxFulfilDelay(), CLAIM_PERIOD)
    with reverts_with("BadTiming"):
        jackpot.setTiming(too_short, {"from": owner})


def test_refundable_round_passes_its_rolled_in_money_on(
    jackpot: Any,
    owner: Any,
    vault: Any,
    coordinator: Any,
    alice: Any,
    bob: Any,
    outsider: Any,
    funded: int,
    reverts_with: Any,
) -> None:
    second, prize = _unclaimed_prize_rolled_over(jackpot, owner, coordinator, alice, 4, outsider)
    _buy(jackpot, bob, 2, second)
    _buy(jackpot, alice, 1, second)
    request_id = _draw(jackpot, second, outsider)
    third = jackpot.currentRound(ETH)
    expire_past_deadline(coordinator, request_id)
    jackpot.refundTickets(second, [0], {"from": outsider})
    with reverts_with("RefundsPending"):
        jackpot.rollOver(second, {"from": outsider})
    jackpot.refundTickets(second, [1], {"from": outsider})
    tx = jackpot.rollOver(second, {"from": outsider})
    assert tx.events["PrizeRolledOver"]["amount"] == prize
    assert jackpot.roundOf(third)["rolledIn"] == prize
    assert vault.getPool(jackpot.roundOf(second)["poolId"])["balance"] == 0
    # the compensation is sales + twice the rolled-in prize: bob's 2 of 3 tickets
    compensation = 3 * TICKET_PRICE + 2 * prize
    assert vault.balanceOf(bob, ETH) == funded + compensation * 2 // 3
    with reverts_with("NothingToRollOver"):
        jackpot.rollOver(second, {"from": outsider})
    assert_vault_solvent(vault, ETH)


# ------------------------------------------------------------------ player protection


def test_excluded_player_cannot_buy(jackpot: Any, registry: Any, alice: Any, funded: int, reverts_with: Any) -> None:
    registry.setExcluded(alice, True, {"from": alice})
    with reverts_with("SelfExcluded"):
        _buy(jackpot, alice, 1)


# ------------------------------------------------------------------ reverts


def test_player_reverts(
    jackpot: Any, coordinator: Any, alice: Any, outsider: Any, funded: int, reverts_with: Any
) -> None:
    round_id = jackpot.currentRound(ETH)
    with reverts_with("RoundNotOpen"):
        _buy(jackpot, alice, 1, 999)
    with reverts_with("ZeroTickets"):
        _buy(jackpot, alice, 0)
    with reverts_with("UnexpectedEth"):
        jackpot.buyTickets(round_id, 1, 0, {"from": alice, "value": 1})
    with reverts_with("WrongEthValue"):
        jackpot.buyTickets(round_id, 1, 2, {"from": alice, "value": 1})
    with reverts_with("InsufficientBalance"):
        _buy(jackpot, alice, 10_000)
    with reverts_with("SalesStillOpen"):
        jackpot.draw(round_id, {"from": outsider})
    with reverts_with("ZeroTickets"):
        jackpot.drawOutcomes(round_id, [1])
    _buy(jackpot, alice, 1)
    _end_sales(jackpot, round_id)
    with reverts_with("SalesClosed"):
        _buy(jackpot, alice, 1, round_id)
    jackpot.draw(round_id, {"from": outsider})
    with reverts_with("RoundNotOpen"):
        jackpot.draw(round_id, {"from": outsider})
    with reverts_with("RoundNotOpen"):
        _buy(jackpot, alice, 1, round_id)
    with reverts_with("NotDrawn"):
        jackpot.claim(round_id, {"from": alice})
    with reverts_with("NothingToRollOver"):
        jackpot.rollOver(round_id, {"from": outsider})
    with reverts_with("CannotMarkRefundable"):
        jackpot.markRefundable(jackpot.currentRound(ETH), {"from": outsider})
    with reverts_with("BadPurchase"):
        jackpot.purchaseOf(round_id, 1)
    with reverts_with("NotCoordinator"):
        jackpot.onRandomness(1, [1], (ETH, 0, ZERO_ADDRESS, 0, False), "0x" + "00" * 32, {"from": alice})
    with reverts_with("NotCoordinator"):
        jackpot.onRandomnessExpired(1, (ETH, 0, ZERO_ADDRESS, 0, False), "0x" + "00" * 32, {"from": alice})


def test_config_reverts(jackpot: Any, owner: Any, alice: Any, usds: Any, reverts_with: Any) -> None:
    with reverts_with("RakeAboveCap"):
        jackpot.configureToken(usds, True, USD, ROUND_DURATION, 501, {"from": owner})
    with reverts_with("ZeroTicketPrice"):
        jackpot.configureToken(usds, True, 0, ROUND_DURATION, 100, {"from": owner})
    for duration in (5 * 60 - 1, 14 * 86_400 + 1):
        with reverts_with("BadRoundDuration"):
            jackpot.configureToken(usds, True, USD, duration, 100, {"from": owner})
    for timing in (
        (599, DRAW_GRACE, CLAIM_PERIOD),
        (7 * 86_400 + 1, DRAW_GRACE, CLAIM_PERIOD),
        (DRAW_WINDOW, 3_599, CLAIM_PERIOD),
        (DRAW_WINDOW, 7 * 86_400 + 1, CLAIM_PERIOD),
        (DRAW_WINDOW, DRAW_GRACE, 86_399),
        # the claim period ends inside the Vault's 30-day payout window of the drawn pool
        (DRAW_WINDOW, DRAW_GRACE, 28 * 86_400 + 1),
    ):
        with reverts_with("BadTiming"):
            jackpot.setTiming(timing, {"from": owner})
    jackpot.setTiming((DRAW_WINDOW, DRAW_GRACE, 28 * 86_400), {"from": owner})
    for call in (
        lambda: jackpot.configureToken(usds, True, USD, ROUND_DURATION, 100, {"from": alice}),
        lambda: jackpot.setTiming(TIMING, {"from": alice}),
        lambda: jackpot.setCallbackGasLimit(1, {"from": alice}),
    ):
        with reverts_with("OwnableUnauthorizedAccount"):
            call()


def test_config_applies_to_the_next_round(jackpot: Any, owner: Any, alice: Any, outsider: Any, funded: int) -> None:
    round_id = jackpot.currentRound(ETH)
    jackpot.configureToken(ETH, True, 2 * TICKET_PRICE, 2 * ROUND_DURATION, 0, {"from": owner})
    jackpot.setTiming((2 * DRAW_WINDOW, DRAW_GRACE, CLAIM_PERIOD), {"from": owner})
    assert jackpot.roundOf(round_id)["ticketPrice"] == TICKET_PRICE
    _end_sales(jackpot, round_id)
    tx = jackpot.draw(round_id, {"from": outsider})
    opened = tx.events["RoundOpened"]
    assert opened["ticketPrice"] == 2 * TICKET_PRICE and opened["rakeBps"] == 0
    assert opened["end"] - opened["start"] == 2 * ROUND_DURATION
    assert opened["drawBy"] - opened["end"] == 2 * DRAW_WINDOW


def test_constructor_reverts(owner: Any, vault: Any, coordinator: Any, registry: Any, reverts_with: Any) -> None:
    with reverts_with("BadTiming"):
        Jackpot.deploy((owner, vault, coordinator, registry, JACKPOT_CALLBACK_GAS), (0, 0, 0), {"from": owner})
    with reverts_with("ZeroAddress"):
        Jackpot.deploy((owner, vault, ZERO_ADDRESS, registry, JACKPOT_CALLBACK_GAS), TIMING, {"from": owner})
