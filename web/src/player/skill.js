// Skill games: Matches and Tournaments, read from their contracts. Joining locks the entry from
// the Vault balance (for ETH, a shortfall is sent along and deposited in the same call); results
// are the referee-signed (or co-signed) rankings the contracts settled.
import { $, el, messageBeside, replace, setBusy, showMessage, table } from "../lib/dom.js";
import { formatAmount, formatTime, parseAmount, sameAddress, shortAddress } from "../lib/format.js";
import { sendAndRefresh } from "./send.js";
import { fillTokenSelect } from "./tokens.js";

const RECENT = 10;
const HOUR = 3600;
// SignedResults.MAX_DURATION: a result deadline at most 30 days ahead (the Vault's longest lock)
const MAX_DURATION = 30 * 24 * HOUR;

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
    maxPlayers: 16, // Match.MAX_PLAYERS
    createdEvent: "MatchCreated",
    create: (c, o) => c.create(o.token.address, o.entry, o.players, o.split, o.now + o.resultHours * HOUR),
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
    maxPlayers: 4096, // Tournament.MAX_ENTRANTS
    createdEvent: "TournamentCreated",
    create: (c, o) => c.create(o.token.address, o.entry, o.players, o.split, o.now + o.registrationHours * HOUR, o.now + o.resultHours * HOUR),
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

  /**
   * The create form's values checked as the contract checks them (so a mistake is shown beside
   * the form in words, before anything is signed); throws an Error naming the field.
   */
  function readCreateForm(form, now) {
    const data = new FormData(form);
    const token = deployment.token(String(data.get("token")));
    if (!token) throw new Error("Choose a token.");
    let entry;
    try {
      entry = parseAmount(data.get("entry"), token.decimals);
    } catch {
      throw new Error(`Enter the entry as a positive amount of ${token.symbol}, e.g. 0.01.`);
    }
    const players = Number(data.get("players"));
    if (!Number.isInteger(players) || players < 2 || players > game.maxPlayers) {
      throw new Error(`${game.plural} take 2 to ${game.maxPlayers} players.`);
    }
    const parts = String(data.get("split") ?? "").split(/[/,\s]+/).filter(Boolean).map(Number);
    const split = parts.map((p) => Math.round(p * 100));
    if (!parts.length || parts.some((p) => !(p > 0)) || split.reduce((a, b) => a + b, 0) !== 10_000) {
      throw new Error("The prize split is percentages by place that add up to 100, e.g. 70/30.");
    }
    if (split.length > players) throw new Error(`The split pays ${split.length} places but only ${players} can play.`);
    if (split.length > 16) throw new Error("The split pays at most 16 places.");
    const resultHours = Number(data.get("result"));
    const registrationHours = Number(data.get("registration") ?? 0);
    if (!(resultHours > 0) || resultHours * HOUR > MAX_DURATION) throw new Error("Results are due within 30 days (720 hours) at most.");
    if (name === "Tournament" && !(registrationHours > 0 && registrationHours < resultHours)) {
      throw new Error("Registration must close after a positive number of hours, before results are due.");
    }
    return { token, entry, players, split, resultHours, registrationHours, now };
  }

  function createForm() {
    const tokens = el("select", { name: "token" });
    fillTokenSelect(tokens, deployment.tokens);
    const button = el("button", { type: "submit" }, `Create ${game.noun}`);
    const form = el("form", { class: "form-row create-game", dataset: { game: game.noun } },
      el("label", {}, "Token", tokens),
      el("label", {}, "Entry", el("input", { name: "entry", inputmode: "decimal", autocomplete: "off", value: "0.01", class: "narrow" })),
      el("label", {}, name === "Match" ? "Players" : "Entrants", el("input", { name: "players", type: "number", min: 2, max: game.maxPlayers, value: name === "Match" ? 2 : 8, class: "narrow" })),
      el("label", {}, "Split %", el("input", { name: "split", autocomplete: "off", value: name === "Match" ? "100" : "70/30", class: "narrow", title: "Prize by place in percent, e.g. 70/30" })),
      name === "Tournament" ? el("label", {}, "Sign-up open (hours)", el("input", { name: "registration", type: "number", min: 1, value: 24, class: "narrow" })) : null,
      el("label", {}, "Result due within (hours)", el("input", { name: "result", type: "number", min: 1, max: 720, value: name === "Match" ? 24 : 72, class: "narrow" })),
      button);
    const message = messageBeside(button);
    form.addEventListener("input", () => showMessage(message, ""));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!wallet.connected) {
        showMessage(message, `Connect a wallet to create a ${game.noun}.`, "NoWallet");
        return;
      }
      let options;
      try {
        options = readCreateForm(form, await ctx.chainNow());
      } catch (error) {
        showMessage(message, error.message, "BadInput");
        return;
      }
      setBusy(button, true);
      try {
        const split = options.split.map((s) => `${s / 100}%`).join(" / ");
        await send(`Create ${game.noun}: ${formatAmount(options.entry, options.token.decimals)} ${options.token.symbol} entry, ${options.players} players, split ${split}`,
          (c) => game.create(c, options), button, options.token);
      } finally {
        setBusy(button, false);
      }
    });
    return el("details", { class: "create" }, el("summary", {}, `Create a ${game.noun}`),
      el("p", { class: "hint" }, `You set the entry and the prize split; you do not take a seat (join it like anyone). The platform's referee signs the result; if none arrives by the deadline, every entry is refunded.`),
      form);
  }
  if (available) container.before(createForm());

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
        ` ${formatAmount(item.result.payouts[i] ?? 0n, item.token.decimals)} ${item.token.symbol}`)));
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
