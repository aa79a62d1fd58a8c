// Randomness requests at the coordinator, for the games' "the oracle missed its deadline"
// controls: the request commitment rebuilt from its RandomnessRequested log, whether it is past
// its deadline by the coordinator's rule, and `expire(rc)`, which anyone may send once it is.
import { formatDuration } from "../lib/format.js";

const COORDINATOR = "RandomnessCoordinator";

export function coordinatorReader(ctx) {
  return ctx.deployment.contract(COORDINATOR, ctx.wallet.provider ?? ctx.readProvider);
}

/** The RequestCommitment tuple of a RandomnessRequested log (field order of the struct) mined in
 * block `blockNumber`: the bond reservation and who its expiry pays are part of it, and the
 * consumer's data word last. The event leaves out what its log carries: the commitment's
 * blockNum is the log's block number and its preSeed the request id. `compensation` is what
 * expiry credits the request's beneficiary. */
export function commitmentOf(log, blockNumber) {
  const a = log.args;
  const blockNum = BigInt(blockNumber);
  return {
    requestId: BigInt(a.requestId),
    rc: [
      blockNum, a.deadlineBlock, a.deadlineTime, a.callbackGasLimit, a.numWords, a.consumer, a.keyHash, a.requestId,
      a.bondToken, a.bondAmount, a.beneficiary, a.beneficiaryAmount, a.residualToBankroll, a.data,
    ],
    compensation: BigInt(a.beneficiaryAmount),
    blockNum,
    deadlineBlock: BigInt(a.deadlineBlock),
    deadlineTime: BigInt(a.deadlineTime),
  };
}

/** The commitment of `requestId` from a receipt's logs (the placing transaction), or null. */
export function commitmentInReceipt(coordinator, receipt, requestId) {
  const target = String(coordinator.target).toLowerCase();
  for (const log of receipt?.logs ?? []) {
    if (log.address.toLowerCase() !== target) continue;
    try {
      const parsed = coordinator.interface.parseLog(log);
      if (parsed?.name === "RandomnessRequested" && BigInt(parsed.args.requestId) === BigInt(requestId)) return commitmentOf(parsed, log.blockNumber ?? receipt.blockNumber);
    } catch {
      // another event
    }
  }
  return null;
}

/** The commitment of `requestId`, from its RandomnessRequested log in block `block` (or later). */
export async function findCommitment(coordinator, requestId, block) {
  const logs = await coordinator.queryFilter(coordinator.filters.RandomnessRequested(BigInt(requestId)), block);
  return logs.length ? commitmentOf(logs[0], logs[0].blockNumber) : null;
}

/** Seconds of the coordinator's timeout (read once per page). */
const timeouts = new WeakMap();
export async function timeoutSeconds(ctx) {
  const key = ctx.deployment;
  if (!timeouts.has(key)) timeouts.set(key, coordinatorReader(ctx).timeoutSeconds().then(BigInt));
  try {
    return await timeouts.get(key);
  } catch (error) {
    timeouts.delete(key);
    throw error;
  }
}

/**
 * The coordinator's rule (RandomnessCoordinator.isExpired) at block `head` ({number, timestamp}):
 * past deadlineTime, and past deadlineBlock or deadlineTime + timeout. Blocks only move forward,
 * so a request expired at the latest block is expired in the block an `expire` lands in.
 */
export function isExpiredAt(commitment, head, timeout) {
  const now = BigInt(head.timestamp);
  const block = BigInt(head.number);
  return now > commitment.deadlineTime && (block > commitment.deadlineBlock || now > commitment.deadlineTime + timeout);
}

/** Words for how far past its deadline a request is. */
export function overdueText(commitment, head) {
  const late = Number(BigInt(head.timestamp) - commitment.deadlineTime);
  return late > 0 ? `${formatDuration(late)} ago` : "just now";
}

/** Sends coordinator.expire(rc) from the player's wallet; resolves to the receipt. */
export async function sendExpire(ctx, label, commitment) {
  const coordinator = ctx.deployment.contract(COORDINATOR, await ctx.wallet.signer());
  return ctx.txlog.run(label, () => coordinator.expire(commitment.rc));
}
