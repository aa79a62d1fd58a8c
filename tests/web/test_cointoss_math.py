"""The odds and payouts the page shows before a toss (web/src/games/cointoss/rules.js) are exactly
the rules module's (fairstake/rules/cointoss.py), which the contracts are tested against."""

from __future__ import annotations

import random

from web_node import run_node

from fairstake.rules import cointoss

CASES = 3_000
RUNNER = """
import { encodeChoice, rollPayout, rollTerms } from "./web/src/games/cointoss/rules.js";
import { readFileSync } from "node:fs";
const cases = JSON.parse(readFileSync(0, "utf8"));
const results = cases.map(([word, stake, heads, edge]) => {
  const choice = encodeChoice(heads);
  const [max, houseEdge] = rollTerms(BigInt(stake), choice, edge);
  return [choice, String(rollPayout(BigInt(stake), choice, edge, BigInt(word))), String(max), String(houseEdge)];
});
process.stdout.write(JSON.stringify(results));
"""


def test_page_payouts_equal_the_rules_module() -> None:
    rng = random.Random(2)
    stakes = [1, 3, 999, 10**6, 10**18, 2**128 - 1]
    cases = [
        (
            str(rng.getrandbits(256)),
            str(rng.choice(stakes) if i % 3 else rng.randrange(1, 2**128)),
            rng.random() < 0.5,
            rng.randint(0, cointoss.MAX_EDGE_BPS),
        )
        for i in range(CASES)
    ]
    cases += [(str(2**256 - 1), "1", True, 0), ("0", str(10**18), True, 500), ("1", str(10**18), False, 100)]
    answer = run_node(RUNNER, cases)
    for (word, stake, heads, edge), (choice, paid, max_payout, house_edge) in zip(cases, answer, strict=True):
        expected_choice = cointoss.encode_choice(heads)
        assert choice == "0x" + expected_choice.hex()
        assert int(paid) == cointoss.roll_payout(int(stake), expected_choice, edge, int(word))
        assert (int(max_payout), int(house_edge)) == cointoss.roll_terms(int(stake), expected_choice, edge)
