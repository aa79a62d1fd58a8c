// Skill games: Matches and Tournaments. Join/enter with a signed transaction; results are the
// referee-signed rankings the contracts settled, as indexed by the API.
import { $, el, replace, table } from "../lib/dom.js";
import { formatAmount, formatTime, sameAddress, shortAddress } from "../lib/format.js";
import { field, big } from "../lib/rows.js";
import { Api } from "../lib/api.js";

const GAMES = {
  Match: { path: "/matches", container: "#matches-list", noun: "match", plural: "Matches", join: (c, id) => c.join(id), joinLabel: "Join" },
  Tournament: { path: "/tournaments", container: "#tournaments-list", noun: "tournament", plural: "Tournaments", join: (c, id) => c.enter(id), joinLabel: "Enter" },
};

export function skillPanel(ctx, name) {
  const game = GAMES[name];
  const { deployment, wallet, txlog, api } = ctx;
  const container = $(game.container);
  const available = deployment.has(name);

  const normalize = (row) => {
    const token = deployment.token(field(row, "token", "token_address")) ?? { symbol: "?", decimals: 18 };
    const players = field(row, "players", "entrants") ?? [];
    return {
      id: String(field(row, "match_id", "tournament_id", "matchId", "tournamentId", "id")),
      token,
      entry: big(field(row, "entry", "entry_fee", "entryFee", "stake")),
      players: players.map((p) => (typeof p === "string" ? p : field(p, "player", "address"))),
      maxPlayers: Number(field(row, "max_players", "player_count", "max_entrants", "maxPlayers", "maxEntrants") ?? 0),
      status: String(field(row, "status", "state") ?? "open").toLowerCase(),
      deadline: Number(field(row, "result_deadline", "resultDeadline", "registration_deadline", "deadline") ?? 0),
      payouts: field(row, "payouts", "results", "ranking") ?? [],
    };
  };

  async function join(item) {
    try {
      const contract = deployment.contract(name, await wallet.signer());
      await txlog.run(`${game.joinLabel} ${game.noun} ${item.id} (${formatAmount(item.entry, item.token.decimals)} ${item.token.symbol})`,
        () => game.join(contract, item.id));
      await ctx.refreshAll();
    } catch (error) {
      ctx.reportError(error);
    }
  }

  const results = (item) => {
    if (!item.payouts.length) return "—";
    return el("ol", { class: "ranking" }, item.payouts.map((p) => {
      const player = typeof p === "string" ? p : field(p, "player", "address");
      const amount = typeof p === "string" ? null : big(field(p, "payout", "amount", "prize"));
      return el("li", { class: sameAddress(player, wallet.account) ? "me" : "" }, el("code", { title: player }, shortAddress(player)),
        amount !== null ? ` ${formatAmount(amount, item.token.decimals)}` : "");
    }));
  };

  const action = (item) => {
    const joined = item.players.some((p) => sameAddress(p, wallet.account));
    if (joined) return "joined";
    if (item.status !== "open" || !wallet.connected) return "";
    return el("button", { type: "button", class: "small", onclick: () => join(item) }, game.joinLabel);
  };

  async function refresh() {
    if (!available) {
      replace(container, el("p", { class: "hint" }, `${game.plural} are not deployed on this platform.`));
      return;
    }
    const rows = Api.items(await api.get(game.path, { limit: 20 })).map(normalize);
    replace(container, table([
      { label: "#", value: (r) => r.id },
      { label: "Entry", class: "num", value: (r) => `${formatAmount(r.entry, r.token.decimals)} ${r.token.symbol}` },
      { label: "Players", value: (r) => `${r.players.length}${r.maxPlayers ? ` / ${r.maxPlayers}` : ""}` },
      { label: "Status", value: (r) => r.status },
      { label: "Deadline", value: (r) => formatTime(r.deadline) },
      { label: "Results", value: results },
      { label: "", value: action },
    ], rows, { empty: `No ${game.plural.toLowerCase()} yet.` }));
  }

  return { refresh };
}
