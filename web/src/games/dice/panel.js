// Dice: odds, payout, the most the bet pays and the largest stake the bankroll and the oracle's
// bond can back now, before the bet (the rules modules' formulas); the bet as one signed
// transaction (one roll, or up to 100 with stop-gain and stop-loss), the result live from the
// API's event feed, and the audit badge. A bet whose random number the oracle did not deliver by
// its deadline is expired at the coordinator from here: the oracle's bond then pays the player the
// bet's maximum payout. Roll-under wins iff roll < target, roll-over iff roll > target.
import { $ } from "../../lib/dom.js";
import { formatAmount, parseAmount } from "../../lib/format.js";
import * as diceRules from "./rules.js";
import { payoutIfWin, multiplier, winChancePercent, isValidTarget, targetRange, encodeChoice, roll as rollOf } from "./rules.js";
import { betTerms, MAX_ROLLS } from "../multiroll.js";
import { explainRevert } from "../../lib/errors.js";
import { fillTokenSelect, selectedToken } from "../../player/tokens.js";
import { ensureAllowance } from "../../player/vault.js";
import { chanceBets } from "../chanceBets.js";
import { betForm, capRefusal, fundsAndLimits, largestStake, readCaps, units } from "../chanceForm.js";


export function dicePanel(ctx) {
  const { deployment, wallet, txlog } = ctx;
  const available = deployment.has("Dice");
  const form = $("#dice-form");
  const tokenSelect = $("#dice-token");
  const stakeInput = $("#dice-stake");
  const targetInput = $("#dice-target");
  const targetNumber = $("#dice-target-number");
  const directionSelect = $("#dice-direction");
  const rollsInput = $("#dice-rolls");
  const stopGainInput = $("#dice-stop-gain");
  const stopLossInput = $("#dice-stop-loss");
  const betButton = $("#dice-bet");
  const sourceSelect = $("#dice-source");
  const list = $("#dice-bets");
  const refusal = $("#dice-refusal");
  const configs = new Map(); // token address → {edgeBps, minStake, maxStake}
  const caps = new Map(); // token address → {room, freeBond, feeBps}: what can back a bet now
  // the bets and their results: the engine's bet list, in Dice's words
  const bets = chanceBets(ctx, {
    contract: "Dice",
    game: "dice",
    list,
    payoutWords: "the win payout",
    describe: (bet) => `${bet.over ? ">" : "<"} ${bet.target}`,
    outcome: (bet, { word }) => {
      if (word === undefined) return "settled";
      const roll = rollOf(word);
      bet.element.dataset.roll = String(roll);
      return `rolled ${roll}`;
    },
    fromHistory: (row) => ({ target: Number(row.details.target), over: Boolean(row.details.over) }),
  });

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

  async function readCapsOf(token) {
    const found = await readCaps(ctx, "Dice", token);
    caps.set(token.address, found);
    return found;
  }

  const over = () => directionSelect.value === "over";

  /** The bet the form describes: {target, over, rolls, stopGain, stopLoss} (amounts in base units). */
  function formBet(token) {
    const stop = (input) => (input.value.trim() === "" ? 0n : parseAmount(input.value, token.decimals));
    return { target: Number(targetNumber.value), over: over(), rolls: Number(rollsInput.value), stopGain: stop(stopGainInput), stopLoss: stop(stopLossInput) };
  }

  /** Why the bankroll or the oracle's bond cannot back this bet at `stake` per roll now, or null. */
  function capsRefuse(token, config, cap, bet, stake) {
    let terms;
    try {
      terms = betTerms(diceRules, stake, encodeChoice(bet.target, bet.over), config.edgeBps, bet.rolls, bet.stopGain, bet.stopLoss);
    } catch {
      return null; // the other checks say what is wrong
    }
    return capRefusal(terms, cap, token, stake, bet.rolls, "Stake less, play fewer rolls or choose a likelier target.");
  }

  /** The slider and the number field follow the direction's targets. */
  function followDirection() {
    const [low, high] = targetRange(over());
    for (const input of [targetInput, targetNumber]) {
      input.min = String(low);
      input.max = String(high);
    }
    const target = Number(targetNumber.value);
    if (target < low || target > high) {
      targetNumber.value = String(Math.min(Math.max(target, low), high));
      targetInput.value = targetNumber.value;
    }
  }

  async function updateOdds() {
    const target = Number(targetNumber.value);
    $("#dice-chance").textContent = isValidTarget(target, over()) ? `${winChancePercent(target, over())} %` : "—";
    recheck();
    if (!available || !(wallet.provider ?? ctx.readProvider)) return;
    const token = selectedToken(ctx, tokenSelect);
    for (const unit of form.querySelectorAll(".dice-unit")) unit.textContent = token.symbol; // the stops' unit
    let config;
    try {
      config = await readConfig(token);
    } catch (error) {
      $("#dice-limits").textContent = `Could not read the Dice settings: ${error.message}`;
      return;
    }
    $("#dice-edge").textContent = `${(Number(config.edgeBps) / 100).toFixed(2)} %`;
    if (!isValidTarget(target, over())) return;
    $("#dice-multiplier").textContent = `${multiplier(target, config.edgeBps, over()).toFixed(4)}×`;
    const range = `Stake ${formatAmount(config.minStake, token.decimals)} to ${formatAmount(config.maxStake, token.decimals)} ${token.symbol}.`;
    $("#dice-limits").textContent = config.enabled ? range : `Dice is closed for ${token.symbol}.`;
    let stake;
    try {
      stake = parseAmount(stakeInput.value, token.decimals);
    } catch {
      $("#dice-payout").textContent = "—";
      return;
    }
    const payout = payoutIfWin(stake, target, config.edgeBps, over());
    $("#dice-payout").textContent = `${formatAmount(payout, token.decimals)} ${token.symbol}`;
    let bet;
    try {
      bet = formBet(token);
    } catch {
      recheck();
      return;
    }
    const rolls = Number.isInteger(bet.rolls) && bet.rolls >= 1 && bet.rolls <= MAX_ROLLS ? bet.rolls : 1;
    $("#dice-max-payout").textContent = `${formatAmount(payout * BigInt(rolls), token.decimals)} ${token.symbol}` +
      (rolls > 1 ? ` (${rolls} rolls)` : "");
    try {
      const cap = await readCapsOf(token);
      const largest = largestStake(config.minStake, config.maxStake, (stake_) => !capsRefuse(token, config, cap, { ...bet, rolls }, stake_));
      // rounded down, so the figure shown always fits
      $("#dice-max-stake").textContent = largest > 0n
        ? `${formatAmount(largest, token.decimals)} ${token.symbol} per roll`
        : "none: the caps are full";
      $("#dice-cap").textContent = largest < config.maxStake
        ? "The bankroll's exposure cap and the oracle's bond back the most a bet can pay: " +
          "more rolls or a less likely target lower the largest stake."
        : "";
    } catch {
      $("#dice-max-stake").textContent = "—";
    }
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
    if (!isValidTarget(target, over())) {
      const [low, high] = targetRange(over());
      return { name: "BadTarget", text: `Choose a whole number from ${low} to ${high} to roll ${over() ? "over" : "under"}.` };
    }
    let stake;
    try {
      stake = parseAmount(stakeInput.value, token.decimals);
    } catch (error) {
      return { name: "BadAmount", text: `Stake: ${error.message}.` };
    }
    let bet;
    try {
      bet = formBet(token);
    } catch (error) {
      return { name: "BadAmount", text: `Stop: ${error.message}.` };
    }
    if (!Number.isInteger(bet.rolls) || bet.rolls < 1 || bet.rolls > MAX_ROLLS) {
      return { name: "BadRolls", text: `Rolls: choose a whole number from 1 to ${MAX_ROLLS}.` };
    }
    const staked = stake * BigInt(bet.rolls);
    const words = (name, ...args) => ({ name, text: explainRevert({ name, args }, { token, tokenOf: (a) => deployment.token(a) }) });
    const protection = ctx.protection?.account === wallet.account ? ctx.protection : null;
    if (protection?.excluded) return words("SelfExcluded", wallet.account, protection.exclusionEnd);
    if (protection?.timedOut) return words("TimedOut", wallet.account, protection.timeOutEnd);
    const config = configs.get(token.address);
    if (config) {
      if (!config.enabled) return words("TokenNotEnabled", token.address);
      if (stake < config.minStake || stake > config.maxStake) return words("StakeOutOfRange", stake, config.minStake, config.maxStake);
      const payout = payoutIfWin(stake, target, config.edgeBps, over());
      if (payout <= stake) {
        const side = over() ? `roll over ${target}` : `roll under ${target}`;
        return { name: "PayoutNotAboveStake", text: `At ${side} (${multiplier(target, config.edgeBps, over()).toFixed(4)}×) a win would pay ` +
          `${units(payout, token)}, no more than your stake of ${units(stake, token)}: choose a ${over() ? "higher" : "lower"} target.` };
      }
      const most = payout * BigInt(bet.rolls);
      if (bet.stopGain > most - staked) {
        return { name: "BadStop", text: `Stop when up by: at most ${units(most - staked, token)}, all this bet can win; ` +
          "leave it empty for no stop." };
      }
      if (bet.stopLoss > staked) {
        return { name: "BadStop", text: `Stop when down by: at most ${units(staked, token)}, all this bet stakes; ` +
          "leave it empty for no stop." };
      }
      const cap = caps.get(token.address);
      const refused = cap && capsRefuse(token, config, cap, bet, stake);
      if (refused) return refused;
    }
    return fundsAndLimits(ctx, token, staked, bet.rolls, sourceSelect.value);
  }

  async function placeBet() {
    const token = selectedToken(ctx, tokenSelect);
    const stake = parseAmount(stakeInput.value, token.decimals);
    const bet = formBet(token);
    if (!isValidTarget(bet.target, bet.over)) throw new Error("choose a target the direction allows");
    const fromWallet = sourceSelect.value === "wallet";
    const staked = stake * BigInt(bet.rolls);
    if (fromWallet && !token.isNative) await ensureAllowance(ctx, token, staked);
    const dice = deployment.contract("Dice", await wallet.signer());
    const side = `roll ${bet.over ? "over" : "under"} ${bet.target}`;
    const label = `Dice: ${formatAmount(stake, token.decimals)} ${token.symbol} on ${side}` + (bet.rolls > 1 ? ` × ${bet.rolls} rolls` : "");
    const receipt = await txlog.run(label, () => sendDiceBet(dice, { token: token.address, stake, ...bet, fromWallet, isNative: token.isNative }), { token });
    ctx.session.recordStake(token.address, staked);
    bets.placed(receipt, token, { target: bet.target, over: bet.over });
  }

  // The slider and the number field are one target.
  targetInput.addEventListener("input", () => {
    targetNumber.value = targetInput.value;
  });
  targetNumber.addEventListener("input", () => {
    const target = Number(targetNumber.value);
    if (isValidTarget(target, over())) targetInput.value = String(target);
  });
  directionSelect.addEventListener("change", followDirection);
  const recheck = betForm(ctx, {
    form, button: betButton, refusal, blocker, place: placeBet, tokenOf: () => selectedToken(ctx, tokenSelect), onChange: updateOdds,
  });

  return {
    refresh: async () => {
      configs.clear();
      caps.clear();
      await Promise.all([updateOdds(), bets.loadHistory()]);
    },
    recheck,
  };
}

/** Per-token Dice settings: enabled, stake bounds and house edge (Dice.tokenConfig). */
export async function readDiceConfig(dice, token) {
  const [enabled, minStake, maxStake, edgeBps] = await dice.tokenConfig(token);
  return { enabled, minStake, maxStake, edgeBps: BigInt(edgeBps) };
}

/**
 * Places one bet: `placeBet` for one roll, `placeMultiBet` for several or with a stop. From the
 * Vault balance `deposit` is 0; from the wallet the stakes are deposited in the same call (ETH as
 * msg.value, an ERC-20 from the approval to the Vault).
 */
export function sendDiceBet(dice, { token, stake, target, over = false, rolls = 1, stopGain = 0n, stopLoss = 0n, fromWallet, isNative }) {
  const choice = encodeChoice(target, over);
  const staked = stake * BigInt(rolls);
  const deposit = fromWallet ? staked : 0n;
  const value = { value: fromWallet && isNative ? staked : 0n };
  if (rolls === 1 && stopGain === 0n && stopLoss === 0n) return dice.placeBet(token, stake, choice, deposit, value);
  return dice.placeMultiBet(token, stake, choice, rolls, stopGain, stopLoss, deposit, value);
}
