// Plinko: choose the rows (8..16) and the risk, see the slots' multipliers and odds, bet
// (web/src/games/weightedPanel.js); a one-roll result names the slot the ball fell into and marks it.
import { el } from "../../lib/dom.js";
import { weightedPanel, percentText } from "../weightedPanel.js";
import { multiplierText, oddsPercent, RISKS } from "../weighted.js";

function chooser(configs) {
  // the newest open board of each (rows, risk)
  const boards = new Map();
  for (const config of configs) boards.set(`${config.weights.length - 1}/${config.risk}`, config);
  const rowsChoices = [...new Set(configs.map((c) => c.weights.length - 1))].sort((a, b) => a - b);
  const rows = el("select", { id: "plinko-rows", name: "rows" }, ...rowsChoices.map((n) => el("option", { value: String(n) }, String(n))));
  const risk = el("select", { id: "plinko-risk", name: "risk" }, ...RISKS.map((name, i) => el("option", { value: String(i) }, name)));
  return {
    element: el("span", { class: "plinko-chooser" }, el("label", {}, "Rows ", rows), el("label", {}, "Risk ", risk)),
    selected: () => boards.get(`${rows.value}/${risk.value}`) ?? null,
  };
}

/** The slots left to right: each one's multiplier, its odds in its title; the landed one marked. */
function picture(config, landed) {
  const odds = oddsPercent(config);
  const slots = config.multipliers.map((m, k) => el("li", {
    class: `plinko-slot${m >= 10_000 ? " pays" : ""}${landed === k ? " landed" : ""}`,
    title: `slot ${k + 1}: ${multiplierText(m)}, chance ${percentText(odds[k])}`,
  }, el("span", { class: "slot-pays" }, multiplierText(m)), el("span", { class: "slot-odds" }, percentText(odds[k]))));
  return el("div", { class: "plinko-picture" },
    el("ol", { class: "plinko-slots", "aria-label": `The ${config.multipliers.length} slots of a ${config.weights.length - 1}-row board: multiplier and chance` }, ...slots),
    landed === null ? null : el("p", { class: "landed-note", id: "plinko-landed" }, `Last drop: slot ${landed + 1}, ${multiplierText(config.multipliers[landed])}`));
}

export function plinkoPanel(ctx) {
  return weightedPanel(ctx, {
    key: "plinko",
    contract: "Plinko",
    title: "Plinko",
    betLabel: "Drop the ball",
    chooser,
    picture,
    describe: (config) => `${config.weights.length - 1} rows at ${RISKS[config.risk]} risk`,
    landing: (config, slot) => `fell into slot ${slot + 1} (${multiplierText(config.multipliers[slot])})`,
  });
}
