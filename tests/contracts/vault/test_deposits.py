"""Player money in and out: ETH and ERC-20 deposits and withdrawals, awkward tokens,
hostile receivers."""

from __future__ import annotations

from typing import Any

from brownie import MockStablecoin, ReentrantReceiver, RevertingReceiver, Wei, chain, reverts
from contract_support import ETHER, USD, gas_cost, token_balance
from vault_helpers import ETH, deposit_eth, future, mint_approved

from ops import bankroll

REENTRANT_CALL = "0x3ee5aeb5"  # ReentrancyGuardReentrantCall()


# ------------------------------------------------------------------ ETH


def test_eth_deposit_credits_the_player(vault: Any, alice: Any, bob: Any, books: Any) -> None:
    tx = vault.depositFor(alice, ETH, 3 * ETHER, {"from": bob, "value": 3 * ETHER})

    assert tx.return_value == 3 * ETHER
    assert tx.events["Deposited"] == {"player": alice, "token": ETH, "amount": 3 * ETHER}
    assert vault.balanceOf(alice, ETH) == 3 * ETHER
    assert vault.balanceOf(bob, ETH) == 0
    assert vault.freeBalanceTotal(ETH) == 3 * ETHER
    assert vault.balance() == 3 * ETHER
    books(vault, ETH)


def test_eth_withdraw_pays_any_address(vault: Any, alice: Any, bob: Any, books: Any) -> None:
    deposit_eth(vault, alice, 5 * ETHER)
    before = bob.balance()

    tx = vault.withdraw(ETH, 2 * ETHER, bob, {"from": alice})

    assert tx.events["Withdrawn"] == {"player": alice, "token": ETH, "to": bob, "amount": 2 * ETHER}
    assert bob.balance() == before + 2 * ETHER
    assert vault.balanceOf(alice, ETH) == 3 * ETHER
    assert vault.freeBalanceTotal(ETH) == 3 * ETHER
    assert vault.balance() == 3 * ETHER
    books(vault, ETH)


def test_withdraw_everything_to_self(vault: Any, alice: Any) -> None:
    deposit_eth(vault, alice, ETHER)
    before = alice.balance()
    tx = vault.withdraw(ETH, ETHER, alice, {"from": alice})
    assert alice.balance() == before + ETHER - gas_cost(tx)
    assert vault.balanceOf(alice, ETH) == 0


def test_withdraw_reverts(vault: Any, alice: Any, bob: Any, reverts_with: Any) -> None:
    deposit_eth(vault, alice, ETHER)
    with reverts_with("InsufficientBalance"):
        vault.withdraw(ETH, ETHER + 1, alice, {"from": alice})
    with reverts_with("InsufficientBalance"):
        vault.withdraw(ETH, 1, bob, {"from": bob})
    with reverts_with("ZeroAmount"):
        vault.withdraw(ETH, 0, alice, {"from": alice})
    with reverts_with("ZeroAddress"):
        vault.withdraw(ETH, 1, ETH, {"from": alice})


def test_deposit_reverts(vault: Any, usds: Any, alice: Any, outsider: Any, reverts_with: Any) -> None:
    with reverts_with("ZeroAddress"):
        vault.depositFor(ETH, ETH, 1, {"from": alice, "value": 1})
    with reverts_with("ZeroAmount"):
        vault.depositFor(alice, ETH, 0, {"from": alice})
    with reverts_with("WrongEthValue"):
        vault.depositFor(alice, ETH, 2, {"from": alice, "value": 1})
    with reverts_with("UnexpectedEth"):
        vault.depositFor(alice, usds, 1, {"from": alice, "value": 1})
    with reverts_with("TokenNotAllowed"):
        vault.depositFor(alice, outsider, 1, {"from": alice})


def test_plain_eth_transfers_are_refused(vault: Any, alice: Any) -> None:
    with reverts():
        alice.transfer(vault, ETHER)
    assert vault.balance() == 0


# ------------------------------------------------------------------ ERC-20


