"""Driving the player page the way a player does: connect the wallet, use the Vault and Dice
forms, and wait for a named transaction in the page's transaction log."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, ViewportSize, expect
from web_stack import Stack
from web_wallet import TestWallet

ETH = "0x0000000000000000000000000000000000000000"
ETHER = 10**18

# FAIRSTAKE_WEB_SCREENSHOTS=<folder>: where the tests photograph what they check (desktop and phone).
SCREENSHOTS = os.environ.get("FAIRSTAKE_WEB_SCREENSHOTS", "")
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 1600}


def screenshot(page: Page, target: Locator, name: str) -> None:
    """The whole page and `target` alone, at desktop and at phone size (back to desktop after)."""
    if not SCREENSHOTS:
        return
    folder = Path(SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        target.scroll_into_view_if_needed()
        page.screenshot(path=str(folder / f"{name}-{size}.png"))
        target.screenshot(path=str(folder / f"{name}-{size}-detail.png"))
    page.set_viewport_size(DESKTOP)


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


def fill_bet(
    page: Page, stake: str, target: int, source: str = "vault", over: bool = False, rolls: int = 1, stop_loss: str = ""
) -> None:
    """The Dice form filled in (ETH), not sent."""
    page.select_option("#dice-token", label="ETH")
    page.select_option("#dice-source", value=source)
    page.fill("#dice-stake", stake)
    page.select_option("#dice-direction", value="over" if over else "under")
    page.locator("#dice-target").fill(str(target))
    page.fill("#dice-rolls", str(rolls))
    page.fill("#dice-stop-loss", stop_loss)


def place_bet(
    page: Page, stake: str, target: int, source: str = "vault", over: bool = False, rolls: int = 1, stop_loss: str = ""
) -> None:
    fill_bet(page, stake, target, source, over, rolls, stop_loss)
    page.get_by_role("button", name="Place bet").click()


def chain_time(stack: Stack) -> int:
    return int(stack.web3.eth.get_block("latest")["timestamp"])


def travel_to(stack: Stack, timestamp: int) -> None:
    """Move the dev chain's clock forward (the next block is mined at `timestamp`)."""
    w3 = stack.web3
    w3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])  # type: ignore[arg-type]
    w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]


def selling_round(stack: Stack) -> int:
    """The ETH round on sale, with at least two minutes of sales left (else drawn and replaced,
    or made refundable when an earlier test moved the chain past its draw window)."""
    jackpot = stack.contract("Jackpot")
    round_id = jackpot.functions.currentRound(ETH).call()
    end, draw_by = jackpot.functions.roundOf(round_id).call()[5:7]
    if chain_time(stack) < end - 120:
        return int(round_id)
    if chain_time(stack) >= draw_by:
        tx = jackpot.functions.markRefundable(round_id).transact({"from": stack.dev_account(0)})
    else:
        travel_to(stack, max(end, chain_time(stack)) + 1)
        tx = jackpot.functions.draw(round_id).transact({"from": stack.dev_account(0)})
    stack.web3.eth.wait_for_transaction_receipt(tx)  # mined before the next round is read
    return int(jackpot.functions.currentRound(ETH).call())


def mine_blocks(stack: Stack, count: int) -> None:
    """Mine `count` empty blocks on the dev chain."""
    w3 = stack.web3
    for _ in range(count):
        w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]


def fresh_player(stack: Stack, name: str) -> str:
    """A dev-chain account of its own for one test (the node impersonates it, so the test wallet's
    eth_sendTransaction works), funded with 100 ETH: its bets count in no other test's session
    (the reality check), whatever order the tests run in."""
    from eth_utils import keccak, to_checksum_address

    address = to_checksum_address(keccak(text=f"fairstake web test {name}")[-20:])
    stack.web3.provider.make_request("anvil_impersonateAccount", [address])  # type: ignore[arg-type]
    stack.web3.provider.make_request("anvil_setBalance", [address, hex(100 * ETHER)])  # type: ignore[arg-type]
    return address


