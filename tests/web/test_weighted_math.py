"""The odds, payouts and terms the Wheel and Plinko panels show (web/src/games/weighted.js, through
each game's rules.js) are exactly the rules modules' (fairstake/rules/weighted.py, wheel.py,
plinko.py), which the contracts are tested against: every default wheel and board, thousands of
random words each, run by node."""

from __future__ import annotations

import random

from web_node import run_node

from fairstake.rules import plinko, weighted, wheel

WORDS = 300
RUNNER = """
import * as wheel from "./web/src/games/wheel/rules.js";
import * as plinko from "./web/src/games/plinko/rules.js";
import { readFileSync } from "node:fs";
const { cases, rows } = JSON.parse(readFileSync(0, "utf8"));
const results = cases.map(({ game, weights, multipliers, stake, words }) => {
  const rules = game === "wheel" ? wheel : plinko;
  const config = { weights, multipliers };
  const choice = rules.encodeChoice(words.length);
  const bound = rules.tables(new Map([[words.length, config]]));
  const terms = rules.rollTerms(BigInt(stake), choice, 0, config);
  return {
    landed: words.map((word) => {
      const o = rules.rollOutcome(BigInt(stake), config, BigInt(word));
      return [o.segment, String(o.payout), String(bound.rollPayout(BigInt(stake), choice, 0, BigInt(word)))];
    }),
    terms: [...terms, ...bound.rollTerms(BigInt(stake), choice, 0)].map(String),
    rtp: rules.rtp(config),
    choice,
    decoded: rules.decodeChoice(choice),
  };
});
process.stdout.write(JSON.stringify({ results, weights: rows.map((n) => plinko.slotWeights(n)) }));
"""


def test_panel_rules_equal_the_rules_modules() -> None:
    rng = random.Random(1516)
    configs = [("wheel", wheel.default_wheel(n, risk)) for n in wheel.DEFAULT_SEGMENTS for risk in range(3)]
    configs += [("plinko", plinko.default_board(n, risk)) for n in range(8, 17) for risk in range(3)]
    cases = [
        {
            "game": game,
            "weights": list(config.weights),
            "multipliers": list(config.multipliers),
            "stake": str(rng.choice([1, 999, 10**18, 2**112 - 1, rng.randrange(1, 2**112)])),
            "words": [str(rng.getrandbits(256)) for _ in range(WORDS)] + ["0", str(2**256 - 1)],
        }
        for game, config in configs
    ]
    rows = list(range(plinko.MIN_ROWS, plinko.MAX_ROWS + 1))
    out = run_node(RUNNER, {"cases": cases, "rows": rows})
    assert [tuple(w) for w in out["weights"]] == [plinko.slot_weights(n) for n in rows]
    for (_, config), case, result in zip(configs, cases, out["results"], strict=True):
        stake = int(case["stake"])
        choice = weighted.encode_choice(len(case["words"]))
        expected = [
            [weighted.segment(config, int(word))] + [str(weighted.roll_payout(stake, choice, 0, int(word), config))] * 2
            for word in case["words"]
        ]
        assert result["landed"] == expected
        assert tuple(int(x) for x in result["terms"]) == weighted.roll_terms(stake, choice, 0, config) * 2
        assert result["rtp"] == float(weighted.rtp(config))
        assert bytes.fromhex(result["choice"][2:]) == choice
        assert result["decoded"] == len(case["words"])
