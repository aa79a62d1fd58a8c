// A complete Fairstake integration with ethers v6, from the published deployment manifest alone:
// deposit, a Dice bet and its result, a skill match settled by a result both players co-sign
// (EIP-712), and a withdrawal of everything. Walkthrough: docs/integrating.md.
//
//   ./run up --no-simulate            # in another terminal: chain, contracts, oracle, API
//   node examples/integrate.mjs       # prints what it did, then one JSON line (the summary)
//
// Environment: FAIRSTAKE_DEPLOYMENT (default .data/platform/deployment.json), FAIRSTAKE_RPC
// (default the manifest's rpcUrl), PLAYER_KEY and OPPONENT_KEY (default: development accounts
// 10 and 11 of the local chain's well-known mnemonic; set both on any other chain).
import { readFileSync } from "node:fs";
import { AbiCoder, Contract, HDNodeWallet, JsonRpcProvider, Wallet, formatEther, parseEther } from "ethers";

const ETH = "0x0000000000000000000000000000000000000000";
const DEV_MNEMONIC = "test test test test test test test test test test test junk";
const DEV_CHAINS = new Set([1337, 31337]);

const manifestPath =
  process.env.FAIRSTAKE_DEPLOYMENT ?? new URL("../.data/platform/deployment.json", import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
// cacheTimeout -1: ethers v6 otherwise answers a repeated call (eth_call, eth_blockNumber, ...)
// from a 250 ms cache. A local chain mines every transaction at once, so a read right after a
// transaction would see the state before it.
const provider = new JsonRpcProvider(process.env.FAIRSTAKE_RPC ?? manifest.rpcUrl, manifest.chainId, {
  cacheTimeout: -1,
  staticNetwork: true,
  pollingInterval: 250,
});

function wallet(envName, devIndex) {
  if (process.env[envName]) return new Wallet(process.env[envName], provider);
  if (!DEV_CHAINS.has(manifest.chainId)) throw new Error(`set ${envName}: chain ${manifest.chainId} is not a dev chain`);
  return HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, `m/44'/60'/0'/0/${devIndex}`).connect(provider);
}

const player = wallet("PLAYER_KEY", 10);
const opponent = wallet("OPPONENT_KEY", 11);
const contract = (name, runner) => new Contract(manifest.contracts[name].address, manifest.contracts[name].abi, runner);
const vault = contract("Vault", player);
const dice = contract("Dice", player);
const match = contract("Match", player);

/** Send a transaction, wait for its receipt, and return the receipt's events of `source`. */
async function send(label, txPromise, source) {
  const receipt = await (await txPromise).wait();
  console.log(`${label}: tx ${receipt.hash} (block ${receipt.blockNumber})`);
  const events = receipt.logs
    .filter((log) => log.address.toLowerCase() === source.target.toLowerCase())
    .map((log) => source.interface.parseLog(log))
    .filter(Boolean);
  return { receipt, events };
}

/** Poll the chain for `filter`'s first event from `fromBlock` on (a Dice result arrives in a later block). */
async function waitForEvent(source, filters, fromBlock, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const filter of filters) {
      const [event] = await source.queryFilter(filter, fromBlock);
      if (event) return event;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("no result within the timeout: is the oracle daemon running?");
}

// 1. Deposit 1 ETH into the Vault (your free balance: withdrawable at any time).
const deposit = parseEther("1");
await send("deposit", vault.depositFor(player.address, ETH, deposit, { value: deposit }), vault);