def test_stablecoin_deposit_and_withdraw(vault: Any, usds: Any, alice: Any, bob: Any, books: Any) -> None:
    mint_approved(usds, vault, alice, 1_000 * USD)

    tx = vault.depositFor(bob, usds, 400 * USD, {"from": alice})

    assert tx.return_value == 400 * USD
    assert tx.events["Deposited"] == {"player": bob, "token": usds, "amount": 400 * USD}
    assert vault.balanceOf(bob, usds) == 400 * USD
    assert usds.balanceOf(vault) == 400 * USD
    books(vault, usds)

    vault.withdraw(usds, 150 * USD, alice, {"from": bob})
    assert usds.balanceOf(alice) == 750 * USD
    assert vault.balanceOf(bob, usds) == 250 * USD
    assert vault.freeBalanceTotal(usds) == 250 * USD
    books(vault, usds)


def test_amounts_beyond_uint128_are_refused(vault: Any, usds: Any, alice: Any, reverts_with: Any) -> None:
    mint_approved(usds, vault, alice, 2**129)
    with reverts_with("SafeCastOverflowedUintDowncast"):
        vault.depositFor(alice, usds, 2**128, {"from": alice})
    vault.depositFor(alice, usds, 2**128 - 1, {"from": alice})
    with reverts("Integer overflow"):  # the token's free total would pass uint128
        vault.depositFor(alice, usds, 1, {"from": alice})
    assert vault.freeBalanceTotal(usds) == 2**128 - 1


def test_erc20_deposit_needs_allowance(vault: Any, usds: Any, alice: Any, reverts_with: Any) -> None:
    usds.mint(alice, 10 * USD, {"from": alice})
    with reverts_with("ERC20InsufficientAllowance"):
        vault.depositFor(alice, usds, 10 * USD, {"from": alice})


def test_fee_on_transfer_credits_what_arrived(vault: Any, fee_token: Any, alice: Any, books: Any) -> None:
    mint_approved(fee_token, vault, alice, 1_000 * ETHER)

    tx = vault.depositFor(alice, fee_token, 1_000 * ETHER, {"from": alice})

    received = 990 * ETHER  # 1 % burnt in transit
    assert tx.return_value == received
    assert tx.events["Deposited"]["amount"] == received
    assert vault.balanceOf(alice, fee_token) == received
    assert fee_token.balanceOf(vault) == received
    books(vault, fee_token)

    vault.withdraw(fee_token, received, alice, {"from": alice})
    assert vault.balanceOf(alice, fee_token) == 0
    assert fee_token.balanceOf(vault) == 0
    books(vault, fee_token)


def test_token_without_return_values(vault: Any, no_return_token: Any, alice: Any, bob: Any, books: Any) -> None:
    mint_approved(no_return_token, vault, alice, 50 * ETHER)

    vault.depositFor(alice, no_return_token, 50 * ETHER, {"from": alice})
    assert vault.balanceOf(alice, no_return_token) == 50 * ETHER

    vault.withdraw(no_return_token, 20 * ETHER, bob, {"from": alice})
    assert no_return_token.balanceOf(bob) == 20 * ETHER
    assert no_return_token.balanceOf(vault) == 30 * ETHER
    books(vault, no_return_token)


def test_failing_no_return_transfer_reverts(vault: Any, no_return_token: Any, alice: Any, reverts_with: Any) -> None:
    no_return_token.mint(alice, ETHER, {"from": alice})
    with reverts_with("AllowanceTooLow"):
        vault.depositFor(alice, no_return_token, ETHER, {"from": alice})


def test_tokens_sent_without_deposit_credit_nobody(vault: Any, usds: Any, alice: Any, books: Any) -> None:
    usds.mint(alice, 10 * USD, {"from": alice})
    usds.transfer(vault, 10 * USD, {"from": alice})
    assert vault.balanceOf(alice, usds) == 0
    assert vault.freeBalanceTotal(usds) == 0
    assert vault.bankrollAssets(usds) == 0
    books(vault, usds)


def test_withdraw_works_for_delisted_token(vault: Any, usds: Any, owner: Any, alice: Any, reverts_with: Any) -> None:
    mint_approved(usds, vault, alice, 10 * USD)
    vault.depositFor(alice, usds, 5 * USD, {"from": alice})
    vault.setToken(usds, False, {"from": owner})

    with reverts_with("TokenNotAllowed"):
        vault.depositFor(alice, usds, 5 * USD, {"from": alice})
    vault.withdraw(usds, 5 * USD, alice, {"from": alice})
    assert usds.balanceOf(alice) == 10 * USD


