"""CoinToss on the chance-game engine: its cap, its bad input, the true maximum it locks and
reserves, settlement of tosses and of multi-roll bets by the derived words, the callback's gas
and an expired toss paid from the bond. (The engine's own rules are tested through Dice.)"""

from __future__ import annotations

from typing import Any

from chance_support import (
    COINTOSS_CALLBACK_GAS,
    EDGE_BPS,
    assert_expiry_pays_from_bond,
    assert_vault_solvent,
    deliver,
    edge_fee,
    placed_bet,
)
from contract_support import ETHER, lock_record

from fairstake.manifest import ETH
from fairstake.rules import cointoss as rules
from fairstake.rules import multiroll

HEADS, TAILS = rules.encode_choice(True), rules.encode_choice(False)
EVEN_WORD, ODD_WORD = 2**200, 2**200 + 1  # heads, tails


def test_the_edge_cap_is_five_percent(cointoss: Any, owner: Any, reverts_with: Any) -> None:
    assert cointoss.maxEdgeBps() == cointoss.MAX_EDGE_BPS() == 500
    cointoss.configureToken(ETH, True, 1, ETHER, 500, {"from": owner})
    with reverts_with("EdgeAboveCap"):
        cointoss.configureToken(ETH, True, 1, ETHER, 501, {"from": owner})


def test_bad_choices_and_worthless_bets_are_refused(
    cointoss: Any, owner: Any, alice: Any, funded: int, reverts_with: Any
) -> None:
    for choice in (b"", bytes(31), (2).to_bytes(32, "big"), HEADS + bytes(32)):
        with reverts_with("BadChoice"):
            cointoss.placeBet(ETH, ETHER, choice, 0, {"from": alice})
    # one wei at any edge pays back at most one wei: nothing to win
    cointoss.configureToken(ETH, True, 1, ETHER, EDGE_BPS, {"from": owner})
    with reverts_with("PayoutNotAboveStake"):
        cointoss.placeBet(ETH, 1, HEADS, 0, {"from": alice})


def test_a_toss_locks_and_reserves_its_win_payout(
    cointoss: Any, vault: Any, coordinator: Any, alice: Any, funded: int
) -> None:
    tx = cointoss.placeBet(ETH, ETHER, TAILS, 0, {"from": alice})
    event = placed_bet(tx)
    win = ETHER * 2 * (10_000 - EDGE_BPS) // 10_000  # 1.98 ETH at a 1 % edge
    assert (event["maxPayout"], event["fee"], event["choice"]) == (
        win,
        edge_fee(vault, ETHER - win // 2),
        "0x" + TAILS.hex(),
    )
    lock = lock_record(vault, event["lockId"])
    assert (lock["amount"], lock["maxPayout"]) == (ETHER, win)
    assert tuple(coordinator.slashOf(tx.return_value)) == (ETH, win, alice, win - ETHER, True)


def test_the_called_side_wins(cointoss: Any, vault: Any, coordinator: Any, alice: Any, funded: int) -> None:
    win = ETHER * 2 * (10_000 - EDGE_BPS) // 10_000
    for choice, word, paid in ((HEADS, EVEN_WORD, win), (HEADS, ODD_WORD, 0), (TAILS, ODD_WORD, win), (TAILS, 0, 0)):
        before = vault.balanceOf(alice, ETH)
        bet_id = cointoss.placeBet(ETH, ETHER, choice, 0, {"from": alice}).return_value
        settled = deliver(coordinator, bet_id, word)
        assert (settled.events["BetSettled"]["rollsPlayed"], settled.events["BetSettled"]["payout"]) == (1, paid)
        assert vault.balanceOf(alice, ETH) == before - ETHER + paid
        assert settled.events["Delivered"]["gasUsed"] < COINTOSS_CALLBACK_GAS
    assert vault.lockedTotal(ETH) == 0
    assert_vault_solvent(vault, ETH)


def test_a_multi_roll_bet_tosses_by_the_derived_words_and_stops(
    cointoss: Any, vault: Any, coordinator: Any, alice: Any, funded: int
) -> None:
    stake, rolls = 10**16, 100
    win = rules.payout_if_win(stake, EDGE_BPS)
    for stop_gain, stop_loss in ((0, 0), (3 * (win - stake), 0), (0, 4 * stake)):
        for word in (5, 2**255 + 1):
            before = vault.balanceOf(alice, ETH)
            tx = cointoss.placeMultiBet(ETH, stake, HEADS, rolls, stop_gain, stop_loss, 0, {"from": alice})
            assert tx.events["Locked"]["maxPayout"] == rolls * win
            delivered = deliver(coordinator, tx.return_value, word)
            model = multiroll.play(rules, word, stake, HEADS, EDGE_BPS, rolls, stop_gain, stop_loss)
            settled = delivered.events["BetSettled"]
            assert (settled["rollsPlayed"], settled["payout"]) == (model.rolls_played, model.payout)
            assert vault.balanceOf(alice, ETH) == before - stake * rolls + model.payout
            # the engine forwards callbackGasLimit + 1,000 per extra roll (_rollGas); a full bet fits in it
            assert delivered.events["Delivered"]["callbackSuccess"]
    assert_vault_solvent(vault, ETH)


def test_an_expired_toss_pays_the_win_from_the_bond(
    cointoss: Any, vault: Any, coordinator: Any, alice: Any, funded: int
) -> None:
    tx = cointoss.placeBet(ETH, ETHER, HEADS, 0, {"from": alice})
    assert_expiry_pays_from_bond(vault, coordinator, alice, tx)
    assert_vault_solvent(vault, ETH)
