"""Driving the player page the way a player does: connect the wallet, use the Vault and Dice
forms, and wait for a named transaction in the page's transaction log."""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import Locator, Page, expect
from web_stack import Stack

ETH = "0x0000000000000000000000000000000000000000"
ETHER = 10**18


def connect(page: Page, stack: Stack, player: str) -> None:
    page.goto(f"{stack.api_url}/")
    page.get_by_role("button", name="Fairstake Test Wallet").click()
    expect(page.locator("#wallet-account")).to_have_attribute("title", player)
    expect(page.locator("body")).to_have_attribute("data-shown-account", player)


def expect_tx(page: Page, label: str, state: str = "ok") -> Locator:
    """The newest transaction whose label contains `label`, once it is `state` (ok | failed)."""
    entry = page.locator("#tx-log li", has_text=label).first
    expect(entry).to_have_class(f"tx {state}")
    return entry


def vault_balance(stack: Stack, player: str, token: str) -> int:
    return int(stack.contract("Vault").functions.balanceOf(player, token).call())


def submit_vault(page: Page, symbol: str, amount: str, action: str) -> None:
    page.select_option("#vault-token", label=symbol)
    page.fill("#vault-amount", amount)
    page.get_by_role("button", name=action, exact=True).click()


def place_bet(page: Page, stake: str, target: int, source: str = "vault") -> None:
    page.select_option("#dice-token", label="ETH")
    page.select_option("#dice-source", value=source)
    page.fill("#dice-stake", stake)
    page.locator("#dice-target").fill(str(target))
    page.get_by_role("button", name="Place bet").click()


def eth_text(wei: int) -> str:
    """How the page writes an ETH amount."""
    text = f"{Decimal(wei) / Decimal(ETHER):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
