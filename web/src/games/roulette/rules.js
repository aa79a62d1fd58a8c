// Single-zero roulette, integer for integer the same as fairstake/rules/roulette.py and
// contracts/games/roulette/RouletteRules.sol, so the figures shown before a bet are what the chain pays.
// A bet is up to 16 number sets (bit masks over 0..36) with a part of the stake each.

export const POCKETS = 37;
export const MAX_SETS = 16;
export const MAX_EDGE_BPS = 200;
const BPS = 10_000n;
const ALL_POCKETS = (1n << 37n) - 1n;
const UINT64 = 1n << 64n;

/** The European wheel's red numbers; every other number but 0 is black. */
export const RED_NUMBERS = Object.freeze([1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36]);

/** The bit mask (BigInt) of a list of numbers 0..36. */
export function maskOf(numbers) {
  let mask = 0n;
  for (const n of numbers) {
    if (!Number.isInteger(n) || n < 0 || n > 36) throw new RangeError(`roulette numbers are 0..36, got ${n}`);
    mask |= 1n << BigInt(n);
  }
  return mask;
}

export function numbersOf(mask) {
  const m = BigInt(mask);
  const out = [];
  for (let n = 0; n < POCKETS; n++) if ((m >> BigInt(n)) & 1n) out.push(n);
  return out;
}

const range = (from, to, step = 1) => {
  const out = [];
  for (let n = from; n <= to; n += step) out.push(n);
  return out;
};

// The table: numbers 1..36 in 12 rows of three (row r holds 3r-2, 3r-1, 3r), zero above them.
export const straight = (n) => maskOf([n]);

/** Two neighbours on the table: side by side in a row, one above the other, or 0 with 1, 2 or 3. */
export function split(a, b) {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  const beside = lo >= 1 && hi - lo === 1 && lo % 3 !== 0;
  const above = lo >= 1 && hi - lo === 3;
  if (!(lo >= 0 && hi <= 36 && (beside || above || (lo === 0 && hi <= 3)))) {
    throw new RangeError(`${a} and ${b} are not neighbours on the table`);
  }
  return maskOf([lo, hi]);
}

export function street(row) {
  if (!(row >= 1 && row <= 12)) throw new RangeError(`a street is row 1..12, got ${row}`);
  return maskOf(range(3 * row - 2, 3 * row));
}

/** The four numbers whose smallest is `topLeft` (not in the third column, at most 32). */
export function corner(topLeft) {
  if (!(topLeft >= 1 && topLeft <= 32 && topLeft % 3 !== 0)) throw new RangeError(`no corner starts at ${topLeft}`);
  return maskOf([topLeft, topLeft + 1, topLeft + 3, topLeft + 4]);
}

export function sixLine(row) {
  if (!(row >= 1 && row <= 11)) throw new RangeError(`a six line starts at row 1..11, got ${row}`);
  return street(row) | street(row + 1);
}

export const firstFour = () => maskOf([0, 1, 2, 3]);
export const red = () => maskOf(RED_NUMBERS);
export const black = () => maskOf(range(1, 36).filter((n) => !RED_NUMBERS.includes(n)));
export const odd = () => maskOf(range(1, 36, 2));
export const even = () => maskOf(range(2, 36, 2));
export const low = () => maskOf(range(1, 18));
export const high = () => maskOf(range(19, 36));

/** Dozen 1..3: 1-12, 13-24, 25-36. */
export function dozen(n) {
  if (!(n >= 1 && n <= 3)) throw new RangeError(`a dozen is 1..3, got ${n}`);
  return maskOf(range(12 * n - 11, 12 * n));
}

/** Column 1..3: the numbers that are n modulo 3 (column 3: the multiples of 3). */
export function column(n) {
  if (!(n >= 1 && n <= 3)) throw new RangeError(`a column is 1..3, got ${n}`);
  return maskOf(range(n, 36, 3));
}

export function isRed(n) {
  return RED_NUMBERS.includes(n);
}

const word = (value) => BigInt(value).toString(16).padStart(64, "0");

