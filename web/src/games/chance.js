// The panel of a game on the chance-game engine, written once: the token, the stake source, the
// multi-roll controls (rolls, stop-gain, stop-loss), the most the bet pays and the largest stake
// the bankroll's exposure cap and the oracle's free bond can back now, every check before the bet
// in words and token units next to the Place-bet button, the bet as one signed transaction, the
// result live from the API's event feed (or the chain), the audit badge, and a bet the oracle
// missed expired from here (the oracle's bond then pays its maximum payout) or refunded.
//
// A game gives its own part as `game`:
//   key, contract, noun ("toss", "spin"), rules (its rules.js: rollTerms, rollPayout)
//   stakeOf(token): the stake per roll the form describes (BigInt; throws RangeError with words)
//   choiceFor(stake, token): the choice (0x-hex) for that stake (throws RangeError with words)
//   describe(choice, token): a short text of the bet ("heads", "red + 17")
//   showOdds(stake, config, token): fills the game's own odds (chance, payout...)
//   rolled(word, choice): the one-roll result in words ("heads", "17 red")
// and the page has `<section id="<key>">` with controls named <key>-form, -token, -source,
// -rolls, -stop-gain, -stop-loss, -max-payout, -max-stake, -edge, -cap, -limits, -bet, -refusal,
// -bets (web/index.html).
import { $, el, replace, setBusy, showMessage } from "../lib/dom.js";
import { formatAmount, parseAmount } from "../lib/format.js";
import { betTerms, MAX_ROLLS } from "./multiroll.js";
import { explainRevert } from "../lib/errors.js";
import { auditVerdict } from "../lib/audit.js";
import { readableBetId } from "../lib/betIds.js";
import { fillTokenSelect, selectedToken } from "../player/tokens.js";
import { ensureAllowance } from "../player/vault.js";
import { commitmentInReceipt, coordinatorReader, findCommitment, isExpiredAt, overdueText, sendExpire, timeoutSeconds } from "../player/randomness.js";

const CHAIN_POLL_MS = 2000;
const AUDIT_RETRIES = 10;
const HISTORY = 10;
const NO_LIMIT = (1n << 96n) - 1n;
const PENDING = 1n; // ChanceGame.BetState

export const units = (value, token) => `${formatAmount(value, token.decimals, token.decimals)} ${token.symbol}`;

