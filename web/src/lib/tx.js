// Sending transactions from the player's wallet, with readable progress and errors.
import { el } from "./dom.js";
import { explainRevert } from "./errors.js";

/**
 * A readable message for wallet, RPC and contract errors. Custom errors are named by decoding
 * the revert data with the platform's ABIs (`interfaces`): a failed gas estimate through the
 * wallet carries only the raw data. Known refusals are put in words with token units
 * (lib/errors.js; `hints`: {token, tokenOf}), the error's name after them.
 */
export function describeError(error, interfaces = [], hints = {}) {
  if (!error) return "unknown error";
  if (error.code === 4001 || error.code === "ACTION_REJECTED" || error.info?.error?.code === 4001) {
    return "you rejected the request in your wallet";
  }
  const decoded = decodeRevert(error, interfaces);
  if (decoded) {
    const words = explainRevert(decoded, hints);
    if (words) return `${words} (${decoded.name})`;
    const args = decoded.args.length ? `(${decoded.args.map(String).join(", ")})` : "";
    return `the contract refused: ${decoded.name}${args}`;
  }
  if (error.reason) return `the contract refused: ${error.reason}`;
  if (error.shortMessage) return error.shortMessage;
  return error.message ?? String(error);
}

/**
 * The custom error a call reverted with, as {name, args: [...]}, or null: ethers' own decoding
 * (the called contract's ABI), else the raw revert data against every platform ABI (an error
 * raised by a contract the call went through, e.g. the Vault or the coordinator under a game).
 */
export function decodeRevert(error, interfaces = []) {
  if (!error) return null;
  const revert = error.revert ?? error.error?.revert;
  if (revert?.name) return { name: revert.name, args: [...(revert.args ?? [])] };
  const data = revertData(error);
  for (const iface of data ? interfaces : []) {
    try {
      const decoded = iface.parseError(data);
      if (decoded) return { name: decoded.name, args: [...decoded.args] };
    } catch {
      // not this contract's error
    }
  }
  return null;
}

/**
 * {text, name} for the message next to a control: a known refusal in words (token units, no
 * error name: data-error carries it), anything else as describeError words it.
 */
export function explainError(error, interfaces = [], hints = {}) {
  const decoded = decodeRevert(error, interfaces);
  const words = decoded && explainRevert(decoded, hints);
  if (words) return { text: words, name: decoded.name };
  const rejected = error?.code === 4001 || error?.code === "ACTION_REJECTED" || error?.info?.error?.code === 4001;
  const text = describeError(error, interfaces, hints);
  return { text: text.charAt(0).toUpperCase() + text.slice(1), name: decoded?.name ?? (rejected ? "Rejected" : "Error") };
}

function revertData(error) {
  for (const candidate of [error.data, error.error?.data, error.info?.error?.data, error.info?.error?.data?.data]) {
    if (typeof candidate === "string" && /^0x[0-9a-fA-F]{8}/.test(candidate)) return candidate;
  }
  return null;
}

/**
 * Shows each transaction in a log (aria-live) while it runs: waiting for signature → sent →
 * confirmed / failed. `send` returns an ethers TransactionResponse; resolves to the receipt.
 */
export class TxLog {
  constructor(container, interfaces = [], hints = {}) {
    this.container = container;
    this.interfaces = interfaces;
    this.hints = hints;
  }

  entry(label) {
    const status = el("span", { class: "tx-status" }, "waiting for your signature…");
    const item = el("li", { class: "tx pending" }, el("span", { class: "tx-label" }, label), " — ", status);
    this.container.prepend(item);
    while (this.container.children.length > 8) this.container.lastElementChild.remove();
    return {
      update(text, state) {
        status.textContent = text;
        if (state) item.className = `tx ${state}`;
      },
    };
  }

  /** `hints`: what describeError needs to put a refusal in token units ({token, tokenOf}). */
  async run(label, send, hints = {}) {
    const entry = this.entry(label);
    try {
      const tx = await send();
      entry.update(`sent ${tx.hash.slice(0, 10)}…, waiting for a block`, "pending");
      const receipt = await tx.wait();
      if (!receipt || receipt.status !== 1) throw new Error("the transaction reverted");
      entry.update(`confirmed in block ${receipt.blockNumber}`, "ok");
      this.onConfirmed?.(receipt);
      return receipt;
    } catch (error) {
      entry.update(describeError(error, this.interfaces, { ...this.hints, ...hints }), "failed");
      throw error;
    }
  }
}

/** Decodes the logs of `contract` in a receipt (skipping other contracts' logs). */
export function parseLogs(contract, receipt, eventName) {
  const target = String(contract.target).toLowerCase();
  const found = [];
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== target) continue;
    try {
      const parsed = contract.interface.parseLog(log);
      if (parsed && (!eventName || parsed.name === eventName)) found.push(parsed);
    } catch {
      // not an event of this ABI
    }
  }
  return found;
}
