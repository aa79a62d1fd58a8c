// Plinko's rules (the mirror of fairstake/rules/plinko.py): a board of `rows` rows is the
// weighted configuration with weights C(rows, k) for its rows + 1 slots; everything else is the
// weighted games' (web/src/games/weighted.js).
export * from "../weighted.js";

export const MIN_ROWS = 8;
export const MAX_ROWS = 16;

/** C(rows, k) for k = 0..rows. */
export function slotWeights(rows) {
  if (!Number.isInteger(rows) || rows < MIN_ROWS || rows > MAX_ROWS) {
    throw new RangeError(`a board has ${MIN_ROWS}..${MAX_ROWS} rows`);
  }
  const weights = [1];
  for (let k = 0; k < rows; k += 1) weights.push((weights[k] * (rows - k)) / (k + 1));
  return weights;
}
