"""The auditor page shows what the API derives from the chain: solvency per token, RTP per game,
the event log with hash-chained exports (verified in the browser, tampering located), and a
bet's audit record with every check."""

from __future__ import annotations

import time
import urllib.request
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from web3.logs import DISCARD
from web_page import assert_fits_phone, screenshot
from web_stack import Stack, fetch_json, wait_indexed

from backend.api.audit import verify_export
from fairstake.rules.dice import encode_choice as dice_choice

ETH = "0x0000000000000000000000000000000000000000"
ETHER = 10**18
BETTOR_INDEX = 5


def amount_text(value: str, decimals: int) -> str:
    number = Decimal(int(value)) / Decimal(10**decimals)
    text = f"{abs(number):f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return f"−{text}" if number < 0 else text


@pytest.fixture(scope="module")
def settled_bet(stack: Stack) -> int:
    """A Dice bet placed straight on chain (not through the page), settled by the oracle and indexed."""
    w3 = stack.web3
    dice = stack.contract("Dice")
    bettor = stack.dev_account(BETTOR_INDEX)
    stake = ETHER // 50
    tx = dice.functions.placeBet(ETH, stake, dice_choice(40), stake).transact({"from": bettor, "value": stake})
    receipt = w3.eth.wait_for_transaction_receipt(tx)
    bet_id = int(dice.events.BetPlaced().process_receipt(receipt, errors=DISCARD)[0]["args"]["betId"])
    deadline = time.monotonic() + 60
    while not dice.events.BetSettled().get_logs(from_block=receipt["blockNumber"], argument_filters={"betId": bet_id}):
        assert time.monotonic() < deadline, f"the oracle did not settle bet {bet_id}"
        time.sleep(0.2)
    wait_indexed(stack)
    return bet_id


def open_audit(page: Page, stack: Stack, query: str = "") -> None:
    page.goto(f"{stack.api_url}/audit.html{query}")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


def test_solvency_and_rtp_match_the_api(page: Page, stack: Stack, settled_bet: int) -> None:
    open_audit(page, stack)
    solvency = fetch_json(f"{stack.api_url}/audit/solvency")
    assert solvency["tokens"], "the API reports no token"
    for row in solvency["tokens"]:
        symbol, token = next(
            (s, t) for s, t in stack.manifest["tokens"].items() if t["address"].lower() == row["token"].lower()
        )
        shown = page.locator(f'#solvency-table tr[data-token="{symbol}"]')
        expect(shown).to_contain_text(amount_text(row["balance"], token["decimals"]))
        expect(shown).to_contain_text(amount_text(row["liabilities"], token["decimals"]))
        expect(shown.locator("[data-solvent]")).to_have_attribute("data-solvent", str(row["solvent"]).lower())
        assert row["solvent"] is True

    rtp = fetch_json(f"{stack.api_url}/audit/rtp")["rows"]
    dice_rows = [r for r in rtp if r["game"] == "dice" and r["bets"] > 0]
    assert dice_rows, "the settled Dice bet is not in the RTP figures"
    expect(page.locator("#rtp-chart svg g.rtp-row")).to_have_count(len(rtp))
    symbols = {t["address"].lower(): s for s, t in stack.manifest["tokens"].items()}
    for row in rtp:
        symbol = symbols[row["token"].lower()]
        shown = page.locator(f'#rtp-table tr[data-game="{row["game"]}"][data-token="{symbol}"]')
        expect(shown).to_contain_text(str(row["bets"]))
        # An observed RTP exists exactly when something was wagered; the Observed cell (the fourth)
        # shows it, or a dash.
        observed = row["observed_rtp"]
        assert (observed is None) == (int(row["wagered"]) == 0), row
        expect(shown.locator("td").nth(3)).to_have_text("—" if observed is None else f"{observed * 100:.2f} %")
    # On a phone every RTP column is on screen: rows stack, nothing hides in a sideways scroll.
    assert_fits_phone(page, page.locator("#rtp"))
    assert_fits_phone(page, page.locator("#solvency"))
    screenshot(page, page.locator("#rtp"), "audit-rtp")


