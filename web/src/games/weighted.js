// The weighted-multiplier games' rules (Wheel, Plinko), integer for integer the same as
// fairstake/rules/weighted.py and contracts/games/base/WeightedRules.sol, so the odds and payouts
// shown before a bet are exactly what the chain pays. A configuration is
// { weights: number[], multipliers: number[] } with multipliers in 1e4 fixed point; a roll of a
// word lands on the first segment whose cumulative weight exceeds word % total and pays
// floor(stake × multiplier / 1e4). A bet's choice is abi.encode(uint32 configId).

export const ONE = 10_000n;
export const RISKS = ["low", "medium", "high"];

export function totalWeight(config) {
  return config.weights.reduce((sum, weight) => sum + Number(weight), 0);
}

/** Σ weight × multiplier, as a BigInt. */
export function weightedSum(config) {
  return config.weights.reduce((sum, weight, i) => sum + BigInt(weight) * BigInt(config.multipliers[i]), 0n);
}

export function maxMultiplier(config) {
  return config.multipliers.reduce((max, m) => (BigInt(m) > max ? BigInt(m) : max), 0n);
}

/** The segment a roll of `word` lands on. */
export function segment(config, word) {
  const drawn = BigInt(word) % BigInt(totalWeight(config));
  let cumulative = 0n;
  for (let i = 0; i < config.weights.length; i += 1) {
    cumulative += BigInt(config.weights[i]);
    if (drawn < cumulative) return i;
  }
  throw new RangeError("the cumulative weights end at the total");
}

export function payout(stake, multiplier) {
  return (BigInt(stake) * BigInt(multiplier)) / ONE;
}

/** What one roll of `word` pays on `stake`, and where it landed. */
export function rollOutcome(stake, config, word) {
  const landed = segment(config, word);
  return { segment: landed, payout: payout(stake, config.multipliers[landed]) };
}

/** The engine's rollPayout hook on `config` (the configuration `choice` names; edgeBps is unused). */
export function rollPayout(stake, choice, edgeBps, word, config) {
  return rollOutcome(stake, config, word).payout;
}

/**
 * The engine's rollTerms hook on `config`: [the roll's true maximum payout, its house edge =
 * stake − ⌈unrounded expected payout⌉], as the contract's quote.
 */
export function rollTerms(stake, choice, edgeBps, config) {
  const s = BigInt(stake);
  const denominator = BigInt(totalWeight(config)) * ONE;
  const expectedUp = (s * weightedSum(config) + denominator - 1n) / denominator;
  return [payout(s, maxMultiplier(config)), s - expectedUp];
}

/**
 * The rules module the engine's shared multi-roll code (web/src/games/multiroll.js) takes, given
 * the configurations by id: each hook looks up the one its choice names (Tables in Python).
 */
export function tables(configsById) {
  const table = (choice) => {
    const config = configsById.get(decodeChoice(choice));
    if (!config) throw new RangeError(`no configuration ${decodeChoice(choice)}`);
    return config;
  };
  return {
    rollTerms: (stake, choice, edgeBps) => rollTerms(stake, choice, edgeBps, table(choice)),
    rollPayout: (stake, choice, edgeBps, word) => rollPayout(stake, choice, edgeBps, word, table(choice)),
  };
}

/** The configuration's RTP as a float (display only). */
export function rtp(config) {
  return Number(weightedSum(config)) / (totalWeight(config) * Number(ONE));
}

/** Each segment's probability in percent (display only). */
export function oddsPercent(config) {
  const total = totalWeight(config);
  return config.weights.map((weight) => (100 * Number(weight)) / total);
}

/** A multiplier in 1e4 fixed point as text, e.g. 15000 → "1.5×". */
export function multiplierText(multiplier) {
  return `${Number(multiplier) / Number(ONE)}×`;
}

/** abi.encode(uint32 configId) as 0x-hex. */
export function encodeChoice(configId) {
  const id = BigInt(configId);
  if (id < 0n || id > 0xffffffffn) throw new RangeError("a configuration id is a uint32");
  return `0x${id.toString(16).padStart(64, "0")}`;
}

export function decodeChoice(choice) {
  const hex = String(choice).replace(/^0x/, "");
  if (hex.length !== 64) throw new RangeError("a choice is 32 bytes");
  return Number(BigInt(`0x${hex}`));
}
