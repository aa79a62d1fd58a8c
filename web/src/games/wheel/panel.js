// Wheel: choose a wheel (segments and risk), see its segments around the wheel with their
// multipliers and odds, bet (web/src/games/weightedPanel.js); a one-roll result names the segment
// the wheel stopped on and marks it.
import { el } from "../../lib/dom.js";
import { weightedPanel, oddsByMultiplier, percentText } from "../weightedPanel.js";
import { multiplierText, RISKS, rtp, oddsPercent } from "../weighted.js";

// one colour per multiplier rank, highest first (the legend repeats it in words)
const COLOURS = ["#b8860b", "#2e7d32", "#1565c0", "#6a1b9a", "#00838f", "#ef6c00", "#ad1457", "#546e7a"];
const LOSS = "#d7dbe0";

function colourOf(config, multiplier) {
  if (multiplier === 0) return LOSS;
  const ranks = oddsByMultiplier(config).filter((g) => g.multiplier > 0);
  return COLOURS[ranks.findIndex((g) => g.multiplier === multiplier) % COLOURS.length];
}

const label = (config) => `${config.weights.length} segments · ${RISKS[config.risk]} risk (RTP ${(rtp(config) * 100).toFixed(2)} %)`;

function chooser(configs) {
  const select = el("select", { id: "wheel-config", name: "config" },
    ...configs.map((config) => el("option", { value: String(config.id) }, label(config))));
  return {
    element: el("label", {}, "Wheel ", select),
    selected: () => configs.find((config) => String(config.id) === select.value) ?? null,
  };
}

/** The wheel as a conic gradient (segment i spans its weight's share, clockwise from the top) and its legend. */
function picture(config, landed) {
  const odds = oddsPercent(config);
  let start = 0;
  const stops = config.multipliers.map((m, i) => {
    const from = start;
    start += odds[i] * 3.6;
    return `${colourOf(config, m)} ${from}deg ${start}deg`;
  });
  const pointer = landed === null ? null : (odds.slice(0, landed).reduce((a, b) => a + b, 0) + odds[landed] / 2) * 3.6;
  const wheel = el("div", {
    class: "wheel-disc", role: "img",
    "aria-label": `A wheel of ${config.weights.length} segments` + (landed === null ? "" : `, stopped on segment ${landed + 1} (${multiplierText(config.multipliers[landed])})`),
    style: `background: conic-gradient(${stops.join(", ")})`,
  }, pointer === null ? null : el("span", { class: "wheel-landed", style: `transform: rotate(${pointer}deg)` }));
  const legend = el("table", { class: "weighted-odds" },
    el("caption", {}, "Segments, multipliers and odds"),
    el("thead", {}, el("tr", {}, el("th", {}, "Pays"), el("th", {}, "Segments"), el("th", {}, "Chance"))),
    el("tbody", {}, ...oddsByMultiplier(config).map((group) => el("tr", {
      class: landed !== null && config.multipliers[landed] === group.multiplier ? "landed" : "",
    },
    el("td", {}, el("span", { class: "swatch", style: `background: ${colourOf(config, group.multiplier)}` }), ` ${multiplierText(group.multiplier)}`),
    el("td", {}, String(group.count)),
    el("td", {}, percentText(group.percent))))));
  return el("div", { class: "wheel-picture" }, wheel, legend,
    landed === null ? null : el("p", { class: "landed-note", id: "wheel-landed" }, `Last spin: segment ${landed + 1}, ${multiplierText(config.multipliers[landed])}`));
}

export function wheelPanel(ctx) {
  return weightedPanel(ctx, {
    key: "wheel",
    contract: "Wheel",
    title: "Wheel",
    betLabel: "Spin",
    chooser,
    picture,
    describe: (config) => `a ${config.weights.length}-segment ${RISKS[config.risk]}-risk wheel`,
    landing: (config, segment) => `stopped on segment ${segment + 1} (${multiplierText(config.multipliers[segment])})`,
  });
}
