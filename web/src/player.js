// The player page: wires the wallet, the API, the live feed and every panel together.
import { JsonRpcProvider } from "ethers";
import { $, messageBeside, showMessage } from "./lib/dom.js";
import { connectPlatform, notify, start } from "./lib/page.js";
import { WalletConnection } from "./lib/wallet.js";
import { TxLog, describeError, explainError } from "./lib/tx.js";
import { sameAddress } from "./lib/format.js";
import { setupWalletUi } from "./player/walletUi.js";
import { vaultPanel } from "./player/vault.js";
import { GAMES } from "./games/index.js";
import { protectionPanel } from "./player/protection.js";
import { realityCheck } from "./player/reality.js";
import { ACTIVITY_EVENTS, activityPanel } from "./player/activity.js";

// Events that change what a panel shows; anything else on the feed is ignored here.
const REFRESH_ON = {
  vault: ["Deposited", "Withdrawn", "Settled", "Refunded", "PoolPaid", "ClosedPoolRefunded", "PaidIn"],
  ...Object.fromEntries(Object.values(GAMES).filter((game) => game.refreshOn.length).map((game) => [game.key, game.refreshOn])),
  activity: ACTIVITY_EVENTS,
};

async function main() {
  const platform = await connectPlatform(["BetPlaced", "BetSettled", "BetTimedOut", ...new Set(Object.values(REFRESH_ON).flat())]);
  if (!platform) return;
  const { api, deployment, interfaces, feed } = platform;
  const wallet = new WalletConnection(deployment.chainId);
  const ctx = {
    api,
    deployment,
    wallet,
    feed,
    interfaces,
    txlog: new TxLog($("#tx-log"), interfaces, { tokenOf: (address) => deployment.token(address) }),
    notify,
    /**
     * An error next to the control that caused it (a button or form; `token`: the token the
     * action was about, for amounts in its units), else in the top banner.
     */
    reportError: (error, control = null, token = null) => {
      const hints = { token, tokenOf: (address) => deployment.token(address) };
      if (!control) {
        notify(describeError(error, interfaces, hints));
        return;
      }
      const { text, name } = explainError(error, interfaces, hints);
      showMessage(messageBeside(control), text, name);
    },
    // Reads before a wallet is connected (odds, settings) go to the platform's node directly.
    readProvider: deployment.rpcUrl
      ? new JsonRpcProvider(deployment.rpcUrl, Number(deployment.chainId), { staticNetwork: true })
      : null,
  };
  // A confirmed transaction: an earlier error in the top banner is no longer news.
  ctx.txlog.onConfirmed = () => notify(null);
  setupWalletUi(ctx);
  // Deadlines are the chain's: compare them with the latest block's time, not the wall clock
  // (they differ on development chains that travel in time, and by a few seconds anywhere).
  ctx.chainNow = async () => {
    const block = await (wallet.provider ?? ctx.readProvider)?.getBlock("latest");
    return block ? Number(block.timestamp) : Math.floor(Date.now() / 1000);
  };
  ctx.session = realityCheck(ctx);
  const panels = {
    vault: vaultPanel(ctx),
    ...Object.fromEntries(Object.values(GAMES).map((game) => [game.key, game.panel(ctx)])),
    protection: protectionPanel(ctx),
    reality: ctx.session,
    activity: activityPanel(ctx),
  };

  const refresh = async (names) => {
    await Promise.all(names.map(async (name) => {
      try {
        await panels[name].refresh();
      } catch (error) {
        console.warn(`refreshing ${name} failed`, error);
      }
    }));
    // A game's checks (Dice: stake against balance, exposure, limits) read what the other panels just loaded.
    for (const panel of Object.values(panels)) panel.recheck?.();
  };
  ctx.refreshAll = () => refresh(Object.keys(panels));
  ctx.refreshBalances = () => refresh(["vault", "reality"]);

  // body[data-shown-account]: the account every panel has finished loading for.
  wallet.addEventListener("change", async () => {
    notify(null);
    delete document.body.dataset.shownAccount;
    const account = wallet.account;
    await ctx.refreshAll();
    if (account && account === wallet.account) document.body.dataset.shownAccount = account;
  });
  feed.addEventListener("status", (e) => {
    const status = $("#feed-status");
    status.className = `feed ${e.detail}`;
    status.textContent = e.detail === "live" ? "live feed: connected" : "live feed: reconnecting…";
  });
  feed.addEventListener("event", (e) => {
    const event = e.detail;
    const mine = Object.values(event.args ?? {}).some((v) => typeof v === "string" && sameAddress(v, wallet.account));
    const due = Object.entries(REFRESH_ON)
      .filter(([name, events]) => events.includes(event.name) && (name !== "vault" || mine))
      .map(([name]) => name);
    if (due.length) refresh(due);
  });
  await ctx.refreshAll();
}

start(main);
