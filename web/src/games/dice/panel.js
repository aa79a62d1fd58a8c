// Dice: odds and payout before the bet (the rules module's formula), the bet as one signed
// transaction, the result live from the API's event feed, and the audit badge. A bet whose
// random number the oracle did not deliver by its deadline is expired at the coordinator from
// here: the oracle's bond then pays the player the win payout.
// Roll-under only: the contract wins a bet iff roll < target. "Roll over N" (roll > N) has the
// same chance as "roll under 99 - N" but wins on other rolls, so it is not offered as a disguised
// roll-under bet: its result would not be the roll the player chose.
import { ZeroAddress } from "ethers";
import { $, el, replace, setBusy, showMessage } from "../../lib/dom.js";
import { formatAmount, parseAmount } from "../../lib/format.js";
import { payoutIfWin, multiplier, winChancePercent, isValidTarget } from "./rules.js";
import { explainRevert } from "../../lib/errors.js";
import { auditVerdict } from "../../lib/audit.js";
import { readableBetId } from "../../lib/betIds.js";
import { fillTokenSelect, selectedToken } from "../../player/tokens.js";
import { ensureAllowance } from "../../player/vault.js";
import { commitmentInReceipt, coordinatorReader, findCommitment, isExpiredAt, overdueText, sendExpire, timeoutSeconds } from "../../player/randomness.js";

const CHAIN_POLL_MS = 2000;
const AUDIT_RETRIES = 10;
const HISTORY = 10;
const NO_LIMIT = (1n << 96n) - 1n;

