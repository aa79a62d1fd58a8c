// Vault balances, deposits (ETH, or ERC-20 after an approve) and withdrawals.
import { ZeroAddress } from "ethers";
import { $, el, replace, table, setBusy, showMessage } from "../lib/dom.js";
import { formatAmount, parseAmount } from "../lib/format.js";
import { fillTokenSelect, selectedToken } from "./tokens.js";

export function vaultPanel(ctx) {
  const { deployment, wallet, txlog } = ctx;
  const balances = $("#vault-balances");
  const form = $("#vault-form");
  const tokenSelect = $("#vault-token");
  const amountInput = $("#vault-amount");
  const message = $("#vault-message");
  fillTokenSelect(tokenSelect, deployment.tokens);
  // Vault balances in full precision (every decimal the token has), so dust can be seen and withdrawn.
  const exact = (value, token) => formatAmount(value, token.decimals, token.decimals);

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
      { label: "In the Vault", class: "num", value: (r) => el("span", { dataset: { vaultBalance: r.token.symbol } }, exact(r.inVault, r.token)) },
      { label: "In your wallet", class: "num", value: (r) => el("span", { title: exact(r.inWallet, r.token) }, formatAmount(r.inWallet, r.token.decimals)) },
    ], rows, { stackOnPhone: false })); // three short columns fit a phone
  }

  async function deposit(token, amount) {
    const signer = await wallet.signer();
    const vault = deployment.contract("Vault", signer);
    if (token.isNative) {
      await txlog.run(`Deposit ${exact(amount, token)} ETH`, () => vault.depositFor(wallet.account, ZeroAddress, amount, { value: amount }), { token });
      return;
    }
    await ensureAllowance(ctx, token, amount);
    await txlog.run(`Deposit ${exact(amount, token)} ${token.symbol}`, () => vault.depositFor(wallet.account, token.address, amount), { token });
  }

  async function withdraw(token, amount) {
    const vault = deployment.contract("Vault", await wallet.signer());
    // "Max": the whole balance as it is now (a bet may have settled since it was filled in).
    if (amountInput.dataset.max === token.address) amount = await vault.balanceOf(wallet.account, token.address);
    if (amount === 0n) throw new Error(`you have no ${token.symbol} in the Vault to withdraw`);
    await txlog.run(`Withdraw ${exact(amount, token)} ${token.symbol}`, () => vault.withdraw(token.address, amount, wallet.account), { token });
  }

  // Max fills in the whole Vault balance of the chosen token, to the last base unit.
  $("#vault-max").addEventListener("click", async () => {
    showMessage(message, null);
    try {
      if (!wallet.connected) throw new Error("connect your wallet first: your balance is read from it");
      const token = selectedToken(ctx, tokenSelect);
      const balance = await deployment.contract("Vault", wallet.provider).balanceOf(wallet.account, token.address);
      if (balance === 0n) throw new Error(`you have no ${token.symbol} in the Vault`);
      amountInput.value = exact(balance, token);
      amountInput.dataset.max = token.address;
    } catch (error) {
      ctx.reportError(error, $("#vault-max"));
    }
  });
  amountInput.addEventListener("input", () => delete amountInput.dataset.max);
  tokenSelect.addEventListener("change", () => {
    if (amountInput.dataset.max) amountInput.value = "";
    delete amountInput.dataset.max;
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = event.submitter ?? $("#deposit");
    setBusy(button, true);
    showMessage(message, null);
    let token = null;
    try {
      token = selectedToken(ctx, tokenSelect);
      if (!wallet.connected) throw new Error("connect your wallet first (at the top of the page)");
      const amount = amountInput.dataset.max === token.address && button.dataset.action === "withdraw"
        ? 0n : parseAmount(amountInput.value, token.decimals);
      await (button.dataset.action === "withdraw" ? withdraw(token, amount) : deposit(token, amount));
      amountInput.value = "";
      delete amountInput.dataset.max;
      await ctx.refreshAll();
    } catch (error) {
      ctx.reportError(error, button, token);
    } finally {
      setBusy(button, false);
    }
  });

  setupFaucet(ctx);
  return { refresh };
}

// Development chains (anvil, hardhat; ganache): only there is the test stablecoin worth nothing.
export const LOCAL_CHAIN_IDS = [31337n, 1337n];
const FAUCET_UNITS = 1_000n;

/**
 * The test stablecoin's faucet, on local chains only: MockStablecoin lets anyone mint, so the
 * button mints 1,000 to the player's wallet (from where they deposit as with any token).
 */
function setupFaucet(ctx) {
  const { deployment, wallet, txlog } = ctx;
  const box = $("#faucet");
  const local = LOCAL_CHAIN_IDS.includes(deployment.chainId) && deployment.has("MockStablecoin");
  box.hidden = !local;
  if (!local) return;
  const address = deployment.address("MockStablecoin");
  const token = deployment.token(address);
  const button = $("#faucet-mint");
  const amount = FAUCET_UNITS * 10n ** BigInt(token.decimals);
  button.textContent = `Get ${formatAmount(amount, token.decimals)} test ${token.symbol}`;
  button.addEventListener("click", async () => {
    setBusy(button, true);
    try {
      if (!wallet.connected) throw new Error(`connect your wallet first: the ${token.symbol} go to it`);
      const coin = deployment.contract("MockStablecoin", await wallet.signer());
      await txlog.run(`Faucet: ${formatAmount(amount, token.decimals)} ${token.symbol} to your wallet`, () => coin.mint(wallet.account, amount), { token });
      showMessage($("#faucet-message"), null);
      await ctx.refreshAll();
    } catch (error) {
      ctx.reportError(error, button, token);
    } finally {
      setBusy(button, false);
    }
  });
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
