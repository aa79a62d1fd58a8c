"""The per-token bankroll: shares, rounding in the Vault's favour, inflation attacks, the
reserve that open locks hold back."""

from __future__ import annotations

from typing import Any

from brownie import chain
from brownie.test import given, strategy
from contract_support import DAY, ETHER, USD, lock_terms, token_balance
from hypothesis import example, settings
from vault_helpers import ETH, deposit_eth, future, mint_approved

from ops import bankroll

VIRTUAL_SHARES = 10**6


def lose_to_bankroll(vault: Any, game: Any, owner: Any, player: Any, amount: int) -> None:
    """`player` stakes `amount` of ETH at even money and loses it to the bankroll."""
    deposit_eth(vault, player, amount)
    lock_id = game.lock(ETH, amount, amount, future(), 0, {"from": player}).return_value
    game.settle(lock_id, lock_terms(game, lock_id), 0, {"from": owner})


def test_first_deposit_and_full_withdrawal(vault: Any, lp: Any, bob: Any, books: Any) -> None:
    tx = bankroll.deposit(vault, ETH, 5 * ETHER, lp)

    shares = 5 * ETHER * VIRTUAL_SHARES
    assert tx.return_value == shares
    assert tx.events["BankrollDeposited"] == {
        "provider": lp,
        "token": ETH,
        "assets": 5 * ETHER,
        "shares": shares,
    }
    assert vault.sharesOf(lp, ETH) == vault.totalShares(ETH) == shares
    assert vault.bankrollAssets(ETH) == 5 * ETHER
    books(vault, ETH)

    before = bob.balance()
    out = bankroll.redeem(vault, ETH, shares, lp, bob)
    assert out.return_value == 5 * ETHER
    assert out.events["BankrollWithdrawn"] == {
        "provider": lp,
        "token": ETH,
        "assets": 5 * ETHER,
        "shares": shares,
    }
    assert bob.balance() == before + 5 * ETHER
    assert vault.totalShares(ETH) == 0
    assert vault.bankrollAssets(ETH) == 0


def test_gains_and_losses_are_shared_pro_rata(vault: Any, game: Any, owner: Any, lp: Any, bob: Any, alice: Any) -> None:
    bankroll.deposit(vault, ETH, 30 * ETHER, lp)
    bankroll.deposit(vault, ETH, 10 * ETHER, bob)
    assert vault.sharesOf(lp, ETH) == 3 * vault.sharesOf(bob, ETH)

    lose_to_bankroll(vault, game, owner, alice, 4 * ETHER)
    gain = 4 * ETHER  # a lock without a house edge pays no fee
    assert vault.bankrollAssets(ETH) == 40 * ETHER + gain

    bob_out = vault.previewBankrollRedeem(ETH, vault.sharesOf(bob, ETH))
    assert 10 * ETHER + gain // 4 - 1 <= bob_out <= 10 * ETHER + gain // 4


def test_player_wins_come_out_of_the_bankroll(vault: Any, game: Any, owner: Any, lp: Any, alice: Any) -> None:
    bankroll.deposit(vault, ETH, 100 * ETHER, lp)
    deposit_eth(vault, alice, ETHER)
    lock_id = game.lock(ETH, ETHER, 6 * ETHER, future(), 0, {"from": alice}).return_value
    game.settle(lock_id, lock_terms(game, lock_id), 6 * ETHER, {"from": owner})
    assert vault.bankrollAssets(ETH) == 95 * ETHER
    assert vault.previewBankrollRedeem(ETH, vault.sharesOf(lp, ETH)) < 95 * ETHER + 1


