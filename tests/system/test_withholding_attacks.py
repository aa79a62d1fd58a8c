"""The oracle key's holder as an adversary, on the real platform (ops/deploy.py's deployment,
real ECVRF proofs): one test per finding of the independent review, each judged by what every
party ends with. The holder owns the key's bond (the deployer funds and operates it) and plays,
provides liquidity and buys tickets from addresses of its own.

Each attack is run twice from the same chain state: once publishing every result (the honest
baseline) and once as the attacker plays it. The attacker must never end above the baseline, and
honest parties must end where the rules promise (fairstake/rules/withholding.py is the model).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from brownie import accounts, chain, web3
from system_support import (
    DEPLOYER,
    ETHER,
    Commitment,
    Platform,
    Snapshot,
    assert_solvent,
    commitments,
    first_word,
    fulfil,
    mine,
    now,
    past_deadline,
    prove,
    request_id,
)

from fairstake.manifest import ETH
from fairstake.rules import dice as dice_rules
from fairstake.rules import jackpot as jackpot_rules
from fairstake.rules.dice import encode_choice as dice_choice
from fairstake.rules.withholding import jackpot_compensation_and_sink
from ops.locks import lock_terms

DICE_EDGE = 100
ROUND_REFUNDABLE = 6


def bond_total(platform: Platform) -> int:
    return int(platform["RandomnessCoordinator"].bondOf(platform.key_hash, ETH)[0])


def holder_wealth(platform: Platform, holder_accounts: list[Any], lp_shares_of: Any = None) -> int:
    """What the key's holder owns in ETH inside the platform: its bond, its addresses' Vault
    balances and the value of its bankroll shares."""
    vault = platform["Vault"]
    wealth = bond_total(platform) + sum(int(vault.balanceOf(a, ETH)) for a in holder_accounts)
    if lp_shares_of is not None:
        wealth += int(vault.previewBankrollRedeem(ETH, vault.sharesOf(lp_shares_of, ETH)))
    return wealth


def both_ways(play: Callable[[bool], None], measure: Callable[[], Any]) -> tuple[Any, Any]:
    """(measure after publishing everything, measure after the attack), from the same state."""
    snapshot = Snapshot()
    play(False)
    honest = measure()
    snapshot.restore()
    play(True)
    return honest, measure()


def dice_result(rc: Commitment, stake: int, target: int) -> int:
    """The payout the honest result would give: the holder computes it before anyone else."""
    return dice_rules.outcome(first_word(prove(rc)), stake, target, DICE_EDGE).payout


# ------------------------------------------------------------------ finding 1: selective abort


def test_an_oracle_that_bets_and_withholds_its_losses_ends_below_honest_play(
    funded: Platform, players: list[Any], lp: Any
) -> None:
    """The holder bets at target 10 from an address of its own, publishes its wins and lets its
    losses expire. Before the bond the expiry paid every loss as a win from the bankroll (about
    40 % of a 1,000 ETH bankroll in ten target-1 bets); now each withheld loss costs its bond the
    win payout, and the LPs end exactly where publishing leaves them."""
    vault, dice, coordinator = funded["Vault"], funded["Dice"], funded["RandomnessCoordinator"]
    bettor = players[0]
    vault.depositFor(bettor, ETH, 20 * ETHER, {"from": bettor, "value": 20 * ETHER})
    bets = []
    for _ in range(4):
        tx = dice.placeBet(ETH, ETHER, dice_choice(10), 0, {"from": bettor})
        bets.append(commitments(tx)[0])
    mine(1)
    results = [dice_result(rc, ETHER, 10) for rc in bets]
    assert any(r == 0 for r in results), "the attack needs a losing roll to withhold"

    def play(attack: bool) -> None:
        withheld = [rc for rc, paid in zip(bets, results, strict=True) if attack and paid == 0]
        for rc in bets:
            if rc not in withheld:
                fulfil(coordinator, rc)
        if withheld:
            past_deadline(withheld[0])
            for rc in withheld:
                coordinator.expire(rc, {"from": players[1]})

    def measure() -> tuple[int, int, int]:
        return holder_wealth(funded, [bettor]), int(vault.bankrollAssets(ETH)), int(vault.accruedFees(ETH))

    (honest, lp_honest, fees_honest), (attacked, lp_attacked, fees_attacked) = both_ways(play, measure)
    assert attacked <= honest
    assert (lp_attacked, fees_attacked) == (lp_honest, fees_honest)
    assert_solvent(vault, ETH)


# ------------------------------------------------------------------ finding 2: key rotation


def test_rotating_the_key_leaves_pending_bets_to_their_results(funded: Platform, players: list[Any]) -> None:
    """Governance deregisters the key (through the timelock) with bets pending: each is still
    fulfilled with the old key and settled by its roll, none turns into a timeout; new bets for
    the key are refused."""
    vault, dice, coordinator = funded["Vault"], funded["Dice"], funded["RandomnessCoordinator"]
    player = players[1]
    vault.depositFor(player, ETH, 10 * ETHER, {"from": player, "value": 10 * ETHER})
    stake = ETHER // 5  # target 1: each reserves 19.6 ETH of the 50 the risk fraction allows
    rcs = [commitments(dice.placeBet(ETH, stake, dice_choice(1), 0, {"from": player}))[0] for _ in range(2)]
    funded.govern(coordinator, "deregisterKey", funded.key_hash)
    assert not coordinator.isKeyRegistered(funded.key_hash)
    with pytest.raises(Exception, match="UnknownKey"):
        dice.placeBet(ETH, ETHER // 100, dice_choice(50), 0, {"from": player})
    balance = vault.balanceOf(player, ETH)
    expected = sum(dice_result(rc, stake, 1) for rc in rcs)
    for rc in rcs:
        assert fulfil(coordinator, rc).events["RandomnessFulfilled"]["callbackSuccess"]
    assert vault.balanceOf(player, ETH) == balance + expected
    assert coordinator.bondOf(funded.key_hash, ETH)[1] == 0  # every reservation released


# ------------------------------------------------------------------ finding 3: outages


def test_an_outage_beyond_256_blocks_is_not_a_bankroll_event(funded: Platform, players: list[Any]) -> None:
    """On a fast chain 256 blocks pass in a minute: the request block's hash is stored while
    readable (the daemon does it), and the bet is fulfilled normally after the oracle is back."""
    vault, dice, coordinator = funded["Vault"], funded["Dice"], funded["RandomnessCoordinator"]
    player = players[2]
    vault.depositFor(player, ETH, 5 * ETHER, {"from": player, "value": 5 * ETHER})
    rc = commitments(dice.placeBet(ETH, ETHER, dice_choice(50), 0, {"from": player}))[0]
    mine(1)
    coordinator.storeBlockhash(rc[0], {"from": players[3]})
    mine(400)
    assert web3.eth.block_number > rc[0] + 256 and now() <= rc[2]
    balance = vault.balanceOf(player, ETH)
    tx = fulfil(coordinator, rc)
    assert tx.events["RandomnessFulfilled"]["callbackSuccess"]
    assert vault.balanceOf(player, ETH) == balance + dice_result(rc, ETHER, 50)


def test_an_outage_past_the_deadline_costs_the_bond_not_the_bankroll(funded: Platform, players: list[Any]) -> None:
    vault, dice, coordinator = funded["Vault"], funded["Dice"], funded["RandomnessCoordinator"]
    player = players[2]
    vault.depositFor(player, ETH, 5 * ETHER, {"from": player, "value": 5 * ETHER})
    tx = dice.placeBet(ETH, ETHER, dice_choice(2), 0, {"from": player})
    rc, win = commitments(tx)[0], int(tx.events["Locked"]["maxPayout"])
    assets, bond = vault.bankrollAssets(ETH), bond_total(funded)
    past_deadline(rc)
    coordinator.expire(rc, {"from": players[3]})
    # a house win for the LPs: the whole stake (the bet's fee left the bankroll at its lock)
    assert vault.bankrollAssets(ETH) == assets + ETHER
    assert bond_total(funded) == bond - win
    assert vault.balanceOf(player, ETH) == 4 * ETHER + win


# ------------------------------------------------------------------ finding 4: total exposure


def test_open_bets_together_never_reserve_more_than_the_risk_fraction(funded: Platform, players: list[Any]) -> None:
    vault, dice = funded["Vault"], funded["Dice"]
    player = players[3]
    vault.depositFor(player, ETH, 10 * ETHER, {"from": player, "value": 10 * ETHER})
    fraction = vault.riskFractionBps(ETH)
    placed = 0
    while True:
        try:
            dice.placeBet(ETH, ETHER // 2, dice_choice(2), 0, {"from": player})
        except Exception as exc:  # noqa: BLE001 - the refusal is the point
            assert "ExposureTooHigh" in str(exc)
            break
        placed += 1
        assert vault.bankrollReserved(ETH) * 10_000 <= vault.bankrollAssets(ETH) * fraction
    assert placed >= 1
    # k per-bet caps of f on what is left would have allowed 1 - (1 - f)^k; the total stays within f
    assert vault.bankrollReserved(ETH) * 10_000 <= vault.bankrollAssets(ETH) * fraction


# ------------------------------------------------------------------ finding 5: Jackpot


def _jackpot_round(funded: Platform, buyers: list[tuple[Any, int]]) -> tuple[int, Commitment]:
    jackpot = funded["Jackpot"]
    round_id = int(jackpot.currentRound(ETH))
    info = jackpot.roundOf(round_id)
    for buyer, count in buyers:
        cost = count * int(info["ticketPrice"])
        jackpot.buyTickets(round_id, count, cost, {"from": buyer, "value": cost})
    chain.sleep(int(info["end"]) - now() + 1)
    rc = commitments(jackpot.draw(round_id, {"from": accounts[9]}))[0]
    mine(1)
    return round_id, rc


def test_an_oracle_holding_one_ticket_gains_nothing_by_withholding_a_draw(funded: Platform, players: list[Any]) -> None:
    """The holder buys one ticket and withholds the draw when it would lose. Before the bond it
    ended with its refund (a free option on the whole pot, round after round); now the expired
    draw refunds every ticket, pays the tickets a compensation from the holder's bond and burns a
    pot: the holder ends below publishing, and each honest buyer gets its tickets back plus its
    pro-rata share of the compensation."""
    vault, jackpot, coordinator = funded["Vault"], funded["Jackpot"], funded["RandomnessCoordinator"]
    holder_ticket, honest = players[0], players[1:4]
    buyers = [(holder_ticket, 1)] + [(p, 3) for p in honest]
    counts = [count for _, count in buyers]
    for _ in range(10):  # rounds until one the holder would lose (9 in 10 do)
        round_id, rc = _jackpot_round(funded, buyers)
        _, winner = jackpot_rules.draw(first_word(prove(rc)), _accumulate(counts))
        if winner != 0:
            break
        fulfil(coordinator, rc)
        jackpot.claim(round_id, {"from": accounts[9]})
    else:
        raise AssertionError("the holder won ten draws in a row")
    info = jackpot.roundOf(round_id)
    price = int(info["ticketPrice"])
    before = [int(vault.balanceOf(p, ETH)) for p in honest]

    def play(attack: bool) -> None:
        if attack:
            past_deadline(rc)
            coordinator.expire(rc, {"from": accounts[9]})
            jackpot.refundTickets(round_id, list(range(len(buyers))), {"from": accounts[9]})
        else:
            fulfil(coordinator, rc)
            jackpot.claim(round_id, {"from": accounts[9]})

    def measure() -> tuple[int, list[int]]:
        return holder_wealth(funded, [holder_ticket]), [int(vault.balanceOf(p, ETH)) for p in honest]

    (holder_honest, _), (holder_attacked, honest_attacked) = both_ways(play, measure)
    assert holder_attacked < holder_honest
    sales = sum(counts) * price
    compensation, _ = jackpot_compensation_and_sink(sales, int(info["rolledIn"]))
    shares = [compensation * count * price // sales for count in counts]
    shares[-1] = compensation - sum(shares[:-1])  # refunded last: takes what rounding left
    for index, player in enumerate(honest, start=1):
        assert honest_attacked[index - 1] == before[index - 1] + counts[index] * price + shares[index], player


def _accumulate(counts: list[int]) -> list[int]:
    ends, total = [], 0
    for count in counts:
        total += count
        ends.append(total)
    return ends


# ------------------------------------------------------------------ finding 6: the Vault backstop


def test_a_player_away_past_the_lock_deadline_still_ends_with_the_win(funded: Platform, players: list[Any]) -> None:
    """The holder withholds a winning result and waits for the Vault's deadline backstop to
    refund the stake (a plain refund before). Whoever unwinds it and whenever, the player ends
    with the win payout: the refund returns the stake and the expiry pays the rest from the bond."""
    vault, dice, coordinator = funded["Vault"], funded["Dice"], funded["RandomnessCoordinator"]
    player = players[1]
    vault.depositFor(player, ETH, 3 * ETHER, {"from": player, "value": 3 * ETHER})
    tx = dice.placeBet(ETH, ETHER, dice_choice(50), 0, {"from": player})
    rc, win = commitments(tx)[0], int(tx.events["Locked"]["maxPayout"])
    lock_id = int(tx.events["Locked"]["lockId"])
    chain.sleep(int(dice.lockDuration()) + 1)
    mine(1)
    vault.refund(lock_id, lock_terms(web3, vault.address, lock_id), {"from": accounts[9]})  # the backstop, by anyone
    assert vault.balanceOf(player, ETH) == 3 * ETHER
    with pytest.raises(Exception, match="RequestExpired"):
        fulfil(coordinator, rc)
    coordinator.expire(rc, {"from": accounts[9]})
    assert vault.balanceOf(player, ETH) == 2 * ETHER + win
    assert not coordinator.isPending(request_id(rc))


# ------------------------------------------------------------------ the bond caps what a key can leave open


def test_a_bet_the_free_bond_cannot_cover_is_refused(funded: Platform, players: list[Any]) -> None:
    vault, dice, coordinator = funded["Vault"], funded["Dice"], funded["RandomnessCoordinator"]
    operator = accounts[DEPLOYER]
    free = int(coordinator.bondOf(funded.key_hash, ETH)[4])
    coordinator.requestUnbond(funded.key_hash, ETH, free - ETHER, {"from": operator})
    player = players[0]
    vault.depositFor(player, ETH, 5 * ETHER, {"from": player, "value": 5 * ETHER})
    with pytest.raises(Exception, match="BondTooSmall"):
        dice.placeBet(ETH, ETHER // 10, dice_choice(5), 0, {"from": player})  # W = 1.98 ETH > 1 ETH free
    dice.placeBet(ETH, ETHER // 10, dice_choice(50), 0, {"from": player})  # W = 0.198 ETH fits