export function dicePanel(ctx) {
  const { deployment, wallet, txlog, feed, api } = ctx;
  const available = deployment.has("Dice");
  const form = $("#dice-form");
  const tokenSelect = $("#dice-token");
  const stakeInput = $("#dice-stake");
  const targetInput = $("#dice-target");
  const targetNumber = $("#dice-target-number");
  const betButton = $("#dice-bet");
  const sourceSelect = $("#dice-source");
  const list = $("#dice-bets");
  const refusal = $("#dice-refusal");
  const configs = new Map(); // token address → {edgeBps, minStake, maxStake}
  const bets = new Map(); // betId (string) → tracked bet
  const early = new Map(); // betId → settlement that arrived before the bet was tracked
  let pollTimer = null;

  fillTokenSelect(tokenSelect, deployment.tokens);
  if (!available) {
    for (const control of form.elements) control.disabled = true;
    $("#dice-limits").textContent = "Dice is not deployed on this platform.";
  }

  async function readConfig(token) {
    if (configs.has(token.address)) return configs.get(token.address);
    const dice = deployment.contract("Dice", wallet.provider ?? ctx.readProvider);
    const config = await readDiceConfig(dice, token.address);
    configs.set(token.address, config);
    return config;
  }

  async function updateOdds() {
    const target = Number(targetInput.value);
    $("#dice-chance").textContent = `${winChancePercent(target)} %`;
    recheck();
    if (!available || !(wallet.provider ?? ctx.readProvider)) return;
    const token = selectedToken(ctx, tokenSelect);
    let config;
    try {
      config = await readConfig(token);
    } catch (error) {
      $("#dice-limits").textContent = `Could not read the Dice settings: ${error.message}`;
      return;
    }
    $("#dice-edge").textContent = `${(Number(config.edgeBps) / 100).toFixed(2)} %`;
    $("#dice-multiplier").textContent = `${multiplier(target, config.edgeBps).toFixed(4)}×`;
    const range = `Stake ${formatAmount(config.minStake, token.decimals)} to ${formatAmount(config.maxStake, token.decimals)} ${token.symbol}.`;
    $("#dice-limits").textContent = config.enabled ? range : `Dice is closed for ${token.symbol}.`;
    let stake;
    try {
      stake = parseAmount(stakeInput.value, token.decimals);
    } catch {
      $("#dice-payout").textContent = "—";
      return;
    }
    const payout = payoutIfWin(stake, target, config.edgeBps);
    $("#dice-payout").textContent = `${formatAmount(payout, token.decimals)} ${token.symbol}`;
    recheck();
  }

  /**
   * What stops this bet before it is sent, as {name, text} (name: the contract error the chain
   * would answer with, or the page's own), or null when the page knows of nothing. Reads what
   * the page has loaded: the Dice settings, the balances (player/vault.js) and the limits and
   * self-exclusion (player/protection.js); the chain decides anyway, and a refusal it sends back
   * is put in words below.
   */
  function blocker() {
    if (!available) return { name: "NotDeployed", text: "Dice is not deployed on this platform." };
    if (!wallet.connected) return { name: "NoWallet", text: "Connect a wallet (at the top of the page) to place a bet." };
    if (!wallet.onExpectedChain) return { name: "WrongNetwork", text: "Switch your wallet to this platform's network to place a bet." };
    const token = ctx.deployment.token(tokenSelect.value);
    if (!token) return { name: "NoToken", text: "Choose a token." };
    const target = Number(targetNumber.value);
    if (!isValidTarget(target)) return { name: "BadTarget", text: "Choose a whole number from 1 to 99 to roll under." };
    let stake;
    try {
      stake = parseAmount(stakeInput.value, token.decimals);
    } catch (error) {
      return { name: "BadAmount", text: `Stake: ${error.message}.` };
    }
    const words = (name, ...args) => ({ name, text: explainRevert({ name, args }, { token, tokenOf: (a) => deployment.token(a) }) });
    const protection = ctx.protection?.account === wallet.account ? ctx.protection : null;
    if (protection?.excluded) return words("SelfExcluded", wallet.account, protection.exclusionEnd);
    if (protection?.timedOut) return words("TimedOut", wallet.account, protection.timeOutEnd);
    const config = configs.get(token.address);
    if (config) {
      if (!config.enabled) return words("TokenNotEnabled", token.address);
      if (stake < config.minStake || stake > config.maxStake) return words("StakeOutOfRange", stake, config.minStake, config.maxStake);
      const payout = payoutIfWin(stake, target, config.edgeBps);
      if (payout <= stake) {
        return { name: "PayoutNotAboveStake", text: `At roll under ${target} (${multiplier(target, config.edgeBps).toFixed(4)}×) a win would pay ` +
          `${units(payout, token)}, no more than your stake of ${units(stake, token)}: choose a lower target.` };
      }
    }
    const balances = ctx.balances?.get(token.address);
    if (balances && sourceSelect.value === "vault" && balances.inVault < stake) {
      return { name: "InsufficientBalance", text: `Your Vault balance is ${units(balances.inVault, token)}, less than the ` +
        `${units(stake, token)} stake: deposit more, pay from your wallet, or stake less.` };
    }
    if (balances && sourceSelect.value === "wallet" && balances.inWallet < stake) {
      return { name: "InsufficientWalletBalance", text: `Your wallet holds ${units(balances.inWallet, token)}, less than the ` +
        `${units(stake, token)} stake: pay from your Vault balance or stake less.` };
    }
    for (const { token: of, kind, window, limit, used } of protection?.limits ?? []) {
      if (of.address !== token.address || limit.current === NO_LIMIT) continue;
      const wouldBe = used + stake;
      if (wouldBe > limit.current) return words(kind === 0 ? "LossLimitExceeded" : "WagerLimitExceeded", wallet.account, token.address, window, limit.current, wouldBe);
    }
    return null;
  }

  /**
   * Place bet is enabled only when nothing the page knows stops the bet; the reason is shown
   * next to it. A refusal from the chain stays until the bet is changed.
   */
  function recheck() {
    if (refusal.dataset.kind === "revert" && !refusal.hidden) return;
    const blocked = blocker();
    betButton.disabled = Boolean(blocked) || betButton.getAttribute("aria-busy") === "true";
    showMessage(refusal, blocked?.text ?? null, blocked?.name);
    refusal.dataset.kind = "check";
  }

  async function placeBet() {
    const token = selectedToken(ctx, tokenSelect);
    const stake = parseAmount(stakeInput.value, token.decimals);
    const target = Number(targetNumber.value);
    if (!isValidTarget(target)) throw new Error("choose a target from 1 to 99");
    const config = await readConfig(token);
    const fromWallet = sourceSelect.value === "wallet";
    if (fromWallet && !token.isNative) await ensureAllowance(ctx, token, stake);
    const dice = deployment.contract("Dice", await wallet.signer());
    const label = `Dice: ${formatAmount(stake, token.decimals)} ${token.symbol} on roll under ${target}`;
    const receipt = await txlog.run(label, () => sendDiceBet(dice, { token: token.address, stake, target, fromWallet, isNative: token.isNative }), { token });
    ctx.session.recordStake(token.address, stake);
    const coordinator = deployment.has("RandomnessCoordinator") ? coordinatorReader(ctx) : null;
    for (const { parsed: placed, index } of placingLogs(dice, receipt)) {
      track({
        betId: String(placed.args.betId),
        readableId: readableBetId("dice", receipt.blockNumber, index),
        token,
        stake: placed.args.stake,
        target: Number(placed.args.target),
        payoutIfWin: placed.args.payoutIfWin ?? payoutIfWin(stake, target, config.edgeBps),
        block: receipt.blockNumber,
        // the request's commitment, for expiring it should the oracle miss its deadline
        commitment: coordinator && commitmentInReceipt(coordinator, receipt, placed.args.betId),
      });
    }
  }

  function track(bet, { older = false } = {}) {
    if (bets.has(bet.betId)) return; // already shown (e.g. the history caught it first)
    const status = el("span", { class: "bet-status" }, "waiting for the random number…");
    const badge = el("span", { class: "badge-slot" });
    bet.element = el("li", { class: "bet pending", title: `bet ${bet.readableId} (id ${bet.betId})`, dataset: { betId: bet.betId, readableId: bet.readableId } },
      el("span", {}, el("code", { class: "readable-id" }, bet.readableId), `: ${formatAmount(bet.stake, bet.token.decimals)} ${bet.token.symbol} on < ${bet.target}`,
        ` (pays ${formatAmount(bet.payoutIfWin, bet.token.decimals)} ${bet.token.symbol})`), " — ", status, " ", badge);
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
   * Shows a bet's result; `replayed` results (from the bet history) change no session figure.
   * kind "timeout" (BetTimedOut): `payout` is the win payout when the request expired (the stake
   * refunded, the rest paid by the oracle's bond), the stake alone when only refunded.
   */
  function settle({ kind, betId, roll, won, payout }, { replayed = false } = {}) {
    const bet = bets.get(betId);
    if (!bet) {
      early.set(betId, { kind, betId, roll, won, payout });
      return;
    }
    if (bet.settled) return;
    bet.settled = true;
    replace(bet.badge);
    const { element } = bet;
    element.dataset.payout = String(payout);
    if (kind === "timeout") {
      const units = (value) => `${formatAmount(value, bet.token.decimals)} ${bet.token.symbol}`;
      const bondPaid = payout > bet.stake;
      element.className = "bet timeout";
      element.dataset.won = String(bondPaid);
      element.dataset.outcome = bondPaid ? "bond-paid" : "refunded";
      bet.status.textContent = bondPaid
        ? `the oracle missed its deadline — paid ${units(payout)} by the oracle's bond`
        : `no result could be settled — your stake of ${units(payout)} was refunded`;
      if (bondPaid) bet.status.title = `The win payout: your stake ${units(bet.stake)} back and ${units(payout - bet.stake)} from the oracle's bond.`;
    } else {
      element.className = `bet ${won ? "won" : "lost"}`;
      element.dataset.roll = String(roll);
      element.dataset.won = String(won);
      bet.status.textContent = won
        ? `rolled ${roll} — you won ${formatAmount(payout, bet.token.decimals)} ${bet.token.symbol}`
        : `rolled ${roll} — no win`;
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
    if (event.contract && event.contract !== "Dice") return;
    if (event.name === "BetSettled") {
      const a = event.args;
      settle({ kind: "settled", betId: String(a.betId), roll: Number(a.roll), won: toBool(a.won), payout: BigInt(a.payout) });
    } else if (event.name === "BetTimedOut") {
      settle({ kind: "timeout", betId: String(event.args.betId), payout: BigInt(event.args.payout) });
    }
  }

  // While bets are open: without the live feed, read results from the chain directly (never
  // silently lost); once a bet's request is past its deadline, offer to expire it (the oracle's
  // bond pays the win payout); and a bet the coordinator no longer holds but that is still open
  // (its callback failed) can be refunded.
  function schedulePoll() {
    pollTimer ??= setTimeout(watchOpenBets, CHAIN_POLL_MS);
  }

  async function watchOpenBets() {
    pollTimer = null;
    const waiting = [...bets.values()].filter((b) => !b.settled);
    if (!waiting.length || !wallet.provider) return;
    const dice = deployment.contract("Dice", wallet.provider);
    try {
      if (feed.state !== "live") await readResultsFromChain(dice, Math.min(...waiting.map((b) => b.block)));
      const coordinator = coordinatorReader(ctx);
      const [head, timeout] = await Promise.all([wallet.provider.getBlock("latest"), timeoutSeconds(ctx)]);
      for (const bet of waiting) {
        if (bet.settled) continue;
        const open = await dice.betOf(bet.betId);
        if (bet.settled || open.player === ZeroAddress) continue; // settled: its event is on the way
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

  async function readResultsFromChain(dice, fromBlock) {
    for (const log of await dice.queryFilter("BetSettled", fromBlock)) {
      const a = log.args;
      settle({ kind: "settled", betId: String(a.betId), roll: Number(a.roll), won: a.won, payout: a.payout });
    }
    for (const log of await dice.queryFilter("BetTimedOut", fromBlock)) {
      settle({ kind: "timeout", betId: String(log.args.betId), payout: log.args.payout });
    }
  }

  /**
   * The control for an open bet without a result: "expire" (its request is past its deadline:
   * coordinator.expire pays the win payout from the oracle's bond) or "refund" (the coordinator
   * no longer holds its request, the settlement failed: Dice.settleTimedOut refunds the stake).
   */
  function offer(bet, kind, head) {
    if (bet.offered === kind) return;
    bet.offered = kind;
    const units = (value) => `${formatAmount(value, bet.token.decimals)} ${bet.token.symbol}`;
    const label = bet.readableId;
    const action = kind === "expire"
      ? () => sendExpire(ctx, `Expire bet ${label}: paid ${units(bet.payoutIfWin)} by the oracle's bond`, bet.commitment)
      : async () => {
          const dice = deployment.contract("Dice", await wallet.signer());
          return txlog.run(`Refund bet ${label}`, () => dice.settleTimedOut(bet.betId));
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
    }, kind === "expire" ? `Expire and get ${units(bet.payoutIfWin)}` : "Refund my stake");
    bet.element.classList.add("overdue");
    if (kind === "expire") {
      bet.status.textContent = `the oracle missed its deadline (${overdueText(bet.commitment, head)}): ` +
        `expire the request and the oracle's bond pays you the win payout, ${units(bet.payoutIfWin)} ` +
        `(your ${units(bet.stake)} stake back and ${units(bet.payoutIfWin - bet.stake)} from the bond)`;
    } else {
      bet.status.textContent = "the result was delivered but could not be settled: take your stake back";
    }
    replace(bet.badge, button);
  }

  // The player's recent bets from the indexer, so results survive a reload; open ones are
  // followed like new bets. Cleared when another account connects.
  let historyOf = null;
  async function loadHistory() {
    if (historyOf !== wallet.account) {
      historyOf = wallet.account;
      bets.clear();
      early.clear();
      replace(list);
    }
    if (!available || !wallet.connected) return;
    const page = await api.get("/bets", { player: wallet.account, game: "dice", limit: HISTORY });
    for (const row of page?.items ?? []) {
      if (bets.has(row.ref)) continue;
      const token = deployment.token(row.token);
      if (!token) continue;
      track({
        betId: row.ref, readableId: row.readable_id, token, stake: BigInt(row.stake), target: Number(row.details.target),
        payoutIfWin: BigInt(row.details.payoutIfWin ?? row.max_payout ?? 0), block: row.placed.block,
      }, { older: true });
      if (row.status === "won" || row.status === "lost") {
        settle({ kind: "settled", betId: row.ref, roll: Number(row.details.roll), won: row.status === "won", payout: BigInt(row.payout ?? 0) }, { replayed: true });
      } else if (row.status === "timed_out") {
        settle({ kind: "timeout", betId: row.ref, payout: BigInt(row.payout ?? 0) }, { replayed: true });
      }
    }
  }

  // The slider and the number field are one target.
  targetInput.addEventListener("input", () => {
    targetNumber.value = targetInput.value;
  });
  targetNumber.addEventListener("input", () => {
    const target = Number(targetNumber.value);
    if (isValidTarget(target)) targetInput.value = String(target);
  });
  form.addEventListener("input", () => {
    delete refusal.dataset.kind; // a changed bet clears the chain's last refusal
    updateOdds();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (blocker()) {
      recheck();
      return;
    }
    const button = betButton;
    setBusy(button, true);
    showMessage(refusal, null);
    delete refusal.dataset.kind;
    let token = null;
    try {
      token = selectedToken(ctx, tokenSelect);
      await placeBet();
    } catch (error) {
      ctx.reportError(error, betButton, token);
      refusal.dataset.kind = "revert";
    } finally {
      setBusy(button, false);
      recheck();
    }
  });
  feed.addEventListener("event", (e) => onFeedEvent(e.detail));

  return {
    refresh: async () => {
      configs.clear();
      await Promise.all([updateOdds(), loadHistory()]);
    },
    recheck,
  };
}

const units = (value, token) => `${formatAmount(value, token.decimals, token.decimals)} ${token.symbol}`;

function toBool(value) {
  return value === true || value === "true" || value === 1 || value === "1";
}

/** Per-token Dice settings: enabled, stake bounds and house edge (Dice.tokenConfig). */
export async function readDiceConfig(dice, token) {
  const [enabled, minStake, maxStake, edgeBps] = await dice.tokenConfig(token);
  return { enabled, minStake, maxStake, edgeBps: BigInt(edgeBps) };
}

/**
 * Places one bet. From the Vault balance `deposit` is 0; from the wallet the stake is deposited
 * in the same call (ETH as msg.value, an ERC-20 from the approval to the Vault).
 */
export function sendDiceBet(dice, { token, stake, target, fromWallet, isNative }) {
  const deposit = fromWallet ? stake : 0n;
  return dice.placeBet(token, stake, target, deposit, { value: fromWallet && isNative ? stake : 0n });
}

/** The BetPlaced logs of a receipt with their block-wide log index (for the readable id). */
function placingLogs(dice, receipt) {
  const target = String(dice.target).toLowerCase();
  return receipt.logs.filter((log) => log.address.toLowerCase() === target).flatMap((log) => {
    try {
      const parsed = dice.interface.parseLog(log);
      return parsed?.name === "BetPlaced" ? [{ parsed, index: log.index }] : [];
    } catch {
      return []; // not an event of this ABI
    }
  });
}
