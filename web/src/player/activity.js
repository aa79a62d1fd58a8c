// Everyone's bets live, the leaderboard and the player's full history across every game, all
// from the API (the indexer): /bets, /leaderboard and /bets?player=, refreshed when the live
// feed (/ws/events) reports a bet placed or resolved. Bets are named by their readable id.
import { $, el, replace, setBusy } from "../lib/dom.js";
import { formatAmount, formatTime, sameAddress, shortAddress } from "../lib/format.js";
import { fillTokenSelect } from "./tokens.js";
import { GAMES } from "../games/index.js";

const LIVE = 12;
const LEADERS = 10;
const HISTORY_PAGE = 20;
const STATUS_WORDS = {
  pending: "in play", won: "won", lost: "lost", refundable: "refundable", refunded: "refunded", timed_out: "oracle missed: paid by its bond",
};

// Events after which a bet list may have changed: a bet placed, or one resolved.
export const ACTIVITY_EVENTS = [
  "BetPlaced", "BetSettled", "BetTimedOut", "TicketsBought", "RoundDrawn", "RoundRefundable", "TicketsRefunded", "PrizeClaimed",
  "PlayerJoined", "MatchSettled", "MatchVoided", "MatchCancelled", "MatchExpired", "Entered", "TournamentSettled",
  "TournamentVoided", "TournamentCancelled", "TournamentExpired",
];

export function activityPanel(ctx) {
  const { api, deployment, wallet } = ctx;
  const live = $("#live-bets");
  const leaders = $("#leaderboard");
  const leaderToken = $("#leaderboard-token");
  const leaderBy = $("#leaderboard-by");
  const history = $("#history");
  const older = $("#history-older");
  let nextCursor = null;
  fillTokenSelect(leaderToken, deployment.tokens);

  const amount = (value, address) => {
    const token = deployment.token(address);
    return `${formatAmount(value ?? 0n, token?.decimals ?? 18)} ${token?.symbol ?? "?"}`;
  };
  const who = (address) => el("code", { title: address, class: "who" }, sameAddress(address, wallet.account) ? "you" : shortAddress(address));

  function outcome(bet) {
    const words = STATUS_WORDS[bet.status] ?? bet.status;
    if (bet.status === "won" || bet.status === "timed_out") return `${words} ${amount(bet.payout, bet.token)}`;
    if (bet.status === "refunded") return `${words} ${amount(bet.payout ?? bet.stake, bet.token)}`;
    return words;
  }

  /** One bet as a line that wraps on a phone instead of a table row that scrolls sideways. */
  function betItem(bet, { showPlayer }) {
    return el("li", { class: `activity-bet ${bet.status}`, dataset: { readableId: bet.readable_id, status: bet.status } },
      el("a", { class: "readable-id", href: `audit.html?bet=${bet.readable_id}`, title: `audit bet ${bet.readable_id}` }, bet.readable_id),
      el("span", { class: "game" }, GAMES[bet.game]?.title ?? bet.game),
      showPlayer ? who(bet.player) : null,
      el("span", { class: "stake" }, amount(bet.stake, bet.token)),
      el("span", { class: "outcome" }, outcome(bet)),
      el("time", { class: "when" }, formatTime(bet.placed?.time)));
  }

  async function refreshLive() {
    const page = await api.get("/bets", { limit: LIVE });
    const items = page?.items ?? [];
    replace(live, items.length ? items.map((b) => betItem(b, { showPlayer: true })) : el("li", { class: "empty" }, "No bets yet: be the first."));
  }

  async function refreshLeaders() {
    const board = await api.get("/leaderboard", { token: leaderToken.value, by: leaderBy.value, limit: LEADERS });
    const entries = board?.entries ?? [];
    replace(leaders, entries.length
      ? entries.map((e) => el("li", { class: sameAddress(e.player, wallet.account) ? "me" : "", dataset: { player: e.player } },
          el("span", { class: "rank" }, `${e.rank}.`), who(e.player),
          el("span", { class: "net" }, `net ${BigInt(e.net) >= 0n ? "+" : "−"}${amount(BigInt(e.net) < 0n ? -BigInt(e.net) : BigInt(e.net), board.token)}`),
          el("span", { class: "wagered" }, `wagered ${amount(e.wagered, board.token)}`),
          el("span", { class: "bets" }, `${e.bets} bet${e.bets === 1 ? "" : "s"}, ${e.wins} won`)))
      : el("li", { class: "empty" }, "Nobody has played with this token yet."));
  }

  async function loadHistory(reset) {
    if (!wallet.connected) {
      replace(history, el("li", { class: "empty" }, "Connect a wallet to see every bet you placed, in every game."));
      older.hidden = true;
      return;
    }
    const account = wallet.account;
    const page = await api.get("/bets", { player: account, limit: HISTORY_PAGE, cursor: reset ? null : nextCursor });
    if (account !== wallet.account) return;
    const items = (page?.items ?? []).map((b) => betItem(b, { showPlayer: false }));
    if (reset) {
      replace(history, items.length ? items : el("li", { class: "empty" }, "You have not placed a bet yet. Your Dice bets, Jackpot tickets, matches and tournaments will all be listed here."));
    } else {
      history.append(...items);
    }
    nextCursor = page?.next_cursor ?? null;
    older.hidden = !nextCursor;
  }

  leaderToken.addEventListener("change", () => refreshLeaders().catch(ctx.reportError));
  leaderBy.addEventListener("change", () => refreshLeaders().catch(ctx.reportError));
  older.addEventListener("click", async () => {
    setBusy(older, true);
    try {
      await loadHistory(false);
    } catch (error) {
      ctx.reportError(error, older);
    } finally {
      setBusy(older, false);
    }
  });

  // A busy feed reports many events a second: at most one refresh runs, and one more follows
  // it when events arrived meanwhile.
  let running = null;
  let again = false;
  async function refresh() {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await Promise.all([refreshLive(), refreshLeaders(), loadHistory(true)]);
      } while (again);
    })();
    try {
      await running;
    } finally {
      running = null;
    }
  }

  return { refresh };
}