# ------------------------------------------------------------------ depositFrom (games)


def test_game_pulls_approved_tokens_and_locks(vault: Any, usds: Any, game: Any, alice: Any, books: Any) -> None:
    mint_approved(usds, vault, alice, 100 * USD)

    tx = game.lockFrom(usds, 60 * USD, 60 * USD, future(), 0, {"from": alice})

    assert tx.events["Deposited"] == {"player": alice, "token": usds, "amount": 60 * USD}
    assert tx.events["Locked"]["amount"] == 60 * USD
    assert vault.balanceOf(alice, usds) == 0
    assert vault.lockedTotal(usds) == 60 * USD
    assert usds.balanceOf(vault) == 60 * USD
    books(vault, usds)


def test_game_pull_of_fee_token_locks_what_arrived(vault: Any, fee_token: Any, game: Any, alice: Any) -> None:
    mint_approved(fee_token, vault, alice, 100 * ETHER)
    pool_id = game.openPool(fee_token, {"from": game.operator()}).return_value
    tx = game.lockFrom(fee_token, 100 * ETHER, 0, future(), pool_id, {"from": alice})
    assert tx.events["Locked"]["amount"] == tx.events["Locked"]["maxPayout"] == 99 * ETHER
    assert vault.getPool(pool_id)["balance"] == 99 * ETHER
    assert vault.lockedTotal(fee_token) == fee_token.balanceOf(vault) == 99 * ETHER


def test_deposit_from_reverts(vault: Any, usds: Any, game: Any, alice: Any, reverts_with: Any) -> None:
    mint_approved(usds, vault, alice, 10 * USD)
    with reverts_with("NotGame"):
        vault.depositFrom(alice, usds, 10 * USD, {"from": alice})
    with reverts_with("EthNotPullable"):
        game.lockFrom(ETH, ETHER, ETHER, future(), 0, {"from": alice})
    with reverts_with("ZeroAmount"):
        game.lockFrom(usds, 0, 0, future(), 0, {"from": alice})


def test_game_forwards_eth_and_locks(vault: Any, game: Any, alice: Any, funded: int) -> None:
    tx = game.lockWithEth(2 * ETHER, future(), 0, {"from": alice, "value": ETHER})
    assert tx.events["Deposited"]["amount"] == ETHER
    assert tx.events["Locked"]["maxPayout"] == 2 * ETHER
    assert vault.lockedTotal(ETH) == ETHER
    assert vault.bankrollReserved(ETH) == ETHER


# ------------------------------------------------------------------ hostile receivers


def test_reentrant_withdraw_cannot_take_twice(vault: Any, alice: Any, books: Any) -> None:
    attacker = ReentrantReceiver.deploy(vault, {"from": alice})
    attacker.deposit({"from": alice, "value": 10 * ETHER})
    attacker.setAttack(1, True, {"from": alice})  # Withdraw, swallow the failed re-entry

    attacker.withdraw(4 * ETHER, {"from": alice})

    assert attacker.reentries() == 1
    assert not attacker.lastReentrySucceeded()
    assert attacker.lastReentryError() == REENTRANT_CALL
    assert attacker.balance() == 4 * ETHER
    assert vault.balanceOf(attacker, ETH) == 6 * ETHER
    assert vault.balance() == 6 * ETHER
    books(vault, ETH)


def test_reentrant_receiver_that_bubbles_gets_nothing(vault: Any, alice: Any, reverts_with: Any) -> None:
    attacker = ReentrantReceiver.deploy(vault, {"from": alice})
    attacker.deposit({"from": alice, "value": 10 * ETHER})
    attacker.setAttack(1, False, {"from": alice})

    with reverts_with("EthTransferFailed"):
        attacker.withdraw(4 * ETHER, {"from": alice})
    assert vault.balanceOf(attacker, ETH) == 10 * ETHER
    assert vault.balance() == 10 * ETHER
    assert attacker.balance() == 0


