"""The chance-game engine through EchoGame (contracts/test: any non-empty choice, a roll pays 2x
on an even word): every shape of choice is kept exactly as placed, packed into the bet's
randomness request's data word when it fits and in the game's storage until the bet resolves
when it does not; the result is in BetSettled."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import EchoGame, web3
from chance_support import (
    CLOSED,
    DICE_CALLBACK_GAS,
    MAX_STAKE,
    MIN_STAKE,
    assert_vault_solvent,
    bet_status,
    data_word_of,
    deliver,
    deploy_chance_game,
    mapping_entry_holding,
    placed_bet,
    storage_word,
)
from chance_words import bet_data_word
from contract_support import ETHER
from eth_abi import encode as abi_encode

from fairstake.manifest import ETH


@pytest.fixture(scope="module")
def echo(owner: Any, vault: Any, coordinator: Any, registry: Any, bankroll: None) -> Any:
    return deploy_chance_game(EchoGame, owner, vault, coordinator, registry, None, DICE_CALLBACK_GAS, edge_bps=0)


CHOICES = [
    bytes(32),  # one zero word: packs
    abi_encode(["uint256"], [2**79 - 1]),  # the largest word that packs
    abi_encode(["uint256"], [2**79]),  # too large to pack
    abi_encode(["uint256", "uint256"], [2**79 - 1, 2**79 - 1]),  # two of the largest words
    abi_encode(["uint32", "uint64"], [7, 2**64 - 1]),  # two words: packs
    abi_encode(["uint32", "uint256"], [7, 2**79]),  # two words, the second too large
    abi_encode(["uint256", "bool"], [2**200, True]),  # two words, the first too large
    abi_encode(["uint64[]", "uint256[]"], [[1, 2, 3], [10, 20, 30]]),  # a list: 12 words
    b"\x01",  # not a whole word
]


@pytest.mark.parametrize("choice", CHOICES, ids=range(len(CHOICES)))
def test_every_choice_comes_back_as_placed(echo: Any, coordinator: Any, alice: Any, funded: int, choice: bytes) -> None:
    tx = echo.placeMultiBet(ETH, ETHER, choice, 3, 0, 0, 0, {"from": alice})
    bet_id, lock_id = tx.events["BetPlaced"]["betId"], tx.events["Locked"]["lockId"]
    assert bytes(placed_bet(tx)["choice"]) == choice
    packs = len(choice) in (32, 64) and all(
        int.from_bytes(choice[i : i + 32], "big") < 2**79 for i in range(0, len(choice), 32)
    )
    # a choice that does not pack is logged by BetTerms; one that packs is in the data word alone
    assert ("BetTerms" in tx.events) == (not packs)
    assert data_word_of(tx) == bet_data_word(lock_id, 3, 0, False, choice)
    assert (data_word_of(tx) >> 96 != 0) == packs
    kept = None
    if not packs and len(choice) >= 32:  # a long `bytes` in storage: 2 * length + 1 at its slot
        kept = mapping_entry_holding(echo, bet_id, 2 * len(choice) + 1)
    # roll i plays keccak256(abi.encode(word, i)); each even one pays 2x
    settled = deliver(coordinator, bet_id, 12345).events["BetSettled"]
    rolls = [int.from_bytes(web3.keccak(abi_encode(["uint256", "uint256"], [12345, i])), "big") for i in range(3)]
    assert (settled["rollsPlayed"], settled["payout"]) == (3, 2 * ETHER * sum(w % 2 == 0 for w in rolls))
    assert bet_status(echo, tx) == CLOSED
    if kept is not None:
        assert storage_word(echo, kept) == 0


def test_an_empty_choice_is_refused(echo: Any, alice: Any, funded: int, reverts_with: Any) -> None:
    with reverts_with("BadChoice"):
        echo.placeBet(ETH, ETHER, b"", 0, {"from": alice})


def test_an_edge_above_the_game_cap_is_refused(echo: Any, owner: Any, reverts_with: Any) -> None:
    with reverts_with("EdgeAboveCap"):
        echo.configureToken(ETH, True, MIN_STAKE, MAX_STAKE, 1, {"from": owner})
    assert echo.maxEdgeBps() == 0


def test_the_vault_books_balance_after_echo_bets(
    echo: Any, vault: Any, coordinator: Any, alice: Any, funded: int
) -> None:
    for word in range(6):
        bet_id = echo.placeBet(ETH, ETHER // 10, b"\x07", 0, {"from": alice}).return_value
        paid = deliver(coordinator, bet_id, word).events["BetSettled"]["payout"]
        assert paid == (2 * ETHER // 10 if word % 2 == 0 else 0)
    assert vault.lockedTotal(ETH) == 0
    assert_vault_solvent(vault, ETH)
