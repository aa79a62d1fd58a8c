// Reality check: how long and how much the player has played this session, always visible,
// with a reminder dialog at a fixed interval. The API defines the session (activity with gaps
// under 30 min, from indexed bets); stakes placed from this page count at once.
import { $, el, replace } from "../lib/dom.js";
import { formatAmount, formatDuration } from "../lib/format.js";

const DEFAULT_REMINDER_SECONDS = 30 * 60;

export function realityCheck(ctx) {
  const { api, deployment, wallet } = ctx;
  const banner = $("#reality-check");
  const dialog = $("#reality-dialog");
  const reminderSeconds = Number(new URLSearchParams(window.location.search).get("reality")) || DEFAULT_REMINDER_SECONDS;
  const local = { startedAt: null, staked: new Map(), paid: new Map() };
  let remote = null;
  let lastReminder = Date.now();

  const add = (map, token, amount) => {
    const key = token.toLowerCase();
    map.set(key, (map.get(key) ?? 0n) + BigInt(amount));
  };

  // The API dates the session by its bets' block times (the chain's clock); elapsed time is the
  // player's, by the browser's clock. On a development chain that travelled in time the two differ
  // by days (and by seconds anywhere), so the session's start is moved onto the browser's clock
  // with the offset measured at the last refresh; the page's own start bounds it.
  let chainOffset = 0; // chain time − browser time, in seconds

  function startedAt() {
    const fromApi = remote?.startedAt ? remote.startedAt - chainOffset : null;
    if (fromApi === null) return local.startedAt;
    return local.startedAt === null ? fromApi : Math.min(fromApi, local.startedAt);
  }

  function figures() {
    const started = startedAt();
    const seconds = started ? Date.now() / 1000 - started : 0;
    const staked = new Map(local.staked);
    const paid = new Map(local.paid);
    if (remote) {
      for (const [token, amount] of remote.staked) staked.set(token, amount > (staked.get(token) ?? 0n) ? amount : staked.get(token));
      for (const [token, amount] of remote.paid) paid.set(token, amount > (paid.get(token) ?? 0n) ? amount : paid.get(token));
    }
    const parts = [...staked].filter(([, v]) => v > 0n).map(([address, amount]) => {
      const token = deployment.token(address);
      const net = (paid.get(address) ?? 0n) - amount;
      const sign = net < 0n ? "−" : "+";
      return `${formatAmount(amount, token?.decimals ?? 18)} ${token?.symbol ?? address} staked (net ${sign}${formatAmount(net < 0n ? -net : net, token?.decimals ?? 18)} ${token?.symbol ?? ""})`;
    });
    return { seconds, text: `${formatDuration(seconds)} playing · ${parts.length ? parts.join(" · ") : "nothing staked yet"}` };
  }

  function render() {
    if (!wallet.connected) {
      banner.hidden = true;
      return;
    }
    banner.hidden = false;
    const { text } = figures();
    replace(banner, el("strong", {}, "Reality check: "), el("span", { id: "reality-figures" }, text), " ",
      el("a", { href: "#protection" }, "limits & breaks"));
    if (Date.now() - lastReminder >= reminderSeconds * 1000 && !dialog.open) {
      lastReminder = Date.now();
      replace($("#reality-dialog-text"), `This session: ${text}.`);
      dialog.showModal?.();
    }
  }

  async function refresh() {
    if (!wallet.connected) {
      local.startedAt = null;
      render();
      return;
    }
    local.startedAt ??= Date.now() / 1000;
    try {
      const [player, chainNow] = await Promise.all([api.get(`/players/${wallet.account}`), ctx.chainNow()]);
      remote = parseSession(player);
      chainOffset = chainNow - Date.now() / 1000;
    } catch {
      remote = null;
    }
    render();
  }

  setInterval(render, 1000);
  return {
    refresh,
    recordStake: (token, amount) => { add(local.staked, token, amount); render(); },
    recordPayout: (token, amount) => { add(local.paid, token, amount); render(); },
  };
}

/** The current session of a /players/{address} response (RealityCheck); null when none is active. */
export function parseSession(player) {
  const session = player?.reality_check;
  if (!session?.active) return null;
  const perToken = (amounts) => new Map(Object.entries(amounts ?? {}).map(([token, amount]) => [token.toLowerCase(), BigInt(amount)]));
  return { startedAt: Number(session.started_at) || null, staked: perToken(session.staked), paid: perToken(session.paid_out) };
}
