// The part of the chance-game panel (web/src/games/chancePanel.js) a weighted-multiplier game
// (Wheel, Plinko) shares: the configuration chooser and its picture (the game's own, `spec`), the
// RTP, house edge and top multiplier of the chosen configuration (web/src/games/weighted.js,
// integer for integer the chain's), and a one-roll result naming the segment it landed on. The
// stake, the rolls and stops, the caps, the checks in words, the bet and its result are the
// shared panel's.
import { $, el, replace } from "../lib/dom.js";
import { chancePanel, units } from "./chancePanel.js";
import { decodeChoice, encodeChoice, maxMultiplier, multiplierText, oddsPercent, rollOutcome, rtp, tables } from "./weighted.js";

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
 *   picture(config, landed) → element (landed: a segment index or null), describe(config) → text,
 *   landing(config, segment) → text}
 */
export function weightedPanel(ctx, spec) {
  const { deployment, wallet } = ctx;
  const { key, contract } = spec;
  const form = $(`#${key}-form`);
  const chooserSlot = el("div", { class: "form-row", id: `${key}-chooser` });
  const picture = el("div", { id: `${key}-picture`, class: "weighted-picture", "aria-live": "polite" });
  form.append(chooserSlot, picture);
  let configs = [];
  let chooser = null;
  const rulesOf = () => tables(new Map(configs.map((c) => [c.id, c])));
  const configOf = (choice) => configs.find((c) => c.id === decodeChoice(choice));
  const selected = () => chooser?.selected() ?? null;

  let pictured; // what the picture shows: "<config id>/<landed>", redrawn only when it changes
  function showPicture(landed = null) {
    const config = selected();
    const showing = `${config?.id}/${landed}`;
    if (landed === null && pictured?.startsWith(`${config?.id}/`)) return; // keep the last result marked
    if (showing === pictured) return;
    pictured = showing;
    replace(picture, config ? spec.picture(config, landed) : el("p", { class: "hint" }, "No configuration is open for bets."));
  }

  async function loadConfigs() {
    const provider = wallet.provider ?? ctx.readProvider;
    if (!deployment.has(contract) || !provider) return;
    configs = await readConfigs(deployment.contract(contract, provider));
    chooser = spec.chooser(configs.filter((c) => c.enabled));
    replace(chooserSlot, chooser.element);
  }

  const panel = chancePanel(ctx, {
    ...spec,
    figures: [["Return to player", "rtp"], ["House edge", "edge"], ["Top multiplier", "top"]],
    stakeField: { label: "Stake", value: "0.001" },
    hint: "choose a lower risk",
    capHint: "a higher top multiplier",
    rules: {
      rollTerms: (...args) => rulesOf().rollTerms(...args),
      rollPayout: (...args) => rulesOf().rollPayout(...args),
    },
    choice: () => {
      const config = selected();
      if (!config) throw Object.assign(new RangeError("No configuration of this kind is open for bets: choose another."), { code: "ConfigDisabled" });
      return encodeChoice(config.id);
    },
    describe: (choice) => {
      const config = configOf(choice);
      return config ? spec.describe(config) : `configuration ${decodeChoice(choice)}`;
    },
    showChoice: () => {
      showPicture();
      const config = selected();
      if (!config) return;
      $(`#${key}-rtp`).textContent = percentText(rtp(config) * 100);
      const top = oddsByMultiplier(config)[0];
      $(`#${key}-top`).textContent = `${multiplierText(top.multiplier)} (${percentText(top.percent)})`;
    },
    edge: () => (selected() ? percentText((1 - rtp(selected())) * 100) : "—"),
    notAboveStake: (best, stake, token) => `At best (${multiplierText(maxMultiplier(selected()))}) this bet would pay ` +
      `${units(best, token)}, no more than your stake of ${units(stake, token)}: stake more.`,
    rolled: (element, word, choice, bet) => {
      const config = configOf(choice);
      if (!config) return "settled";
      const { segment } = rollOutcome(bet.stake, config, word);
      element.dataset.segment = String(segment);
      if (config.id === selected()?.id) showPicture(segment); // the latest result, marked
      return spec.landing(config, segment);
    },
  });

  return {
    refresh: async () => {
      if (!configs.length) await loadConfigs().catch(() => {});
      await panel.refresh();
    },
    recheck: panel.recheck,
  };
}
