"""Contract refusals in words (web/src/lib/errors.js): the amounts the issue saw as raw wei
(`StakeOutOfRange(1000000000000000000000, …)`, `LossLimitExceeded(…, 500000000000000000,
620000000000000000)`) come out in token units, and every error the Place-bet checks name is
worded. Runs the module in node, no stack needed."""

from __future__ import annotations

import re

from web_node import run_node

RUNNER = """
import { explainRevert } from "./web/src/lib/errors.js";
import { readFileSync } from "node:fs";
const { cases, tokens } = JSON.parse(readFileSync(0, "utf8"));
const tokenOf = (address) => tokens.find((t) => t.address.toLowerCase() === String(address).toLowerCase()) ?? null;
const bySymbol = (symbol) => tokens.find((t) => t.symbol === symbol);
const number = (a) => (/^-?\\d+$/.test(a) ? BigInt(a) : a);
const words = cases.map(([name, args, symbol]) =>
  explainRevert({ name, args: args.map(number) }, { token: bySymbol(symbol), tokenOf }));
process.stdout.write(JSON.stringify(words));
"""
ETH = "0x0000000000000000000000000000000000000000"
USDS = "0x00000000000000000000000000000000000000a1"
TOKENS = [
    {"symbol": "ETH", "address": ETH, "decimals": 18},
    {"symbol": "USDS", "address": USDS, "decimals": 6},
]
PLAYER = "0x00000000000000000000000000000000000000b2"
KEY = "0x" + "11" * 32


def explain(cases: list[tuple[str, list[str], str]]) -> list[str | None]:
    words: list[str | None] = run_node(RUNNER, {"cases": cases, "tokens": TOKENS})
    return words


def test_refusals_are_in_token_units() -> None:
    cases = [
        ("StakeOutOfRange", [str(10**21), str(10**15), str(10**19)], "ETH"),
        ("LossLimitExceeded", [PLAYER, ETH, "0", str(5 * 10**17), str(62 * 10**16)], "ETH"),
        ("WagerLimitExceeded", [PLAYER, USDS, "2", "25000000", "25000001"], "ETH"),
        ("PayoutNotAboveStake", [str(10**16), str(10**16)], "ETH"),
        ("InsufficientBalance", ["1", str(10**18)], "ETH"),
        ("BondTooSmall", [KEY, ETH, str(5 * 10**16), str(198 * 10**15)], "ETH"),
        ("ExposureTooHigh", [str(989 * 10**18), str(123456789)], "ETH"),
        ("SelfExcluded", [PLAYER, str(2**40 - 1)], "ETH"),
        ("TokenNotEnabled", [USDS], "USDS"),
        ("SomethingElse", ["1"], "ETH"),
        ("DepositLimitExceeded", [PLAYER, USDS, "1", "100000000", "150000000"], "ETH"),
        ("TimedOut", [PLAYER, "1800000000"], "ETH"),
    ]
    words = explain(cases)
    assert words[0] == "A stake of 1000 ETH is outside this game's range: stake 0.001 ETH to 10 ETH."
    assert words[1] == (
        "Should this bet lose, your net loss in 24 hours would be 0.62 ETH, above your loss limit of 0.5 ETH."
    )
    # the error names its token: USDS units, although the action was about ETH
    assert words[2] == "This would take your wagers to 25.000001 USDS in 30 days, above your wager limit of 25 USDS."
    assert words[3] == (
        "At this target a win would pay 0.01 ETH, no more than your stake of 0.01 ETH: choose a lower target."
    )
    assert words[4] == "Your Vault balance is 0.000000000000000001 ETH and this needs 1 ETH."  # dust shown whole
    assert "only 0.05 ETH of it is free" in str(words[5]) and "(0.198 ETH)" in str(words[5])
    assert "open bets may reserve only 0.000000000123456789 ETH more" in str(words[6])
    assert words[7] == "You are permanently self-excluded: no game accepts your bets. You can always withdraw."
    assert words[8] == "This game is closed for USDS."
    assert words[9] is None  # unknown errors: the caller shows the name
    assert words[10] == "This would take your deposits to 150 USDS in 7 days, above your deposit limit of 100 USDS."
    assert str(words[11]).startswith("You are on a time-out until ") and "You can always withdraw." in str(words[11])
    for text in words[:9]:
        assert text and not re.search(r"\d{12,}", text.replace("0.000000000", "")), text
