// Keno: a grid of the numbers 1 to 40 to pick up to ten, the payout table of the chosen table for
// that many picks (what each hit count pays, its chance, the row's return to player), and after
// the result the ten numbers drawn with the hits marked. Everything else (stake, multi-roll,
// caps, checks in words, the transaction, results, audit badge, expiry) is the chance-game panel.
import { $, el, replace } from "../../lib/dom.js";
import { chancePanel, units } from "../chancePanel.js";
import { DRAWN, MAX_PICKS, NUMBERS, decodeChoice, draw, encodeChoice, hitProbability, maskOf, numbersOf, payout, rollPayout, rollTerms, rowRtp } from "./rules.js";

const percent = (p) => (p >= 0.0001 ? `${(p * 100).toFixed(p >= 0.01 ? 2 : 4)} %` : `1 in ${Math.round(1 / p).toLocaleString("en")}`);
const times = (bps) => `${(Number(bps) / 10_000).toLocaleString("en", { maximumFractionDigits: 4 })}×`;

export function kenoPanel(ctx) {
  const { deployment, wallet } = ctx;
  const grid = $("#keno-grid");
  const tableSelect = $("#keno-table-id");
  const picked = new Set();
  const tables = new Map(); // table id → multipliers[k - 1][h] (bps, BigInt)
  let maxRolls = null; // what the coordinator's callback gas cap allows (read with the tables)
  let panel = null;

  const buttons = Array.from({ length: NUMBERS }, (_, i) => {
    const number = i + 1;
    const button = el("button", { type: "button", "aria-pressed": "false", "aria-label": `Number ${number}`, dataset: { number: String(number) } }, String(number));
    button.addEventListener("click", () => toggle(number));
    grid.append(button);
    return button;
  });

  function showPicks() {
    for (const button of buttons) button.setAttribute("aria-pressed", String(picked.has(Number(button.dataset.number))));
    const count = picked.size;
    $("#keno-count").textContent = count === 0 ? "none picked" : `${count} picked` + (count === MAX_PICKS ? " (the most)" : "");
    panel?.changed();
  }

  function toggle(number) {
    if (picked.has(number)) picked.delete(number);
    else if (picked.size < MAX_PICKS) picked.add(number);
    showPicks();
  }

  $("#keno-clear").addEventListener("click", () => {
    picked.clear();
    showPicks();
  });
  $("#keno-random").addEventListener("click", () => {
    const count = picked.size || 5;
    picked.clear();
    while (picked.size < count) picked.add(1 + Math.floor(Math.random() * NUMBERS));
    showPicks();
  });

  /** The deployment's tables (TableAdded), each read back from tableOf: only enabled ones are offered. */
  async function readTables() {
    if (!deployment.has("Keno") || !(wallet.provider ?? ctx.readProvider)) return;
    const provider = wallet.provider ?? ctx.readProvider;
    const keno = deployment.contract("Keno", provider);
    const coordinator = deployment.contract("RandomnessCoordinator", provider);
    // a bet's callback gas is callbackGasLimit + (rolls - 1) x ROLL_GAS, within the coordinator's cap
    const [first, perRoll, cap] = await Promise.all([keno.callbackGasLimit(), keno.ROLL_GAS(), coordinator.maxCallbackGasLimit()]);
    maxRolls = Math.min(100, 1 + Number((BigInt(cap) - BigInt(first)) / BigInt(perRoll)));
    $("#keno-rolls").max = String(maxRolls);
    const added = await keno.queryFilter("TableAdded", 0);
    const chosen = tableSelect.value;
    tables.clear();
    replace(tableSelect);
    for (const log of added) {
      const tableId = Number(log.args.tableId);
      const [, enabled, multipliers] = await keno.tableOf(tableId);
      if (!enabled) continue;
      tables.set(tableId, multipliers.map((row) => row.map(BigInt)));
      tableSelect.append(el("option", { value: String(tableId) }, `Table ${tableId}`));
    }
    if (chosen && tables.has(Number(chosen))) tableSelect.value = chosen;
  }

  function tableOf(choice) {
    const [tableId] = decodeChoice(choice);
    const table = tables.get(tableId);
    if (!table) throw new RangeError(`payout table ${tableId} is not available`);
    return table;
  }

  // The engine's hooks with the chosen table (the chance-game panel computes with these).
  const rules = {
    rollTerms: (stake, encoded, edgeBps) => rollTerms(stake, encoded, edgeBps, tableOf(encoded)),
    rollPayout: (stake, encoded, edgeBps, word) => rollPayout(stake, encoded, edgeBps, word, tableOf(encoded)),
  };

  function choice() {
    if (picked.size === 0) throw new RangeError(`Pick 1 to ${MAX_PICKS} numbers on the grid.`);
    if (!tables.size) throw new RangeError("No payout table is open for bets.");
    return encodeChoice(Number(tableSelect.value), maskOf([...picked]));
  }

  function describe(encoded) {
    const [, mask] = decodeChoice(encoded);
    const numbers = numbersOf(mask);
    return `${numbers.length} number${numbers.length > 1 ? "s" : ""}: ${numbers.join(" ")}`;
  }

  /** The row of the chosen table for this many picks: what each hit count pays and how likely it is. */
  function showOdds(token, config, stake, encoded) {
    const body = $("#keno-rows");
    replace(body);
    const count = picked.size;
    const table = tables.get(Number(tableSelect.value));
    if (!count || !table) {
      $("#keno-table-caption").textContent = "Pick numbers to see what they pay";
      for (const name of ["chance", "rtp"]) $(`#keno-${name}`).textContent = "—";
      return;
    }
    const row = table[count - 1];
    $("#keno-table-caption").textContent = `What ${count} pick${count > 1 ? "s" : ""} pay on table ${tableSelect.value} (${DRAWN} of ${NUMBERS} drawn)`;
    let paying = 0;
    for (let h = count; h >= 0; h -= 1) {
      const p = hitProbability(count, h);
      if (row[h] > 0n) paying += p;
      const pays = stake === null || encoded === null ? "—" : units(payout(stake, row[h]), token);
      body.append(el("tr", {}, el("td", {}, `${h} of ${count}`), el("td", { class: "num" }, row[h] > 0n ? times(row[h]) : "—"),
        el("td", { class: "num" }, row[h] > 0n ? pays : "—"), el("td", { class: "num" }, percent(p))));
    }
    $("#keno-chance").textContent = percent(paying);
    $("#keno-rtp").textContent = `${(rowRtp(row) * 100).toFixed(2)} %`;
  }

  /** The ten numbers a one-roll bet's word drew, the hits marked. */
  function rolled(element, word, encoded) {
    const [, mask] = decodeChoice(encoded);
    const mine = new Set(numbersOf(mask));
    const drawn = draw(word);
    const hits = drawn.filter((n) => mine.has(n)).length;
    element.dataset.hits = String(hits);
    element.dataset.drawn = drawn.join(",");
    element.append(el("span", { class: "keno-drawn", "aria-label": `drawn: ${drawn.join(", ")}` },
      ...drawn.map((n) => el("span", { class: mine.has(n) ? "hit" : "" }, String(n)))));
    return `${hits} of ${mine.size} hit`;
  }

  panel = chancePanel(ctx, {
    key: "keno", contract: "Keno", title: "Keno", rules, figures: [["Chance of a payout", "chance"], ["Return to player", "rtp"]],
    choice, describe, showOdds, rolled,
    stakeField: { label: "Stake per roll", value: "0.001" }, firstRow: [tableSelect.closest("label")],
    multiNote: " (ten numbers drawn per roll)", betLabel: "Place Keno bet",
    hint: "pick fewer numbers", capHint: "a larger top prize", maxRolls: () => maxRolls ?? 100,
  });
  tableSelect.addEventListener("change", () => panel.changed());
  return {
    refresh: async () => {
      try {
        await readTables();
      } catch {
        // the checks below the form say no table is open
      }
      showPicks();
      await panel.refresh();
    },
    recheck: panel.recheck,
  };
}
