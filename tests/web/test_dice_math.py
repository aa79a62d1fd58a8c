"""The odds and payouts the page shows before a bet (web/src/games/dice/rules.js) are exactly the
rules module's (fairstake/rules/dice.py), which the contracts are tested against."""

from __future__ import annotations

import json
import random
import subprocess

from fairstake import PROJECT_ROOT
from fairstake.rules import dice

CASES = 3_000
RUNNER = """
import { outcome, payoutIfWin } from "./web/src/games/dice/rules.js";
import { readFileSync } from "node:fs";
const cases = JSON.parse(readFileSync(0, "utf8"));
const results = cases.map(([word, stake, target, edge]) => {
  const o = outcome(BigInt(word), BigInt(stake), target, edge);
  return [o.roll, o.won, String(o.payout), String(payoutIfWin(BigInt(stake), target, edge))];
});
process.stdout.write(JSON.stringify(results));
"""


def run_js(cases: list[tuple[str, str, int, int]]) -> list[tuple[int, bool, str, str]]:
    done = subprocess.run(
        ["node", "--input-type=module", "-e", RUNNER],
        input=json.dumps(cases),
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    rows = json.loads(done.stdout)
    return [(int(roll), bool(won), str(payout), str(if_win)) for roll, won, payout, if_win in rows]


def test_page_payouts_equal_the_rules_module() -> None:
    rng = random.Random(6963)
    stakes = [1, 999, 10**6, 10**16, 10**18, 123_456_789_012_345_678, 2**112 - 1]
    cases = [
        (
            str(rng.getrandbits(256)),
            str(rng.choice(stakes) if i % 3 else rng.randrange(1, 2**112)),
            rng.randint(dice.MIN_TARGET, dice.MAX_TARGET),
            rng.randint(0, dice.MAX_EDGE_BPS),
        )
        for i in range(CASES)
    ]
    cases += [(str(2**256 - 1), "1", 99, 0), ("0", str(10**18), 1, 500), ("99", str(10**18), 99, 100)]
    for (word, stake, target, edge), (roll, won, payout, if_win) in zip(cases, run_js(cases), strict=True):
        expected = dice.outcome(int(word), int(stake), target, edge)
        assert (roll, won, int(payout)) == (expected.roll, expected.won, expected.payout)
        assert int(if_win) == dice.payout_if_win(int(stake), target, edge)