export function chancePanel(ctx, game) {
  const { deployment, wallet, txlog, feed, api } = ctx;
  const id = (name) => $(`#${game.key}-${name}`);
  const available = deployment.has(game.contract);
  const form = id("form");
  const tokenSelect = id("token");
  const sourceSelect = id("source");
  const rollsInput = id("rolls");
  const stopGainInput = id("stop-gain");
  const stopLossInput = id("stop-loss");
  const betButton = id("bet");
  const list = id("bets");
  const refusal = id("refusal");
  const configs = new Map(); // token address → {enabled, minStake, maxStake, edgeBps}
  const caps = new Map(); // token address → {room, freeBond, feeBps}: what can back a bet now
  const bets = new Map(); // betId (string) → tracked bet
  const early = new Map(); // betId → settlement that arrived before the bet was tracked
  let pollTimer = null;

  fillTokenSelect(tokenSelect, deployment.tokens);
  if (!available) {
    for (const control of form.elements) control.disabled = true;
    id("limits").textContent = `${game.title} is not deployed on this platform.`;
  }

  const contract = (runner) => deployment.contract(game.contract, runner);

  async function readConfig(token) {
    if (configs.has(token.address)) return configs.get(token.address);
    const [enabled, minStake, maxStake, edgeBps] = await contract(wallet.provider ?? ctx.readProvider).tokenConfig(token.address);
    const config = { enabled, minStake: BigInt(minStake), maxStake: BigInt(maxStake), edgeBps: BigInt(edgeBps) };
    configs.set(token.address, config);
    return config;
  }

  async function readCaps(token) {
    const provider = wallet.provider ?? ctx.readProvider;
    const vault = deployment.contract("Vault", provider);
    const coordinator = deployment.contract("RandomnessCoordinator", provider);
    const [room, feeBps, keyHash] = await Promise.all([vault.maxReserve(token.address), vault.protocolFeeBps(), contract(provider).keyHash()]);
    const bond = await coordinator.bondOf(keyHash, token.address);
    const found = { room: BigInt(room), freeBond: BigInt(bond.free), feeBps: BigInt(feeBps) };
    caps.set(token.address, found);
    return found;
  }

  /** The multi-roll part of the form: {rolls, stopGain, stopLoss} (amounts in base units). */
  function formRolls(token) {
    const stop = (input) => (input.value.trim() === "" ? 0n : parseAmount(input.value, token.decimals));
    return { rolls: Number(rollsInput.value), stopGain: stop(stopGainInput), stopLoss: stop(stopLossInput) };
  }

  /**
   * Why the bankroll or the oracle's bond cannot back this bet at `stake` per roll now, in words,
   * or null. A bet reserves its maximum payout less its stakes, plus the protocol fee, of the
   * bankroll's exposure cap, and its whole maximum payout from the oracle's bond.
   */
  function capRefusal(token, config, cap, plan, stake) {
    let terms;
    try {
      terms = betTerms(game.rules, stake, game.choiceFor(stake, token), config.edgeBps, plan.rolls, plan.stopGain, plan.stopLoss);
    } catch {
      return null; // the other checks say what is wrong
    }
    const reserve = terms.maxPayout - terms.staked + (terms.houseEdge * cap.feeBps) / 10_000n;
    const times = plan.rolls > 1 ? `${plan.rolls} ${game.noun}s of ${units(stake, token)}` : `a stake of ${units(stake, token)}`;
    if (reserve > cap.room) {
      return { name: "ExposureTooHigh", text: `The bankroll cannot back ${times} now: at best the bet pays ` +
        `${units(terms.maxPayout, token)}, which reserves ${units(reserve, token)} (what it can pay beyond your stakes, ` +
        `with the protocol fee) of the bankroll's exposure cap, and only ${units(cap.room, token)} is left of it. ` +
        `Stake less or play fewer ${game.noun}s.` };
    }
    if (terms.maxPayout > cap.freeBond) {
      return { name: "BondTooSmall", text: `The oracle's bond cannot back ${times} now: every bet reserves the most it ` +
        `can pay (${units(terms.maxPayout, token)}) from the bond that pays you if the oracle misses its deadline, and ` +
        `only ${units(cap.freeBond, token)} of it is free. Stake less, play fewer ${game.noun}s or try again later.` };
    }
    return null;
  }

  /** The largest stake per roll in the token's range the caps let this bet have now (0n: none). */
  function largestStake(token, config, cap, plan) {
    const fits = (stake) => capRefusal(token, config, cap, plan, stake) === null;
    let low = config.minStake;
    let high = config.maxStake;
    if (!fits(low)) return 0n;
    if (fits(high)) return high;
    while (high - low > 1n) {
      const mid = (low + high) / 2n;
      if (fits(mid)) low = mid;
      else high = mid;
    }
    return low;
  }

  async function updateOdds() {
    recheck();
    if (!available || !(wallet.provider ?? ctx.readProvider)) return;
    const token = selectedToken(ctx, tokenSelect);
    let config;
    try {
      config = await readConfig(token);
    } catch (error) {
      id("limits").textContent = `Could not read the ${game.title} settings: ${error.message}`;
      return;
    }
    id("edge").textContent = `${(Number(config.edgeBps) / 100).toFixed(2)} %`;
    const range = `Stake ${formatAmount(config.minStake, token.decimals)} to ${formatAmount(config.maxStake, token.decimals)} ${token.symbol} per ${game.noun}.`;
    id("limits").textContent = config.enabled ? range : `${game.title} is closed for ${token.symbol}.`;
    let stake;
    let plan;
    let terms;
    try {
      stake = game.stakeOf(token);
      plan = formRolls(token);
      const rolls = Number.isInteger(plan.rolls) && plan.rolls >= 1 && plan.rolls <= MAX_ROLLS ? plan.rolls : 1;
      plan = { ...plan, rolls };
      game.showOdds(stake, config, token);
      terms = betTerms(game.rules, stake, game.choiceFor(stake, token), config.edgeBps, rolls);
    } catch {
      id("max-payout").textContent = "—";
      recheck();
      return;
    }
    id("max-payout").textContent = `${units(terms.maxPayout, token)}` + (plan.rolls > 1 ? ` (${plan.rolls} ${game.noun}s)` : "");
    try {
      const cap = await readCaps(token);
      const largest = largestStake(token, config, cap, plan);
      id("max-stake").textContent = largest > 0n ? `${units(largest, token)} per ${game.noun}` : "none: the caps are full";
      id("cap").textContent = largest < config.maxStake
        ? "The bankroll's exposure cap and the oracle's bond back the most a bet can pay: more rolls or a bet that pays more lower the largest stake."
        : "";
    } catch {
      id("max-stake").textContent = "—";
    }
    recheck();
  }

  /** What stops this bet before it is sent, as {name, text}, or null when the page knows of nothing. */
  function blocker() {
    if (!available) return { name: "NotDeployed", text: `${game.title} is not deployed on this platform.` };
    if (!wallet.connected) return { name: "NoWallet", text: "Connect a wallet (at the top of the page) to place a bet." };
    if (!wallet.onExpectedChain) return { name: "WrongNetwork", text: "Switch your wallet to this platform's network to place a bet." };
    const token = ctx.deployment.token(tokenSelect.value);
    if (!token) return { name: "NoToken", text: "Choose a token." };
    let stake;
    let choice;
    try {
      stake = game.stakeOf(token);
      choice = game.choiceFor(stake, token);
    } catch (error) {
      return { name: "BadChoice", text: error.message };
    }
    let plan;
    try {
      plan = formRolls(token);
    } catch (error) {
      return { name: "BadAmount", text: `Stop: ${error.message}.` };
    }
    if (!Number.isInteger(plan.rolls) || plan.rolls < 1 || plan.rolls > MAX_ROLLS) {
      return { name: "BadRolls", text: `Rolls: choose a whole number from 1 to ${MAX_ROLLS}.` };
    }
    const staked = stake * BigInt(plan.rolls);
    const words = (name, ...args) => ({ name, text: explainRevert({ name, args }, { token, tokenOf: (a) => deployment.token(a) }) });
    const protection = ctx.protection?.account === wallet.account ? ctx.protection : null;
    if (protection?.excluded) return words("SelfExcluded", wallet.account, protection.exclusionEnd);
    if (protection?.timedOut) return words("TimedOut", wallet.account, protection.timeOutEnd);
    const config = configs.get(token.address);
    if (config) {
      if (!config.enabled) return words("TokenNotEnabled", token.address);
      if (stake < config.minStake || stake > config.maxStake) return words("StakeOutOfRange", stake, config.minStake, config.maxStake);
      const [rollMax] = game.rules.rollTerms(stake, choice, config.edgeBps);
      if (rollMax <= stake) {
        return { name: "PayoutNotAboveStake", text: `This bet pays at most ${units(rollMax, token)}, no more than your stake of ` +
          `${units(stake, token)}: nothing to win. Choose fewer numbers or a larger stake.` };
      }
      const most = rollMax * BigInt(plan.rolls);
      if (plan.stopGain > most - staked) {
        return { name: "BadStop", text: `Stop when up by: at most ${units(most - staked, token)}, all this bet can win; leave it empty for no stop.` };
      }
      if (plan.stopLoss > staked) {
        return { name: "BadStop", text: `Stop when down by: at most ${units(staked, token)}, all this bet stakes; leave it empty for no stop.` };
      }
      const cap = caps.get(token.address);
      const refused = cap && capRefusal(token, config, cap, plan, stake);
      if (refused) return refused;
    }
    const balances = ctx.balances?.get(token.address);
    const what = plan.rolls > 1 ? "this bet stakes" : "stake";
    if (balances && sourceSelect.value === "vault" && balances.inVault < staked) {
      return { name: "InsufficientBalance", text: `Your Vault balance is ${units(balances.inVault, token)}, less than the ` +
        `${units(staked, token)} ${what}: deposit more, pay from your wallet, or stake less.` };
    }
    if (balances && sourceSelect.value === "wallet" && balances.inWallet < staked) {
      return { name: "InsufficientWalletBalance", text: `Your wallet holds ${units(balances.inWallet, token)}, less than the ` +
        `${units(staked, token)} ${what}: pay from your Vault balance or stake less.` };
    }
    for (const { token: of, kind, window, limit, used } of protection?.limits ?? []) {
      if (of.address !== token.address || limit.current === NO_LIMIT) continue;
      const wouldBe = used + staked;
      if (wouldBe > limit.current) return words(kind === 0 ? "LossLimitExceeded" : "WagerLimitExceeded", wallet.account, token.address, window, limit.current, wouldBe);
    }
    return null;
  }

  function recheck() {
    if (refusal.dataset.kind === "revert" && !refusal.hidden) return;
    const blocked = blocker();
    betButton.disabled = Boolean(blocked) || betButton.getAttribute("aria-busy") === "true";
    showMessage(refusal, blocked?.text ?? null, blocked?.name);
    refusal.dataset.kind = "check";
  }

  async function placeBet() {
    const token = selectedToken(ctx, tokenSelect);
    const stake = game.stakeOf(token);
    const choice = game.choiceFor(stake, token);
    const plan = formRolls(token);
    await readConfig(token);
    const fromWallet = sourceSelect.value === "wallet";
    const staked = stake * BigInt(plan.rolls);
    if (fromWallet && !token.isNative) await ensureAllowance(ctx, token, staked);
    const signed = contract(await wallet.signer());
    const label = `${game.title}: ${units(stake, token)} on ${game.describe(choice, token)}` + (plan.rolls > 1 ? ` × ${plan.rolls} ${game.noun}s` : "");
    const deposit = fromWallet ? staked : 0n;
    const value = { value: fromWallet && token.isNative ? staked : 0n };
    const send = () => (plan.rolls === 1 && plan.stopGain === 0n && plan.stopLoss === 0n
      ? signed.placeBet(token.address, stake, choice, deposit, value)
      : signed.placeMultiBet(token.address, stake, choice, plan.rolls, plan.stopGain, plan.stopLoss, deposit, value));
    const receipt = await txlog.run(label, send, { token });
    ctx.session.recordStake(token.address, staked);
    const coordinator = deployment.has("RandomnessCoordinator") ? coordinatorReader(ctx) : null;
    for (const { parsed: placed, index } of placingLogs(signed, receipt)) {
      track({
        betId: String(placed.args.betId),
        readableId: readableBetId(game.key, receipt.blockNumber, index),
        token,
        stake: placed.args.stake * BigInt(placed.args.rolls),
        rolls: Number(placed.args.rolls),
        choice: placed.args.choice,
        maxPayout: placed.args.maxPayout,
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
      el("span", {}, el("code", { class: "readable-id" }, bet.readableId), `: ${units(bet.stake, bet.token)} on ${game.describe(bet.choice, bet.token)}`,
        bet.rolls > 1 ? ` in ${bet.rolls} ${game.noun}s` : "", ` (pays up to ${units(bet.maxPayout, bet.token)})`), " — ", status, " ", badge);
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

  /** Shows a bet's result; `replayed` results (from the bet history) change no session figure. */
  function settle({ kind, betId, word, rollsPlayed, payout }, { replayed = false } = {}) {
    const bet = bets.get(betId);
    if (!bet) {
      early.set(betId, { kind, betId, word, rollsPlayed, payout });
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
    } else {
      const won = payout > bet.stake;
      const amount = units(payout, bet.token);
      element.className = `bet ${won ? "won" : "lost"}`;
      element.dataset.won = String(won);
      element.dataset.rollsPlayed = String(rollsPlayed);
      if (bet.rolls > 1) {
        const unplayed = bet.rolls - rollsPlayed;
        bet.status.textContent = `played ${rollsPlayed} of ${bet.rolls} ${game.noun}s` +
          (unplayed ? ` (stopped: ${unplayed} stakes back)` : "") + ` — ${payout > 0n ? `paid ${amount}` : "no win"}`;
      } else {
        const rolled = word === undefined ? "settled" : game.rolled(word, bet.choice);
        if (word !== undefined) element.dataset.result = rolled;
        bet.status.textContent = payout > 0n ? `${rolled} — paid ${amount}` : `${rolled} — no win`;
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
    if (event.contract !== game.contract) return;
    const a = event.args;
    if (event.name === "BetSettled") {
      settle({ kind: "settled", betId: String(a.betId), word: BigInt(a.word), rollsPlayed: Number(a.rollsPlayed), payout: BigInt(a.payout) });
    } else if (event.name === "BetTimedOut") {
      settle({ kind: "timeout", betId: String(a.betId), payout: BigInt(a.payout) });
    }
  }

  // While bets are open: without the live feed, read results from the chain; past a request's
  // deadline offer to expire it (the bond pays the bet's maximum); a bet the coordinator no longer
  // holds but that is still open (its callback failed) can be refunded.
  function schedulePoll() {
    pollTimer ??= setTimeout(watchOpenBets, CHAIN_POLL_MS);
  }

  async function watchOpenBets() {
    pollTimer = null;
    const waiting = [...bets.values()].filter((b) => !b.settled);
    if (!waiting.length || !wallet.provider) return;
    const reader = contract(wallet.provider);
    try {
      if (feed.state !== "live") await readResultsFromChain(reader, Math.min(...waiting.map((b) => b.block)));
      const coordinator = coordinatorReader(ctx);
      const [head, timeout] = await Promise.all([wallet.provider.getBlock("latest"), timeoutSeconds(ctx)]);
      for (const bet of waiting) {
        if (bet.settled) continue;
        const open = await reader.betOf(bet.betId);
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

  async function readResultsFromChain(reader, fromBlock) {
    for (const log of await reader.queryFilter("BetSettled", fromBlock)) {
      const a = log.args;
      settle({ kind: "settled", betId: String(a.betId), word: a.word, rollsPlayed: Number(a.rollsPlayed), payout: a.payout });
    }
    for (const log of await reader.queryFilter("BetTimedOut", fromBlock)) {
      settle({ kind: "timeout", betId: String(log.args.betId), payout: log.args.payout });
    }
  }

  function offer(bet, kind, head) {
    if (bet.offered === kind) return;
    bet.offered = kind;
    const label = bet.readableId;
    const action = kind === "expire"
      ? () => sendExpire(ctx, `Expire bet ${label}: paid ${units(bet.maxPayout, bet.token)} by the oracle's bond`, bet.commitment)
      : async () => txlog.run(`Refund bet ${label}`, async () => contract(await wallet.signer()).settleTimedOut(bet.betId));
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
    }, kind === "expire" ? `Expire and get ${units(bet.maxPayout, bet.token)}` : "Refund my stake");
    bet.element.classList.add("overdue");
    bet.status.textContent = kind === "expire"
      ? `the oracle missed its deadline (${overdueText(bet.commitment, head)}): expire the request and the oracle's bond ` +
        `pays you the most this bet could pay, ${units(bet.maxPayout, bet.token)}`
      : "the result was delivered but could not be settled: take your stake back";
    replace(bet.badge, button);
  }

  // The player's recent bets from the indexer, so results survive a reload.
  let historyOf = null;
  async function loadHistory() {
    if (historyOf !== wallet.account) {
      historyOf = wallet.account;
      bets.clear();
      early.clear();
      replace(list);
    }
    if (!available || !wallet.connected) return;
    const page = await api.get("/bets", { player: wallet.account, game: game.key, limit: HISTORY });
    for (const row of page?.items ?? []) {
      if (bets.has(row.ref)) continue;
      const token = deployment.token(row.token);
      if (!token) continue;
      track({
        betId: row.ref, readableId: row.readable_id, token, stake: BigInt(row.stake), choice: row.details.choice,
        rolls: Number(row.details.rolls ?? 1), maxPayout: BigInt(row.max_payout ?? 0), block: row.placed.block,
      }, { older: true });
      if (row.status === "won" || row.status === "lost") {
        const word = row.details.word === undefined ? undefined : BigInt(row.details.word);
        settle({ kind: "settled", betId: row.ref, word, rollsPlayed: Number(row.details.rollsPlayed ?? 1), payout: BigInt(row.payout ?? 0) }, { replayed: true });
      } else if (row.status === "timed_out") {
        settle({ kind: "timeout", betId: row.ref, payout: BigInt(row.payout ?? 0) }, { replayed: true });
      }
    }
  }

  const changed = () => {
    delete refusal.dataset.kind; // a changed bet clears the chain's last refusal
    updateOdds();
  };
  form.addEventListener("input", changed);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (blocker()) {
      recheck();
      return;
    }
    setBusy(betButton, true);
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
      setBusy(betButton, false);
      recheck();
    }
  });
  feed.addEventListener("event", (e) => onFeedEvent(e.detail));

  return {
    changed,
    refresh: async () => {
      configs.clear();
      caps.clear();
      await Promise.all([updateOdds(), loadHistory()]);
    },
    recheck,
  };
}

/** The BetPlaced logs of a receipt with their block-wide log index (for the readable id). */
function placingLogs(contract, receipt) {
  const target = String(contract.target).toLowerCase();
  return receipt.logs.filter((log) => log.address.toLowerCase() === target).flatMap((log) => {
    try {
      const parsed = contract.interface.parseLog(log);
      return parsed?.name === "BetPlaced" ? [{ parsed, index: log.index }] : [];
    } catch {
      return []; // not an event of this ABI
    }
  });
}
