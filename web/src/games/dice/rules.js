// Dice odds and payouts, integer for integer the same as fairstake/rules/dice.py and
// contracts/games/dice/ (DiceRules.sol, Dice.sol's hooks), so the figure shown before a bet is
// exactly what the chain pays. A bet's choice is abi.encode(uint8 target, bool over): roll-under
// (target 1..99) wins iff roll < target, roll-over (target 0..98) iff roll > target.
import { AbiCoder } from "ethers";

export const MIN_TARGET = 1;
export const MAX_TARGET = 99;
export const MAX_OVER_TARGET = 98;
export const ROLL_SIDES = 100n;
const BPS = 10_000n;
const coder = AbiCoder.defaultAbiCoder();

/** The roll a random word produces: 0..99. */
export function roll(word) {
  return Number(BigInt(word) % ROLL_SIDES);
}

/** Whether `target` is a valid target for the direction (`over`: roll-over). */
export function isValidTarget(target, over = false) {
  if (!Number.isInteger(target)) return false;
  return over ? target >= 0 && target <= MAX_OVER_TARGET : target >= MIN_TARGET && target <= MAX_TARGET;
}

/** The targets a direction takes, for messages and the controls' bounds. */
export function targetRange(over = false) {
  return over ? [0, MAX_OVER_TARGET] : [MIN_TARGET, MAX_TARGET];
}

/** How many of the 100 rolls win. */
export function winningOutcomes(target, over = false) {
  if (!isValidTarget(target, over)) {
    const [low, high] = targetRange(over);
    throw new RangeError(`a ${over ? "roll-over" : "roll-under"} target must be ${low}..${high}`);
  }
  return over ? 99 - target : target;
}

/** stake × 100 × (10000 − edgeBps) / (winning outcomes × 10000), rounded down (all BigInt). */
export function payoutIfWin(stake, target, edgeBps, over = false) {
  const outcomes = BigInt(winningOutcomes(target, over));
  return (BigInt(stake) * ROLL_SIDES * (BPS - BigInt(edgeBps))) / (outcomes * BPS);
}

/** One roll's house edge as Dice declares it: stake − ceil(payoutIfWin × outcomes / 100). */
export function houseEdge(stake, target, edgeBps, over = false) {
  const outcomes = BigInt(winningOutcomes(target, over));
  const win = payoutIfWin(stake, target, edgeBps, over);
  return BigInt(stake) - (win * outcomes + ROLL_SIDES - 1n) / ROLL_SIDES;
}

/** The settled result of one roll for a given random word. */
export function outcome(word, stake, target, edgeBps, over = false) {
  const rolled = roll(word);
  const won = over ? rolled > target : rolled < target;
  return { roll: rolled, won, payout: won ? payoutIfWin(stake, target, edgeBps, over) : 0n };
}

/** Win probability in percent (winning outcomes over 100 equally likely rolls). */
export function winChancePercent(target, over = false) {
  return winningOutcomes(target, over);
}

/** Payout multiplier (payout ÷ stake) as a float for display. */
export function multiplier(target, edgeBps, over = false) {
  return (100 * (10_000 - Number(edgeBps))) / (winningOutcomes(target, over) * 10_000);
}

/** Dice's `choice`: abi.encode(uint8 target, bool over). */
export function encodeChoice(target, over = false) {
  winningOutcomes(target, over);
  return coder.encode(["uint8", "bool"], [target, over]);
}

/** The inverse of encodeChoice: {target, over}. */
export function decodeChoice(choice) {
  const [target, over] = coder.decode(["uint8", "bool"], choice);
  return { target: Number(target), over };
}

// The engine's hooks (web/src/games/multiroll.js plays a multi-roll bet with them).

/** One roll's terms: [the most it pays, its house edge]. */
export function rollTerms(stake, choice, edgeBps) {
  const { target, over } = decodeChoice(choice);
  return [payoutIfWin(stake, target, edgeBps, over), houseEdge(stake, target, edgeBps, over)];
}

/** What one roll pays for a word. */
export function rollPayout(stake, choice, edgeBps, word) {
  const { target, over } = decodeChoice(choice);
  return outcome(word, stake, target, edgeBps, over).payout;
}
