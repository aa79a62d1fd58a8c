// Dice odds and payouts, integer for integer the same as fairstake/rules/dice.py and
// contracts/games/dice/Dice.sol, so the figure shown before a bet is exactly what the chain pays.

export const MIN_TARGET = 1;
export const MAX_TARGET = 99;
export const ROLL_SIDES = 100n;
const BPS = 10_000n;

/** The roll a random word produces: 0..99. */
export function roll(word) {
  return Number(BigInt(word) % ROLL_SIDES);
}

/** Whether `target` is a valid roll-under target. */
export function isValidTarget(target) {
  return Number.isInteger(target) && target >= MIN_TARGET && target <= MAX_TARGET;
}

/** stake × 100 × (10000 − edgeBps) / (target × 10000), rounded down (all BigInt). */
export function payoutIfWin(stake, target, edgeBps) {
  if (!isValidTarget(target)) throw new RangeError(`target must be ${MIN_TARGET}..${MAX_TARGET}`);
  const edge = BigInt(edgeBps);
  return (BigInt(stake) * ROLL_SIDES * (BPS - edge)) / (BigInt(target) * BPS);
}

/** The settled result of a bet for a given random word. */
export function outcome(word, stake, target, edgeBps) {
  const rolled = roll(word);
  const won = rolled < target;
  return { roll: rolled, won, payout: won ? payoutIfWin(stake, target, edgeBps) : 0n };
}

/** Win probability in percent (roll < target over 100 equally likely rolls). */
export function winChancePercent(target) {
  return target;
}

/** Payout multiplier (payout ÷ stake) as a float for display. */
export function multiplier(target, edgeBps) {
  return (100 * (10_000 - Number(edgeBps))) / (target * 10_000);
}
