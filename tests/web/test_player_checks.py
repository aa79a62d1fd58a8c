"""Playing without surprises (issue 16): an error is shown next to the control that caused it,
in words with token units; the top banner closes and never goes stale; the Place-bet button is
disabled, with the reason beside it, when the page already knows the chain would refuse the bet;
"Max" withdraws a Vault balance to the last base unit; the target is a number field as well as a
slider. Each is photographed at desktop and phone size (FAIRSTAKE_WEB_SCREENSHOTS)."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect
from web_page import ETH, PHONE, connect, eth_text, expect_tx, screenshot, submit_vault, vault_balance
from web_stack import Stack
from web_wallet import TestWallet

DUST_ACCOUNT = 8  # a dev account no other test uses: its Vault balance is emptied here
RAW_WEI = re.compile(r"\d{12,}")  # a base-unit amount shown as it is on chain


def test_place_bet_without_a_wallet_says_why_next_to_it_on_a_phone(page: Page, stack: Stack) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{stack.api_url}/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    button, refusal = page.get_by_role("button", name="Place bet"), page.locator("#dice-refusal")
    expect(button).to_be_disabled()
    expect(refusal).to_have_attribute("data-error", "NoWallet")
    expect(refusal).to_have_text("Connect a wallet (at the top of the page) to place a bet.")
    # Right under the button, inside the phone's width.
    button.scroll_into_view_if_needed()
    below, message = button.bounding_box(), refusal.bounding_box()
    assert below and message
    assert 0 <= message["y"] - (below["y"] + below["height"]) < 30
    assert message["x"] >= 0 and message["x"] + message["width"] <= PHONE["width"]
    screenshot(page, page.locator("#dice"), "dice-no-wallet")


def test_banner_closes_and_a_later_success_clears_it(open_page: Callable[[TestWallet], Page], stack: Stack) -> None:
    player = stack.dev_account(DUST_ACCOUNT)
    wallet = TestWallet(
        rpc_url=stack.rpc_url, account=player, announce=False, chain_id="0x1", reject={"wallet_switchEthereumChain"}
    )
    page = open_page(wallet)
    page.goto(f"{stack.api_url}/")
    page.get_by_role("button", name="Browser wallet").click()
    notice = page.locator("#notice")
    page.get_by_role("button", name="Switch network").click()
    expect(notice).to_contain_text("Could not switch network: you rejected the request in your wallet")
    screenshot(page, notice, "banner-error")
    notice.get_by_role("button", name="Close this message").click()
    expect(notice).to_be_hidden()

    # Refused again, then allowed: the banner's error is gone once the switch succeeds ...
    page.get_by_role("button", name="Switch network").click()
    expect(notice).to_be_visible()
    wallet.reject.clear()
    page.get_by_role("button", name="Switch network").click()
    expect(page.locator("#wallet-switch")).to_be_hidden()
    expect(notice).to_be_hidden()


def test_a_confirmed_transaction_clears_an_older_banner(page: Page, stack: Stack, player: str) -> None:
    connect(page, stack, player)
    # An error with no control of its own (here: put there the way the page does) ...
    page.evaluate(
        """() => {
            const notice = document.querySelector("#notice");
            notice.textContent = "an earlier problem";
            notice.hidden = false;
        }"""
    )
    submit_vault(page, "ETH", "0.01", "Deposit")
    expect_tx(page, "Deposit 0.01 ETH")
    expect(page.locator("#notice")).to_be_hidden()  # ... is not left standing after a success


def test_max_withdraws_dust_then_an_empty_vault_blocks_a_vault_bet(
    open_page: Callable[[TestWallet], Page], stack: Stack
) -> None:
    player = stack.dev_account(DUST_ACCOUNT)
    wallet = TestWallet(rpc_url=stack.rpc_url, account=player)
    page = open_page(wallet)
    connect(page, stack, player)

    # A deposit with 18 decimals is shown to the last one, and "Max" withdraws all of it.
    submit_vault(page, "ETH", "0.123456789012345678", "Deposit")
    expect_tx(page, "Deposit 0.123456789012345678 ETH")
    balance = vault_balance(stack, player, ETH)
    assert balance % 10**12 != 0  # below the 6th decimal
    expect(page.locator('[data-vault-balance="ETH"]')).to_have_text(eth_text(balance))
    page.select_option("#vault-token", label="ETH")
    page.get_by_role("button", name="Max").click()
    expect(page.locator("#vault-amount")).to_have_value(eth_text(balance))
    screenshot(page, page.locator("#vault"), "vault-max")
    page.get_by_role("button", name="Withdraw", exact=True).click()
    expect_tx(page, f"Withdraw {eth_text(balance)} ETH")
    assert vault_balance(stack, player, ETH) == 0
    expect(page.locator('[data-vault-balance="ETH"]')).to_have_text("0")

    # Nothing left in the Vault: a bet paid from it is stopped before sending, and one paid from
    # the wallet is not.
    sent = len(wallet.sent_transactions())
    button, refusal = page.get_by_role("button", name="Place bet"), page.locator("#dice-refusal")
    page.select_option("#dice-token", label="ETH")
    page.select_option("#dice-source", value="vault")
    page.fill("#dice-stake", "0.01")
    expect(button).to_be_disabled()
    expect(refusal).to_have_attribute("data-error", "InsufficientBalance")
    expect(refusal).to_contain_text("Your Vault balance is 0 ETH, less than the 0.01 ETH stake")
    screenshot(page, page.locator("#dice"), "dice-check-vault-balance")
    page.select_option("#dice-source", value="wallet")
    expect(refusal).to_be_hidden()
    expect(button).to_be_enabled()
    assert len(wallet.sent_transactions()) == sent


def test_a_target_that_pays_no_more_than_the_stake_is_refused(page: Page, stack: Stack, player: str) -> None:
    edge = stack.contract("Dice").functions.tokenConfig(ETH).call()[3]
    connect(page, stack, player)
    button, refusal = page.get_by_role("button", name="Place bet"), page.locator("#dice-refusal")
    page.select_option("#dice-source", value="wallet")
    page.fill("#dice-stake", "0.01")
    # The number field and the slider are the same target.
    page.fill("#dice-target-number", "99")
    expect(page.locator("#dice-target")).to_have_value("99")
    expect(page.locator("#dice-chance")).to_have_text("99 %")
    expect(button).to_be_disabled()
    expect(refusal).to_have_attribute("data-error", "PayoutNotAboveStake")
    multiplier = 100 * (10_000 - edge) / (99 * 10_000)
    expect(refusal).to_contain_text(f"At roll under 99 ({multiplier:.4f}×) a win would pay")
    expect(refusal).to_contain_text("no more than your stake of 0.01 ETH: choose a lower target.")
    assert not RAW_WEI.search(refusal.text_content() or "")
    screenshot(page, page.locator("#dice"), "dice-check-target-99")
    page.locator("#dice-target").fill("60")
    expect(page.locator("#dice-target-number")).to_have_value("60")
    expect(button).to_be_enabled()
    expect(refusal).to_be_hidden()