def test_bankroll_redeem_pushes_nothing(vault: Any, alice: Any, bob: Any, books: Any) -> None:
    """A claimed redeem credits the LP's free balance: no ETH is sent, so there is no receiver to
    re-enter from (leaving it is the ordinary, reentrancy-guarded withdraw above)."""
    attacker = ReentrantReceiver.deploy(vault, {"from": alice})
    vault.requestBankrollDeposit(ETH, 10 * ETHER, {"from": alice, "value": 10 * ETHER})
    bankroll.pass_delay(vault)
    vault.claimBankrollDeposit(ETH, alice, {"from": alice})
    shares = vault.sharesOf(alice, ETH)
    vault.requestBankrollRedeem(ETH, shares // 2, {"from": alice})
    bankroll.pass_delay(vault)
    chain.sleep(int(vault.CLAIM_GRACE()))
    before = alice.balance()
    tx = vault.claimBankrollRedeem(
        ETH, alice, {"from": bob}
    )  # after the owner's grace anyone may claim; alice is credited
    assert tx.return_value == 5 * ETHER
    assert alice.balance() == before and attacker.balance() == 0
    assert vault.balanceOf(alice, ETH) == 5 * ETHER
    assert vault.bankrollAssets(ETH) == 5 * ETHER
    books(vault, ETH)


def test_reverting_receiver_only_blocks_itself(vault: Any, alice: Any, bob: Any, reverts_with: Any, books: Any) -> None:
    stubborn = RevertingReceiver.deploy(vault, {"from": alice})
    stubborn.deposit({"from": alice, "value": 3 * ETHER})
    deposit_eth(vault, bob, ETHER)

    with reverts_with("EthTransferFailed"):
        stubborn.withdraw(ETH, ETHER, stubborn, {"from": alice})
    # other players are unaffected, and the contract can still withdraw elsewhere
    vault.withdraw(ETH, ETHER, bob, {"from": bob})
    before = token_balance(ETH, alice)
    stubborn.withdraw(ETH, 3 * ETHER, alice, {"from": bob})
    assert token_balance(ETH, alice) == before + 3 * ETHER
    assert vault.balanceOf(stubborn, ETH) == 0
    books(vault, ETH)


def test_withdrawals_keep_working_over_time(vault: Any, alice: Any) -> None:
    deposit_eth(vault, alice, Wei("1 ether"))
    chain.sleep(400 * 86_400)
    vault.withdraw(ETH, Wei("1 ether"), alice, {"from": alice})
    assert vault.balanceOf(alice, ETH) == 0


# ------------------------------------------------------------------ payIn (a slashed bond's way in)


def test_pay_in_credits_the_beneficiary_and_the_bankroll_whole(
    vault: Any, alice: Any, bob: Any, funded: int, books: Any
) -> None:
    tx = vault.payIn(alice, ETH, 2 * ETHER, ETHER, {"from": bob, "value": 3 * ETHER})

    assert tx.events["PaidIn"] == {
        "payer": bob,
        "beneficiary": alice,
        "token": ETH,
        "credited": 2 * ETHER,
        "toBankroll": ETHER,
    }
    assert vault.balanceOf(alice, ETH) == 2 * ETHER
    assert vault.bankrollAssets(ETH) == funded + ETHER  # no fee: it was taken at the lock
    books(vault, ETH)


def test_pay_in_takes_every_token_ever_listed_and_no_other(
    vault: Any, owner: Any, alice: Any, bob: Any, reverts_with: Any
) -> None:
    """A bond in a token governance later disallowed must still be paid in (the coordinator's
    expiry), so payIn asks only whether the token was ever allow-listed."""
    listed, never = MockStablecoin.deploy({"from": owner}), MockStablecoin.deploy({"from": owner})
    vault.setToken(listed, True, {"from": owner})
    vault.setToken(listed, False, {"from": owner})
    for token in (listed, never):
        mint_approved(token, vault, bob, 10 * USD)
    vault.payIn(alice, listed, 4 * USD, 0, {"from": bob})
    assert vault.balanceOf(alice, listed) == 4 * USD
    assert vault.freeBalanceTotal(listed) == 4 * USD
    with reverts_with("TokenNotAllowed"):
        vault.payIn(alice, never, 4 * USD, 0, {"from": bob})
