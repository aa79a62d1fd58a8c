// Keno's draw and payouts, integer for integer the same as fairstake/rules/keno.py and
// contracts/games/keno/KenoRules.sol, so the figures shown before a bet are exactly what the chain
// pays. The draw: x = word, pool = [1..40]; for j = 0..9: n = 40 - j, r = x % n, x = x / n, swap
// pool[j] and pool[j + r]; the drawn numbers are pool[0..9] in that order.

export const NUMBERS = 40;
export const DRAWN = 10;
export const MAX_PICKS = 10;
export const BPS = 10_000n;

function binomial(n, r) {
  let result = 1n;
  for (let i = 0; i < r; i += 1) result = (result * BigInt(n - i)) / BigInt(i + 1);
  return result;
}

/** C(40, 10): the number of equally likely drawn sets. */
export const DRAWS = binomial(NUMBERS, DRAWN);

/** The ten drawn numbers (1..40) of a random word, in draw order. */
export function draw(word) {
  const pool = Array.from({ length: NUMBERS }, (_, i) => i + 1);
  let x = BigInt(word);
  for (let j = 0; j < DRAWN; j += 1) {
    const left = BigInt(NUMBERS - j);
    const r = j + Number(x % left);
    x /= left;
    [pool[j], pool[r]] = [pool[r], pool[j]];
  }
  return pool.slice(0, DRAWN);
}

/** The mask naming `numbers` (bit n - 1 for number n), as a BigInt. */
export function maskOf(numbers) {
  let mask = 0n;
  for (const n of numbers) {
    if (!Number.isInteger(n) || n < 1 || n > NUMBERS) throw new RangeError(`a number is 1..${NUMBERS}`);
    mask |= 1n << BigInt(n - 1);
  }
  return mask;
}

/** The numbers a mask names, ascending. */
export function numbersOf(mask) {
  const m = BigInt(mask);
  const numbers = [];
  for (let n = 1; n <= NUMBERS; n += 1) if ((m >> BigInt(n - 1)) & 1n) numbers.push(n);
  return numbers;
}

function countOf(mask) {
  let m = BigInt(mask);
  let count = 0;
  while (m !== 0n) {
    m &= m - 1n;
    count += 1;
  }
  return count;
}

/** How many numbers a valid picks mask names (1..10); RangeError otherwise (Keno.sol: BadPicks). */
export function pickCount(picksMask) {
  const mask = BigInt(picksMask);
  if (mask <= 0n || mask >> BigInt(NUMBERS) !== 0n) throw new RangeError(`pick 1 to ${MAX_PICKS} of 1..${NUMBERS}`);
  const count = countOf(mask);
  if (count > MAX_PICKS) throw new RangeError(`pick at most ${MAX_PICKS} numbers`);
  return count;
}

/** How many of the picked numbers the word draws. */
export function hits(picksMask, word) {
  pickCount(picksMask);
  return countOf(BigInt(picksMask) & maskOf(draw(word)));
}

/** For h = 0..picks: how many of the C(40, 10) drawn sets give h hits. */
export function weights(picks) {
  return Array.from({ length: picks + 1 }, (_, h) => binomial(picks, h) * binomial(NUMBERS - picks, DRAWN - h));
}

/** The probability of h hits with `picks` numbers, as a float for display. */
export function hitProbability(picks, h) {
  return Number(weights(picks)[h]) / Number(DRAWS);
}

/** stake × multiplier / 10000, rounded down (BigInt). */
export function payout(stake, multiplierBps) {
  return (BigInt(stake) * BigInt(multiplierBps)) / BPS;
}

/** A row's exact RTP as a float (sum of weight × multiplier over DRAWS × 10000). */
export function rowRtp(row) {
  const w = weights(row.length - 1);
  const numerator = row.reduce((sum, m, h) => sum + w[h] * BigInt(m), 0n);
  return Number((numerator * 1_000_000n) / (DRAWS * BPS)) / 1_000_000;
}

/** abi.encode(uint32 tableId, uint64 picksMask) as 0x-hex. */
export function encodeChoice(tableId, picksMask) {
  const word = (value) => BigInt(value).toString(16).padStart(64, "0");
  return `0x${word(tableId)}${word(picksMask)}`;
}

/** [tableId, picksMask] of an encoded choice (0x-hex). */
export function decodeChoice(choice) {
  const hex = choice.startsWith("0x") ? choice.slice(2) : choice;
  if (hex.length !== 128) throw new RangeError("a Keno choice is 64 bytes");
  const tableId = BigInt(`0x${hex.slice(0, 64)}`);
  const picksMask = BigInt(`0x${hex.slice(64)}`);
  if (tableId >= 1n << 32n || picksMask >= 1n << 64n) throw new RangeError("a Keno choice is (uint32, uint64)");
  return [Number(tableId), picksMask];
}

function rowOf(choice, table) {
  const [, picksMask] = decodeChoice(choice);
  return [picksMask, table[pickCount(picksMask) - 1]];
}

/** [maxPayout, houseEdge] of one roll: the row's largest payout, and the stake less the expected
 * payout (each payout rounded down, the expectation rounded up). `edgeBps` is unused. */
export function rollTerms(stake, choice, _edgeBps, table) {
  const [, row] = rowOf(choice, table);
  const s = BigInt(stake);
  const w = weights(row.length - 1);
  const highest = row.reduce((top, m) => (BigInt(m) > top ? BigInt(m) : top), 0n);
  const total = row.reduce((sum, m, h) => sum + w[h] * payout(s, m), 0n);
  return [payout(s, highest), s - (total + DRAWS - 1n) / DRAWS];
}

/** What one roll pays for the random word. `edgeBps` is unused. */
export function rollPayout(stake, choice, _edgeBps, word, table) {
  const [picksMask, row] = rowOf(choice, table);
  return payout(stake, row[hits(picksMask, word)]);
}
