// Jackpot: the open round per token (buy tickets), and past rounds (draw, claim, refund).
import { $, el, replace, table, setBusy } from "../lib/dom.js";
import { formatAmount, formatTime, sameAddress, shortAddress } from "../lib/format.js";
import { field, big } from "../lib/rows.js";
import { Api } from "../lib/api.js";

export function jackpotPanel(ctx) {
  const { deployment, wallet, txlog, api } = ctx;
  const current = $("#jackpot-round");
  const history = $("#jackpot-history");
  const available = deployment.has("Jackpot");

  const round = (row) => {
    const token = deployment.token(field(row, "token", "token_address")) ?? { symbol: "?", decimals: 18 };
    return {
      id: String(field(row, "round_id", "roundId", "id")),
      token,
      ticketPrice: big(field(row, "ticket_price", "ticketPrice")),
      tickets: big(field(row, "total_tickets", "totalTickets", "tickets")),
      pot: big(field(row, "pot", "total", "pool_total")),
      endsAt: Number(field(row, "end", "end_time", "ends_at", "endTime") ?? 0),
      status: String(field(row, "status", "state") ?? "open").toLowerCase(),
      winner: field(row, "winner"),
      prize: big(field(row, "prize")),
      claimed: Boolean(field(row, "claimed")),
      myTickets: big(field(row, "my_tickets", "player_tickets")),
    };
  };

  async function send(label, call) {
    try {
      const jackpot = deployment.contract("Jackpot", await wallet.signer());
      await txlog.run(label, () => call(jackpot));
      await ctx.refreshAll();
    } catch (error) {
      ctx.reportError(error);
    }
  }

  function buyForm(r) {
    const input = el("input", { type: "number", min: 1, step: 1, value: 1, "aria-label": `Tickets for round ${r.id}`, class: "narrow" });
    const button = el("button", { type: "submit" }, "Buy tickets");
    return el("form", {
      class: "form-row", dataset: { round: r.id },
      onsubmit: async (event) => {
        event.preventDefault();
        const count = BigInt(Math.max(1, Math.floor(Number(input.value) || 1)));
        setBusy(button, true);
        await send(`Jackpot: ${count} ticket(s) in round ${r.id}`, (j) => j.buyTickets(r.id, count));
        setBusy(button, false);
      },
    }, input, button);
  }

  function actions(r) {
    const now = Date.now() / 1000;
    const buttons = [];
    if (r.status === "open" && r.endsAt && now >= r.endsAt) {
      buttons.push(el("button", { type: "button", class: "small", onclick: () => send(`Draw round ${r.id}`, (j) => j.draw(r.id)) }, "Draw"));
    }
    if (wallet.connected && r.status === "drawn" && !r.claimed && sameAddress(r.winner, wallet.account)) {
      buttons.push(el("button", { type: "button", class: "small", onclick: () => send(`Claim round ${r.id}`, (j) => j.claim(r.id)) }, "Claim prize"));
    }
    if (wallet.connected && r.status === "refundable") {
      buttons.push(el("button", { type: "button", class: "small secondary", onclick: () => send(`Refund round ${r.id}`, (j) => j.refundTickets(r.id)) }, "Refund my tickets"));
    }
    return buttons;
  }

  async function refresh() {
    if (!available) {
      replace(current, el("p", { class: "hint" }, "The Jackpot is not deployed on this platform."));
      return;
    }
    const rows = (await loadRounds(api, wallet.account)).map(round);
    const open = rows.filter((r) => r.status === "open");
    replace(current, open.length
      ? open.map((r) => el("div", { class: "round", dataset: { round: r.id } },
          el("h3", {}, `Round ${r.id} · ${r.token.symbol}`),
          el("p", {}, `Ticket ${formatAmount(r.ticketPrice, r.token.decimals)} ${r.token.symbol} · ${r.tickets} sold · pot ${formatAmount(r.pot, r.token.decimals)} ${r.token.symbol} · sales end ${formatTime(r.endsAt)}`),
          wallet.connected && (!r.endsAt || Date.now() / 1000 < r.endsAt) ? buyForm(r) : actions(r)))
      : el("p", { class: "hint" }, "No round is open right now."));
    const past = rows.filter((r) => r.status !== "open").slice(0, 10);
    replace(history, table([
      { label: "Round", value: (r) => `${r.id} (${r.token.symbol})` },
      { label: "Status", value: (r) => r.status },
      { label: "Winner", value: (r) => (r.winner ? el("code", { title: r.winner }, shortAddress(r.winner)) : "—") },
      { label: "Prize", class: "num", value: (r) => formatAmount(r.prize, r.token.decimals) },
      { label: "", value: actions },
    ], past, { caption: "Past rounds", empty: "No rounds drawn yet." }));
  }

  return { refresh };
}

async function loadRounds(api, player) {
  return Api.items(await api.get("/jackpot/rounds", { player, limit: 20 }));
}
