// Dice: the target (slider or number), the direction (roll under or over), and before the bet the
// win chance, the payout, the multiplier and the house edge by the rules module's formulas; a
// one-roll result shows its roll. Everything else (stake, multi-roll, caps, checks in words, the
// transaction, results, audit badge, expiry) is the chance-game panel. Roll-under wins iff
// roll < target, roll-over iff roll > target.
import { $ } from "../../lib/dom.js";
import { formatAmount } from "../../lib/format.js";
import { chancePanel, units } from "../chancePanel.js";
import * as diceRules from "./rules.js";
import { decodeChoice, encodeChoice, isValidTarget, multiplier, payoutIfWin, roll as rollOf, targetRange, winChancePercent } from "./rules.js";

export function dicePanel(ctx) {
  const targetInput = $("#dice-target");
  const targetNumber = $("#dice-target-number");
  const directionSelect = $("#dice-direction");
  const over = () => directionSelect.value === "over";

  function choice() {
    const target = Number(targetNumber.value);
    if (!isValidTarget(target, over())) {
      const [low, high] = targetRange(over());
      throw Object.assign(new RangeError(`Choose a whole number from ${low} to ${high} to roll ${over() ? "over" : "under"}.`), { code: "BadTarget" });
    }
    return encodeChoice(target, over());
  }

  function describe(encoded) {
    const { target, over: rollsOver } = decodeChoice(encoded);
    return `${rollsOver ? ">" : "<"} ${target}`;
  }

  function showChoice() {
    const target = Number(targetNumber.value);
    $("#dice-chance").textContent = isValidTarget(target, over()) ? `${winChancePercent(target, over())} %` : "—";
  }

  function showOdds(token, config, stake) {
    const target = Number(targetNumber.value);
    if (!isValidTarget(target, over())) return;
    $("#dice-multiplier").textContent = `${multiplier(target, config.edgeBps, over()).toFixed(4)}×`;
    $("#dice-payout").textContent = stake === null ? "—" : `${formatAmount(payoutIfWin(stake, target, config.edgeBps, over()), token.decimals)} ${token.symbol}`;
  }

  function notAboveStake(payout, stake, token, config) {
    const target = Number(targetNumber.value);
    const side = over() ? `roll over ${target}` : `roll under ${target}`;
    return `At ${side} (${multiplier(target, config.edgeBps, over()).toFixed(4)}×) a win would pay ${units(payout, token)}, ` +
      `no more than your stake of ${units(stake, token)}: choose a ${over() ? "higher" : "lower"} target.`;
  }

  function rolled(element, word) {
    const result = rollOf(word);
    element.dataset.roll = String(result);
    return `rolled ${result}`;
  }

  /** The slider and the number field follow the direction's targets. */
  function followDirection() {
    const [low, high] = targetRange(over());
    for (const input of [targetInput, targetNumber]) {
      input.min = String(low);
      input.max = String(high);
    }
    const target = Number(targetNumber.value);
    if (target < low || target > high) {
      targetNumber.value = String(Math.min(Math.max(target, low), high));
      targetInput.value = targetNumber.value;
    }
  }

  // The slider and the number field are one target.
  targetInput.addEventListener("input", () => {
    targetNumber.value = targetInput.value;
  });
  targetNumber.addEventListener("input", () => {
    const target = Number(targetNumber.value);
    if (isValidTarget(target, over())) targetInput.value = String(target);
  });
  directionSelect.addEventListener("change", followDirection);

  return chancePanel(ctx, {
    key: "dice", contract: "Dice", title: "Dice", rules: diceRules,
    figures: [["Win chance", "chance"], ["Payout if you win", "payout"], ["Multiplier", "multiplier"], ["House edge", "edge"]],
    choice, describe, showChoice, showOdds, notAboveStake, rolled,
    hint: "choose a likelier target", capHint: "a less likely target", best: "the win payout",
  });
}
