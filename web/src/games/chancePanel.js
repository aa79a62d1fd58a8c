// The panel of a game on the chance-game engine (contracts/games/base/ChanceGame.sol), written
// once for every such game: the token, the stake and its source, the multi-roll controls (rolls,
// stop-gain, stop-loss), the most the bet pays and the largest stake the bankroll's exposure cap
// and the oracle's free bond can back now, every check before the bet in words and token units
// next to its button, the bet as one signed transaction, the result live from the API's event
// feed (or the chain), the audit badge, and a bet the oracle missed expired from here (the
// oracle's bond then pays its maximum payout) or refunded.
//
// The page holds `<section id="<key>" class="card"><form id="<key>-form">` with the game's own
// controls; this panel builds the rest around them: the card's heading (<key>-title), the first row (<key>-token, -stake, -source), the multi-roll
// fieldset (<key>-multi, -rolls, -stop-gain, -stop-loss), the figures (<key>-odds: the game's
// own, then -max-payout and -max-stake), -cap, -limits, -bet, -refusal, and the bet list (-bets)
// after the form.
//
// A game gives its own part as `game`:
//   key, contract, title, rules (rollTerms, rollPayout: the JS mirror of the contract's hooks)
//   choice(stake, token): the choice (0x-hex) the form describes at `stake` per roll (null when
//     the stake is unreadable); throws a RangeError in words, which may carry `code`, the
//     contract error it stands for
//   describe(choice): a short text of the bet ("heads", "5 numbers: 3 7 12 30 40")
//   rolled(element, word, choice, bet): a one-roll result in words, marking the bet's element
// and optionally:
//   figures: the game's own figures before the bet, [label, id suffix] (a "<key>-edge" one gets
//     edge(config), by default the token's house edge) or [label, null, fixed text]
//   noun ("roll"), nouns (its plural), multiNote (after the multi-roll legend), betLabel ("Place
//   bet"), betsTitle ("Your bets"); stakeField ({label, value}) or null when the game reads its
//   stake itself with stake(token) (Roulette: the sum of its sets); firstRow: the game's controls
//   shown after the stake's source; showChoice() (figures that need no chain, shown at once);
//   showOdds(token, config, stake, choice) (the game's own figures; stake and choice are null
//   when unreadable); edge(config) (the -edge figure; the token's house edge by default);
//   notAboveStake(rollMax, stake, token, config) (the words for a bet that cannot pay more than
//   its stake); hint (what else to change when the caps refuse a bet: "pick fewer numbers");
//   capHint (what lowers the largest stake: "a larger top prize"); best (what an expired bet
//   pays: "the win payout"); maxRolls() (when fewer than the engine's 100).
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
// ChanceGame.BetStatus of a bet's Vault lock (betStatusOf): 0 Closed (settled or unwound: its
// event is on the way), 1 AwaitingWord (its request is pending), 2 AwaitingRefund (its lock is open
// but its request is gone: the callback failed, settleTimedOut refunds).
const AWAITING_WORD = 1n;
const AWAITING_REFUND = 2n;

export const units = (value, token) => `${formatAmount(value, token.decimals, token.decimals)} ${token.symbol}`;

