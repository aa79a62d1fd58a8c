// One bet's audit record (backend BetAudit): the verdict, every check side by side (what the
// chain recorded vs what the indexer recomputed), then the request, proof and re-verification.
import { el, replace, table } from "../lib/dom.js";
import { auditVerdict, show } from "../lib/audit.js";
import { formatAmount, formatTime } from "../lib/format.js";

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

const record = (title, value) => value
  ? el("details", {}, el("summary", {}, title),
      el("dl", { class: "record" }, flatten(value).map(([key, v]) => el("div", {}, el("dt", {}, key), el("dd", {}, el("code", {}, String(v)))))))
  : null;

export async function renderBetRecord(ctx, container, betId) {
  replace(container, el("p", { class: "hint" }, `Loading ${betId}…`));
  let audit;
  try {
    audit = await ctx.api.get(`/audit/bets/${encodeURIComponent(betId)}`);
  } catch (error) {
    replace(container, el("p", { class: "warn" }, error.status === 404 ? `No bet ${betId} is indexed.` : error.message));
    return null;
  }
  const verdict = auditVerdict(audit);
  const heading = verdict.verified === true
    ? el("p", { class: "badge verified big", id: "bet-verdict", dataset: { verified: "true" } },
        "✓ Every check passed: proof re-verified, outcome and payout recomputed and matching the chain")
    : verdict.verified === false
      ? el("div", { class: "badge mismatch big", id: "bet-verdict", dataset: { verified: "false" } }, "✗ The audit found problems:",
          el("ul", {}, verdict.problems.map((p) => el("li", {}, p))))
      : el("p", { class: "badge unknown big", id: "bet-verdict", dataset: { verified: "pending" } }, "Not settled yet: nothing to verify");
  const bet = audit.bet ?? {};
  // amounts in the bet's token (the checks below stay in base units, exactly as the chain has them)
  const token = bet.token ? ctx.deployment.token(bet.token) : null;
  const units = (value) => (value === null || value === undefined ? "—"
    : token ? `${formatAmount(value, token.decimals, token.decimals)} ${token.symbol}` : `${value} (base units)`);
  replace(container, heading,
    el("p", {}, el("strong", { class: "readable-id" }, bet.readable_id ?? betId), ` · ${bet.game ?? "bet"} · player `, el("code", {}, bet.player ?? "—"),
      ` · stake ${units(bet.stake)} · status ${bet.status ?? "—"} · payout ${units(bet.payout)}`,
      bet.placed ? ` · placed in block ${bet.placed.block} (${formatTime(bet.placed.time)})` : ""),
    table([
      { label: "Check", value: (c) => c.name },
      { label: "Result", value: (c) => el("span", { class: c.ok ? "badge verified" : "badge mismatch" }, c.ok ? "ok" : "MISMATCH") },
      { label: "On chain", value: (c) => el("code", {}, show(c.chain)) },
      { label: "Recomputed", value: (c) => el("code", {}, show(c.recomputed)) },
      { label: "Detail", value: (c) => c.detail ?? "" },
    ], audit.checks ?? [], { caption: "Checks", empty: "No checks yet.", rowAttrs: (c) => ({ dataset: { check: c.name, ok: String(c.ok) } }) }),
    record("Randomness request", audit.request),
    record("ECVRF proof", audit.proof),
    record("Independent proof verification", audit.verification),
    record("Recomputed with fairstake.rules", audit.recomputed),
    record("Recorded on chain", audit.chain),
    el("p", {}, el("a", { href: ctx.api.url(`/audit/bets/${encodeURIComponent(betId)}`) }, "Raw JSON")));
  return audit;
}
