// Skill games: Matches and Tournaments, read from their contracts. Joining locks the entry from
// the Vault balance (for ETH, a shortfall is sent along and deposited in the same call); results
// are the referee-signed (or co-signed) rankings the contracts settled.
import { $, el, replace, table } from "../lib/dom.js";
import { formatAmount, formatTime, sameAddress, shortAddress } from "../lib/format.js";
import { sendAndRefresh } from "./send.js";

const RECENT = 10;

const GAMES = {
  Match: {
    container: "#matches-list", noun: "match", plural: "Matches", joinLabel: "Join",
    statuses: ["none", "open", "full", "settled", "cancelled", "voided", "expired"],
    count: (c) => c.matchCount(),
    async read(c, id) {
      const [info, players] = await Promise.all([c.matchInfo(id), c.playersOf(id)]);
      return {
        token: info.token, entry: info.entry, max: Number(info.maxPlayers), split: info.shares, players,
        deadline: Number(info.deadline), statusIndex: Number(info.status), rake: Number(info.rake),
      };
    },
    settledEvent: "MatchSettled",
    join: (c, id, overrides) => c.join(id, overrides),
    // Anyone may expire a match whose result deadline passed: every entry goes back.
    refund: (c, item) => c.expire(item.id),
    refundable: (item, now) => ["open", "full"].includes(item.status) && now > item.deadline,
    joinable: (item, now) => item.status === "open" && now < item.deadline,
  },
  Tournament: {
    container: "#tournaments-list", noun: "tournament", plural: "Tournaments", joinLabel: "Enter",
    statuses: ["none", "open", "settled", "cancelled", "voided", "expired"],
    count: (c) => c.tournamentCount(),
    async read(c, id) {
      const info = await c.tournamentInfo(id);
      const players = await c.entrantsOf(id, 0, info.entrants);
      return {
        token: info.token, entry: info.entryFee, max: Number(info.maxEntrants), split: info.prizes, players,
        deadline: Number(info.resultDeadline), registrationDeadline: Number(info.registrationDeadline),
        statusIndex: Number(info.status), rake: Number(info.rake),
      };
    },
    settledEvent: "TournamentSettled",
    join: (c, id, overrides) => c.enter(id, overrides),
    refund: (c, item) => c.refundEntries(item.id, 0, item.players.length),
    refundable: (item, now) => ["cancelled", "voided", "expired"].includes(item.status) || (item.status === "open" && now > item.deadline),
    joinable: (item, now) => item.status === "open" && now < item.registrationDeadline && item.players.length < item.max,
  },
};

export function skillPanel(ctx, name) {
  const game = GAMES[name];
  const { deployment, wallet } = ctx;
  const container = $(game.container);
  const available = deployment.has(name);

  async function load(contract) {
    const count = await game.count(contract);
    const ids = [];
    for (let id = count; id > 0n && ids.length < RECENT; id--) ids.push(id);
    const settled = new Map();
    if (ids.length) {
      const logs = await contract.queryFilter(game.settledEvent, deployment.contracts[name].block);
      for (const log of logs) settled.set(log.args[0], { ranking: log.args[2], payouts: log.args[3] });
    }
    return Promise.all(ids.map(async (id) => {
      const item = await game.read(contract, id);
      const token = deployment.token(item.token) ?? { symbol: "?", decimals: 18, address: item.token };
      return { ...item, id, token, status: game.statuses[item.statusIndex] ?? "unknown", result: settled.get(id) };
    }));
  }

  const send = (label, call, control = null, token = null) => sendAndRefresh(ctx, name, label, call, control, token);

  async function join(item, control) {
    // ETH may be sent along: only what the Vault balance lacks.
    let value = 0n;
    if (item.token.isNative) {
      const vault = deployment.contract("Vault", wallet.provider);
      const free = await vault.balanceOf(wallet.account, item.token.address);
      value = free >= item.entry ? 0n : item.entry - free;
    }
    const joined = await send(`${game.joinLabel} ${game.noun} ${item.id} (${formatAmount(item.entry, item.token.decimals)} ${item.token.symbol})`,
      (c) => game.join(c, item.id, { value }), control, item.token);
    if (joined) ctx.session.recordStake(item.token.address, item.entry);
  }

  const results = (item) => {
    if (!item.result) return item.split.length ? `split ${[...item.split].map((s) => `${Number(s) / 100}%`).join(" / ")}` : "—";
    return el("ol", { class: "ranking" }, [...item.result.ranking].map((player, i) =>
      el("li", { class: sameAddress(player, wallet.account) ? "me" : "" },
        el("code", { title: player }, sameAddress(player, wallet.account) ? "you" : shortAddress(player)),
        ` ${formatAmount(item.result.payouts[i] ?? 0n, item.token.decimals)}`)));
  };

  const action = (item, now) => {
    const joined = item.players.some((p) => sameAddress(p, wallet.account));
    if (!wallet.connected) return joined ? "joined" : "";
    if (game.refundable(item, now) && joined) {
      return el("button", { type: "button", class: "small secondary", onclick: (e) => send(`Refund ${game.noun} ${item.id}`, (c) => game.refund(c, item), e.currentTarget, item.token) }, "Refund");
    }
    if (joined) return "joined";
    if (!game.joinable(item, now)) return "";
    return el("button", { type: "button", class: "small", onclick: (e) => join(item, e.currentTarget) }, game.joinLabel);
  };

  async function refresh() {
    if (!available) {
      replace(container, el("p", { class: "hint" }, `${game.plural} are not deployed on this platform.`));
      return;
    }
    const runner = wallet.provider ?? ctx.readProvider;
    if (!runner) return;
    const [rows, now] = await Promise.all([load(deployment.contract(name, runner)), ctx.chainNow()]);
    replace(container, table([
      { label: "#", value: (r) => String(r.id) },
      { label: "Entry", class: "num", value: (r) => `${formatAmount(r.entry, r.token.decimals)} ${r.token.symbol}` },
      { label: "Players", value: (r) => `${r.players.length} / ${r.max}` },
      { label: "Status", value: (r) => r.status },
      { label: "Result by", value: (r) => formatTime(r.deadline) },
      { label: "Results", value: results },
      { label: "", value: (r) => action(r, now) },
    ], rows, { empty: `No ${game.plural.toLowerCase()} yet.`, rowAttrs: (r) => ({ dataset: { id: String(r.id) } }) }));
  }

  return { refresh };
}
