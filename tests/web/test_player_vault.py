"""The player page moves real money through the Vault with the player's wallet: connect via
EIP-6963, deposit and withdraw ETH, approve and deposit the stablecoin; the page's balances
are the chain's."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect
from web_page import ETH, connect, eth_text, expect_tx, screenshot, submit_vault, vault_balance
from web_stack import PLAYER_INDEX, Stack
from web_wallet import TestWallet


def expect_shown(page: Page, symbol: str, amount: str) -> None:
    expect(page.locator(f'[data-vault-balance="{symbol}"]')).to_have_text(amount)


def test_wallet_is_discovered_through_eip6963(page: Page, stack: Stack, player: str) -> None:
    connect(page, stack, player)
    expect(page.locator("#wallet-status")).to_contain_text("Fairstake Test Wallet")
    # The legacy window.ethereum fallback is not offered when a wallet announced itself.
    assert page.evaluate("() => window.ethereum === undefined")


def test_legacy_wallet_on_another_chain_is_switched(open_page: Callable[[TestWallet], Page], stack: Stack) -> None:
    player = stack.dev_account(PLAYER_INDEX)
    wallet = TestWallet(rpc_url=stack.rpc_url, account=player, announce=False, chain_id="0x1")
    page = open_page(wallet)
    page.goto(f"{stack.api_url}/")
    page.get_by_role("button", name="Browser wallet").click()  # found as window.ethereum
    expect(page.locator("#wallet-status")).to_contain_text("wrong network (chain 1)")
    expect(page.locator('[data-vault-balance="ETH"]')).to_have_count(0)  # nothing read from the wrong chain
    page.get_by_role("button", name="Switch network").click()
    expect(page.locator("#wallet-switch")).to_be_hidden()
    expect(page.locator('[data-vault-balance="ETH"]')).to_have_text(eth_text(vault_balance(stack, player, ETH)))
    assert ("wallet_switchEthereumChain", [{"chainId": "0x539"}]) in wallet.calls


def test_eth_deposit_and_withdraw(page: Page, stack: Stack, player: str, wallet: TestWallet) -> None:
    before = vault_balance(stack, player, ETH)
    connect(page, stack, player)

    submit_vault(page, "ETH", "1.5", "Deposit")
    expect_tx(page, "Deposit 1.5 ETH")
    expected = before + 15 * 10**17
    expect_shown(page, "ETH", eth_text(expected))
    assert vault_balance(stack, player, ETH) == expected

    submit_vault(page, "ETH", "0.25", "Withdraw")
    expect_tx(page, "Withdraw 0.25 ETH")
    expected -= 25 * 10**16
    expect_shown(page, "ETH", eth_text(expected))
    assert vault_balance(stack, player, ETH) == expected

    sent = wallet.sent_transactions()
    assert len(sent) == 2 and all(tx["from"].lower() == player.lower() for tx in sent)


def test_stablecoin_is_approved_then_deposited(page: Page, stack: Stack, player: str, wallet: TestWallet) -> None:
    usds = stack.token("USDS")
    coin = stack.contract("MockStablecoin")
    w3 = stack.web3
    w3.eth.wait_for_transaction_receipt(coin.functions.mint(player, 1_000 * 10**6).transact({"from": player}))
    before = vault_balance(stack, player, usds["address"])
    connect(page, stack, player)

    submit_vault(page, "USDS", "25", "Deposit")
    log = page.locator("#tx-log li")
    expect(log.first).to_contain_text("Deposit 25 USDS")
    expect(log.first).to_have_class("tx ok")
    expect(log.nth(1)).to_contain_text("Approve 25 USDS to the Vault")
    assert vault_balance(stack, player, usds["address"]) == before + 25 * 10**6
    expect_shown(page, "USDS", str((before + 25 * 10**6) // 10**6))
    vault_address = stack.manifest["contracts"]["Vault"]["address"]
    assert coin.functions.allowance(player, vault_address).call() == 0  # approved exactly what was deposited
    recipients = [tx["to"].lower() for tx in wallet.sent_transactions()]
    assert recipients == [usds["address"].lower(), vault_address.lower()]


def test_refused_withdrawal_is_explained_next_to_the_form(page: Page, stack: Stack, player: str) -> None:
    connect(page, stack, player)
    balance = vault_balance(stack, player, ETH)
    submit_vault(page, "ETH", "999999999", "Withdraw")
    expect(expect_tx(page, "Withdraw 999999999 ETH", "failed")).to_contain_text("InsufficientBalance")
    message = page.locator("#vault-message")
    expect(message).to_have_attribute("data-error", "InsufficientBalance")
    expect(message).to_have_text(f"Your Vault balance is {eth_text(balance)} ETH and this needs 999999999 ETH.")
    expect(page.locator("#notice")).to_be_hidden()  # next to the form, not in the top banner
    screenshot(page, page.locator("#vault"), "vault-refused-withdrawal")
    # The next action clears it.
    submit_vault(page, "ETH", "0.01", "Deposit")
    expect_tx(page, "Deposit 0.01 ETH")
    expect(message).to_be_hidden()
