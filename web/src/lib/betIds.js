// Readable bet ids (backend/api/bet_ids.py): a bet named by the log that placed it on chain,
// "<game>-<block>-<log index>", e.g. "dice-1234-5". A Dice bet's own id is a 77-digit request id
// nobody can read out or type; the readable id is short, unique (one log places one bet) and
// checkable against any node. The page shows it, links the audit with it and the audit box takes it.

import { GAME_NAMES } from "../games/names.js";

// The registered games' names (fairstake/games GAMES, written by tools/build-web.sh).
const GAME = `(${GAME_NAMES.join("|")})`;
const READABLE = new RegExp(`^${GAME}[-. ]+(\\d{1,12})[-. ]+(\\d{1,7})$`, "i");
const KEYED = new RegExp(`^${GAME}:\\d{1,78}(:\\d{1,78})?$`);

/** "dice-1234-5" for the bet placed by log `logIndex` of block `block`. */
export function readableBetId(game, block, logIndex) {
  return `${game}-${Number(block)}-${Number(logIndex)}`;
}

/**
 * A typed bet id in the form the API takes: a readable id in any case with "-", "." or spaces
 * between its parts ("Dice 1234 5" → "dice-1234-5"); the older "dice:17" / "jackpot:3:40" keys
 * and a bare Dice bet number still work. null when `text` is none of these.
 */
export function normalizeBetId(text) {
  const id = String(text ?? "").trim();
  const readable = READABLE.exec(id);
  if (readable) return readableBetId(readable[1].toLowerCase(), readable[2], readable[3]);
  if (/^\d{1,78}$/.test(id)) return `dice:${id}`;
  if (KEYED.test(id)) return id;
  return null;
}

/** What the page says when a typed id is none of the accepted forms. */
export const BET_ID_HELP = "A bet id looks like dice-1234-5: the game, the block and the position in the block where the bet was placed, as the page and your bet list show it.";
