"""The roulette board's sets, odds and payouts (web/src/games/roulette/rules.js) are exactly the
rules module's (fairstake/rules/roulette.py), which the contracts are tested against."""

from __future__ import annotations

import random
from typing import Any

from web_node import run_node

from fairstake.rules import roulette

RUNNER = """
import * as r from "./web/src/games/roulette/rules.js";
import { readFileSync } from "node:fs";
const { bets, named } = JSON.parse(readFileSync(0, "utf8"));
const results = bets.map(([masks, parts, edge, words]) => {
  const choice = r.encodeChoice(masks.map(BigInt), parts.map(BigInt));
  const stake = parts.map(BigInt).reduce((a, b) => a + b, 0n);
  const [max, houseEdge] = r.rollTerms(stake, choice, edge);
  const decoded = r.decodeChoice(choice).map((list) => list.map(String));
  const paid = words.map((w) => String(r.rollPayout(stake, choice, edge, BigInt(w))));
  return [choice, String(max), String(houseEdge), paid, decoded];
});
const sets = named.map(([name, args]) => String(r[name](...args)));
process.stdout.write(JSON.stringify({ results, sets }));
"""

NAMED: list[tuple[str, str, list[Any]]] = [
    ("red", "red", []),
    ("black", "black", []),
    ("odd", "odd", []),
    ("even", "even", []),
    ("low", "low", []),
    ("high", "high", []),
    ("firstFour", "first_four", []),
    *[("dozen", "dozen", [n]) for n in (1, 2, 3)],
    *[("column", "column", [n]) for n in (1, 2, 3)],
    *[("street", "street", [n]) for n in range(1, 13)],
    *[("sixLine", "six_line", [n]) for n in range(1, 12)],
    *[("corner", "corner", [n]) for n in range(1, 33) if n % 3],
    *[("split", "split", [a, b]) for a, b in ((0, 1), (0, 3), (1, 2), (2, 3), (1, 4), (33, 36), (35, 36))],
    *[("straight", "straight", [n]) for n in range(37)],
]


def test_page_sets_and_payouts_equal_the_rules_module() -> None:
    rng = random.Random(37)
    bets = []
    for i in range(200):
        count = rng.randint(1, 16)
        masks = [rng.randrange(1, 2**37) for _ in range(count)]
        parts = [rng.randrange(1, 2**120 if i % 2 else 10**19) for _ in range(count)]
        words = [str(rng.getrandbits(256)) for _ in range(20)] + [str(n) for n in range(37)]
        bets.append(([str(m) for m in masks], [str(p) for p in parts], rng.randint(0, roulette.MAX_EDGE_BPS), words))
    named = [[js, args] for js, _, args in NAMED]
    out = run_node(RUNNER, {"bets": bets, "named": named})
    for (masks_s, parts_s, edge, words), (choice, max_payout, house_edge, paid, decoded) in zip(
        bets, out["results"], strict=True
    ):
        masks, parts = [int(m) for m in masks_s], [int(p) for p in parts_s]
        expected = roulette.encode_choice(masks, parts)
        assert choice == "0x" + expected.hex()
        assert [list(map(int, d)) for d in decoded] == [masks, parts]
        assert (int(max_payout), int(house_edge)) == roulette.roll_terms(sum(parts), expected, edge)
        assert [int(p) for p in paid] == [roulette.roll_payout(sum(parts), expected, edge, int(w)) for w in words]
    assert [int(m) for m in out["sets"]] == [getattr(roulette, py)(*args) for _, py, args in NAMED]
