// Responsible gaming: limits (PlayerRegistry.setLimit), time-outs, self-exclusion, and their status,
// read from the chain so what the player sees is what every game enforces.
import { $, el, replace, table, setBusy, showMessage } from "../lib/dom.js";
import { formatAmount, formatTime, parseAmount } from "../lib/format.js";
import { fillTokenSelect, selectedToken } from "./tokens.js";

const KINDS = ["Loss", "Wager", "Deposit"];
const WINDOWS = ["24 hours", "7 days", "30 days"];
const NO_LIMIT = (1n << 96n) - 1n;
const PERMANENT = (1n << 40n) - 1n;
const ZERO = "0x0000000000000000000000000000000000000000";
const TIME_OUTS = ["24 hours", "1 week", "1 month (30 days)", "6 weeks"];

export function protectionPanel(ctx) {
  const { deployment, wallet, txlog } = ctx;
  const status = $("#protection-status");
  const limitForm = $("#limit-form");
  const excludeForm = $("#exclude-form");
  const timeoutForm = $("#timeout-form");
  const available = deployment.has("PlayerRegistry");
  fillTokenSelect($("#limit-token"), deployment.tokens);
  for (const form of [limitForm, timeoutForm, excludeForm]) {
    for (const control of form.elements) control.disabled = !available;
  }

  async function readStatus() {
    const registry = deployment.contract("PlayerRegistry", wallet.provider);
    const [exclusionEnd, timeOutEnd, kyc] = await Promise.all([
      registry.exclusionEnd(wallet.account), registry.timeOutEnd(wallet.account), registry.kycLevel(wallet.account),
    ]);
    // Once the wallet is attested, its person's limits (over all their wallets) apply as well.
    const person = deployment.hasFunction("PlayerRegistry", "personOf") ? await registry.personOf(wallet.account) : ZERO;
    const accounts = person === ZERO ? [[wallet.account, "this wallet"]] : [[wallet.account, "this wallet"], [person, "all your wallets"]];
    const limits = [];
    for (const [account, scope] of accounts) {
      for (const token of deployment.tokens) {
        for (let w = 0; w < WINDOWS.length; w++) {
          const [loss, wager, deposit, usage, deposited] = await Promise.all([
            registry.limitOf(account, token.address, 0, w),
            registry.limitOf(account, token.address, 1, w),
            registry.limitOf(account, token.address, 2, w),
            registry.usageOf(account, token.address, w),
            registry.depositedOf(account, token.address, w),
          ]);
          const used = [usage.netLoss, usage.wagered, deposited.deposited];
          for (const [kind, limit] of [[0, loss], [1, wager], [2, deposit]]) {
            if (limit.current !== NO_LIMIT || limit.pendingAt !== 0n) {
              limits.push({ token, window: w, kind, limit, used: used[kind], scope, own: account === wallet.account });
            }
          }
        }
      }
    }
    return { exclusionEnd, timeOutEnd, kyc, limits, bound: person !== ZERO };
  }

  const limitText = (value, token) => (value === NO_LIMIT ? "none" : `${formatAmount(value, token.decimals)} ${token.symbol}`);

  async function refresh() {
    if (!available) {
      replace(status, el("p", { class: "hint" }, "The player registry is not deployed on this platform."));
      return;
    }
    if (!wallet.connected || !wallet.onExpectedChain) {
      ctx.protection = null;
      replace(status, el("p", { class: "hint" }, "Connect your wallet to see and set your limits."));
      return;
    }
    const account = wallet.account;
    const [{ exclusionEnd, timeOutEnd, kyc, limits, bound }, now] = await Promise.all([readStatus(), ctx.chainNow().then(BigInt)]);
    const excluded = exclusionEnd > now;
    const timedOut = timeOutEnd > now;
    // What the games check before a stake, for the Place-bet checks (games/dice/panel.js).
    if (account === wallet.account) {
      ctx.protection = { account, excluded, exclusionEnd, permanent: exclusionEnd === PERMANENT, timedOut, timeOutEnd, limits };
    }
    replace(status,
      el("p", { id: "exclusion-status", class: excluded ? "warn" : "" },
        excluded
          ? exclusionEnd === PERMANENT ? "You are permanently self-excluded." : `You are self-excluded until ${formatTime(exclusionEnd)}.`
          : "You are not self-excluded."),
      el("p", { id: "timeout-status", class: timedOut ? "warn" : "" },
        timedOut ? `You are on a time-out until ${formatTime(timeOutEnd)}.` : "You are not on a time-out."),
      el("p", {}, `KYC level: ${kyc}`),
      bound ? el("p", { id: "person-status", class: "hint" }, "This wallet is bound to your verified identity for good: a self-exclusion, a time-out or a person-wide limit set from any of your wallets applies to all of them.") : null,
      table([
        { label: "Limit", value: (r) => `${KINDS[r.kind]} per ${WINDOWS[r.window]}${bound ? ` (${r.scope})` : ""}` },
        { label: "Now", class: "num", value: (r) => limitText(r.limit.current, r.token) },
        { label: "Used", class: "num", value: (r) => `${formatAmount(r.used < 0n ? 0n : r.used, r.token.decimals)} ${r.token.symbol}` },
        { label: "Pending", value: (r) => (r.limit.pendingAt ? `${limitText(r.limit.pendingValue, r.token)} from ${formatTime(r.limit.pendingAt)}` : "—") },
        { label: "", value: (r) => r.limit.current === NO_LIMIT || !r.own ? "" : el("button", {
            type: "button", class: "secondary small",
            onclick: (e) => setLimit(r.token, r.kind, r.window, NO_LIMIT, e.currentTarget),
          }, "Remove") },
      ], limits, { caption: "Your limits", empty: "No limits set." }),
    );
  }

  async function setLimit(token, kind, window, value, control = $("#limit-set")) {
    const registry = deployment.contract("PlayerRegistry", await wallet.signer());
    const label = value === NO_LIMIT ? `Remove ${KINDS[kind].toLowerCase()} limit per ${WINDOWS[window]}`
      : `Set ${KINDS[kind].toLowerCase()} limit ${formatAmount(value, token.decimals)} ${token.symbol} per ${WINDOWS[window]}`;
    try {
      await txlog.run(label, () => registry.setLimit(token.address, kind, window, value), { token });
      await ctx.refreshAll();
    } catch (error) {
      ctx.reportError(error, control, token);
    }
  }

  limitForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = $("#limit-set");
    setBusy(button, true);
    showMessage($("#limit-message"), null);
    try {
      const token = selectedToken(ctx, $("#limit-token"));
      const value = parseAmount($("#limit-amount").value, token.decimals);
      await setLimit(token, Number($("#limit-kind").value), Number($("#limit-window").value), value);
    } catch (error) {
      ctx.reportError(error, button);
    } finally {
      setBusy(button, false);
    }
  });

  timeoutForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const period = Number($("#timeout-period").value);
    const question = `Take a time-out from every Fairstake game for ${TIME_OUTS[period]}? It starts now and nobody can shorten it.`;
    if (!window.confirm(question)) return;
    const button = $("#timeout");
    setBusy(button, true);
    try {
      const registry = deployment.contract("PlayerRegistry", await wallet.signer());
      await txlog.run(`Time-out (${TIME_OUTS[period]})`, () => registry.takeTimeOut(period));
      await refresh();
    } catch (error) {
      ctx.reportError(error);
    } finally {
      setBusy(button, false);
    }
  });

  excludeForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const choice = $("#exclude-duration");
    const label = choice.selectedOptions[0].textContent.trim();
    const permanent = choice.value === "permanent";
    const question = permanent
      ? "Exclude yourself permanently from every Fairstake game? This can never be undone."
      : `Exclude yourself from every Fairstake game for ${label.toLowerCase()}? Nobody can shorten it.`;
    if (!window.confirm(question)) return;
    const button = $("#exclude");
    setBusy(button, true);
    showMessage($("#exclude-message"), null);
    try {
      const registry = deployment.contract("PlayerRegistry", await wallet.signer());
      await txlog.run(`Self-exclude (${label.toLowerCase()})`, () =>
        permanent ? registry.selfExcludePermanently() : registry.selfExclude(BigInt(choice.value)));
      await ctx.refreshAll();
    } catch (error) {
      ctx.reportError(error, button);
    } finally {
      setBusy(button, false);
    }
  });

  return { refresh };
}
