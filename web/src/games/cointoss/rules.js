// CoinToss odds and payouts, integer for integer the same as fairstake/rules/cointoss.py and
// contracts/games/cointoss/CoinTossRules.sol, so the figure shown before a bet is what the chain pays.

export const MAX_EDGE_BPS = 500;
const BPS = 10_000n;

/** `abi.encode(bool heads)` as 0x-hex. */
export function encodeChoice(heads) {
  return "0x" + (heads ? "1" : "0").padStart(64, "0");
}

/** The side a choice bets on; throws on anything but abi.encode(bool). */
export function decodeChoice(choice) {
  const hex = String(choice).replace(/^0x/, "");
  if (hex.length !== 64 || !/^0{63}[01]$/.test(hex)) throw new RangeError("a coin toss choice is abi.encode(bool)");
  return hex.endsWith("1");
}

/** Whether the coin a random word tosses shows heads (the word is even). */
export function showsHeads(word) {
  return BigInt(word) % 2n === 0n;
}

/** stake × 2 × (10000 − edgeBps) / 10000, rounded down (all BigInt). */
export function payoutIfWin(stake, edgeBps) {
  return (BigInt(stake) * 2n * (BPS - BigInt(edgeBps))) / BPS;
}

/** Stake minus the expected payout (half the win payout, rounded up). */
export function houseEdge(stake, edgeBps) {
  return BigInt(stake) - (payoutIfWin(stake, edgeBps) + 1n) / 2n;
}

/** [maximum payout, house edge] of one toss, as the contract's _rollTerms. */
export function rollTerms(stake, choice, edgeBps) {
  decodeChoice(choice);
  return [payoutIfWin(stake, edgeBps), houseEdge(stake, edgeBps)];
}

/** What one toss pays for `word`, as the contract's _rollPayout. */
export function rollPayout(stake, choice, edgeBps, word) {
  return showsHeads(word) === decodeChoice(choice) ? payoutIfWin(stake, edgeBps) : 0n;
}

/** Payout multiplier (payout ÷ stake) as a float for display. */
export function multiplier(edgeBps) {
  return (2 * (10_000 - Number(edgeBps))) / 10_000;
}
