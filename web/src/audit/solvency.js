// The solvency table: per token, what the Vault really holds against what it owes.
import { el, replace, table } from "../lib/dom.js";
import { formatAmount } from "../lib/format.js";
import { field, big } from "../lib/rows.js";
import { Api } from "../lib/api.js";

const COLUMNS = [
  ["On chain", "chain_balance", "chainBalance", "vault_balance", "balance"],
  ["Free balances", "free", "free_balances"],
  ["Locked stakes", "locked", "locked_total"],
  ["Bankroll", "bankroll", "bankroll_assets"],
  ["Fees", "fees", "accrued_fees"],
  ["Liabilities", "liabilities", "total_liabilities"],
  ["Surplus", "surplus", "excess"],
];

export async function renderSolvency(ctx, container) {
  const body = await ctx.api.get("/audit/solvency");
  const rows = Api.items(body).map((row) => {
    const token = ctx.deployment.token(field(row, "token", "token_address", "symbol")) ?? { symbol: String(field(row, "symbol", "token")), decimals: 18 };
    const values = Object.fromEntries(COLUMNS.map(([label, ...names]) => [label, field(row, ...names)]));
    if (values.Surplus === undefined && values["On chain"] !== undefined && values.Liabilities !== undefined) {
      values.Surplus = big(values["On chain"]) - big(values.Liabilities);
    }
    const solvent = field(row, "solvent", "ok") ?? (values.Surplus !== undefined ? big(values.Surplus) >= 0n : null);
    return { token, values, solvent };
  });
  replace(container, table([
    { label: "Token", value: (r) => r.token.symbol },
    ...COLUMNS.map(([label]) => ({
      label, class: "num",
      value: (r) => (r.values[label] === undefined ? "—" : signed(big(r.values[label]), r.token.decimals)),
    })),
    { label: "Status", value: (r) => r.solvent === null ? "—"
        : el("span", { class: r.solvent ? "badge verified" : "badge mismatch", dataset: { solvent: String(r.solvent) } }, r.solvent ? "solvent" : "SHORTFALL") },
  ], rows, { empty: "No tokens indexed yet." }));
  return rows;
}

function signed(value, decimals) {
  return value < 0n ? `−${formatAmount(-value, decimals)}` : formatAmount(value, decimals);
}
