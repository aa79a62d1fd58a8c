"""A complete Fairstake integration with web3.py (v7), from the published deployment manifest
alone: deposit, a Dice bet and its result, a skill match settled by a result both players co-sign
(EIP-712), and a withdrawal of everything. Walkthrough: docs/integrating.md.

    ./run up --no-simulate                    # in another terminal: chain, contracts, oracle, API
    .venv/bin/python examples/integrate.py    # prints what it did, then one JSON line (the summary)

Environment: FAIRSTAKE_DEPLOYMENT (default .data/platform/deployment.json), FAIRSTAKE_RPC (default
the manifest's rpcUrl), PLAYER_KEY and OPPONENT_KEY (default: development accounts 12 and 13 of
the local chain's well-known mnemonic; set both on any other chain).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from eth_abi import encode as abi_encode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract
from web3.logs import DISCARD

ETH = "0x0000000000000000000000000000000000000000"
DEV_MNEMONIC = "test test test test test test test test test test test junk"
DEV_CHAINS = {1337, 31337}

manifest_path = Path(
    os.environ.get("FAIRSTAKE_DEPLOYMENT") or Path(__file__).resolve().parent.parent / ".data/platform/deployment.json"
)
manifest: dict[str, Any] = json.loads(manifest_path.read_text())
w3 = Web3(Web3.HTTPProvider(os.environ.get("FAIRSTAKE_RPC") or manifest["rpcUrl"]))


def account(env_name: str, dev_index: int) -> LocalAccount:
    if os.environ.get(env_name):
        return Account.from_key(os.environ[env_name])
    if manifest["chainId"] not in DEV_CHAINS:
        raise SystemExit(f"set {env_name}: chain {manifest['chainId']} is not a dev chain")
    Account.enable_unaudited_hdwallet_features()
    return Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{dev_index}")


def contract(name: str) -> Contract:
    entry = manifest["contracts"][name]
    return w3.eth.contract(address=entry["address"], abi=entry["abi"])


player = account("PLAYER_KEY", 12)
opponent = account("OPPONENT_KEY", 13)
vault, dice, match = contract("Vault"), contract("Dice"), contract("Match")


# A receipt holds the logs of every contract the transaction touched (the Vault's among a game's);
# process_receipt decodes the ones of its own event and, with DISCARD, skips the rest quietly.


def send(label: str, call: Any, sender: LocalAccount, value: int = 0) -> Any:
    """Sign `call` with `sender`'s key, send it and return its receipt (reverts raise)."""
    tx = call.build_transaction(
        {"from": sender.address, "value": value, "nonce": w3.eth.get_transaction_count(sender.address, "pending")}
    )
    signed = sender.sign_transaction(tx)
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signed.raw_transaction), timeout=120)
    if receipt["status"] != 1:
        raise RuntimeError(f"{label} reverted: tx {receipt['transactionHash'].hex()}")
    print(f"{label}: tx 0x{receipt['transactionHash'].hex().removeprefix('0x')} (block {receipt['blockNumber']})")
    return receipt