def test_withdrawal_keeps_open_reserves_within_the_risk_fraction(
    vault: Any, game: Any, owner: Any, lp: Any, alice: Any, reverts_with: Any, books: Any
) -> None:
    """Total exposure stays capped (audit finding 4): with a 10 % risk fraction, 10 ETH reserved
    by open locks needs 100 ETH of bankroll, so of 200 ETH the LPs may take out 100 and no more.
    A redeem is priced as if the open lock paid its maximum (190 ETH for all the shares)."""
    bankroll.deposit(vault, ETH, 200 * ETHER, lp)
    deposit_eth(vault, alice, ETHER)
    lock_id = game.lock(ETH, ETHER, 11 * ETHER, future(3 * DAY), 0, {"from": alice}).return_value
    assert vault.bankrollReserved(ETH) == 10 * ETHER
    assert vault.riskFractionBps(ETH) == 1_000
    shares = vault.sharesOf(lp, ETH)

    def claim_fails(part: int) -> None:
        vault.requestBankrollRedeem(ETH, part, {"from": lp})
        bankroll.pass_delay(vault)
        with reverts_with("InsufficientBankroll"):
            vault.claimBankrollRedeem(ETH, lp, {"from": lp})
        vault.cancelBankrollRedeem(ETH, {"from": lp})

    claim_fails(shares)
    claim_fails(shares * 53 // 100)  # 100.7 ETH at the price of 190 for all
    bankroll.redeem(vault, ETH, shares // 2, lp, lp)
    assert vault.bankrollReserved(ETH) * 10 <= vault.bankrollAssets(ETH)
    claim_fails(shares // 10)

    game.settle(lock_id, lock_terms(game, lock_id), 11 * ETHER, {"from": owner})  # the reserve covers the win
    assert vault.balanceOf(alice, ETH) == 11 * ETHER
    assert vault.bankrollReserved(ETH) == 0
    bankroll.redeem(vault, ETH, vault.sharesOf(lp, ETH), lp, lp)  # nothing reserved: all of it
    assert vault.bankrollAssets(ETH) <= ETHER  # dust from rounding stays in the bankroll
    books(vault, ETH)


def test_bankroll_redeem_reverts(vault: Any, lp: Any, alice: Any, reverts_with: Any) -> None:
    bankroll.deposit(vault, ETH, ETHER, lp)
    shares = vault.sharesOf(lp, ETH)
    with reverts_with("ZeroShares"):
        vault.requestBankrollRedeem(ETH, 0, {"from": lp})
    with reverts_with("InsufficientShares"):
        vault.requestBankrollRedeem(ETH, shares + 1, {"from": lp})
    with reverts_with("InsufficientShares"):
        vault.requestBankrollRedeem(ETH, 1, {"from": alice})
    with reverts_with("NoBankrollRequest"):
        vault.claimBankrollRedeem(ETH, lp, {"from": lp})
    with reverts_with("NoBankrollRequest"):
        vault.cancelBankrollRedeem(ETH, {"from": lp})
    at = vault.requestBankrollRedeem(ETH, 1, {"from": lp}).return_value
    with reverts_with(f"BankrollRequestNotClaimable: {at}"):
        vault.claimBankrollRedeem(ETH, lp, {"from": lp})
    bankroll.pass_delay(vault)
    with reverts_with("ZeroAmount"):  # one share is worth less than one wei
        vault.claimBankrollRedeem(ETH, lp, {"from": lp})
    # escrowed shares cannot be requested twice
    with reverts_with("InsufficientShares"):
        vault.requestBankrollRedeem(ETH, shares, {"from": lp})


def test_only_the_owner_claims_during_its_grace(vault: Any, lp: Any, alice: Any, reverts_with: Any) -> None:
    """A claim's price depends on the locks open at its moment, so the owner chooses it first:
    others may claim (for the owner) only CLAIM_GRACE after the request became claimable."""
    grace = int(vault.CLAIM_GRACE())
    assert grace == 7 * DAY and int(vault.BANKROLL_DELAY()) == DAY
    at = bankroll.request_deposit(vault, ETH, ETHER, lp).return_value
    bankroll.pass_delay(vault)
    with reverts_with(f"BankrollRequestNotClaimable: {at + grace}"):
        vault.claimBankrollDeposit(ETH, lp, {"from": alice})
    shares = vault.claimBankrollDeposit(ETH, lp, {"from": lp}).return_value
    at = vault.requestBankrollRedeem(ETH, shares, {"from": lp}).return_value
    bankroll.pass_delay(vault)
    with reverts_with(f"BankrollRequestNotClaimable: {at + grace}"):
        vault.claimBankrollRedeem(ETH, lp, {"from": alice})
    chain.sleep(grace)
    assert vault.claimBankrollRedeem(ETH, lp, {"from": alice}).return_value == ETHER
    assert vault.balanceOf(lp, ETH) == ETHER and vault.balanceOf(alice, ETH) == 0


def test_bankroll_deposit_reverts(vault: Any, usds: Any, lp: Any, alice: Any, reverts_with: Any) -> None:
    with reverts_with("ZeroAmount"):
        vault.requestBankrollDeposit(ETH, 0, {"from": lp})
    with reverts_with("WrongEthValue"):
        vault.requestBankrollDeposit(ETH, 2, {"from": lp, "value": 1})
    with reverts_with("UnexpectedEth"):
        vault.requestBankrollDeposit(usds, 1, {"from": lp, "value": 1})
    with reverts_with("TokenNotAllowed"):
        vault.requestBankrollDeposit(lp, 1, {"from": lp})
    with reverts_with("NoBankrollRequest"):
        vault.claimBankrollDeposit(ETH, lp, {"from": lp})
    with reverts_with("NoBankrollRequest"):
        vault.cancelBankrollDeposit(ETH, {"from": lp})
    at = bankroll.request_deposit(vault, ETH, ETHER, lp).return_value
    with reverts_with(f"BankrollRequestNotClaimable: {at}"):
        vault.claimBankrollDeposit(ETH, lp, {"from": lp})
    with reverts_with("NoBankrollRequest"):  # only the owner cancels its own request
        vault.cancelBankrollDeposit(ETH, {"from": alice})


def test_stablecoin_bankroll(vault: Any, usds: Any, lp: Any, books: Any) -> None:
    mint_approved(usds, vault, lp, 5_000 * USD)
    bankroll.deposit(vault, usds, 5_000 * USD, lp)
    assert vault.bankrollAssets(usds) == 5_000 * USD
    assert vault.maxReserve(usds) == 500 * USD
    bankroll.redeem(vault, usds, vault.sharesOf(lp, usds), lp, lp)
    assert usds.balanceOf(lp) == 5_000 * USD
    books(vault, usds)


def test_fee_on_transfer_bankroll_counts_what_arrived(vault: Any, fee_token: Any, lp: Any, books: Any) -> None:
    mint_approved(fee_token, vault, lp, 100 * ETHER)
    tx = bankroll.deposit(vault, fee_token, 100 * ETHER, lp)
    assert tx.events["BankrollDeposited"]["assets"] == 99 * ETHER
    assert vault.bankrollAssets(fee_token) == fee_token.balanceOf(vault) == 99 * ETHER
    books(vault, fee_token)


def test_donated_tokens_do_not_move_the_share_price(vault: Any, usds: Any, lp: Any, bob: Any) -> None:
    mint_approved(usds, vault, lp, 10**12 * USD)
    bankroll.deposit(vault, usds, 1, lp)
    usds.transfer(vault, 10**9 * USD, {"from": lp})  # the classic donation

    mint_approved(usds, vault, bob, 1_000 * USD)
    bankroll.deposit(vault, usds, 1_000 * USD, bob)
    assert vault.previewBankrollRedeem(usds, vault.sharesOf(bob, usds)) == 1_000 * USD
    bankroll.redeem(vault, usds, vault.sharesOf(bob, usds), bob, bob)
    assert usds.balanceOf(bob) == 1_000 * USD


def test_inflation_through_losses_does_not_pay(
    vault: Any, game: Any, owner: Any, alice: Any, bob: Any, reverts_with: Any
) -> None:
    """The attacker owns an empty bankroll's only share, inflates it by losing bets to it,
    and hopes the next depositor's shares round to nothing."""
    attacker, victim = alice, bob
    attacker_in = 1 + 1_000 * ETHER
    bankroll.deposit(vault, ETH, 1, attacker)
    lose_to_bankroll(vault, game, owner, attacker, 1_000 * ETHER)

    # a deposit too small to earn a share is refused instead of being absorbed (and can be taken back)
    with reverts_with("ZeroShares"):
        bankroll.deposit(vault, ETH, 10**12, victim)
    vault.cancelBankrollDeposit(ETH, {"from": victim})

    victim_in = 500 * ETHER
    shares = bankroll.deposit(vault, ETH, victim_in, victim).return_value
    assert shares > 0
    victim_out = bankroll.redeem(vault, ETH, shares, victim, victim).return_value
    assert victim_in - victim_out <= victim_in // 10**6  # at most one share's worth of rounding

    attacker_out = bankroll.redeem(vault, ETH, vault.sharesOf(attacker, ETH), attacker, attacker)
    assert attacker_out.return_value < attacker_in


@settings(max_examples=15)
# Both outcomes every run, whatever the random draws: a deposit too small for one share after a
# large house gain, and an ordinary one.
@example(first=1, gain=10**21, deposit=10**6)
@example(first=10**18, gain=0, deposit=10**18)
@given(
    first=strategy("uint256", min_value=1, max_value=10**22),
    gain=strategy("uint256", max_value=10**21),
    deposit=strategy("uint256", min_value=10**6, max_value=10**22),
)
def test_round_trip_never_pays_more(
    vault: Any,
    game: Any,
    owner: Any,
    lp: Any,
    alice: Any,
    bob: Any,
    reverts_with: Any,
    first: int,
    gain: int,
    deposit: int,
) -> None:
    bankroll.deposit(vault, ETH, first, lp)
    if gain:
        lose_to_bankroll(vault, game, owner, alice, gain)
    shares_before = vault.sharesOf(bob, ETH)
    # The entering price, written out from the Vault's documented rule (1e6 virtual shares, one
    # virtual wei, open stakes counted as house wins once shares exist), not read from the Vault.
    total = vault.totalShares(ETH)
    ceiling = vault.bankrollAssets(ETH) + (vault.lockedTotal(ETH) if total else 0)
    minted = deposit * (total + 10**6) // (ceiling + 1)
    assert vault.previewBankrollDeposit(ETH, deposit) == minted
    if minted == 0:
        # Too small for one share: the claim is refused rather than absorbed, and the deposit
        # comes back whole, so the round trip pays exactly what went in.
        bankroll.request_deposit(vault, ETH, deposit, bob)
        bankroll.pass_delay(vault)
        with reverts_with("ZeroShares"):
            vault.claimBankrollDeposit(ETH, bob, {"from": bob})
        free = vault.balanceOf(bob, ETH)
        assert vault.cancelBankrollDeposit(ETH, {"from": bob}).return_value == deposit
        assert vault.balanceOf(bob, ETH) == free + deposit
        assert vault.sharesOf(bob, ETH) == shares_before
    else:
        bankroll.deposit(vault, ETH, deposit, bob)
        assert vault.sharesOf(bob, ETH) - shares_before == minted
        before = token_balance(ETH, vault)
        out = bankroll.redeem(vault, ETH, minted, bob, bob).return_value
        assert out <= deposit
        assert token_balance(ETH, vault) == before - out
