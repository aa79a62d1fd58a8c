// Observed vs theoretical RTP per game and token as an accessible SVG chart (no chart library).
import { el, replace, table } from "../lib/dom.js";
import { formatPercent } from "../lib/format.js";
import { Api } from "../lib/api.js";

const SVG = "http://www.w3.org/2000/svg";
const ROW_HEIGHT = 34;
const LABEL_WIDTH = 150;
const PLOT_WIDTH = 460;

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

const fraction = (value) => (value === undefined || value === null || Number.isNaN(Number(value)) ? null : Number(value));

/** A backend RtpRow in the chart's shape (RTPs as fractions: 0.99 = 99 %). */
export function normalizeRtp(row, deployment) {
  return {
    game: String(row.game),
    token: deployment.token(row.token)?.symbol ?? row.token_symbol ?? String(row.token),
    bets: Number(row.bets ?? 0),
    observed: fraction(row.observed_rtp),
    theoretical: fraction(row.theoretical_rtp),
    low: fraction(row.ci_low),
    high: fraction(row.ci_high),
    consistent: row.consistent ?? null,
  };
}

/** Draws horizontal bars of observed RTP with CI whiskers and a theoretical marker. */
export function rtpChart(rows) {
  // The axis spans 0..max(110 %, observed and theoretical) capped at 200 %; wide intervals of
  // small samples are clipped to it (the table gives their exact bounds).
  const values = rows.flatMap((r) => [r.observed, r.theoretical]).filter((v) => v !== null);
  const max = Math.min(2, Math.max(1.1, ...values)) * 1.05;
  const x = (v) => LABEL_WIDTH + (Math.min(Math.max(0, v), max) / max) * PLOT_WIDTH;
  const height = rows.length * ROW_HEIGHT + 30;
  const chart = svg("svg", {
    viewBox: `0 0 ${LABEL_WIDTH + PLOT_WIDTH + 20} ${height}`, role: "img", class: "chart",
    "aria-label": rows.map((r) => `${r.game} ${r.token}: observed ${formatPercent(r.observed)}, theoretical ${formatPercent(r.theoretical)}`).join("; "),
  });
  for (const tick of [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2].filter((t) => t <= max)) {
    chart.append(svg("line", { x1: x(tick), x2: x(tick), y1: 0, y2: height - 20, class: tick === 1 ? "axis one" : "axis" }));
    chart.append(svg("text", { x: x(tick), y: height - 6, "text-anchor": "middle", class: "tick" }, `${Math.round(tick * 100)}%`));
  }
  rows.forEach((r, i) => {
    const y = i * ROW_HEIGHT + 8;
    const g = svg("g", { class: "rtp-row", "data-game": r.game, "data-token": r.token });
    g.append(svg("text", { x: LABEL_WIDTH - 8, y: y + 14, "text-anchor": "end", class: "label" }, `${r.game} · ${r.token}`));
    if (r.observed !== null) g.append(svg("rect", { x: LABEL_WIDTH, y, width: Math.max(1, x(r.observed) - LABEL_WIDTH), height: 18, class: "bar" }));
    if (r.low !== null && r.high !== null) {
      g.append(svg("line", { x1: x(r.low), x2: x(r.high), y1: y + 9, y2: y + 9, class: "whisker" }));
      for (const v of [r.low, r.high]) g.append(svg("line", { x1: x(v), x2: x(v), y1: y + 3, y2: y + 15, class: "whisker" }));
    }
    if (r.theoretical !== null) {
      const tx = x(r.theoretical);
      g.append(svg("path", { d: `M ${tx} ${y + 2} l 6 7 l -6 7 l -6 -7 z`, class: "theory" }));
    }
    chart.append(g);
  });
  return chart;
}

export async function renderRtp(ctx, chartContainer, tableContainer) {
  const rows = Api.items(await ctx.api.get("/audit/rtp")).map((row) => normalizeRtp(row, ctx.deployment));
  if (!rows.length) {
    replace(chartContainer, el("p", { class: "hint" }, "No settled bets yet."));
    replace(tableContainer);
    return rows;
  }
  replace(chartContainer, rtpChart(rows));
  replace(tableContainer, table([
    { label: "Game", value: (r) => r.game },
    { label: "Token", value: (r) => r.token },
    { label: "Bets", class: "num", value: (r) => String(r.bets) },
    { label: "Observed", class: "num", value: (r) => formatPercent(r.observed) },
    { label: "Interval", class: "num", value: (r) => (r.low === null ? "—" : `${formatPercent(r.low)} – ${formatPercent(r.high)}`) },
    { label: "Theoretical", class: "num", value: (r) => formatPercent(r.theoretical) },
    { label: "", value: (r) => r.consistent === null ? "" : el("span", { class: r.consistent ? "badge verified" : "badge mismatch" }, r.consistent ? "consistent" : "outside interval") },
  ], rows, { rowAttrs: (r) => ({ dataset: { game: r.game, token: r.token } }) }));
  return rows;
}