def fresh_player_page(open_page: Callable[[TestWallet], Page], stack: Stack, name: str) -> tuple[Page, str]:
    """A page connected with `fresh_player(stack, name)`'s wallet, 1 ETH deposited in its Vault balance."""
    player = fresh_player(stack, name)
    page = open_page(TestWallet(rpc_url=stack.rpc_url, account=player))
    connect(page, stack, player)
    submit_vault(page, "ETH", "1", "Deposit")
    expect_tx(page, "Deposit 1 ETH")
    return page, player


def one_log(stack: Stack, name: str, event: str, **filters: int) -> dict[str, Any]:
    """The args of the one `event` of contract `name` (a manifest name) matching `filters`."""
    contract = stack.contract(name)
    start = stack.manifest["contracts"][name]["block"]
    logs = getattr(contract.events, event)().get_logs(from_block=start, argument_filters=filters)
    assert len(logs) == 1, f"{event} {filters} appears {len(logs)} times on chain"
    return dict(logs[0]["args"])


# A chance bet's data word (ChanceGame's `Bet`): lockId at bits 0..55, rolls at 56..63, edgeBps
# at 64..79, hasStops at 88, and at 96..255 the tail: the choice packed (PACKED at its bit 159,
# TWO_WORDS at 158 for a choice of two ABI words, each word at bits 0 and 79), 0 when it does not pack.
_PACKED, _TWO_WORDS, _WORD_BITS = 1 << 159, 1 << 158, 79


def placed_bet(stack: Stack, name: str, bet_id: int) -> dict[str, Any]:
    """Bet `bet_id` of the chance game `name` (a manifest name) as a reader rebuilds it from its
    placing transaction's logs, under BetPlaced's former field names: its BetPlaced (betId), its
    request's data word (RandomnessRequested, requestId = betId: lockId, rolls, edgeBps and the
    choice when it packs), that lock's Vault Locked (player, token, stake = amount / rolls,
    maxPayout) and its BetTerms when it has one (the choice that does not pack, the stops; else
    no stops)."""
    placed = one_log(stack, name, "BetPlaced", betId=bet_id)
    word = int.from_bytes(
        bytes(one_log(stack, "RandomnessCoordinator", "RandomnessRequested", requestId=bet_id)["data"]), "big"
    )
    lock_id, rolls = word & ((1 << 56) - 1), word >> 56 & 0xFF
    locked = one_log(stack, "Vault", "Locked", lockId=lock_id)
    game = stack.contract(name)
    assert locked["game"] == game.address and locked["amount"] % rolls == 0, locked
    terms_logs = game.events.BetTerms().get_logs(
        from_block=stack.manifest["contracts"][name]["block"], argument_filters={"betId": bet_id}
    )
    assert len(terms_logs) <= 1, f"BetTerms of bet {bet_id} appears {len(terms_logs)} times on chain"
    terms = dict(terms_logs[0]["args"]) if terms_logs else {}
    tail = word >> 96
    if tail & _PACKED:
        mask = (1 << _WORD_BITS) - 1
        words = [tail & mask] + ([tail >> _WORD_BITS & mask] if tail & _TWO_WORDS else [])
        choice = b"".join(w.to_bytes(32, "big") for w in words)
    else:
        assert tail == 0 and terms, f"bet {bet_id}: a data word without its choice and no BetTerms"
        choice = bytes(terms["choice"])
    return {
        **placed,
        "player": locked["player"],
        "token": locked["token"],
        "stake": locked["amount"] // rolls,
        "choice": choice,
        "stopGain": terms.get("stopGain", 0),
        "stopLoss": terms.get("stopLoss", 0),
        "lockId": lock_id,
        "rolls": rolls,
        "edgeBps": word >> 64 & 0xFFFF,
        "maxPayout": locked["maxPayout"],
    }