// 2. A Dice bet: 0.01 ETH that the roll (0..99) is below 50. The bet's `choice` is
//    abi.encode(uint8 target, bool over) (over = true: win if the roll is above the target).
//    `quote` gives the win payout (and the house edge) first. The last argument of placeBet is
//    `deposit`: paid into your Vault balance before the stake is locked (ETH as msg.value, equal
//    to it; ERC-20 from your approval to the Vault). 0 bets from the balance deposited above;
//    placeBet(ETH, stake, choice, stake, { value: stake }) would deposit and bet in one
//    transaction. placeMultiBet(ETH, stake, choice, rolls, stopGain, stopLoss, deposit) plays up
//    to 100 rolls.
const stake = parseEther("0.01");
const target = 50;
const choice = AbiCoder.defaultAbiCoder().encode(["uint8", "bool"], [target, false]);
const [payoutIfWin] = await dice.quote(ETH, stake, choice);
const placed = await send("placeBet", dice.placeBet(ETH, stake, choice, 0n), dice);
const bet = placed.events.find((e) => e.name === "BetPlaced").args;
console.log(`bet ${bet.betId}: ${formatEther(stake)} ETH under ${target}, pays ${formatEther(payoutIfWin)} ETH on a win`);

// 3. Wait for the result: the oracle daemon proves the randomness and the coordinator settles the
//    bet in a later transaction. Read it from the BetSettled event (the game keeps no record of a
//    resolved bet: its events are the result), or BetTimedOut if the oracle missed its deadline
//    (then the bond pays the win). While waiting, betStatusOf(lockId) (the lock the Vault's Locked
//    event of the same receipt names) says 1 waiting for the word, 2 its callback failed
//    (settleTimedOut(lockId, terms) refunds), 0 done.
const result = await waitForEvent(
  dice,
  [dice.filters.BetSettled(bet.betId), dice.filters.BetTimedOut(bet.betId)],
  placed.receipt.blockNumber,
);
const settled = result.eventName === "BetSettled";
const betPayout = result.args.payout;
console.log(
  settled
    ? `rolled ${result.args.word % 100n}: ${betPayout > 0n ? "won" : "lost"}, paid ${formatEther(betPayout)} ETH`
    : `the oracle missed the deadline: paid ${formatEther(betPayout)} ETH from its bond`,
);

// 4. A skill match: 2 seats, 0.05 ETH entry, winner takes the pot less the rake. Anyone creates
//    it; each player joins (ETH sent along is deposited first). Deadline: by the chain's clock.
const entry = parseEther("0.05");
const now = (await provider.getBlock("latest")).timestamp;
const created = await send("create match", match.create(ETH, entry, 2, [10_000], now + 3600), match);
const matchId = created.events.find((e) => e.name === "MatchCreated").args.matchId;
await send("join (seat 0)", match.join(matchId, { value: entry }), match);
await send("join (seat 1)", match.connect(opponent).join(matchId, { value: entry }), match);

// 5. Both players sign the result (EIP-712; domain and types from the manifest) and anyone submits
//    it: signatures in seat order, ranking first place first.
const spec = manifest.eip712.Match;
const domain = { ...spec.domain, chainId: manifest.chainId, verifyingContract: match.target };
const ranking = [player.address, opponent.address];
const message = { matchId, nonce: await match.resultNonce(matchId), ranking };
const signatures = [
  await player.signTypedData(domain, spec.types, message),
  await opponent.signTypedData(domain, spec.types, message),
];
const submitted = await send("submitCoSignedResult", match.submitCoSignedResult(matchId, ranking, signatures), match);
const matchSettled = submitted.events.find((e) => e.name === "MatchSettled").args;
console.log(`match ${matchId}: winner paid ${formatEther(matchSettled.payouts[0])} ETH (rake ${formatEther(matchSettled.rake)} ETH)`);

// 6. Withdraw everything left in the Vault back to the wallet.
const balance = await vault.balanceOf(player.address, ETH);
await send("withdraw", vault.withdraw(ETH, balance, player.address), vault);
const after = await vault.balanceOf(player.address, ETH);

console.log(
  JSON.stringify({
    player: player.address,
    opponent: opponent.address,
    deposit: deposit.toString(),
    betId: bet.betId.toString(),
    stake: stake.toString(),
    target,
    payoutIfWin: payoutIfWin.toString(),
    settled,
    betPayout: betPayout.toString(),
    matchId: matchId.toString(),
    entry: entry.toString(),
    matchPayout: matchSettled.payouts[0].toString(),
    withdrawn: balance.toString(),
    vaultBalanceAfter: after.toString(),
  }),
);
