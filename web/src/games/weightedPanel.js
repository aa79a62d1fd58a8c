// The panel of a weighted-multiplier game (Wheel, Plinko): the configuration chooser and its
// picture (the game's own, `spec`), then what both share: before the bet, every segment's
// multiplier and odds, the RTP and house edge, the most the bet pays and the largest stake the
// bankroll's exposure cap and the oracle's bond can back now (web/src/games/weighted.js and the
// engine's web/src/games/multiroll.js, integer for integer the chain's); one or up to 100 rolls
// with stop-gain and stop-loss; each refusal next to the button in token units; the bets and
// their results (web/src/games/chanceBets.js), a one-roll result naming the segment it landed on.
import { $, el, replace } from "../lib/dom.js";
import { formatAmount, parseAmount } from "../lib/format.js";
import { explainRevert } from "../lib/errors.js";
import { fillTokenSelect, selectedToken } from "../player/tokens.js";
import { ensureAllowance } from "../player/vault.js";
import { betTerms, MAX_ROLLS } from "./multiroll.js";
import { chanceBets } from "./chanceBets.js";
import { betForm, capRefusal, fundsAndLimits, largestStake, readCaps, units } from "./chanceForm.js";
import { encodeChoice, maxMultiplier, multiplierText, oddsPercent, rollOutcome, rtp, tables } from "./weighted.js";

/** Every configuration of the game: [{id, weights, multipliers, risk, enabled}] (configOf of 1..configCount). */
export async function readConfigs(game) {
  const count = Number(await game.configCount());
  const ids = Array.from({ length: count }, (_, i) => i + 1);
  return Promise.all(ids.map(async (id) => {
    const [header, weights, multipliers] = await game.configOf(id);
    return { id, weights: weights.map(Number), multipliers: multipliers.map(Number), risk: Number(header.risk), enabled: header.enabled };
  }));
}

/** The segments of `config` grouped by multiplier, largest first: [{multiplier, count, percent}]. */
export function oddsByMultiplier(config) {
  const odds = oddsPercent(config);
  const groups = new Map();
  config.multipliers.forEach((m, i) => {
    const group = groups.get(m) ?? { multiplier: m, count: 0, percent: 0 };
    group.count += 1;
    group.percent += odds[i];
    groups.set(m, group);
  });
  return [...groups.values()].sort((a, b) => b.multiplier - a.multiplier);
}

/** "12.5 %" or "0.0031 %": enough digits to show a rare segment's odds. */
export function percentText(percent) {
  return `${percent >= 1 ? percent.toFixed(2) : percent.toPrecision(2)} %`;
}

/**
 * @param spec {key, contract, title, betLabel (the button's name), chooser(configs) → {element, selected() → config|null},
 *   picture(config, landed) → element (landed: a segment index or null), landing(config, segment) → text}
 */
