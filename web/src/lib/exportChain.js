// Verifying an event-log export's hash chain in the browser, independently of the server that
// produced it (same rule as the backend's export: every line carries
// H = sha256(H_previous ‖ line content), starting from 64 zeros).

export const GENESIS_HASH = "0".repeat(64);
export const CSV_HEADER = "uid,block,block_hash,time,tx,log_index,contract,address,event,args,chain_hash";
const JSONL_SUFFIX = 76; // ,"chain":"<64 hex>"}

async function sha256Hex(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Splits one export line into the hashed content and the hash it claims. */
function splitLine(line, csv) {
  if (csv) {
    const cut = line.lastIndexOf(",");
    return cut < 0 ? null : { content: line.slice(0, cut), claimed: line.slice(cut + 1) };
  }
  const suffix = line.slice(-JSONL_SUFFIX);
  if (!suffix.startsWith(',"chain":"') || !suffix.endsWith('"}')) return null;
  return { content: `${line.slice(0, -JSONL_SUFFIX)}}`, claimed: suffix.slice(10, -2) };
}

/**
 * {valid, lines, finalHash, firstBadLine, reason} for a JSONL or CSV export (format detected
 * from the first line). Any edited, dropped or reordered line breaks every later hash.
 */
export async function verifyExport(text) {
  if (!globalThis.crypto?.subtle) {
    return { valid: false, lines: 0, finalHash: null, firstBadLine: null, reason: "this browser offers no SHA-256 here (needs https or localhost)" };
  }
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  if (!lines.length) return { valid: false, lines: 0, finalHash: null, firstBadLine: null, reason: "empty" };
  const csv = lines[0] === CSV_HEADER;
  let previous = GENESIS_HASH;
  for (let index = csv ? 1 : 0; index < lines.length; index++) {
    const parts = splitLine(lines[index], csv);
    const bad = (reason) => ({ valid: false, lines: lines.length, finalHash: null, firstBadLine: index + 1, reason });
    if (!parts) return bad("no chain hash");
    const expected = await sha256Hex(previous + parts.content);
    if (parts.claimed !== expected) return bad("the line or one before it was modified, removed or reordered");
    previous = expected;
  }
  return { valid: true, lines: lines.length, finalHash: previous, firstBadLine: null, reason: null };
}
