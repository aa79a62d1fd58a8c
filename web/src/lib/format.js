// Display helpers: amounts as exact decimal strings (never floats), short addresses, times.
import { formatUnits, parseUnits, getAddress } from "ethers";

export function shortAddress(address) {
  if (!address) return "";
  const a = String(address);
  return a.length > 12 ? `${a.slice(0, 6)}…${a.slice(-4)}` : a;
}

/** Formats a base-unit amount with at most `maxDecimals` fraction digits, trailing zeros cut. */
export function formatAmount(amount, decimals, maxDecimals = 6) {
  const full = formatUnits(BigInt(amount ?? 0), decimals);
  const [whole, fraction = ""] = full.split(".");
  const cut = fraction.slice(0, maxDecimals).replace(/0+$/, "");
  return cut ? `${whole}.${cut}` : whole;
}

/** Parses user input into base units; throws a readable error for bad input. */
export function parseAmount(text, decimals) {
  const value = String(text ?? "").trim();
  if (!/^\d+(\.\d+)?$/.test(value)) throw new Error("enter a positive amount, e.g. 0.5");
  const parsed = parseUnits(value, decimals);
  if (parsed <= 0n) throw new Error("the amount must be greater than zero");
  return parsed;
}

export function sameAddress(a, b) {
  if (!a || !b) return false;
  try {
    return getAddress(a) === getAddress(b);
  } catch {
    return false;
  }
}

export function formatDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h) return `${h} h ${String(m).padStart(2, "0")} min`;
  if (m) return `${m} min ${String(rest).padStart(2, "0")} s`;
  return `${rest} s`;
}

export function formatTime(unixSeconds) {
  const n = Number(unixSeconds);
  if (!n) return "—";
  return new Date(n * 1000).toLocaleString();
}

export function formatPercent(fraction, digits = 2) {
  if (fraction === null || fraction === undefined || Number.isNaN(Number(fraction))) return "—";
  return `${(Number(fraction) * 100).toFixed(digits)} %`;
}
