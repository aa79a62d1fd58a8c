// Coin toss: heads or tails on the chance-game engine's shared panel (../chancePanel.js), which
// shows the most the bet pays, the largest stake the caps back now and every check in words.
import { $ } from "../../lib/dom.js";
import { chancePanel, units } from "../chancePanel.js";
import * as rules from "./rules.js";

export function cointossPanel(ctx) {
  const heads = () => $("#cointoss-form").elements.side.value === "heads";
  return chancePanel(ctx, {
    key: "cointoss",
    contract: "CoinToss",
    title: "Coin toss",
    noun: "toss",
    nouns: "tosses",
    betLabel: "Toss",
    betsTitle: "Your tosses",
    rules,
    figures: [["Win chance", null, "50 %"], ["Payout if you win", "payout"], ["Multiplier", "multiplier"], ["House edge", "edge"]],
    choice: () => rules.encodeChoice(heads()),
    describe: (choice) => (rules.decodeChoice(choice) ? "heads" : "tails"),
    showOdds: (token, config, stake) => {
      if (stake === null) return;
      $("#cointoss-payout").textContent = units(rules.payoutIfWin(stake, config.edgeBps), token);
      $("#cointoss-multiplier").textContent = `${rules.multiplier(config.edgeBps).toFixed(4)}×`;
    },
    rolled: (element, word) => {
      element.dataset.result = rules.showsHeads(word) ? "heads" : "tails";
      return element.dataset.result;
    },
  });
}