def test_event_log_filters_and_exports_verify_in_the_browser(
    page: Page, stack: Stack, settled_bet: int, tmp_path: Any
) -> None:
    open_audit(page, stack)
    page.select_option("#events-contract", "Dice")
    page.fill("#events-name", "BetSettled")
    page.get_by_role("button", name="Show").click()
    api_rows = fetch_json(f"{stack.api_url}/audit/events?contract=Dice&event=BetSettled&limit=50")["items"]
    rows = page.locator("#events-table tbody tr")
    expect(rows).to_have_count(len(api_rows))
    for i, event in enumerate(api_rows):
        cells = rows.nth(i).locator("td")
        expect(cells.nth(0)).to_have_text(str(event["block"]))
        expect(cells.nth(2)).to_have_text("Dice")
        expect(cells.nth(3)).to_have_text("BetSettled")

    # The page's export link is the API's export; the browser's own check agrees with the backend's.
    href = page.locator("#events-export a", has_text="JSONL").get_attribute("href") or ""
    with urllib.request.urlopen(href, timeout=30) as response:
        export = response.read().decode()
    reference = verify_export(export)
    assert reference.valid and reference.lines == len(api_rows)
    page.get_by_role("button", name="Download and verify the current export").click()
    result = page.locator("#verify-result")
    expect(result).to_have_attribute("data-valid", "true")
    expect(result).to_contain_text(f"{reference.lines} lines, hash chain intact")
    expect(result).to_contain_text(str(reference.final_hash)[:16])

    # An auditor's file with one edited line: the browser finds the same first bad line.
    lines = export.splitlines(keepends=True)
    lines[0] = lines[0].replace('"BetSettled"', '"BetSettIed"')
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_text("".join(lines))
    page.set_input_files("#verify-file", str(tampered))
    expect(result).to_have_attribute("data-valid", "false")
    assert verify_export("".join(lines)).first_bad_line == 1
    expect(result).to_contain_text("at line 1")


def test_bet_audit_record_shows_every_check(page: Page, stack: Stack, settled_bet: int) -> None:
    open_audit(page, stack)
    dice = stack.contract("Dice")
    [placing] = dice.events.BetPlaced().get_logs(
        from_block=stack.manifest["contracts"]["Dice"]["block"], argument_filters={"betId": settled_bet}
    )
    block, log_index = placing["blockNumber"], placing["logIndex"]
    # Not an id: the reason beside the box, in words.
    page.fill("#bet-id", "dice 17")
    page.get_by_role("button", name="Look up").click()
    expect(page.locator("#bet-form + .refusal")).to_contain_text("A bet id looks like dice-1234-5")
    # The readable id as a person types it after reading it out: any case, spaces.
    page.fill("#bet-id", f"Dice {block} {log_index}")
    page.get_by_role("button", name="Look up").click()
    expect(page.locator("#bet-form + .refusal")).to_be_hidden()
    audit = fetch_json(f"{stack.api_url}/audit/bets/dice:{settled_bet}")
    assert audit["ok"] is True
    expect(page.locator("#bet-verdict")).to_have_attribute("data-verified", "true")
    checks = page.locator("#bet-record tr[data-check]")
    expect(checks).to_have_count(len(audit["checks"]))
    for check in audit["checks"]:
        expect(page.locator(f'#bet-record tr[data-check="{check["name"]}"]')).to_have_attribute("data-ok", "true")
    expect(page).to_have_url(f"{stack.api_url}/audit.html?bet=dice-{block}-{log_index}#bet-audit")
    expect(page.locator("#bet-record .readable-id")).to_have_text(f"dice-{block}-{log_index}")
    expect(page.locator("#bet-record")).to_contain_text("stake 0.02 ETH")  # the fixture's ETHER // 50, in units
    screenshot(page, page.locator("#bet-audit"), "audit-readable-id")
    assert_fits_phone(page, page.locator("#bet-audit"))  # long ids and proofs wrap inside the card