def game_log(stack: Stack, name: str, event: str, bet_id: int) -> dict[str, Any]:
    """The args of the one `event` of bet `bet_id` that the game `name` (a manifest name) emitted;
    a BetPlaced comes joined with the rest of its placing transaction (placed_bet)."""
    if event == "BetPlaced":
        return placed_bet(stack, name, bet_id)
    return one_log(stack, name, event, betId=bet_id)


SETTLED = re.compile(r"\b(won|lost)\b")


def settled_bet(
    page: Page | Locator, stack: Stack, key: str, name: str
) -> tuple[Locator, dict[str, Any], dict[str, Any]]:
    """The newest bet of game `key`'s list once it shows a result, with its placed terms (placed_bet)
    and its BetSettled on chain."""
    bet = page.locator(f"#{key}-bets li").first
    expect(bet).to_have_class(SETTLED, timeout=60_000)
    bet_id = int(bet.get_attribute("data-bet-id") or "0")
    return bet, game_log(stack, name, "BetPlaced", bet_id), game_log(stack, name, "BetSettled", bet_id)


def bet_in_page(
    page: Page, stack: Stack, key: str, name: str, label: str, shown: dict[str, str | re.Pattern[str]]
) -> tuple[Locator, dict[str, Any], dict[str, Any]]:
    """Game `key`'s figures before the bet are `shown` (id suffix → its text, or a pattern found in
    it); the card photographed; its bet placed as the transaction `label`; the settled bet, its
    placed terms and its BetSettled on chain (settled_bet)."""
    for suffix, text in shown.items():
        expect(page.locator(f"#{key}-{suffix}")).to_have_text(text)
    screenshot(page, page.locator(f"#{key}"), f"{key}-before")
    page.click(f"#{key}-bet")
    expect_tx(page, label)
    return settled_bet(page, stack, key, name)


def dice_log(stack: Stack, event: str, bet_id: int) -> dict[str, Any]:
    return game_log(stack, "Dice", event, bet_id)


def shown_bet_ids(page: Page) -> list[str]:
    ids: list[str] = page.locator("#dice-bets li").evaluate_all("items => items.map((i) => i.dataset.betId)")
    return ids


def eth_short(wei: int) -> str:
    """How the page writes an ETH amount in sentences: at most 6 decimals, cut (formatAmount)."""
    text = f"{(Decimal(wei) / Decimal(ETHER)).quantize(Decimal('0.000001'), rounding=ROUND_DOWN):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def eth_text(wei: int) -> str:
    """How the page writes an ETH amount."""
    text = f"{Decimal(wei) / Decimal(ETHER):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# Every element of the card inside the card's box, and no table scrolling sideways: what a phone
# user would otherwise have to find by swiping (or never see).
_OVERFLOWS = """(card) => {
  const box = card.getBoundingClientRect();
  // a stacked table's header row stays for screen readers, clipped to nothing on screen
  const clipped = (e) => {
    const head = e.closest('thead');
    return head && getComputedStyle(head).clipPath !== 'none';
  };
  const out = [...card.querySelectorAll('*')]
    .filter((e) => e.getClientRects().length && !clipped(e) && e.getBoundingClientRect().right > box.right + 1)
    .map((e) => e.tagName + (e.className ? '.' + e.className : '') + ': ' + (e.textContent || '').slice(0, 40));
  const scrolled = [...card.querySelectorAll('.table-wrap')]
    .filter((w) => w.scrollWidth > w.clientWidth + 1)
    .map((w) => 'table scrolls sideways: ' + (w.textContent || '').slice(0, 40));
  return [...out, ...scrolled];
}"""


def assert_fits_phone(page: Page, card: Locator) -> None:
    """At phone width, nothing in `card` sticks out of it or hides in a sideways scroll."""
    page.set_viewport_size(PHONE)
    card.scroll_into_view_if_needed()
    problems: list[str] = card.evaluate(_OVERFLOWS)
    assert not problems, problems
