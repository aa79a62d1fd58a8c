// The wallet corner of the header: discovered wallets as buttons, account, chain switch.
import { $, el, replace } from "../lib/dom.js";
import { WalletDiscovery } from "../lib/wallet.js";
import { shortAddress } from "../lib/format.js";
import { describeError } from "../lib/tx.js";

export function setupWalletUi(ctx) {
  const { wallet, deployment } = ctx;
  const discovery = new WalletDiscovery();
  const status = $("#wallet-status");
  const choices = $("#wallet-choices");
  const switchButton = $("#wallet-switch");
  const disconnectButton = $("#wallet-disconnect");

  const connect = async (choice) => {
    try {
      await wallet.connect(choice);
    } catch (error) {
      ctx.notify(`Could not connect ${choice.info.name}: ${describeError(error)}`);
    }
  };

  const render = () => {
    if (wallet.connected) {
      replace(status, "Connected ", el("code", { title: wallet.account, id: "wallet-account" }, shortAddress(wallet.account)),
        " via ", wallet.wallet.info.name);
      replace(choices);
      switchButton.hidden = wallet.onExpectedChain;
      if (!wallet.onExpectedChain) status.append(el("strong", { class: "warn" }, ` — wrong network (chain ${wallet.chainId})`));
      disconnectButton.hidden = false;
      return;
    }
    switchButton.hidden = disconnectButton.hidden = true;
    const found = discovery.wallets;
    replace(status, found.length ? "Connect a wallet:" : "No wallet found. Install an Ethereum wallet to play.");
    replace(choices, found.map((choice) =>
      el("button", { type: "button", class: "wallet-choice", dataset: { rdns: choice.info.rdns ?? "" }, onclick: () => connect(choice) },
        choice.info.icon ? el("img", { src: choice.info.icon, alt: "", width: 20, height: 20 }) : null,
        choice.info.name)));
  };

  switchButton.addEventListener("click", async () => {
    try {
      await wallet.switchChain(`Fairstake ${deployment.chainId}`, deployment.rpcUrl);
      ctx.notify(null);
    } catch (error) {
      ctx.notify(`Could not switch network: ${describeError(error)}`);
    }
  });
  disconnectButton.addEventListener("click", () => wallet.disconnect());
  discovery.addEventListener("change", render);
  wallet.addEventListener("change", render);
  discovery.request();
  render();
}
