"""The draw, odds and payouts the page shows before a Keno bet (web/src/games/keno/rules.js) are
exactly the rules module's (fairstake/rules/keno.py), which the contracts are tested against."""

from __future__ import annotations

import random
from typing import Any

from web_node import run_node

from fairstake.rules import keno
from ops.games.keno import DEFAULT_TABLE

CASES = 3_000
RUNNER = """
import * as keno from "./web/src/games/keno/rules.js";
import { readFileSync } from "node:fs";
const { table, cases } = JSON.parse(readFileSync(0, "utf8"));
const results = cases.map(([word, stake, tableId, mask]) => {
  const choice = keno.encodeChoice(tableId, BigInt(mask));
  const [decodedId, decodedMask] = keno.decodeChoice(choice);
  const [maxPayout, houseEdge] = keno.rollTerms(BigInt(stake), choice, 0, table);
  return [
    keno.draw(BigInt(word)),
    keno.hits(BigInt(mask), BigInt(word)),
    String(keno.rollPayout(BigInt(stake), choice, 0, BigInt(word), table)),
    String(maxPayout),
    String(houseEdge),
    choice,
    decodedId,
    String(decodedMask),
  ];
});
const weights = Array.from({ length: keno.MAX_PICKS }, (_, k) => keno.weights(k + 1).map(String));
const rtps = table.map((row) => keno.rowRtp(row));
process.stdout.write(JSON.stringify({ results, weights, rtps }));
"""

TABLE = keno.check_table(DEFAULT_TABLE)  # the deployed default (ops/games/keno.py)


def run_js(cases: list[tuple[str, str, int, str]]) -> dict[str, Any]:
    result: dict[str, Any] = run_node(RUNNER, {"table": TABLE, "cases": cases})
    return result


def test_page_draws_and_payouts_equal_the_rules_module() -> None:
    rng = random.Random(4010)
    stakes = [1, 9_999, 10**6, 10**16, 10**18, 123_456_789_012_345_678, 2**112 - 1]
    cases = [
        (
            str(rng.getrandbits(256)),
            str(rng.choice(stakes) if i % 3 else rng.randrange(1, 2**112)),
            rng.randrange(2**32),
            str(keno.mask_of(rng.sample(range(1, 41), rng.randint(1, 10)))),
        )
        for i in range(CASES)
    ]
    cases += [("0", "1", 0, str(1)), (str(2**256 - 1), str(10**18), 2**32 - 1, str((1 << 10) - 1 << 30))]
    js = run_js(cases)
    for (word, stake, table_id, mask), row in zip(cases, js["results"], strict=True):
        drawn, hit_count, paid, max_payout, house_edge, choice, decoded_id, decoded_mask = row
        encoded = keno.encode_choice(table_id, int(mask))
        assert tuple(drawn) == keno.draw(int(word))
        assert hit_count == keno.hits(int(mask), int(word))
        assert int(paid) == keno.roll_payout(int(stake), encoded, 0, int(word), TABLE)
        assert (int(max_payout), int(house_edge)) == keno.roll_terms(int(stake), encoded, 0, TABLE)
        assert bytes.fromhex(choice[2:]) == encoded
        assert (decoded_id, int(decoded_mask)) == (table_id, int(mask))
    assert [tuple(int(w) for w in ws) for ws in js["weights"]] == [keno.weights(k) for k in range(1, 11)]
    for rtp, row in zip(js["rtps"], TABLE, strict=True):
        assert abs(rtp - float(keno.row_rtp(row))) < 1e-6
