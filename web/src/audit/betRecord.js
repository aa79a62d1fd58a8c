// One bet's audit record: the verdict first, then every field the indexer checked.
import { el, replace } from "../lib/dom.js";
import { auditVerdict } from "../lib/audit.js";

/** Flattens nested objects into [path, value] pairs for a readable definition list. */
export function flatten(value, prefix = "") {
  if (value === null || typeof value !== "object") return [[prefix || "value", value]];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  if (!entries.length) return [[prefix, Array.isArray(value) ? "[]" : "{}"]];
  return entries.flatMap(([key, v]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return v !== null && typeof v === "object" ? flatten(v, path) : [[path, v]];
  });
}

export async function renderBetRecord(ctx, container, betId) {
  replace(container, el("p", { class: "hint" }, `Loading bet ${betId}…`));
  let record;
  try {
    record = await ctx.api.get(`/audit/bets/${encodeURIComponent(betId)}`);
  } catch (error) {
    replace(container, el("p", { class: "warn" }, error.status === 404 ? `No bet ${betId} is indexed.` : error.message));
    return null;
  }
  const verdict = auditVerdict(record);
  const heading = verdict.verified === true
    ? el("p", { class: "badge verified big", id: "bet-verdict", dataset: { verified: "true" } }, "✓ Proof verified, outcome and payout recomputed and matching the chain")
    : verdict.verified === false
      ? el("div", { class: "badge mismatch big", id: "bet-verdict", dataset: { verified: "false" } }, "✗ Audit found problems:",
          el("ul", {}, verdict.problems.map((p) => el("li", {}, p))))
      : el("p", { class: "badge unknown big", id: "bet-verdict", dataset: { verified: "pending" } }, "Not settled or not yet verified");
  replace(container, heading,
    el("dl", { class: "record" }, flatten(record).map(([key, value]) => el("div", {}, el("dt", {}, key), el("dd", {}, el("code", {}, String(value)))))),
    el("p", {}, el("a", { href: ctx.api.url(`/audit/bets/${encodeURIComponent(betId)}`) }, "Raw JSON")));
  return record;
}
