// The solvency table: per token, what the Vault really holds against what it owes.
import { el, replace, table } from "../lib/dom.js";
import { formatAmount } from "../lib/format.js";
import { Api } from "../lib/api.js";

// [label, field of the backend's SolvencyRow]
const COLUMNS = [
  ["Vault holds (chain)", "balance"],
  ["Free balances", "free"],
  ["Locked stakes", "locked"],
  ["Pools", "pooled"],
  ["Bankroll", "bankroll"],
  ["Pending LP deposits", "bankroll_pending"],
  ["Fees", "fees"],
  ["Liabilities", "liabilities"],
  ["Surplus", "surplus"],
];

export async function renderSolvency(ctx, container) {
  const body = await ctx.api.get("/audit/solvency");
  const rows = Api.items(body).map((row) => {
    const token = ctx.deployment.token(row.token) ?? { symbol: row.symbol ?? row.token, decimals: 18 };
    const values = Object.fromEntries(COLUMNS.map(([label, name]) => [label, row[name] ?? undefined]));
    return { token, values, solvent: row.solvent ?? null, viewsMatch: row.views_match_events ?? null };
  });
  replace(container, table([
    { label: "Token", value: (r) => r.token.symbol },
    ...COLUMNS.map(([label]) => ({
      label, class: "num",
      value: (r) => (r.values[label] === undefined ? "—" : signed(big(r.values[label]), r.token.decimals)),
    })),
    { label: "Status", value: (r) => r.solvent === null ? "—"
        : el("span", { class: r.solvent ? "badge verified" : "badge mismatch", dataset: { solvent: String(r.solvent) } }, r.solvent ? "solvent" : "SHORTFALL") },
    { label: "Vault's own views", value: (r) => r.viewsMatch === null ? "—" : r.viewsMatch ? "match the events" : "DIFFER from the events" },
  ], rows, { empty: "No tokens indexed yet.", caption: body?.block ? `At indexed block ${body.block}` : undefined,
    rowAttrs: (r) => ({ dataset: { token: r.token.symbol } }) }));
  return rows;
}

const big = (value) => BigInt(value ?? 0);

function signed(value, decimals) {
  return value < 0n ? `−${formatAmount(-value, decimals)}` : formatAmount(value, decimals);
}
