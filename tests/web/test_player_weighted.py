"""A Wheel spin and a Plinko drop end to end in the page: choose a configuration, see its
segments' multipliers and odds and the bet's terms before betting, bet from the wallet, see the
result arrive naming the segment it landed on, and check that it is exactly what the chain settled
and what fairstake.rules.weighted computes from the delivered word on the configuration read back
from the contract."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from web_page import ETH, connect, expect_tx, fresh_player, screenshot, settled_bet
from web_stack import Stack
from web_wallet import TestWallet

from fairstake.rules import weighted

STAKE = 10**15  # 0.001 ETH


def chain_config(stack: Stack, contract: str, config_id: int) -> weighted.WeightedConfig:
    header, weights, multipliers = stack.contract(contract).functions.configOf(config_id).call()
    return weighted.WeightedConfig(tuple(weights), tuple(multipliers), header[4])


@pytest.mark.parametrize(
    ("key", "contract", "button", "choose", "config_of"),
    [
        # the 30-segment medium-risk wheel: ids go 10/20/30/40/50 segments x low/medium/high
        ("wheel", "Wheel", "Spin", {"#wheel-config": "8"}, 8),
        # a 12-row high-risk board: ids go rows 8..16 x low/medium/high
        ("plinko", "Plinko", "Drop the ball", {"#plinko-rows": "12", "#plinko-risk": "2"}, 15),
    ],
)
def test_one_bet_in_the_page_is_the_chains(
    open_page: Callable[[TestWallet], Page],
    stack: Stack,
    key: str,
    contract: str,
    button: str,
    choose: dict[str, str],
    config_of: int,
) -> None:
    config = chain_config(stack, contract, config_of)
    # an account of its own: its stakes count in no other test's session figures (Dice's checks them)
    player = fresh_player(stack, key)
    page = open_page(TestWallet(rpc_url=stack.rpc_url, account=player))
    connect(page, stack, player)
    section = page.locator(f"#{key}")
    for select, value in choose.items():
        page.select_option(select, value=value)
    page.select_option(f"#{key}-token", label="ETH")
    page.select_option(f"#{key}-source", value="wallet")
    page.fill(f"#{key}-stake", "0.001")
    page.fill(f"#{key}-rolls", "1")

    # before the bet: the configuration's RTP, top multiplier and the most the bet pays
    expect(page.locator(f"#{key}-rtp")).to_have_text(f"{float(weighted.rtp(config)) * 100:.2f} %")
    max_payout, _ = weighted.roll_terms(STAKE, weighted.encode_choice(config_of), 0, config)
    expect(page.locator(f"#{key}-max-payout")).to_have_text(f"{max_payout / 10**18:g} ETH")
    top = config.max_multiplier / 10_000
    expect(page.locator(f"#{key}-top")).to_contain_text(f"{top:g}×")
    expect(page.locator(f"#{key}-max-stake")).to_contain_text("per roll")
    screenshot(page, section, f"{key}-before")

    before = section.locator(f"#{key}-bets li").count()
    # by the keyboard: panels above this one still resize as they load, which can move the button
    # between the pointer's aim and its click
    section.get_by_role("button", name=button).press("Enter")
    expect_tx(page, f"{contract}: 0.001 ETH on")
    expect(section.locator(f"#{key}-bets li")).to_have_count(before + 1)
    bet, placed, settled = settled_bet(section, stack, key, contract)
    assert (placed["player"], placed["token"], placed["stake"]) == (player, ETH, STAKE)
    assert bytes(placed["choice"]) == weighted.encode_choice(config_of)
    assert placed["maxPayout"] == max_payout

    landed = weighted.segment(config, settled["word"])
    payout = weighted.roll_payout(STAKE, weighted.encode_choice(config_of), 0, settled["word"], config)
    assert settled["payout"] == payout
    assert (bet.get_attribute("data-segment"), bet.get_attribute("data-payout")) == (str(landed), str(payout))
    expect(bet).to_contain_text(f"{landed + 1} ({config.multipliers[landed] / 10_000:g}×)")
    expect(page.locator(f"#{key}-landed")).to_contain_text(f"{landed + 1}, {config.multipliers[landed] / 10_000:g}×")
    screenshot(page, section, f"{key}-result")
