// The player's bets on one game of the chance engine (contracts/games/base/ChanceGame.sol), for
// any game's panel: each bet tracked from its placing receipt or the indexer's history, its
// result from the live feed (or read from the chain when the feed is down), the audit badge, and
// the controls for a bet without a result (expire it once the oracle missed its deadline: the
// bond pays the bet's maximum payout; refund it when its settlement failed). Every game on the
// engine emits the same events, so only the words differ: `describe(bet)` says what was bet,
// `outcome(bet, result)` what a one-roll result was (the panel's rules module recomputes it).
import { el, replace, setBusy } from "../lib/dom.js";
import { formatAmount } from "../lib/format.js";
import { auditVerdict } from "../lib/audit.js";
import { readableBetId } from "../lib/betIds.js";
import { commitmentInReceipt, coordinatorReader, findCommitment, isExpiredAt, overdueText, sendExpire, timeoutSeconds } from "../player/randomness.js";

const CHAIN_POLL_MS = 2000;
const AUDIT_RETRIES = 10;
const HISTORY = 10;
const PENDING = 1n; // ChanceGame.BetState

/**
 * @param ctx the page's context
 * @param options {contract, game, list (the <ol>), describe(bet) → text, outcome(bet, {word, payout}) → text,
 *   fromHistory(row) → the bet's own fields from its indexed details, payoutWords: what the game calls
 *   the bet's maximum payout}
 */