/** The canonical abi.encode(uint64[] masks, uint256[] parts) as 0x-hex. */
export function encodeChoice(masks, parts) {
  if (masks.length !== parts.length) throw new RangeError("one part per set");
  const n = masks.length;
  const words = [64n, BigInt(32 * (3 + n)), BigInt(n), ...masks.map(BigInt), BigInt(n), ...parts.map(BigInt)];
  return "0x" + words.map(word).join("");
}

/** [masks, parts] (BigInt) of a choice; anything but the canonical encoding throws. */
export function decodeChoice(choice) {
  const hex = String(choice).replace(/^0x/, "");
  const bad = () => new RangeError("a roulette choice is abi.encode(uint64[] masks, uint256[] parts)");
  if (hex.length % 64 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw bad();
  const words = [];
  for (let i = 0; i < hex.length; i += 64) words.push(BigInt("0x" + hex.slice(i, i + 64)));
  if (words.length < 4 || (words.length - 4) % 2 !== 0) throw bad();
  const n = (words.length - 4) / 2;
  if (words[0] !== 64n || words[1] !== BigInt(32 * (3 + n)) || words[2] !== BigInt(n) || words[3 + n] !== BigInt(n)) {
    throw bad();
  }
  const masks = words.slice(3, 3 + n);
  if (masks.some((m) => m >= UINT64)) throw bad();
  return [masks, words.slice(4 + n)];
}

function bitCount(mask) {
  let m = BigInt(mask);
  let k = 0n;
  while (m) {
    m &= m - 1n;
    k++;
  }
  return k;
}

/** Why the contract would refuse the bet (its order), or null. */
export function choiceProblem(masks, parts, stake) {
  if (masks.length < 1 || masks.length > MAX_SETS) return `a bet covers 1 to ${MAX_SETS} number sets`;
  let total = 0n;
  for (let i = 0; i < masks.length; i++) {
    const m = BigInt(masks[i]);
    if (m === 0n || (m & ~ALL_POCKETS) !== 0n) return `set ${i + 1} must hold numbers 0..36`;
    if (BigInt(parts[i]) === 0n) return `set ${i + 1} has no part of the stake`;
    total += BigInt(parts[i]);
  }
  if (total !== BigInt(stake)) return "the parts do not add up to the stake";
  return null;
}

/** What one set pays when the pocket is in it, rounded down. */
export function setPayout(part, mask, edgeBps) {
  return (BigInt(part) * 36n * (BPS - BigInt(edgeBps))) / (bitCount(mask) * BPS);
}

export function pocket(word) {
  return Number(BigInt(word) % 37n);
}

/** What the bet pays for each pocket 0..36. */
export function payoutsByPocket(masks, parts, edgeBps) {
  const paid = masks.map((m, i) => setPayout(parts[i], m, edgeBps));
  const out = [];
  for (let n = 0n; n < 37n; n++) {
    let sum = 0n;
    masks.forEach((m, i) => {
      if ((BigInt(m) >> n) & 1n) sum += paid[i];
    });
    out.push(sum);
  }
  return out;
}

/** [true maximum payout, house edge] of a bet: stake minus the expected payout rounded up. */
export function terms(masks, parts, stake, edgeBps) {
  let expected37 = 0n;
  masks.forEach((m, i) => {
    expected37 += setPayout(parts[i], m, edgeBps) * bitCount(m);
  });
  const max = payoutsByPocket(masks, parts, edgeBps).reduce((a, b) => (b > a ? b : a), 0n);
  return [max, BigInt(stake) - (expected37 + 36n) / 37n];
}

/** [maximum payout, house edge] of one spin, as the contract's _rollTerms (throws on a bad bet). */
export function rollTerms(stake, choice, edgeBps) {
  const [masks, parts] = decodeChoice(choice);
  const problem = choiceProblem(masks, parts, stake);
  if (problem) throw new RangeError(problem);
  return terms(masks, parts, stake, edgeBps);
}

/** What one spin pays for `word`, as the contract's _rollPayout. */
export function rollPayout(stake, choice, edgeBps, word) {
  const [masks, parts] = decodeChoice(choice);
  const hit = BigInt(pocket(word));
  let paid = 0n;
  masks.forEach((m, i) => {
    if ((m >> hit) & 1n) paid += setPayout(parts[i], m, edgeBps);
  });
  return paid;
}