/** The controls every chance game shares, built around the game's own in its <form>. */
function buildForm(game, nouns) {
  const { key } = game;
  const id = (name) => `${key}-${name}`;
  const form = $(`#${id("form")}`);
  const input = (name, attrs = {}) => el("input", { id: id(name), name, autocomplete: "off", ...attrs });
  // the label's words in one span: a label stacks its children (styles.css), the unit stays inline
  const stopLabel = (words) => el("span", {}, `${words} (`, el("span", { class: id("unit") }, "ETH"), ")");
  const stakeField = game.stakeField === undefined ? { label: "Stake", value: "0.01" } : game.stakeField;
  // a figure is [its label, its id's suffix] or [its label, null, its fixed text]
  const figure = ([label, name, text = "—"]) => el("div", {}, el("dt", {}, label), el("dd", { id: name && id(name) }, text));
  const figures = el("dl", { id: id("odds"), class: "odds", "aria-live": "polite" },
    [...(game.figures ?? []), ["Most the bet pays", "max-payout"], ["Largest stake now", "max-stake"]].map(figure));
  const Nouns = nouns[0].toUpperCase() + nouns.slice(1);
  const multi = el("fieldset", { id: id("multi"), class: "form-row" },
    el("legend", {}, `Several ${nouns} in one bet${game.multiNote ?? ""}`),
    el("label", {}, `${Nouns} `, input("rolls", { type: "number", min: "1", max: String(MAX_ROLLS), step: "1", value: "1", inputmode: "numeric", class: "narrow" })),
    el("label", {}, stopLabel("Stop when up by"), input("stop-gain", { inputmode: "decimal", placeholder: "no stop" })),
    el("label", {}, stopLabel("Stop when down by"), input("stop-loss", { inputmode: "decimal", placeholder: "no stop" })));
  const first = el("div", { class: "form-row" },
    el("label", {}, "Token ", el("select", { id: id("token"), name: "token" })),
    stakeField && el("label", {}, `${stakeField.label} `, input("stake", { inputmode: "decimal", value: stakeField.value, required: true })),
    el("label", {}, "Pay from ", el("select", { id: id("source"), name: "source" },
      el("option", { value: "vault" }, "Vault balance"), el("option", { value: "wallet" }, "Wallet"))),
    game.firstRow ?? []);
  // the multi-roll controls come after the game's choice, before its figures (Keno's table too)
  form.insertBefore(multi, form.querySelector(":scope > .table-wrap"));
  form.prepend(first);
  form.append(figures,
    el("p", { id: id("cap"), class: "hint" }),
    el("p", { id: id("limits"), class: "hint" }),
    el("button", { id: id("bet"), type: "submit", "aria-describedby": id("refusal"), dataset: { message: id("refusal") } }, game.betLabel ?? "Place bet"),
    el("p", { id: id("refusal"), class: "refusal", role: "alert", hidden: true }));
  form.after(el("h3", {}, game.betsTitle ?? "Your bets"), el("ol", { id: id("bets"), class: "bets", "aria-live": "polite" }));
  const card = $(`#${key}`);
  card.setAttribute("aria-labelledby", id("title"));
  card.prepend(el("h2", { id: id("title") }, game.title));
  return form;
}

