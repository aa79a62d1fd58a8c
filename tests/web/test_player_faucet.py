"""The test stablecoin's faucet: a button in the Vault card on local chains only, minting to the
player's wallet through their own signature."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Route, expect
from web_page import DESKTOP, PHONE, connect, expect_tx, screenshot
from web_stack import Stack
from web_wallet import TestWallet

USD = 10**6
FAUCET_ACCOUNT = {"desktop": 19, "phone": 12}  # dev accounts no other web test uses


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_faucet_mints_test_stablecoins_to_the_wallet(
    open_page: Callable[[TestWallet], Page], stack: Stack, size: str
) -> None:
    player = stack.dev_account(FAUCET_ACCOUNT[size])
    usds = stack.contract("MockStablecoin")
    before = usds.functions.balanceOf(player).call()
    page = open_page(TestWallet(rpc_url=stack.rpc_url, account=player))
    page.set_viewport_size(DESKTOP if size == "desktop" else PHONE)
    connect(page, stack, player)
    button = page.locator("#faucet-mint")
    expect(button).to_have_text("Get 1000 test USDS")
    button.click()
    expect_tx(page, "Faucet: 1000 USDS to your wallet")
    assert usds.functions.balanceOf(player).call() == before + 1_000 * USD
    screenshot(page, page.locator("#vault"), f"vault-faucet-{size}")


def test_no_faucet_on_other_chains(page: Page, stack: Stack) -> None:
    """The same page told the platform runs on chain 1 shows no faucet."""
    deployment = json.loads(json.dumps(stack.manifest))
    deployment["chainId"] = 1

    def mainnet(route: Route) -> None:
        route.fulfill(status=200, content_type="application/json", body=json.dumps(deployment))

    page.route("**/deployment", mainnet)
    page.goto(f"{stack.api_url}/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#faucet")).to_be_hidden()
    page.unroute("**/deployment")
    page.goto(f"{stack.api_url}/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#faucet")).to_be_visible()