def wait_for_result(bet_id: int, from_block: int, timeout: float = 120.0) -> tuple[str, Any]:
    """Poll for the bet's BetSettled (or BetTimedOut) event: the result comes in a later block."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for event in (dice.events.BetSettled, dice.events.BetTimedOut):
            logs = event.get_logs(from_block=from_block, argument_filters={"betId": bet_id})
            if logs:
                return event.event_name, logs[0]["args"]
        time.sleep(0.25)
    raise SystemExit("no result within the timeout: is the oracle daemon running?")


def ether(wei: int) -> str:
    return f"{Web3.from_wei(wei, 'ether'):f} ETH"


# 1. Deposit 1 ETH into the Vault (your free balance: withdrawable at any time).
deposit = Web3.to_wei(1, "ether")
send("deposit", vault.functions.depositFor(player.address, ETH, deposit), player, value=deposit)

# 2. A Dice bet: 0.01 ETH that the roll (0..99) is below 50. The bet's `choice` is
#    abi.encode(uint8 target, bool over) (over=True: win if the roll is above the target).
#    `quote` gives the win payout (and the house edge) first. placeBet's last argument, `deposit`,
#    is paid into your Vault balance before the stake is locked (ETH as msg.value, equal to it; an
#    ERC-20 from your approval to the Vault). 0 bets from the balance deposited above;
#    placeBet(ETH, stake, choice, stake) with value=stake would deposit and bet in one transaction.
#    placeMultiBet(ETH, stake, choice, rolls, stopGain, stopLoss, deposit) plays up to 100 rolls.
stake, target = Web3.to_wei("0.01", "ether"), 50
choice = abi_encode(["uint8", "bool"], [target, False])
payout_if_win = dice.functions.quote(ETH, stake, choice).call()[0]
placed = send("placeBet", dice.functions.placeBet(ETH, stake, choice, 0), player)
bet_id = dice.events.BetPlaced().process_receipt(placed, errors=DISCARD)[0]["args"]["betId"]
print(f"bet {bet_id}: {ether(stake)} under {target}, pays {ether(payout_if_win)} on a win")

# 3. Wait for the result: the oracle daemon proves the randomness and the coordinator settles the
#    bet in a later transaction. Read it from the BetSettled event (the game keeps no record of a
#    resolved bet: its events are the result), or BetTimedOut if the oracle missed its deadline
#    (then the bond pays the win). While waiting, betStatusOf(lockId) (the Vault's Locked event in
#    the same receipt names the lock) says
#    1 waiting for the word, 2 its callback failed (settleTimedOut(lockId, terms) refunds), 0 done.
kind, result = wait_for_result(bet_id, placed["blockNumber"])
settled = kind == "BetSettled"
bet_payout = int(result["payout"])
if settled:
    print(f"rolled {int(result['word']) % 100}: {'won' if bet_payout else 'lost'}, paid {ether(bet_payout)}")
else:
    print(f"the oracle missed the deadline: paid {ether(bet_payout)} from its bond")

# 4. A skill match: 2 seats, 0.05 ETH entry, winner takes the pot less the rake. Anyone creates it;
#    each player joins (ETH sent along is deposited first). Deadline: by the chain's clock.
entry = Web3.to_wei("0.05", "ether")
now = w3.eth.get_block("latest")["timestamp"]
created = send("create match", match.functions.create(ETH, entry, 2, [10_000], now + 3600), player)
match_id = match.events.MatchCreated().process_receipt(created, errors=DISCARD)[0]["args"]["matchId"]
send("join (seat 0)", match.functions.join(match_id), player, value=entry)
send("join (seat 1)", match.functions.join(match_id), opponent, value=entry)

# 5. Both players sign the result (EIP-712; domain and types from the manifest) and anyone submits
#    it: signatures in seat order, ranking first place first.
spec = manifest["eip712"]["Match"]
typed_data = {
    "types": {
        "EIP712Domain": [
            {"name": "name", "type": "string"},
            {"name": "version", "type": "string"},
            {"name": "chainId", "type": "uint256"},
            {"name": "verifyingContract", "type": "address"},
        ],
        **spec["types"],
    },
    "primaryType": spec["primaryType"],
    "domain": {**spec["domain"], "chainId": manifest["chainId"], "verifyingContract": match.address},
    "message": {
        "matchId": match_id,
        "nonce": match.functions.resultNonce(match_id).call(),
        "ranking": [player.address, opponent.address],
    },
}
signable = encode_typed_data(full_message=typed_data)
signatures = [bytes(signer.sign_message(signable).signature) for signer in (player, opponent)]
ranking = typed_data["message"]["ranking"]
submitted = send("submitCoSignedResult", match.functions.submitCoSignedResult(match_id, ranking, signatures), player)
match_settled = match.events.MatchSettled().process_receipt(submitted, errors=DISCARD)[0]["args"]
print(f"match {match_id}: winner paid {ether(match_settled['payouts'][0])} (rake {ether(match_settled['rake'])})")

# 6. Withdraw everything left in the Vault back to the wallet.
balance = vault.functions.balanceOf(player.address, ETH).call()
send("withdraw", vault.functions.withdraw(ETH, balance, player.address), player)
after = vault.functions.balanceOf(player.address, ETH).call()

print(
    json.dumps(
        {
            "player": player.address,
            "opponent": opponent.address,
            "deposit": str(deposit),
            "betId": str(bet_id),
            "stake": str(stake),
            "target": target,
            "payoutIfWin": str(payout_if_win),
            "settled": settled,
            "betPayout": str(bet_payout),
            "matchId": str(match_id),
            "entry": str(entry),
            "matchPayout": str(match_settled["payouts"][0]),
            "withdrawn": str(balance),
            "vaultBalanceAfter": str(after),
        }
    )
)
