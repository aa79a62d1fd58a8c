"""The odds, payouts and multi-roll settlements the page shows before a bet
(web/src/games/dice/rules.js, web/src/games/multiroll.js) are exactly the rules modules'
(fairstake/rules/dice.py, fairstake/rules/multiroll.py), which the contracts are tested against."""

from __future__ import annotations

import random
from typing import Any

from web_node import run_node

from fairstake.rules import dice, multiroll

CASES = 3_000
RUNNER = """
import { outcome, payoutIfWin, houseEdge, encodeChoice } from "./web/src/games/dice/rules.js";
import * as rules from "./web/src/games/dice/rules.js";
import { play, betTerms } from "./web/src/games/multiroll.js";
import { readFileSync } from "node:fs";
const { single, multi } = JSON.parse(readFileSync(0, "utf8"));
const singles = single.map(([word, stake, target, edge, over]) => {
  const o = outcome(BigInt(word), BigInt(stake), target, edge, over);
  return [o.roll, o.won, String(o.payout), String(payoutIfWin(BigInt(stake), target, edge, over)),
    String(houseEdge(BigInt(stake), target, edge, over)), encodeChoice(target, over)];
});
const multis = multi.map(([word, stake, target, edge, over, rolls, gain, loss]) => {
  const choice = encodeChoice(target, over);
  const p = play(rules, BigInt(word), BigInt(stake), choice, edge, rolls, BigInt(gain), BigInt(loss));
  const t = betTerms(rules, BigInt(stake), choice, edge, rolls, BigInt(gain), BigInt(loss));
  return [p.rollsPlayed, String(p.payout), String(t.maxPayout), String(t.houseEdge)];
});
process.stdout.write(JSON.stringify({ singles, multis }));
"""


def run_js(single: list[Any], multi: list[Any]) -> dict[str, list[Any]]:
    result: dict[str, list[Any]] = run_node(RUNNER, {"single": single, "multi": multi})
    return result


def _target(rng: random.Random, over: bool) -> int:
    return rng.randint(0, dice.MAX_OVER_TARGET) if over else rng.randint(dice.MIN_TARGET, dice.MAX_TARGET)


def test_page_payouts_equal_the_rules_module() -> None:
    rng = random.Random(6963)
    stakes = [1, 999, 10**6, 10**16, 10**18, 123_456_789_012_345_678, 2**96 - 1]
    single = []
    for i in range(CASES):
        over = rng.random() < 0.5
        stake = rng.choice(stakes) if i % 3 else rng.randrange(1, 2**96)
        single.append((str(rng.getrandbits(256)), str(stake), _target(rng, over), rng.randint(0, 500), over))
    single += [(str(2**256 - 1), "1", 99, 0, False), ("0", str(10**18), 1, 500, False), ("99", "7", 98, 100, True)]
    results = run_js(single, [])["singles"]
    for (word, stake, target, edge, over), (roll, won, payout, if_win, edge_js, choice) in zip(
        single, results, strict=True
    ):
        expected = dice.outcome(int(word), int(stake), target, edge, over)
        assert (roll, won, int(payout)) == (expected.roll, expected.won, expected.payout)
        assert int(if_win) == dice.payout_if_win(int(stake), target, edge, over)
        assert int(edge_js) == dice.house_edge(int(stake), target, edge, over)
        assert bytes.fromhex(choice[2:]) == dice.encode_choice(target, over)


def test_page_multi_roll_equals_the_rules_module() -> None:
    """300 multi-roll bets (~15,000 rolls) with random stops: rolls played, payout, maximum payout
    and declared edge as the page computes them before and after a bet."""
    rng = random.Random(1559)
    multi = []
    for _ in range(300):
        over = rng.random() < 0.5
        target, edge, stake = _target(rng, over), rng.choice((0, 100, 500)), rng.randrange(10**6, 10**20)
        roll_max, _ = dice.roll_terms(stake, dice.encode_choice(target, over), edge)
        if roll_max <= stake:
            continue
        rolls = rng.choice((1, 2, 10, 50, 100))
        gain = rng.choice((0, roll_max - stake, rng.randrange(1, rolls * (roll_max - stake) + 1)))
        loss = rng.choice((0, stake, rng.randrange(1, rolls * stake + 1)))
        multi.append((str(rng.getrandbits(256)), str(stake), target, edge, over, rolls, str(gain), str(loss)))
    results = run_js([], multi)["multis"]
    for (word, stake, target, edge, over, rolls, gain, loss), (played, payout, most, declared) in zip(
        multi, results, strict=True
    ):
        choice = dice.encode_choice(target, over)
        expected = multiroll.play(dice, int(word), int(stake), choice, edge, rolls, int(gain), int(loss))
        terms = multiroll.bet_terms(dice, int(stake), choice, edge, rolls, int(gain), int(loss))
        assert (played, int(payout)) == (expected.rolls_played, expected.payout)
        assert (int(most), int(declared)) == (terms.max_payout, terms.house_edge)