export function chancePanel(ctx, game) {
  const { deployment, wallet, txlog, feed, api } = ctx;
  const noun = game.noun ?? "roll";
  const nouns = game.nouns ?? `${noun}s`;
  const form = buildForm(game, nouns);
  const id = (name) => $(`#${game.key}-${name}`);
  const available = deployment.has(game.contract);
  const tokenSelect = id("token");
  const sourceSelect = id("source");
  const rollsInput = id("rolls");
  const stopGainInput = id("stop-gain");
  const stopLossInput = id("stop-loss");
  const edgeFigure = form.querySelector(`#${game.key}-edge`);
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

  const provider = () => wallet.provider ?? ctx.readProvider;
  const contract = (runner) => deployment.contract(game.contract, runner);

  /** The stake per roll the form describes (base units); throws a RangeError in words. */
  function stakeOf(token) {
    if (game.stake) return game.stake(token);
    try {
      return parseAmount(id("stake").value, token.decimals);
    } catch (error) {
      throw Object.assign(new RangeError(`Stake: ${error.message}.`), { code: "BadAmount" });
    }
  }

  async function readConfig(token) {
    if (configs.has(token.address)) return configs.get(token.address);
    const [enabled, minStake, maxStake, edgeBps] = await contract(provider()).tokenConfig(token.address);
    const config = { enabled, minStake: BigInt(minStake), maxStake: BigInt(maxStake), edgeBps: BigInt(edgeBps) };
    configs.set(token.address, config);
    return config;
  }

  /** What the bankroll's exposure cap and the oracle's free bond leave for a new bet (read fresh). */
  async function readCaps(token) {
    const vault = deployment.contract("Vault", provider());
    const coordinator = deployment.contract("RandomnessCoordinator", provider());
    // the game's oracle key is the coordinator's record of it (rotated there by governance)
    const keyOfGame = coordinator.keyOf(deployment.address(game.contract));
    const [room, feeBps, keyHash] = await Promise.all([vault.maxReserve(token.address), vault.protocolFeeBps(), keyOfGame]);
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

  // a game whose rolls cost more callback gas than the coordinator allows for 100 says how many fit
  const maxRolls = () => game.maxRolls?.() ?? MAX_ROLLS;
  const validRolls = (rolls) => Number.isInteger(rolls) && rolls >= 1 && rolls <= maxRolls();

  /**
   * Why the bankroll or the oracle's bond cannot back the bet at `stake` per roll now, in words, or
   * null. A bet reserves (its maximum payout − its stakes) plus the protocol fee of the bankroll's
   * exposure cap, and its whole maximum payout from the oracle's bond (which pays it should the
   * oracle miss its deadline), so a large multi-roll bet can be refused though one roll is not.
   */
  function capRefusal(token, config, cap, plan, stake) {
    let terms;
    try {
      terms = betTerms(game.rules, stake, game.choice(stake, token), config.edgeBps, plan.rolls, plan.stopGain, plan.stopLoss);
    } catch {
      return null; // the other checks say what is wrong
    }
    const reserve = terms.maxPayout - terms.staked + (terms.houseEdge * cap.feeBps) / 10_000n;
    const times = plan.rolls > 1 ? `${plan.rolls} ${nouns} of ${units(stake, token)}` : `a stake of ${units(stake, token)}`;
    if (reserve > cap.room) {
      return { name: "ExposureTooHigh", text: `The bankroll cannot back ${times} now: at best the bet pays ` +
        `${units(terms.maxPayout, token)}, which reserves ${units(reserve, token)} (what it can pay beyond your stakes, ` +
        `with the protocol fee) of the bankroll's exposure cap, and only ${units(cap.room, token)} is left of it. ` +
        (game.hint ? `Stake less, play fewer ${nouns} or ${game.hint}.` : `Stake less or play fewer ${nouns}.`) };
    }
    if (terms.maxPayout > cap.freeBond) {
      return { name: "BondTooSmall", text: `The oracle's bond cannot back ${times} now: every bet reserves the most it ` +
        `can pay (${units(terms.maxPayout, token)}) from the bond that pays you if the oracle misses its deadline, and ` +
        `only ${units(cap.freeBond, token)} of it is free. Stake less, play fewer ${nouns} or try again later.` };
    }
    return null;
  }

  /** The largest stake per roll in the token's range that the caps let this bet have now (0n: none). */
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
    game.showChoice?.();
    recheck();
    if (!available || !provider()) return;
    const token = selectedToken(ctx, tokenSelect);
    for (const unit of form.querySelectorAll(`.${game.key}-unit`)) unit.textContent = token.symbol; // the stops' unit
    let config;
    try {
      config = await readConfig(token);
    } catch (error) {
      id("limits").textContent = `Could not read the ${game.title} settings: ${error.message}`;
      return;
    }
    if (edgeFigure) edgeFigure.textContent = game.edge?.(config) ?? `${(Number(config.edgeBps) / 100).toFixed(2)} %`;
    const range = `Stake ${formatAmount(config.minStake, token.decimals)} to ${formatAmount(config.maxStake, token.decimals)} ${token.symbol} per ${noun}.`;
    id("limits").textContent = config.enabled ? range : `${game.title} is closed for ${token.symbol}.`;
    let stake = null;
    let choice = null;
    let plan = null;
    try {
      stake = stakeOf(token);
      choice = game.choice(stake, token);
      plan = formRolls(token);
    } catch {
      // the checks below the form say what is missing
    }
    await game.showOdds?.(token, config, stake, choice);
    if (stake === null || choice === null || plan === null) {
      id("max-payout").textContent = "—";
      id("max-stake").textContent = "—";
      recheck();
      return;
    }
    const rolls = validRolls(plan.rolls) ? plan.rolls : 1;
    try {
      const [rollMax] = game.rules.rollTerms(stake, choice, config.edgeBps);
      id("max-payout").textContent = units(rollMax * BigInt(rolls), token) + (rolls > 1 ? ` (${rolls} ${nouns})` : "");
    } catch {
      id("max-payout").textContent = "—";
    }
    try {
      const cap = await readCaps(token);
      const largest = largestStake(token, config, cap, { ...plan, rolls });
      // rounded down, so the figure shown always fits
      id("max-stake").textContent = largest > 0n
        ? `${formatAmount(largest, token.decimals)} ${token.symbol} per ${noun}`
        : "none: the caps are full";
      id("cap").textContent = largest < config.maxStake
        ? "The bankroll's exposure cap and the oracle's bond back the most a bet can pay: " +
          `more ${nouns} or ${game.capHint ?? "a bet that pays more"} lower the largest stake.`
        : "";
    } catch {
      id("max-stake").textContent = "—";
    }
    recheck();
  }

  /**
   * What stops this bet before it is sent, as {name, text} (name: the contract error the chain
   * would answer with, or the page's own), or null when the page knows of nothing. Reads what the
   * page has loaded: the game's settings, the balances (player/vault.js) and the limits and
   * self-exclusion (player/protection.js); the chain decides anyway, and a refusal it sends back is
   * put in words next to the button too.
   */
  function blocker() {
    if (!available) return { name: "NotDeployed", text: `${game.title} is not deployed on this platform.` };
    if (!wallet.connected) return { name: "NoWallet", text: "Connect a wallet (at the top of the page) to place a bet." };
    if (!wallet.onExpectedChain) return { name: "WrongNetwork", text: "Switch your wallet to this platform's network to place a bet." };
    const token = deployment.token(tokenSelect.value);
    if (!token) return { name: "NoToken", text: "Choose a token." };
    // the choice is checked first: a game whose stake is its choice's (Roulette's sets) says why there
    let stake = null;
    let badStake = null;
    try {
      stake = stakeOf(token);
    } catch (error) {
      badStake = error;
    }
    let choice;
    try {
      choice = game.choice(stake, token);
    } catch (error) {
      return { name: error.code ?? "BadChoice", text: error.message };
    }
    if (badStake) return { name: badStake.code ?? "BadAmount", text: badStake.message };
    let plan;
    try {
      plan = formRolls(token);
    } catch (error) {
      return { name: "BadAmount", text: `Stop: ${error.message}.` };
    }
    if (!validRolls(plan.rolls)) return { name: "BadRolls", text: `${nouns[0].toUpperCase()}${nouns.slice(1)}: choose a whole number from 1 to ${maxRolls()}.` };
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
        return { name: "PayoutNotAboveStake", text: game.notAboveStake?.(rollMax, stake, token, config) ??
          `At best this bet pays ${units(rollMax, token)} a ${noun}, no more than your stake of ${units(stake, token)}: stake more.` };
      }
      const most = rollMax * BigInt(plan.rolls);
      if (plan.stopGain > most - staked) {
        return { name: "BadStop", text: `Stop when up by: at most ${units(most - staked, token)}, all this bet can win; ` +
          "leave it empty for no stop." };
      }
      if (plan.stopLoss > staked) {
        return { name: "BadStop", text: `Stop when down by: at most ${units(staked, token)}, all this bet stakes; ` +
          "leave it empty for no stop." };
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

  /** The bet button is enabled only when nothing the page knows stops the bet; the reason shows next to it. */
  function recheck() {
    if (refusal.dataset.kind === "revert" && !refusal.hidden) return;
    const blocked = blocker();
    betButton.disabled = Boolean(blocked) || betButton.getAttribute("aria-busy") === "true";
    showMessage(refusal, blocked?.text ?? null, blocked?.name);
    refusal.dataset.kind = "check";
  }

  async function placeBet() {
    const token = selectedToken(ctx, tokenSelect);
    const stake = stakeOf(token);
    const choice = game.choice(stake, token);
    const { rolls, stopGain, stopLoss } = formRolls(token);
    await readConfig(token);
    const fromWallet = sourceSelect.value === "wallet";
    const staked = stake * BigInt(rolls);
    if (fromWallet && !token.isNative) await ensureAllowance(ctx, token, staked);
    const signed = contract(await wallet.signer());
    const label = `${game.title}: ${units(stake, token)} on ${game.describe(choice)}` + (rolls > 1 ? ` × ${rolls} ${nouns}` : "");
    const deposit = fromWallet ? staked : 0n;
    const value = { value: fromWallet && token.isNative ? staked : 0n };
    const send = () => (rolls === 1 && stopGain === 0n && stopLoss === 0n
      ? signed.placeBet(token.address, stake, choice, deposit, value)
      : signed.placeMultiBet(token.address, stake, choice, rolls, stopGain, stopLoss, deposit, value));
    const receipt = await txlog.run(label, send, { token });
    ctx.session.recordStake(token.address, staked);
    const coordinator = coordinatorReader(ctx);
    const locks = lockedLogs(deployment.contract("Vault", provider()), receipt);
    const stated = new Map(logsNamed(signed, receipt, "BetTerms").map(({ parsed }) => [BigInt(parsed.args.betId), parsed.args]));
    for (const { parsed: placed, index } of logsNamed(signed, receipt, "BetPlaced")) {
      // BetPlaced names only the bet; the other logs of the transaction carry its terms: the
      // request's data word (its RandomnessRequested, request id = bet id) has the lock id, the
      // rolls and, when it packs, the choice; that lock's Locked the player, the token, the stakes
      // and the maximum payout; the bet's BetTerms (only for stops or a choice that does not
      // pack) the choice.
      const betId = BigInt(placed.args.betId);
      const commitment = commitmentInReceipt(coordinator, receipt, betId);
      const data = commitment.rc[13];
      const { lockId, rolls } = betWord(data);
      const lock = locks.get(lockId);
      track({
        betId: String(betId),
        // the bet's Vault lock: the game keeps no record of the bet, betStatusOf and settleTimedOut take it
        lockId,
        readableId: readableBetId(game.key, receipt.blockNumber, index),
        player: lock.player,
        token: deployment.token(lock.token) ?? token,
        stake: BigInt(lock.amount),
        rolls,
        choice: choiceOfWord(data) ?? stated.get(betId).choice,
        maxPayout: BigInt(lock.maxPayout),
        block: receipt.blockNumber,
        // the request's commitment, for expiring it should the oracle miss its deadline
        commitment,
      });
    }
  }

  function track(bet, { older = false } = {}) {
    if (bets.has(bet.betId)) return; // already shown (e.g. the history caught it first)
    const status = el("span", { class: "bet-status" }, "waiting for the random number…");
    const badge = el("span", { class: "badge-slot" });
    bet.element = el("li", { class: "bet pending", title: `bet ${bet.readableId} (id ${bet.betId})`, dataset: { betId: bet.betId, readableId: bet.readableId } },
      el("span", {}, el("code", { class: "readable-id" }, bet.readableId), `: ${units(bet.stake, bet.token)} on ${game.describe(bet.choice)}`,
        bet.rolls > 1 ? ` in ${bet.rolls} ${nouns}` : "", ` (pays up to ${units(bet.maxPayout, bet.token)})`), " — ", status, " ", badge);
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
   * kind "settled" (BetSettled): `word` and `rollsPlayed` (a one-roll bet shows its result).
   * kind "timeout" (BetTimedOut): `payout` is the bet's maximum payout when the request expired
   * (the stakes refunded, the rest paid by the oracle's bond), the stakes alone when only refunded.
   */
  function settle(result, { replayed = false } = {}) {
    const { kind, betId, word, rollsPlayed, payout } = result;
    const bet = bets.get(betId);
    if (!bet) {
      early.set(betId, result);
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
      if (bondPaid) bet.status.title = `Your stake ${units(bet.stake, bet.token)} back and ${units(payout - bet.stake, bet.token)} from the oracle's bond.`;
    } else {
      const won = payout > bet.stake;
      const paid = payout > 0n ? `paid ${units(payout, bet.token)}` : "no win";
      element.className = `bet ${won ? "won" : "lost"}`;
      element.dataset.won = String(won);
      element.dataset.rollsPlayed = String(rollsPlayed);
      if (bet.rolls > 1) {
        const unplayed = bet.rolls - rollsPlayed;
        bet.status.textContent = `played ${rollsPlayed} of ${bet.rolls} ${nouns}` +
          (unplayed ? ` (stopped: ${unplayed} stakes back)` : "") + ` — ${paid}`;
      } else {
        const rolled = word === undefined ? "settled" : game.rolled(element, word, bet.choice, bet);
        bet.status.textContent = `${rolled} — ${paid}`;
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

  // bet ids count per contract: another game's event never settles this game's bet
  function onFeedEvent(event) {
    if (event.contract !== game.contract) return;
    const a = event.args;
    if (event.name === "BetSettled") {
      settle({ kind: "settled", betId: String(a.betId), word: BigInt(a.word), rollsPlayed: Number(a.rollsPlayed), payout: BigInt(a.payout) });
    } else if (event.name === "BetTimedOut") {
      settle({ kind: "timeout", betId: String(a.betId), payout: BigInt(a.payout) });
    }
  }

  // While bets are open: without the live feed, read results from the chain directly (never
  // silently lost); once a bet's request is past its deadline, offer to expire it (the oracle's
  // bond pays the maximum payout); and a bet the coordinator no longer holds but that is still
  // open (its callback failed) can be refunded.
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
        if (bet.lockId === undefined) continue; // an indexed row without its lock: nothing to ask the game
        const [, status] = await reader.betStatusOf(bet.lockId);
        if (bet.settled) continue;
        if (BigInt(status) === AWAITING_REFUND) {
          offer(bet, "refund");
          continue;
        }
        if (BigInt(status) !== AWAITING_WORD) continue; // closed: its event is on the way
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

  /**
   * The control for an open bet without a result: "expire" (its request is past its deadline:
   * coordinator.expire pays the maximum payout from the oracle's bond) or "refund" (the
   * coordinator no longer holds its request, the settlement failed: settleTimedOut refunds).
   * The refund hands back the bet's Vault lock terms, which the game does not keep (the Vault
   * holds their hash and refuses any other set): from its Locked event (or the indexer's row
   * of the bet), the stakes being stake × rolls and maxPayout the whole bet's.
   */
  function offer(bet, kind, head) {
    if (bet.offered === kind) return;
    bet.offered = kind;
    const label = bet.readableId;
    const most = units(bet.maxPayout, bet.token);
    const action = kind === "expire"
      ? () => sendExpire(ctx, `Expire bet ${label}: paid ${most} by the oracle's bond`, bet.commitment)
      : async () => {
          const signed = contract(await wallet.signer());
          const terms = {
            player: bet.player, token: bet.token.address, game: await signed.getAddress(),
            amount: bet.stake, maxPayout: bet.maxPayout, poolId: 0n,
          };
          return txlog.run(`Refund bet ${label}`, () => signed.settleTimedOut(bet.lockId, terms));
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
    }, kind === "expire" ? `Expire and get ${most}` : "Refund my stake");
    bet.element.classList.add("overdue");
    bet.status.textContent = kind === "expire"
      ? `the oracle missed its deadline (${overdueText(bet.commitment, head)}): expire the request and the oracle's ` +
        `bond pays you ${game.best ?? "the bet's maximum payout"}, ${most} ` +
        `(your ${units(bet.stake, bet.token)} back and ${units(bet.maxPayout - bet.stake, bet.token)} from the bond)`
      : "the result was delivered but could not be settled: take your stake back";
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
    const page = await api.get("/bets", { player: wallet.account, game: game.key, limit: HISTORY });
    for (const row of page?.items ?? []) {
      if (bets.has(row.ref)) continue;
      const token = deployment.token(row.token);
      if (!token) continue;
      track({
        betId: row.ref, lockId: row.lock_id == null ? undefined : BigInt(row.lock_id),
        readableId: row.readable_id, player: row.player, token, stake: BigInt(row.stake), choice: row.details.choice,
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

  /** The game's own controls changed the bet: its chain refusal goes, the figures follow. */
  function changed() {
    delete refusal.dataset.kind;
    updateOdds();
  }

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
    refresh: async () => {
      configs.clear();
      caps.clear();
      await Promise.all([updateOdds(), loadHistory()]);
    },
    recheck,
    changed,
  };
}

/** The lock id and rolls of a chance bet's data word (ChanceGame's `Bet`: lockId at bits 0..55,
 * rolls at 56..63). */
export function betWord(data) {
  const word = BigInt(data);
  return { lockId: word & ((1n << 56n) - 1n), rolls: Number((word >> 56n) & 0xffn) };
}

const PACKED = 1n << 159n;
const TWO_WORDS = 1n << 158n;
const WORD_BITS = 79n;

/** The choice (0x-hex ABI bytes) a chance bet's data word packs in its tail (bits 96..255: PACKED
 * at its bit 159, TWO_WORDS at 158, the first ABI word at bits 0..78 and the second at 79..157),
 * or null when it does not pack (the bet's BetTerms log has it). */
export function choiceOfWord(data) {
  const tail = BigInt(data) >> 96n;
  if ((tail & PACKED) === 0n) return null;
  const mask = (1n << WORD_BITS) - 1n;
  const words = (tail & TWO_WORDS) === 0n ? [tail & mask] : [tail & mask, (tail >> WORD_BITS) & mask];
  return `0x${words.map((w) => w.toString(16).padStart(64, "0")).join("")}`;
}

/** The Vault's Locked logs of a receipt, by lock id. */
function lockedLogs(vault, receipt) {
  const target = String(vault.target).toLowerCase();
  const locks = new Map();
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== target) continue;
    try {
      const parsed = vault.interface.parseLog(log);
      if (parsed?.name === "Locked") locks.set(BigInt(parsed.args.lockId), parsed.args);
    } catch {
      // not an event of this ABI
    }
  }
  return locks;
}

/** The `name` logs of `contract` in a receipt with their block-wide log index (a BetPlaced's
 * makes the readable id). */
function logsNamed(contract, receipt, name) {
  const target = String(contract.target).toLowerCase();
  return receipt.logs.filter((log) => log.address.toLowerCase() === target).flatMap((log) => {
    try {
      const parsed = contract.interface.parseLog(log);
      return parsed?.name === name ? [{ parsed, index: log.index }] : [];
    } catch {
      return []; // not an event of this ABI
    }
  });
}