export function chanceBets(ctx, { contract, game, list, describe, outcome, fromHistory, payoutWords = "the most the bet can pay" }) {
  const { deployment, wallet, txlog, feed, api } = ctx;
  const bets = new Map(); // betId (string) → tracked bet
  const early = new Map(); // betId → a result that arrived before the bet was tracked
  let pollTimer = null;
  const units = (value, token) => `${formatAmount(value, token.decimals)} ${token.symbol}`;

  /** Track the bets a placing receipt holds; `own` are the panel's fields of the bet (its choice). */
  function placed(receipt, token, own) {
    const game_ = deployment.contract(contract, wallet.provider ?? ctx.readProvider);
    const coordinator = deployment.has("RandomnessCoordinator") ? coordinatorReader(ctx) : null;
    const target = String(game_.target).toLowerCase();
    for (const log of receipt.logs) {
      if (log.address.toLowerCase() !== target) continue;
      let parsed = null;
      try {
        parsed = game_.interface.parseLog(log);
      } catch {
        continue; // not an event of this ABI
      }
      if (parsed?.name !== "BetPlaced") continue;
      const a = parsed.args;
      track({
        ...own,
        betId: String(a.betId),
        readableId: readableBetId(game, receipt.blockNumber, log.index),
        token,
        stake: a.stake * BigInt(a.rolls),
        rolls: Number(a.rolls),
        maxPayout: a.maxPayout,
        block: receipt.blockNumber,
        // the request's commitment, for expiring it should the oracle miss its deadline
        commitment: coordinator && commitmentInReceipt(coordinator, receipt, a.betId),
      });
    }
  }

  function track(bet, { older = false } = {}) {
    if (bets.has(bet.betId)) return; // already shown (e.g. the history caught it first)
    const status = el("span", { class: "bet-status" }, "waiting for the random number…");
    const badge = el("span", { class: "badge-slot" });
    bet.element = el("li", { class: "bet pending", title: `bet ${bet.readableId} (id ${bet.betId})`, dataset: { betId: bet.betId, readableId: bet.readableId } },
      el("span", {}, el("code", { class: "readable-id" }, bet.readableId), `: ${units(bet.stake, bet.token)} on ${describe(bet)}`,
        bet.rolls > 1 ? ` in ${bet.rolls} rolls` : "", ` (pays up to ${units(bet.maxPayout, bet.token)})`), " — ", status, " ", badge);
    bet.status = status;
    bet.badge = badge;
    bets.set(bet.betId, bet);
    if (older) list.append(bet.element);
    else list.prepend(bet.element);
    const settledEarly = early.get(bet.betId);
    if (settledEarly) {
      early.delete(bet.betId);
      settle(settledEarly);
    }
    schedulePoll();
  }

  /**
   * Shows a bet's result; `replayed` results (from the history) change no session figure. kind
   * "settled" (BetSettled: word, rollsPlayed, payout) or "timeout" (BetTimedOut: payout is the
   * bet's maximum payout when its request expired, the stakes alone when only refunded).
   */
  function settle(result, { replayed = false } = {}) {
    const { kind, betId, rollsPlayed, payout } = result;
    const bet = bets.get(betId);
    if (!bet) {
      early.set(betId, result);
      return;
    }
    if (bet.settled) return;
    bet.settled = true;
    replace(bet.badge);
    const { element } = bet;
    element.dataset.payout = String(payout);
    if (kind === "timeout") {
      const bondPaid = payout > bet.stake;
      element.className = "bet timeout";
      element.dataset.won = String(bondPaid);
      element.dataset.outcome = bondPaid ? "bond-paid" : "refunded";
      bet.status.textContent = bondPaid
        ? `the oracle missed its deadline — paid ${units(payout, bet.token)} by the oracle's bond`
        : `no result could be settled — your stake of ${units(payout, bet.token)} was refunded`;
      if (bondPaid) bet.status.title = `Your stake ${units(bet.stake, bet.token)} back and ${units(payout - bet.stake, bet.token)} from the oracle's bond.`;
    } else {
      const won = payout > bet.stake;
      element.className = `bet ${won ? "won" : "lost"}`;
      element.dataset.won = String(won);
      element.dataset.rollsPlayed = String(rollsPlayed);
      const paid = payout > 0n ? `paid ${units(payout, bet.token)}` : "no win";
      if (bet.rolls > 1) {
        const unplayed = bet.rolls - rollsPlayed;
        bet.status.textContent = `played ${rollsPlayed} of ${bet.rolls} rolls` + (unplayed ? ` (stopped: ${unplayed} stakes back)` : "") + ` — ${paid}`;
      } else {
        bet.status.textContent = `${outcome(bet, result)} — ${won ? `you won ${units(payout, bet.token)}` : paid}`;
      }
    }
    if (!replayed) {
      ctx.session.recordPayout(bet.token.address, payout);
      ctx.refreshBalances();
    }
    if (kind !== "timeout") showAuditBadge(bet);
  }

  async function showAuditBadge(bet) {
    replace(bet.badge, el("span", { class: "badge checking" }, "checking proof…"));
    for (let attempt = 0; attempt < AUDIT_RETRIES; attempt++) {
      let record = null;
      try {
        record = await api.get(`/audit/bets/${bet.readableId}`);
      } catch (error) {
        if (error.status !== 404 && error.status !== 0) {
          replace(bet.badge, el("span", { class: "badge unknown" }, "audit unavailable"));
          return;
        }
      }
      const verdict = auditVerdict(record);
      if (verdict.verified !== null) {
        const href = `audit.html?bet=${bet.readableId}`;
        replace(bet.badge, verdict.verified
          ? el("a", { class: "badge verified", href, title: "The indexer re-verified the VRF proof and recomputed the payout" }, "✓ proof verified")
          : el("a", { class: "badge mismatch", href, title: verdict.problems.join("; ") }, "✗ audit mismatch"));
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
    }
    replace(bet.badge, el("a", { class: "badge unknown", href: `audit.html?bet=${bet.readableId}` }, "audit pending"));
  }

  function onFeedEvent(event) {
    if (event.contract !== contract) return;
    const a = event.args;
    if (event.name === "BetSettled") {
      settle({ kind: "settled", betId: String(a.betId), word: BigInt(a.word), rollsPlayed: Number(a.rollsPlayed), payout: BigInt(a.payout) });
    } else if (event.name === "BetTimedOut") {
      settle({ kind: "timeout", betId: String(a.betId), payout: BigInt(a.payout) });
    }
  }

  function schedulePoll() {
    pollTimer ??= setTimeout(watchOpenBets, CHAIN_POLL_MS);
  }

  // While bets are open: without the live feed, read results from the chain (never silently
  // lost); past its request's deadline, offer to expire a bet; a bet whose request the
  // coordinator no longer holds (its settlement failed) can be refunded.
  async function watchOpenBets() {
    pollTimer = null;
    const waiting = [...bets.values()].filter((b) => !b.settled);
    if (!waiting.length || !wallet.provider) return;
    const game_ = deployment.contract(contract, wallet.provider);
    try {
      if (feed.state !== "live") await readResultsFromChain(game_, Math.min(...waiting.map((b) => b.block)));
      const coordinator = coordinatorReader(ctx);
      const [head, timeout] = await Promise.all([wallet.provider.getBlock("latest"), timeoutSeconds(ctx)]);
      for (const bet of waiting) {
        if (bet.settled) continue;
        const open = await game_.betOf(bet.betId);
        if (bet.settled || BigInt(open.state) !== PENDING) continue; // resolved: its event is on the way
        if (!open.pending) {
          offer(bet, "refund");
          continue;
        }
        bet.commitment ??= await findCommitment(coordinator, bet.betId, bet.block);
        if (bet.commitment && isExpiredAt(bet.commitment, head, timeout)) offer(bet, "expire", head);
      }
    } catch {
      // the next round retries
    }
    for (const betId of early.keys()) if (!bets.has(betId)) early.delete(betId);
    schedulePoll();
  }

  async function readResultsFromChain(game_, fromBlock) {
    for (const log of await game_.queryFilter("BetSettled", fromBlock)) {
      const a = log.args;
      settle({ kind: "settled", betId: String(a.betId), word: a.word, rollsPlayed: Number(a.rollsPlayed), payout: a.payout });
    }
    for (const log of await game_.queryFilter("BetTimedOut", fromBlock)) {
      settle({ kind: "timeout", betId: String(log.args.betId), payout: log.args.payout });
    }
  }

  function offer(bet, kind, head) {
    if (bet.offered === kind) return;
    bet.offered = kind;
    const most = units(bet.maxPayout, bet.token);
    const action = kind === "expire"
      ? () => sendExpire(ctx, `Expire bet ${bet.readableId}: paid ${most} by the oracle's bond`, bet.commitment)
      : async () => {
          const game_ = deployment.contract(contract, await wallet.signer());
          return txlog.run(`Refund bet ${bet.readableId}`, () => game_.settleTimedOut(bet.betId));
        };
    const button = el("button", {
      type: "button", class: "small",
      onclick: async () => {
        setBusy(button, true);
        try {
          await action();
        } catch (error) {
          ctx.reportError(error, button, bet.token);
          setBusy(button, false);
        }
      },
    }, kind === "expire" ? `Expire and get ${most}` : "Refund my stake");
    bet.element.classList.add("overdue");
    bet.status.textContent = kind === "expire"
      ? `the oracle missed its deadline (${overdueText(bet.commitment, head)}): expire the request and the oracle's bond ` +
        `pays you ${payoutWords}, ${most} (your ${units(bet.stake, bet.token)} stake back and ` +
        `${units(bet.maxPayout - bet.stake, bet.token)} from the bond)`
      : "the result was delivered but could not be settled: take your stake back";
    replace(bet.badge, button);
  }

  // The player's recent bets from the indexer, so results survive a reload; cleared when another
  // account connects.
  let historyOf = null;
  async function loadHistory() {
    if (historyOf !== wallet.account) {
      historyOf = wallet.account;
      bets.clear();
      early.clear();
      replace(list);
    }
    if (!deployment.has(contract) || !wallet.connected) return;
    const page = await api.get("/bets", { player: wallet.account, game, limit: HISTORY });
    for (const row of page?.items ?? []) {
      if (bets.has(row.ref)) continue;
      const token = deployment.token(row.token);
      if (!token) continue;
      track({
        ...fromHistory(row),
        betId: row.ref, readableId: row.readable_id, token, stake: BigInt(row.stake), rolls: Number(row.details.rolls ?? 1),
        maxPayout: BigInt(row.max_payout ?? 0), block: row.placed.block,
      }, { older: true });
      if (row.status === "won" || row.status === "lost") {
        const word = row.details.word === undefined ? undefined : BigInt(row.details.word);
        settle({ kind: "settled", betId: row.ref, word, rollsPlayed: Number(row.details.rollsPlayed ?? 1), payout: BigInt(row.payout ?? 0) }, { replayed: true });
      } else if (row.status === "timed_out") {
        settle({ kind: "timeout", betId: row.ref, payout: BigInt(row.payout ?? 0) }, { replayed: true });
      }
    }
  }

  feed.addEventListener("event", (e) => onFeedEvent(e.detail));
  return { placed, loadHistory };
}
