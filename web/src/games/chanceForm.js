// What every bet form on the chance engine checks before a bet is sent, written once (Dice,
// Wheel, Plinko): what the bankroll's exposure cap and the oracle's free bond can back now, the
// largest stake they allow, the player's balances and limits; each refusal in words, amounts in
// token units. The chain decides anyway; these say why before the player pays for a failed
// transaction.
import { setBusy, showMessage } from "../lib/dom.js";
import { formatAmount } from "../lib/format.js";
import { explainRevert } from "../lib/errors.js";

const NO_LIMIT = (1n << 96n) - 1n;

export const units = (value, token) => `${formatAmount(value, token.decimals, token.decimals)} ${token.symbol}`;

/** What the bankroll's exposure cap and the oracle key's free bond leave for a new bet of `contract` (read fresh). */
export async function readCaps(ctx, contract, token) {
  const provider = ctx.wallet.provider ?? ctx.readProvider;
  const game = ctx.deployment.contract(contract, provider);
  const vault = ctx.deployment.contract("Vault", provider);
  const coordinator = ctx.deployment.contract("RandomnessCoordinator", provider);
  const [room, feeBps, keyHash] = await Promise.all([vault.maxReserve(token.address), vault.protocolFeeBps(), game.keyHash()]);
  const bond = await coordinator.bondOf(keyHash, token.address);
  return { room: BigInt(room), freeBond: BigInt(bond.free), feeBps: BigInt(feeBps) };
}

/**
 * Why the bankroll or the oracle's bond cannot back a bet of `terms` (multiroll.betTerms) at
 * `stake` per roll now, or null. A bet reserves (its maximum payout − its stakes) plus the
 * protocol fee of the bankroll's exposure cap, and its whole maximum payout from the oracle's
 * bond, so a large multi-roll bet can be refused though one roll is not. `advice`: what to change.
 */
export function capRefusal(terms, cap, token, stake, rolls, advice) {
  const reserve = terms.maxPayout - terms.staked + (terms.houseEdge * cap.feeBps) / 10_000n;
  const times = rolls > 1 ? `${rolls} rolls of ${units(stake, token)}` : `a stake of ${units(stake, token)}`;
  if (reserve > cap.room) {
    return { name: "ExposureTooHigh", text: `The bankroll cannot back ${times} now: at best the bet pays ` +
      `${units(terms.maxPayout, token)}, which reserves ${units(reserve, token)} (what it can pay beyond your stakes, ` +
      `with the protocol fee) of the bankroll's exposure cap, and only ${units(cap.room, token)} is left of it. ${advice}` };
  }
  if (terms.maxPayout > cap.freeBond) {
    return { name: "BondTooSmall", text: `The oracle's bond cannot back ${times} now: every bet reserves the most it ` +
      `can pay (${units(terms.maxPayout, token)}) from the bond that pays you if the oracle misses its deadline, and ` +
      `only ${units(cap.freeBond, token)} of it is free. Stake less, play fewer rolls or try again later.` };
  }
  return null;
}

/** The largest stake in [low, high] for which `fits(stake)` holds, fits being monotone (0n: none). */
export function largestStake(low, high, fits) {
  if (!fits(low)) return 0n;
  if (fits(high)) return high;
  while (high - low > 1n) {
    const mid = (low + high) / 2n;
    if (fits(mid)) low = mid;
    else high = mid;
  }
  return low;
}

/** Why the player cannot stake `staked` of `token` from `source` ("vault" | "wallet") now, or null. */
export function fundsAndLimits(ctx, token, staked, rolls, source) {
  const { wallet, deployment } = ctx;
  const words = (name, ...args) => ({ name, text: explainRevert({ name, args }, { token, tokenOf: (a) => deployment.token(a) }) });
  const protection = ctx.protection?.account === wallet.account ? ctx.protection : null;
  const what = rolls > 1 ? "this bet stakes" : "stake";
  const balances = ctx.balances?.get(token.address);
  if (balances && source === "vault" && balances.inVault < staked) {
    return { name: "InsufficientBalance", text: `Your Vault balance is ${units(balances.inVault, token)}, less than the ` +
      `${units(staked, token)} ${what}: deposit more, pay from your wallet, or stake less.` };
  }
  if (balances && source === "wallet" && balances.inWallet < staked) {
    return { name: "InsufficientWalletBalance", text: `Your wallet holds ${units(balances.inWallet, token)}, less than the ` +
      `${units(staked, token)} ${what}: pay from your Vault balance or stake less.` };
  }
  for (const { token: of, kind, window, limit, used } of protection?.limits ?? []) {
    if (of.address !== token.address || limit.current === NO_LIMIT) continue;
    if (used + staked > limit.current) {
      return words(kind === 0 ? "LossLimitExceeded" : "WagerLimitExceeded", wallet.account, token.address, window, limit.current, used + staked);
    }
  }
  return null;
}

/**
 * Wire a bet form: the button is enabled only when `blocker()` ({name, text} | null) finds nothing
 * against the bet, its reason shown in `refusal` next to it; a refusal from the chain stays until
 * the bet is changed (`onChange` runs on every edit). Submitting sends `place()` (errors in
 * words next to the button, amounts in `tokenOf()`'s units). Returns `recheck`, for the page to
 * call once balances and limits are loaded.
 */
export function betForm(ctx, { form, button, refusal, blocker, place, tokenOf, onChange }) {
  function recheck() {
    if (refusal.dataset.kind === "revert" && !refusal.hidden) return;
    const blocked = blocker();
    button.disabled = Boolean(blocked) || button.getAttribute("aria-busy") === "true";
    showMessage(refusal, blocked?.text ?? null, blocked?.name);
    refusal.dataset.kind = "check";
  }
  form.addEventListener("input", () => {
    delete refusal.dataset.kind; // a changed bet clears the chain's last refusal
    onChange();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (blocker()) {
      recheck();
      return;
    }
    setBusy(button, true);
    showMessage(refusal, null);
    delete refusal.dataset.kind;
    let token = null;
    try {
      token = tokenOf();
      await place();
    } catch (error) {
      ctx.reportError(error, button, token);
      refusal.dataset.kind = "revert";
    } finally {
      setBusy(button, false);
      recheck();
    }
  });
  return recheck;
}
