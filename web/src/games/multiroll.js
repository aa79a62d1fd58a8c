// The chance-game engine's bet, written once for every game on it (the JS twin of
// fairstake/rules/multiroll.py and contracts/games/base/ChanceGame.sol): the words of a
// multi-roll bet, the stop rules, the unplayed stakes returned, and the terms a bet locks. A game
// supplies its rules module: rollTerms(stake, choice, edgeBps) and rollPayout(stake, choice,
// edgeBps, word), all amounts BigInt.
import { AbiCoder, keccak256 } from "ethers";

export const MAX_ROLLS = 100;
const MAX_PAYOUT_LIMIT = (1n << 88n) - 1n; // the bond reservation's beneficiary share is a uint88
const coder = AbiCoder.defaultAbiCoder();

function checkRolls(rolls) {
  if (!Number.isInteger(rolls) || rolls < 1 || rolls > MAX_ROLLS) throw new RangeError(`a bet plays 1..${MAX_ROLLS} rolls`);
}

/** Roll `index`'s word: the word itself for a one-roll bet, else keccak256(abi.encode(word, index)). */
export function rollWord(word, index, rolls) {
  if (rolls === 1) return BigInt(word);
  return BigInt(keccak256(coder.encode(["uint256", "uint256"], [BigInt(word), BigInt(index)])));
}

const ceilDiv = (a, b) => (a + b - 1n) / b;

/** The rolls a bet plays whatever its words (a stop needs at least this many to trigger). */
export function certainRolls(stake, rollMax, rolls, stopGain, stopLoss) {
  let certain = BigInt(rolls);
  if (stopLoss > 0n) certain = [certain, ceilDiv(stopLoss, stake)].reduce((a, b) => (a < b ? a : b));
  if (stopGain > 0n) certain = [certain, ceilDiv(stopGain, rollMax - stake)].reduce((a, b) => (a < b ? a : b));
  return certain < 1n ? 1n : certain;
}

/**
 * The terms ChanceGame fixes at placement: {staked, maxPayout, houseEdge, rollMax, rollEdge};
 * throws a RangeError where the contract reverts.
 */
export function betTerms(rules, stake, choice, edgeBps, rolls = 1, stopGain = 0n, stopLoss = 0n) {
  checkRolls(rolls);
  stake = BigInt(stake);
  stopGain = BigInt(stopGain);
  stopLoss = BigInt(stopLoss);
  const [rollMax, rollEdge] = rules.rollTerms(stake, choice, edgeBps);
  if (rollMax <= stake) throw new RangeError("the choice pays no more than the stake");
  const staked = stake * BigInt(rolls);
  const maxPayout = rollMax * BigInt(rolls);
  if (maxPayout > MAX_PAYOUT_LIMIT) throw new RangeError("the bet's maximum payout does not fit a bond reservation");
  if (stopGain < 0n || stopLoss < 0n || stopGain > maxPayout - staked || stopLoss > staked) {
    throw new RangeError("stop-gain must be at most what the bet can win, stop-loss at most its stakes");
  }
  const houseEdge = rollEdge * certainRolls(stake, rollMax, rolls, stopGain, stopLoss);
  return { staked, maxPayout, houseEdge, rollMax, rollEdge };
}

/**
 * ChanceGame._play: the rolls in order, stopping once up by stopGain or down by stopLoss (0: no
 * such stop); returns {rollsPlayed, rollPayouts, payout} with the unplayed stakes in the payout.
 */
export function play(rules, word, stake, choice, edgeBps, rolls = 1, stopGain = 0n, stopLoss = 0n) {
  checkRolls(rolls);
  stake = BigInt(stake);
  stopGain = BigInt(stopGain);
  stopLoss = BigInt(stopLoss);
  let paid = 0n;
  let staked = 0n;
  const rollPayouts = [];
  for (let index = 0; index < rolls; index++) {
    const payout = rules.rollPayout(stake, choice, edgeBps, rollWord(word, index, rolls));
    rollPayouts.push(payout);
    paid += payout;
    staked += stake;
    if (stopGain > 0n && paid - staked >= stopGain) break;
    if (stopLoss > 0n && staked - paid >= stopLoss) break;
  }
  return { rollsPlayed: rollPayouts.length, rollPayouts, payout: paid + BigInt(rolls - rollPayouts.length) * stake };
}
