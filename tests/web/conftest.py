"""Browser tests: the real page in headless Debian Chromium (Playwright, executable_path),
with a test wallet announced through EIP-6963 that forwards to the chain. See web_stack.py for
the two ways of providing the platform (a running stack by URL, or a local one)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from web_platform import ChainOracle, deploy_platform
from web_stack import CHROMIUM_ARGS, Stack, build_web, ensure_chromium, running_stack, serve_bare
from web_wallet import TestWallet

PLAYER_INDEX = 7  # a dev account no other fixture uses
ORACLE_ACCOUNT = 8  # sends the local oracle's fulfil transactions


@pytest.fixture(autouse=True)
def isolation() -> None:
    """No per-test snapshot/revert here: the page, the API and the indexer follow one chain
    that only moves forward, as in production."""


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    build_web()
    external = running_stack()
    if external is not None:
        yield external
        return
    from brownie import accounts, web3

    manifest = deploy_platform(accounts[0]).to_json()
    rpc_url = str(web3.provider.endpoint_uri)  # type: ignore[attr-defined]
    oracle = ChainOracle(rpc_url, manifest, sender=str(accounts[ORACLE_ACCOUNT])).start()
    try:
        with serve_bare(manifest) as url:
            yield Stack(api_url=url, rpc_url=rpc_url, manifest=manifest, indexed=False)
    finally:
        oracle.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = ensure_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def player(stack: Stack) -> str:
    return str(stack.web3.eth.accounts[PLAYER_INDEX])


@pytest.fixture
def wallet(stack: Stack, player: str) -> TestWallet:
    return TestWallet(rpc_url=stack.rpc_url, account=player)


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[[TestWallet], Page]]:
    """open_page(wallet): a fresh page with `wallet` installed. Uncaught page errors fail the test."""
    contexts: list[BrowserContext] = []
    errors: list[Any] = []

    def _open(wallet: TestWallet) -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 1600})
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(error))
        # Shown by pytest on failure, next to the assertion.
        page.on("console", lambda message: print(f"[console.{message.type}] {message.text}"))
        wallet.install(page)
        return page

    yield _open
    for context in contexts:
        for page in context.pages:
            print("[page notice]", page.locator("#notice").text_content())
        context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture
def page(open_page: Callable[[TestWallet], Page], wallet: TestWallet) -> Page:
    """A fresh page with the player's test wallet installed."""
    return open_page(wallet)
