// Jackpot: each token's open round (buy tickets), and recent rounds (draw, claim, refund).
// Rounds are read from the Jackpot contract itself, so the page needs no indexer to play.
// A draw whose random number the oracle did not deliver by its deadline is expired at the
// coordinator from here: every ticket becomes refundable, with a compensation from its bond.
import { $, el, replace, table, setBusy } from "../../lib/dom.js";
import { formatAmount, formatTime, sameAddress, shortAddress } from "../../lib/format.js";
import { ensureAllowance } from "../../player/vault.js";
import { sendAndRefresh } from "../../player/send.js";
import { coordinatorReader, findCommitment, isExpiredAt, timeoutSeconds } from "../../player/randomness.js";

// Jackpot.Status
const STATUS = ["none", "open", "drawing", "drawn", "claimed", "rolled over", "refundable", "closed"];
const RECENT_ROUNDS = 8;

export function jackpotPanel(ctx) {
  const { deployment, wallet } = ctx;
  const current = $("#jackpot-round");
  const history = $("#jackpot-history");
  const available = deployment.has("Jackpot");
  const reader = () => deployment.contract("Jackpot", wallet.provider ?? ctx.readProvider);
  // What the player typed in each round's form survives the re-renders live events trigger.
  const drafts = new Map(); // round id → {count, source}

  async function readRound(jackpot, roundId) {
    const info = await jackpot.roundOf(roundId);
    const token = deployment.token(info.token) ?? { symbol: "?", decimals: 18, address: info.token };
    return {
      id: BigInt(roundId), token, status: STATUS[Number(info.status)] ?? "unknown",
      ticketPrice: info.ticketPrice, tickets: info.totalTickets, rolledIn: info.rolledIn,
      pot: info.ticketPrice * info.totalTickets + info.rolledIn,
      end: Number(info.end), drawBy: Number(info.drawBy), winner: info.winner, prize: info.prize, claimBy: Number(info.claimBy),
      requestBlock: Number(info.requestBlock),
    };
  }

  /**
   * A Drawing round's randomness request: {pending, expired, commitment, compensation} —
   * `pending` while the coordinator holds it, `expired` once past its deadline (at block `head`),
   * `compensation` what its expiry pays for the round's tickets from the oracle's bond.
   */
  async function drawRequest(jackpot, round, head) {
    const [requested] = await jackpot.queryFilter(jackpot.filters.DrawRequested(round.id), round.requestBlock, round.requestBlock);
    if (!requested) return null;
    const requestId = requested.args.requestId;
    const coordinator = coordinatorReader(ctx);
    const [pending, commitment, timeout] = await Promise.all([
      coordinator.isPending(requestId), findCommitment(coordinator, requestId, round.requestBlock), timeoutSeconds(ctx),
    ]);
    return {
      requestId, pending, commitment, compensation: commitment ? commitment.compensation : 0n,
      expired: Boolean(pending && commitment && isExpiredAt(commitment, head, timeout)),
    };
  }

  /** The player's purchases in a round, with their purchase indexes (the order of TicketsBought). */
  async function myPurchases(jackpot, roundId) {
    if (!wallet.connected) return [];
    const logs = await jackpot.queryFilter(jackpot.filters.TicketsBought(roundId), deployment.contracts.Jackpot.block);
    return logs.map((log, index) => ({ index, player: log.args.player, count: log.args.count }))
      .filter((p) => sameAddress(p.player, wallet.account));
  }

  const send = (label, call, control = null, token = null) => sendAndRefresh(ctx, "Jackpot", label, call, control, token);

  function buyForm(round) {
    const key = String(round.id);
    const draft = drafts.get(key) ?? { count: "1", source: "vault" };
    const count = el("input", { type: "number", min: 1, step: 1, value: draft.count, class: "narrow", name: "count" });
    const source = el("select", { name: "source" }, el("option", { value: "vault" }, "Vault balance"), el("option", { value: "wallet" }, "Wallet"));
    source.value = draft.source;
    const remember = () => drafts.set(key, { count: count.value, source: source.value });
    const button = el("button", { type: "submit" }, "Buy tickets");
    return el("form", {
      class: "form-row jackpot-buy", dataset: { round: key }, oninput: remember, onchange: remember,
      onsubmit: async (event) => {
        event.preventDefault();
        const tickets = BigInt(Math.max(1, Math.floor(Number(count.value) || 1)));
        const cost = round.ticketPrice * tickets;
        const fromWallet = source.value === "wallet";
        setBusy(button, true);
        try {
          if (fromWallet && !round.token.isNative) await ensureAllowance(ctx, round.token, cost);
          const bought = await send(`Jackpot: ${tickets} ticket(s) in round ${round.id} for ${formatAmount(cost, round.token.decimals)} ${round.token.symbol}`,
            (j) => j.buyTickets(round.id, tickets, fromWallet ? cost : 0n, { value: fromWallet && round.token.isNative ? cost : 0n }), button, round.token);
          if (bought) {
            drafts.delete(key);
            ctx.session.recordStake(round.token.address, cost);
          }
        } catch (error) {
          ctx.reportError(error, button, round.token);
        } finally {
          setBusy(button, false);
        }
      },
    }, el("label", {}, "Tickets", count), el("label", {}, "Pay from", source), button);
  }

  function actions(round, purchases, now) {
    const buttons = [];
    if (round.status === "open" && now >= round.end && now <= round.drawBy) {
      // a round without tickets is not drawn: draw() just closes it and opens the next one
      const [label, text] = round.tickets ? [`Draw round ${round.id}`, "Draw"] : [`Round ${round.id}: start the next round`, "Start the next round"];
      buttons.push(el("button", { type: "button", class: "small", onclick: (e) => send(label, (j) => j.draw(round.id), e.currentTarget, round.token) }, text));
    }
    if (round.status === "open" && now > round.drawBy) {
      const [label, text] = round.tickets ? [`Round ${round.id}: make refundable`, "Make refundable"] : [`Round ${round.id}: start the next round`, "Start the next round"];
      buttons.push(el("button", { type: "button", class: "small secondary", onclick: (e) => send(label, (j) => j.markRefundable(round.id), e.currentTarget, round.token) }, text));
    }
    if (round.status === "drawing" && round.draw && !round.draw.pending) {
      // the randomness arrived but the draw could not be settled: the tickets are refunded
      buttons.push(el("button", { type: "button", class: "small secondary", onclick: (e) => send(`Round ${round.id}: make refundable`, (j) => j.markRefundable(round.id), e.currentTarget, round.token) }, "Make refundable"));
    }
    if (round.status === "drawn" && sameAddress(round.winner, wallet.account)) {
      buttons.push(el("button", { type: "button", class: "small", onclick: (e) => send(`Claim round ${round.id}`, (j) => j.claim(round.id), e.currentTarget, round.token) }, "Claim prize"));
    }
    if (round.status === "refundable" && purchases.length) {
      const indexes = purchases.map((p) => BigInt(p.index));
      buttons.push(el("button", { type: "button", class: "small secondary", onclick: (e) => send(`Refund round ${round.id}`, (j) => j.refundTickets(round.id, indexes), e.currentTarget, round.token) }, "Refund my tickets"));
    }
    return buttons;
  }

  /**
   * What an open round's state means for the player, in words: rounds stop selling on the
   * chain's clock and only move on when someone sends the next step, so a page opened after a
   * quiet spell shows a stopped round and must say what to do with it.
   */
  function roundState(round, now) {
    const say = (state, text) => el("p", { class: "round-state", dataset: { state } }, text);
    if (now < round.end) {
      return say("selling", `Tickets on sale until ${formatTime(round.end)}; then anyone may draw the winner.${wallet.connected ? "" : " Connect a wallet to buy tickets."}`);
    }
    if (now <= round.drawBy) {
      return round.tickets
        ? say("drawable", `Sales ended ${formatTime(round.end)} with ${round.tickets} ticket(s). Anyone may now draw the winner (until ${formatTime(round.drawBy)}): the oracle's proven random number picks one ticket, and the next round opens at once.`)
        : say("empty", `Sales ended ${formatTime(round.end)} with no tickets sold. Start the next round: this closes the empty round${round.rolledIn ? " (its carried-over prize moves on)" : ""} and opens a new one with fresh sales.`);
    }
    return say("missed", `Nobody drew this round by ${formatTime(round.drawBy)}, so it can no longer be drawn. ${round.tickets ? "Making it refundable returns every ticket's price and opens" : "Closing it opens"} the next round.`);
  }

  const amount = (value, round) => `${formatAmount(value, round.token.decimals)} ${round.token.symbol}`;

  /** A Drawing round past its request deadline: what expiring it does, and the button that does it. */
  function overdueDraw(round) {
    return el("div", { class: "draw-overdue", role: "status", dataset: { round: String(round.id) } },
      el("p", {}, el("strong", {}, `Round ${round.id} · ${round.token.symbol}: the oracle missed the draw's deadline.`),
        ` Expire the draw and every ticket can be refunded, plus ${amount(round.draw.compensation, round)} from the oracle's bond shared among the tickets.`),
      el("button", {
        type: "button", class: "small",
        onclick: (e) => sendAndRefresh(ctx, "RandomnessCoordinator", `Expire the draw of round ${round.id}`, (c) => c.expire(round.draw.commitment.rc), e.currentTarget, round.token),
      }, "Expire the draw"));
  }

  async function refresh() {
    if (!available) {
      replace(current, el("p", { class: "hint" }, "The Jackpot is not deployed on this platform."));
      return;
    }
    if (!wallet.provider && !ctx.readProvider) return;
    const jackpot = reader();
    const now = await ctx.chainNow();
    const openIds = (await Promise.all(deployment.tokens.map((t) => jackpot.currentRound(t.address)))).filter((id) => id !== 0n);
    const open = await Promise.all(openIds.map(async (id) => {
      const round = await readRound(jackpot, id);
      return { round, purchases: await myPurchases(jackpot, id) };
    }));
    const focused = document.activeElement?.closest?.(".jackpot-buy") ? [document.activeElement.closest(".jackpot-buy").dataset.round, document.activeElement.name] : null;
    replace(current, open.length
      ? open.map(({ round, purchases }) => {
          const mine = purchases.reduce((sum, p) => sum + p.count, 0n);
          const selling = now < round.end;
          return el("div", { class: "round", dataset: { round: String(round.id), token: round.token.symbol } },
            el("h3", {}, `Round ${round.id} · ${round.token.symbol}`),
            el("p", {}, `Ticket ${amount(round.ticketPrice, round)} · ${round.tickets} sold · pot `,
              el("strong", { class: "pot" }, amount(round.pot, round)),
              wallet.connected ? el("span", { class: "my-tickets" }, ` · your tickets: ${mine}`) : ""),
            roundState(round, now),
            wallet.connected && selling ? buyForm(round) : actions(round, purchases, now));
        })
      : el("p", { class: "hint" }, "No round is open right now."));
    if (focused) current.querySelector(`.jackpot-buy[data-round="${focused[0]}"] [name="${focused[1]}"]`)?.focus();

    const count = await jackpot.roundCount();
    const ids = [];
    for (let id = count; id > 0n && ids.length < RECENT_ROUNDS; id--) if (!openIds.includes(id)) ids.push(id);
    const head = await (wallet.provider ?? ctx.readProvider).getBlock("latest");
    const past = await Promise.all(ids.map(async (id) => {
      const round = await readRound(jackpot, id);
      const draw = round.status === "drawing" && deployment.has("RandomnessCoordinator") ? await drawRequest(jackpot, round, head) : null;
      return { ...round, draw, purchases: round.status === "refundable" ? await myPurchases(jackpot, id) : [] };
    }));
    replace(history, past.filter((r) => r.draw?.expired).map(overdueDraw), table([
      { label: "Round", value: (r) => `${r.id} · ${r.token.symbol}` },
      { label: "Status", value: (r) => r.status },
      { label: "Winner", value: (r) => (BigInt(r.winner) ? el("code", { title: r.winner }, sameAddress(r.winner, wallet.account) ? "you" : shortAddress(r.winner)) : "—") },
      { label: "Prize", class: "num", value: (r) => (r.prize ? amount(r.prize, r) : "—") },
      { label: "", value: (r) => actions(r, r.purchases, now) },
    ], past, { caption: "Recent rounds", empty: "No earlier rounds.", rowAttrs: (r) => ({ dataset: { round: String(r.id) } }) }));
  }

  return { refresh };
}
