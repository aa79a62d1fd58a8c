// The roulette board: a compact table to build a bet of up to 16 number sets. Tap numbers to
// select them and "Bet the selected numbers" makes one set of them (a straight, split, street,
// corner or six line when they form one, any set otherwise); the outside bets (red/black,
// odd/even, 1-18/19-36, dozens, columns) add their set at once. Each set carries its own amount.
// On a phone the table stands upright (three columns, zero on top); in a wide card it lies down
// as on a casino table (container query in styles.css).
import { el, replace } from "../../lib/dom.js";
import * as rules from "./rules.js";

const OUTSIDE = [
  ["1 to 18", () => rules.low()],
  ["Even", () => rules.even()],
  ["Red", () => rules.red()],
  ["Black", () => rules.black()],
  ["Odd", () => rules.odd()],
  ["19 to 36", () => rules.high()],
  ["1st 12", () => rules.dozen(1)],
  ["2nd 12", () => rules.dozen(2)],
  ["3rd 12", () => rules.dozen(3)],
];

/** The standard name of a set, or its numbers. */
export function describeSet(mask) {
  const m = BigInt(mask);
  const numbers = rules.numbersOf(m);
  const named = [
    [rules.red(), "Red"], [rules.black(), "Black"], [rules.odd(), "Odd"], [rules.even(), "Even"],
    [rules.low(), "1 to 18"], [rules.high(), "19 to 36"], [rules.firstFour(), "First four 0-3"],
    ...[1, 2, 3].map((n) => [rules.dozen(n), `Dozen ${12 * n - 11}-${12 * n}`]),
    ...[1, 2, 3].map((n) => [rules.column(n), `Column ${n}`]),
  ];
  for (const [set, name] of named) if (set === m) return name;
  const [first] = numbers;
  const shaped = (kind, make) => {
    try {
      return make() === m ? kind : null;
    } catch {
      return null;
    }
  };
  const shape = numbers.length === 1 ? "Straight"
    : numbers.length === 2 ? shaped("Split", () => rules.split(numbers[0], numbers[1]))
    : numbers.length === 3 ? shaped("Street", () => rules.street((first + 2) / 3))
    : numbers.length === 4 ? shaped("Corner", () => rules.corner(first))
    : numbers.length === 6 ? shaped("Six line", () => rules.sixLine((first + 2) / 3))
    : null;
  return `${shape ?? "Numbers"} ${numbers.join(shape === "Street" || shape === "Six line" ? "-" : "/")}`
    .replace(/^(Street|Six line) (\d+)-.*-(\d+)$/, "$1 $2-$3");
}

/**
 * Builds the board in `root` (a div) and the list of sets in `list` (a ul); `amountOf()` gives
 * the amount text a new set starts with. `onChange()` runs whenever the bet changes.
 * Returns { sets(): [{mask, amount}] (amount: the text typed), clear() }.
 */
export function rouletteBoard(root, list, { amountOf, onChange }) {
  const selected = new Set();
  const sets = []; // {mask: BigInt, amount: string}
  const pockets = new Map();

  const pocketButton = (n) => {
    const colour = n === 0 ? "green" : rules.isRed(n) ? "red" : "black";
    const row = Math.ceil(n / 3);
    const col = ((n - 1) % 3) + 1;
    const button = el("button", {
      type: "button", class: `pocket ${colour}`, "aria-pressed": "false",
      "aria-label": `${n}${n ? `, ${colour}` : ""}`, dataset: { number: String(n) },
      style: n ? `--row:${row};--col:${col}` : undefined,
      onclick: () => toggle(n),
    }, String(n));
    pockets.set(n, button);
    return button;
  };
  const columnButton = (c) => el("button", {
    type: "button", class: "pocket outside column-bet", style: `--col:${c}`, dataset: { set: `column-${c}` },
    title: `Column ${c}: ${rules.numbersOf(rules.column(c)).join(", ")}`, onclick: () => addSet(rules.column(c)),
  }, "2:1");

  replace(root,
    el("div", { class: "roulette-table" },
      pocketButton(0),
      Array.from({ length: 36 }, (_, i) => pocketButton(i + 1)),
      [1, 2, 3].map(columnButton)),
    el("div", { class: "roulette-outside" },
      OUTSIDE.map(([label, make]) => el("button", {
        type: "button", class: `pocket outside ${label === "Red" ? "red" : label === "Black" ? "black" : ""}`,
        dataset: { set: label.toLowerCase().replaceAll(" ", "-") }, onclick: () => addSet(make()),
      }, label))),
  );

  function toggle(n) {
    if (selected.has(n)) selected.delete(n);
    else selected.add(n);
    pockets.get(n).setAttribute("aria-pressed", String(selected.has(n)));
    onChange();
  }

  function addSet(mask) {
    if (sets.length >= rules.MAX_SETS) {
      onChange(`A spin covers at most ${rules.MAX_SETS} sets: remove one first.`);
      return;
    }
    const existing = sets.find((s) => s.mask === mask);
    if (existing) {
      existing.amount = amountOf();
    } else {
      sets.push({ mask, amount: amountOf() });
    }
    render();
    onChange();
  }

  function render() {
    replace(list, sets.map((set, index) => el("li", { dataset: { mask: String(set.mask) } },
      el("span", { class: "set-name" }, describeSet(set.mask)),
      el("input", {
        class: "narrow", inputmode: "decimal", autocomplete: "off", value: set.amount,
        "aria-label": `Amount on ${describeSet(set.mask)}`,
        oninput: (event) => {
          set.amount = event.target.value;
          onChange();
        },
      }),
      el("button", { type: "button", class: "small secondary", "aria-label": `Remove ${describeSet(set.mask)}`, onclick: () => {
        sets.splice(index, 1);
        render();
        onChange();
      } }, "✕"))));
  }

  return {
    sets: () => sets.map((s) => ({ ...s })),
    selection: () => [...selected].sort((a, b) => a - b),
    addSelection() {
      if (!selected.size) return false;
      addSet(rules.maskOf([...selected]));
      for (const n of selected) pockets.get(n).setAttribute("aria-pressed", "false");
      selected.clear();
      return true;
    },
    clear() {
      sets.length = 0;
      selected.clear();
      for (const button of pockets.values()) button.setAttribute("aria-pressed", "false");
      render();
      onChange();
    },
  };
}
