// Coin toss: heads or tails on the chance-game engine's shared panel (../chance.js), which shows
// the most the bet pays, the largest stake the caps back now and every check in words.
import { $ } from "../../lib/dom.js";
import { parseAmount } from "../../lib/format.js";
import { chancePanel, units } from "../chance.js";
import * as rules from "./rules.js";

export function cointossPanel(ctx) {
  const stakeInput = $("#cointoss-stake");
  const heads = () => $("#cointoss-form").elements.side.value === "heads";
  return chancePanel(ctx, {
    key: "cointoss",
    contract: "CoinToss",
    title: "Coin toss",
    noun: "toss",
    rules,
    stakeOf: (token) => {
      try {
        return parseAmount(stakeInput.value, token.decimals);
      } catch (error) {
        throw new RangeError(`Stake: ${error.message}.`);
      }
    },
    choiceFor: () => rules.encodeChoice(heads()),
    describe: (choice) => (rules.decodeChoice(choice) ? "heads" : "tails"),
    showOdds: (stake, config, token) => {
      $("#cointoss-payout").textContent = units(rules.payoutIfWin(stake, config.edgeBps), token);
      $("#cointoss-multiplier").textContent = `${rules.multiplier(config.edgeBps).toFixed(4)}×`;
    },
    rolled: (word) => (rules.showsHeads(word) ? "heads" : "tails"),
  });
}
