// Vault balances, deposits (ETH, or ERC-20 after an approve) and withdrawals.
import { ZeroAddress } from "ethers";
import { $, el, replace, table, setBusy } from "../lib/dom.js";
import { formatAmount, parseAmount } from "../lib/format.js";
import { fillTokenSelect, selectedToken } from "./tokens.js";

export function vaultPanel(ctx) {
  const { deployment, wallet, txlog } = ctx;
  const balances = $("#vault-balances");
  const form = $("#vault-form");
  const tokenSelect = $("#vault-token");
  const amountInput = $("#vault-amount");
  fillTokenSelect(tokenSelect, deployment.tokens);

  async function readBalances() {
    const vault = deployment.contract("Vault", wallet.provider);
    return Promise.all(deployment.tokens.map(async (token) => {
      const [inVault, inWallet] = await Promise.all([
        vault.balanceOf(wallet.account, token.address),
        token.isNative ? wallet.provider.getBalance(wallet.account) : deployment.erc20(token.address, wallet.provider).balanceOf(wallet.account),
      ]);
      return { token, inVault, inWallet };
    }));
  }

  async function refresh() {
    if (!wallet.connected || !wallet.onExpectedChain) {
      replace(balances, el("p", { class: "hint" }, "Connect your wallet to see your balances."));
      return;
    }
    const rows = await readBalances();
    ctx.balances = new Map(rows.map((r) => [r.token.address, r]));
    replace(balances, table([
      { label: "Token", value: (r) => r.token.symbol },
      { label: "In the Vault", class: "num", value: (r) => el("span", { dataset: { vaultBalance: r.token.symbol } }, formatAmount(r.inVault, r.token.decimals)) },
      { label: "In your wallet", class: "num", value: (r) => formatAmount(r.inWallet, r.token.decimals) },
    ], rows));
  }

  async function deposit(token, amount) {
    const signer = await wallet.signer();
    const vault = deployment.contract("Vault", signer);
    if (token.isNative) {
      await txlog.run(`Deposit ${formatAmount(amount, 18)} ETH`, () => vault.depositFor(wallet.account, ZeroAddress, amount, { value: amount }));
      return;
    }
    await ensureAllowance(ctx, token, amount);
    await txlog.run(`Deposit ${formatAmount(amount, token.decimals)} ${token.symbol}`, () => vault.depositFor(wallet.account, token.address, amount));
  }

  async function withdraw(token, amount) {
    const vault = deployment.contract("Vault", await wallet.signer());
    await txlog.run(`Withdraw ${formatAmount(amount, token.decimals)} ${token.symbol}`, () => vault.withdraw(token.address, amount, wallet.account));
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = event.submitter ?? $("#deposit");
    setBusy(button, true);
    try {
      const token = selectedToken(ctx, tokenSelect);
      const amount = parseAmount(amountInput.value, token.decimals);
      await (button.dataset.action === "withdraw" ? withdraw(token, amount) : deposit(token, amount));
      amountInput.value = "";
      await ctx.refreshAll();
    } catch (error) {
      ctx.reportError(error);
    } finally {
      setBusy(button, false);
    }
  });

  return { refresh };
}

/** Approves the Vault for `amount` of an ERC-20 when the current allowance is lower. */
export async function ensureAllowance(ctx, token, amount) {
  const { deployment, wallet, txlog } = ctx;
  const erc20 = deployment.erc20(token.address, await wallet.signer());
  const vaultAddress = deployment.address("Vault");
  const allowance = await erc20.allowance(wallet.account, vaultAddress);
  if (allowance >= amount) return;
  await txlog.run(`Approve ${formatAmount(amount, token.decimals)} ${token.symbol} to the Vault`, () => erc20.approve(vaultAddress, amount));
}