export function weightedPanel(ctx, spec) {
  const { deployment, wallet, txlog } = ctx;
  const { key, contract, title } = spec;
  const available = deployment.has(contract);
  const form = $(`#${key}-form`);
  const id = (name) => `${key}-${name}`;
  const input = (name, attrs = {}) => el("input", { id: id(name), name, autocomplete: "off", ...attrs });
  const tokenSelect = el("select", { id: id("token"), name: "token" });
  const stakeInput = input("stake", { inputmode: "decimal", value: "0.001", required: true });
  const sourceSelect = el("select", { id: id("source"), name: "source" },
    el("option", { value: "vault" }, "Vault balance"), el("option", { value: "wallet" }, "Wallet"));
  const rollsInput = input("rolls", { type: "number", min: "1", max: String(MAX_ROLLS), step: "1", value: "1", inputmode: "numeric", class: "narrow" });
  const stopGainInput = input("stop-gain", { inputmode: "decimal", value: "", placeholder: "no stop" });
  const stopLossInput = input("stop-loss", { inputmode: "decimal", value: "", placeholder: "no stop" });
  const figure = (name) => el("dd", { id: id(name) }, "—");
  const chooserSlot = el("div", { class: "form-row", id: id("chooser") });
  const picture = el("div", { id: id("picture"), class: "weighted-picture", "aria-live": "polite" });
  const betButton = el("button", { id: id("bet"), type: "submit", "aria-describedby": id("refusal"), dataset: { message: id("refusal") } }, spec.betLabel);
  const refusal = el("p", { id: id("refusal"), class: "refusal", role: "alert", hidden: true });
  replace(form,
    el("div", { class: "form-row" }, el("label", {}, "Token ", tokenSelect), el("label", {}, "Stake ", stakeInput), el("label", {}, "Pay from ", sourceSelect)),
    chooserSlot,
    picture,
    el("fieldset", { class: "form-row", id: id("multi") }, el("legend", {}, "Several rolls in one bet"),
      el("label", {}, "Rolls ", rollsInput), el("label", {}, "Stop when up by ", stopGainInput), el("label", {}, "Stop when down by ", stopLossInput)),
    el("dl", { id: id("odds"), class: "odds", "aria-live": "polite" },
      el("div", {}, el("dt", {}, "Return to player"), figure("rtp")),
      el("div", {}, el("dt", {}, "House edge"), figure("edge")),
      el("div", {}, el("dt", {}, "Top multiplier"), figure("top")),
      el("div", {}, el("dt", {}, "Most the bet pays"), figure("max-payout")),
      el("div", {}, el("dt", {}, "Largest stake now"), figure("max-stake"))),
    el("p", { id: id("cap"), class: "hint" }),
    el("p", { id: id("limits"), class: "hint" }),
    betButton,
    refusal);
  const tokenConfigs = new Map(); // token address → {enabled, minStake, maxStake, edgeBps}
  const caps = new Map(); // token address → {room, freeBond, feeBps}
  let configs = [];
  let chooser = null;
  const rulesOf = () => tables(new Map(configs.map((c) => [c.id, c])));

  const bets = chanceBets(ctx, {
    contract,
    game: key,
    list: $(`#${key}-bets`),
    describe: (bet) => (bet.config ? spec.describe(bet.config) : `configuration ${bet.configId}`),
    outcome: (bet, { word }) => {
      if (!bet.config || word === undefined) return "settled";
      const { segment } = rollOutcome(bet.stake, bet.config, word);
      bet.element.dataset.segment = String(segment);
      if (bet.config.id === chooser?.selected()?.id) showPicture(segment); // the latest result, marked
      return spec.landing(bet.config, segment);
    },
    fromHistory: (row) => {
      const configId = Number(row.details.configId);
      return { configId, config: configs.find((c) => c.id === configId) };
    },
  });

  fillTokenSelect(tokenSelect, deployment.tokens);
  if (!available) {
    for (const control of form.elements) control.disabled = true;
    $(`#${key}-limits`).textContent = `${title} is not deployed on this platform.`;
  }

  const provider = () => wallet.provider ?? ctx.readProvider;

  async function readTokenConfig(token) {
    if (tokenConfigs.has(token.address)) return tokenConfigs.get(token.address);
    const [enabled, minStake, maxStake, edgeBps] = await deployment.contract(contract, provider()).tokenConfig(token.address);
    const found = { enabled, minStake, maxStake, edgeBps: BigInt(edgeBps) };
    tokenConfigs.set(token.address, found);
    return found;
  }

  async function readCapsOf(token) {
    const found = await readCaps(ctx, contract, token);
    caps.set(token.address, found);
    return found;
  }

  /** The bet the form describes (amounts in base units), or throws on an unreadable amount. */
  function formBet(token) {
    const stop = (field) => (field.value.trim() === "" ? 0n : parseAmount(field.value, token.decimals));
    return { rolls: Number(rollsInput.value), stopGain: stop(stopGainInput), stopLoss: stop(stopLossInput) };
  }

  /** Why the bankroll or the oracle's bond cannot back this bet at `stake` per roll now, or null. */
  function capsRefuse(token, config, cap, bet, stake) {
    let terms;
    try {
      terms = betTerms(rulesOf(), stake, encodeChoice(config.id), 0, bet.rolls, bet.stopGain, bet.stopLoss);
    } catch {
      return null; // the other checks say what is wrong
    }
    return capRefusal(terms, cap, token, stake, bet.rolls, "Stake less, play fewer rolls or choose a lower risk.");
  }

  let pictured; // what the picture shows: "<config id>/<landed>", redrawn only when it changes
  function showPicture(landed = null) {
    const config = chooser?.selected();
    const showing = `${config?.id}/${landed}`;
    if (landed === null && pictured?.startsWith(`${config?.id}/`)) return; // keep the last result marked
    if (showing === pictured) return;
    pictured = showing;
    replace(picture, config ? spec.picture(config, landed) : el("p", { class: "hint" }, "No configuration is open for bets."));
  }

  async function update() {
    showPicture();
    recheck();
    const config = chooser?.selected();
    if (!available || !provider() || !config) return;
    $(`#${key}-rtp`).textContent = percentText(rtp(config) * 100);
    $(`#${key}-edge`).textContent = percentText((1 - rtp(config)) * 100);
    const top = oddsByMultiplier(config)[0];
    $(`#${key}-top`).textContent = `${multiplierText(top.multiplier)} (${percentText(top.percent)})`;
    const token = selectedToken(ctx, tokenSelect);
    let tokenConfig;
    try {
      tokenConfig = await readTokenConfig(token);
    } catch (error) {
      $(`#${key}-limits`).textContent = `Could not read the ${title} settings: ${error.message}`;
      return;
    }
    const range = `Stake ${formatAmount(tokenConfig.minStake, token.decimals)} to ${formatAmount(tokenConfig.maxStake, token.decimals)} ${token.symbol} per roll.`;
    $(`#${key}-limits`).textContent = tokenConfig.enabled ? range : `${title} is closed for ${token.symbol}.`;
    let stake;
    let bet;
    try {
      stake = parseAmount(stakeInput.value, token.decimals);
      bet = formBet(token);
    } catch {
      $(`#${key}-max-payout`).textContent = "—";
      return;
    }
    const rolls = Number.isInteger(bet.rolls) && bet.rolls >= 1 && bet.rolls <= MAX_ROLLS ? bet.rolls : 1;
    const most = (stake * maxMultiplier(config)) / 10_000n * BigInt(rolls);
    $(`#${key}-max-payout`).textContent = `${formatAmount(most, token.decimals)} ${token.symbol}` + (rolls > 1 ? ` (${rolls} rolls)` : "");
    try {
      const cap = await readCapsOf(token);
      const largest = largestStake(tokenConfig.minStake, tokenConfig.maxStake, (stake_) => !capsRefuse(token, config, cap, { ...bet, rolls }, stake_));
      $(`#${key}-max-stake`).textContent = largest > 0n ? `${units(largest, token)} per roll` : "none: the caps are full";
      $(`#${key}-cap`).textContent = largest < tokenConfig.maxStake
        ? "The bankroll's exposure cap and the oracle's bond back the most a bet can pay: more rolls or a higher top multiplier lower the largest stake."
        : "";
    } catch {
      $(`#${key}-max-stake`).textContent = "—";
    }
    recheck();
  }

  /** What stops this bet before it is sent, as {name, text}, or null (the chain decides anyway). */
  function blocker() {
    if (!available) return { name: "NotDeployed", text: `${title} is not deployed on this platform.` };
    if (!wallet.connected) return { name: "NoWallet", text: "Connect a wallet (at the top of the page) to place a bet." };
    if (!wallet.onExpectedChain) return { name: "WrongNetwork", text: "Switch your wallet to this platform's network to place a bet." };
    const token = deployment.token(tokenSelect.value);
    if (!token) return { name: "NoToken", text: "Choose a token." };
    const config = chooser?.selected();
    if (!config) return { name: "ConfigDisabled", text: "No configuration of this kind is open for bets: choose another." };
    let stake;
    let bet;
    try {
      stake = parseAmount(stakeInput.value, token.decimals);
    } catch (error) {
      return { name: "BadAmount", text: `Stake: ${error.message}.` };
    }
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
    const tokenConfig = tokenConfigs.get(token.address);
    if (tokenConfig) {
      if (!tokenConfig.enabled) return words("TokenNotEnabled", token.address);
      if (stake < tokenConfig.minStake || stake > tokenConfig.maxStake) return words("StakeOutOfRange", stake, tokenConfig.minStake, tokenConfig.maxStake);
      const best = (stake * maxMultiplier(config)) / 10_000n;
      if (best <= stake) {
        return { name: "PayoutNotAboveStake", text: `At best (${multiplierText(maxMultiplier(config))}) this bet would pay ` +
          `${units(best, token)}, no more than your stake of ${units(stake, token)}: stake more.` };
      }
      const most = best * BigInt(bet.rolls);
      if (bet.stopGain > most - staked) {
        return { name: "BadStop", text: `Stop when up by: at most ${units(most - staked, token)}, all this bet can win; leave it empty for no stop.` };
      }
      if (bet.stopLoss > staked) {
        return { name: "BadStop", text: `Stop when down by: at most ${units(staked, token)}, all this bet stakes; leave it empty for no stop.` };
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
    const config = chooser.selected();
    const fromWallet = sourceSelect.value === "wallet";
    const staked = stake * BigInt(bet.rolls);
    if (fromWallet && !token.isNative) await ensureAllowance(ctx, token, staked);
    const game = deployment.contract(contract, await wallet.signer());
    const choice = encodeChoice(config.id);
    const deposit = fromWallet ? staked : 0n;
    const value = { value: fromWallet && token.isNative ? staked : 0n };
    const label = `${title}: ${formatAmount(stake, token.decimals)} ${token.symbol} on ${spec.describe(config)}` + (bet.rolls > 1 ? ` × ${bet.rolls} rolls` : "");
    const receipt = await txlog.run(label, () => (bet.rolls === 1 && bet.stopGain === 0n && bet.stopLoss === 0n
      ? game.placeBet(token.address, stake, choice, deposit, value)
      : game.placeMultiBet(token.address, stake, choice, bet.rolls, bet.stopGain, bet.stopLoss, deposit, value)), { token });
    ctx.session.recordStake(token.address, staked);
    bets.placed(receipt, token, { configId: config.id, config });
  }

  async function loadConfigs() {
    if (!available || !provider()) return;
    configs = await readConfigs(deployment.contract(contract, provider()));
    const previous = chooser;
    chooser = spec.chooser(configs.filter((c) => c.enabled));
    if (!previous) {
      replace(chooserSlot, chooser.element);
    } else {
      chooserSlot.replaceChildren(chooser.element);
    }
  }

  const recheck = betForm(ctx, {
    form, button: betButton, refusal, blocker, place: placeBet, tokenOf: () => selectedToken(ctx, tokenSelect), onChange: update,
  });

  return {
    refresh: async () => {
      tokenConfigs.clear();
      caps.clear();
      if (!configs.length) await loadConfigs().catch(() => {});
      await Promise.all([update(), bets.loadHistory()]);
    },
    recheck,
  };
}
