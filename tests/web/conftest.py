"""Browser tests: the real page in headless Debian Chromium (Playwright, executable_path),
with a test wallet announced through EIP-6963 that forwards to the chain. See web_stack.py for
the two ways of providing the platform (a running stack by URL, or a local one)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from web_platform import deploy_local, platform_processes
from web_stack import CHROMIUM_ARGS, PLAYER_INDEX, Stack, build_web, ensure_chromium, running_stack
from web_wallet import TestWallet

# Assertions wait as long as actions (30 s): Playwright's own 5 s default is shorter than a page
# reload and re-render takes on a loaded CI machine, which failed a web test in CI. A passing
# check returns as soon as it holds, so the longer bound costs nothing.
expect.set_options(timeout=30_000)


@pytest.fixture(autouse=True)
def isolation() -> None:
    """No per-test snapshot/revert here: the page, the API and the indexer follow one chain
    that only moves forward, as in production."""


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    build_web()
    external = running_stack()
    if external is not None:
        yield external
        return
    from brownie import web3

    data_dir = tmp_path_factory.mktemp("platform")
    manifest, manifest_path, password, keystore = deploy_local(data_dir)
    rpc_url = str(web3.provider.endpoint_uri)  # type: ignore[attr-defined]
    with platform_processes(data_dir, manifest_path, rpc_url, password, keystore) as (url, oracle_pid):
        yield Stack(api_url=url, rpc_url=rpc_url, manifest=manifest, oracle_pid=oracle_pid)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = ensure_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def player(stack: Stack) -> str:
    return stack.dev_account(PLAYER_INDEX)


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
