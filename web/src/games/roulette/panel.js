// Roulette: a compact board (board.js) to build a bet of up to 16 number sets, each with its own
// amount, on the chance-game engine's shared panel (../chancePanel.js), which shows the most the bet
// pays (the best pocket's sum), the largest stake the caps back now and every check in words.
import { $, showMessage } from "../../lib/dom.js";
import { parseAmount } from "../../lib/format.js";
import { chancePanel, units } from "../chancePanel.js";
import { describeSet, rouletteBoard } from "./board.js";
import * as rules from "./rules.js";

export function roulettePanel(ctx) {
  const chip = $("#roulette-chip");
  const note = $("#roulette-board-note");
  let panel = null;
  const board = rouletteBoard($("#roulette-board"), $("#roulette-sets"), {
    amountOf: () => chip.value,
    onChange: (text) => {
      showMessage(note, text ?? null);
      panel?.changed();
    },
  });
  $("#roulette-add").addEventListener("click", () => {
    if (!board.addSelection()) showMessage(note, "Tap the numbers to bet on first, then add them as one set.");
  });
  $("#roulette-clear").addEventListener("click", () => board.clear());

  /** The sets on the table with their amounts in base units. */
  function bet(token) {
    const sets = board.sets();
    if (!sets.length) throw new RangeError("Put a chip on the table: tap an outside bet, or tap numbers and add them as a set.");
    const parts = sets.map((set) => {
      try {
        return parseAmount(set.amount, token.decimals);
      } catch (error) {
        throw new RangeError(`Amount on ${describeSet(set.mask)}: ${error.message}.`);
      }
    });
    const empty = parts.findIndex((part) => part === 0n);
    if (empty >= 0) throw new RangeError(`Amount on ${describeSet(sets[empty].mask)}: more than 0, or remove the set.`);
    return { masks: sets.map((set) => set.mask), parts };
  }

  panel = chancePanel(ctx, {
    key: "roulette",
    contract: "Roulette",
    title: "Roulette",
    noun: "spin",
    betLabel: "Spin",
    betsTitle: "Your spins",
    rules,
    figures: [["Stake per spin", "total"], ["Pockets that pay", "chance"], ["Expected return", "rtp"], ["House edge (over the zero's)", "edge"]],
    stakeField: null,
    firstRow: [chip.closest("label")],
    stake: (token) => bet(token).parts.reduce((a, b) => a + b, 0n),
    // the bet the form shows at another stake (the largest the caps back): the same sets, their
    // amounts scaled to it, the rounding on the first
    choice: (stake, token) => {
      const { masks, parts } = bet(token);
      const total = parts.reduce((a, b) => a + b, 0n);
      const scaled = stake === null || total === stake ? parts : parts.map((part) => (part * stake) / total);
      scaled[0] += (stake ?? total) - scaled.reduce((a, b) => a + b, 0n);
      return rules.encodeChoice(masks, scaled);
    },
    describe: (choice) => rules.decodeChoice(choice)[0].map(describeSet).join(" + "),
    showOdds: (token, config, stake, choice) => {
      if (choice === null) return;
      const { masks, parts } = bet(token);
      const byPocket = rules.payoutsByPocket(masks, parts, config.edgeBps);
      const winning = byPocket.filter((paid) => paid > 0n).length;
      $("#roulette-total").textContent = units(stake, token);
      $("#roulette-chance").textContent = `${winning} of 37 pockets (${((100 * winning) / 37).toFixed(2)} %)`;
      const expected = byPocket.reduce((a, b) => a + b, 0n);
      $("#roulette-rtp").textContent = `${(Number((expected * 1_000_000n) / (37n * stake)) / 10_000).toFixed(2)} %`;
    },
    notAboveStake: (rollMax, stake, token) => `This bet pays at most ${units(rollMax, token)}, no more than your stake of ` +
      `${units(stake, token)}: nothing to win. Choose fewer numbers or a larger stake.`,
    rolled: (element, word) => {
      const pocket = rules.pocket(word);
      element.dataset.result = `${pocket} ${pocket === 0 ? "green" : rules.isRed(pocket) ? "red" : "black"}`;
      return element.dataset.result;
    },
  });
  return panel;
}
