"""Stateful test of Jackpot money flows on the real Vault: random ticket purchases (from balance
or with ETH in the same call), draws, deliveries, expiries, refunds, claims, rollovers and time
passing. After every step: the Vault invariant (token balance >= free + locked + bankroll +
fees), exact conservation, every round's pool and every player's balance against a model, the
fees against the rake the rules give, and no funds held by the game."""

from __future__ import annotations

from itertools import accumulate
from typing import Any

from brownie import chain
from brownie.test import strategy
from chance_support import MoneyFlows, assert_vault_solvent, expire_past_deadline, run_money_flows
from contract_support import ETHER, token_balance
from hypothesis.stateful import initialize, invariant, precondition, rule

from fairstake.manifest import ETH
from fairstake.rules import jackpot as rules

OPEN, DRAWING, DRAWN, REFUNDABLE = 1, 2, 3, 6

st_player = strategy("uint8", max_value=2)
st_count = strategy("uint8", min_value=1, max_value=20)
st_word = strategy("uint256")
st_pick = strategy("uint16")
st_flag = strategy("bool")
st_minutes = strategy("uint16", max_value=150)


class JackpotMoneyFlows(MoneyFlows):
    jackpot: Any
    keeper: Any

    def __init__(self) -> None:
        super().__init__()
        self.balances = {p: int(self.vault.balanceOf(p, ETH)) for p in self.players}
        self.held = token_balance(ETH, self.vault)
        self.fees = int(self.vault.accruedFees(ETH))
        self.pools: dict[int, int] = {}
        self.purchases: dict[int, list[list[Any]]] = {}  # round -> [player, stake, count, refunded]
        self.requests: dict[int, tuple[int, int]] = {}  # round -> (request id, request block)
        # round -> [compensation an expired draw's bond paid for its tickets, paid out so far]
        self.compensation: dict[int, list[int]] = {}
        # how the teardown ends what the example left open rotates between examples
        self.seen["examples"] += 1
        self.deliver_at_end = self.seen["examples"] % 3 != 0
        self.claim_at_end = self.seen["examples"] % 2 == 0

    def _current(self) -> int:
        round_id = int(self.jackpot.currentRound(ETH))
        self.pools.setdefault(round_id, 0)
        self.purchases.setdefault(round_id, [])
        return round_id

    def _status(self, round_id: int) -> int:
        return int(self.jackpot.roundOf(round_id)["status"])

    def _rounds(self, status: int) -> list[int]:
        return [r for r in sorted(self.pools) if self._status(r) == status]

    def _advance_to(self, timestamp: int) -> None:
        while chain[-1].timestamp < timestamp:
            chain.sleep(timestamp - chain[-1].timestamp)
            chain.mine()

    def _move_rolled(self, tx: Any) -> None:
        for event in tx.events["PrizeRolledOver"] if "PrizeRolledOver" in tx.events else []:  # noqa: SIM401
            self.pools.setdefault(int(event["toRoundId"]), 0)
            self.purchases.setdefault(int(event["toRoundId"]), [])
            self.pools[int(event["fromRoundId"])] -= int(event["amount"])
            self.pools[int(event["toRoundId"])] += int(event["amount"])
            self.seen["rolled over"] += 1

    # ------------------------------------------------------------------ rules

    @initialize(st_count=st_count, st_flag=st_flag)
    def open_round(self, st_count: int, st_flag: bool) -> None:
        """Every example starts with tickets from every player in the current round."""
        for index in range(len(self.players)):
            self.buy(index, st_count, st_flag)

    @rule(st_player=st_player, st_count=st_count, st_flag=st_flag)
    def buy(self, st_player: int, st_count: int, st_flag: bool) -> None:
        round_id = self._current()
        info = self.jackpot.roundOf(round_id)
        if chain[-1].timestamp + 1 >= info["end"]:
            return
        player, stake = self.players[st_player], st_count * int(info["ticketPrice"])
        deposit = stake if st_flag else 0
        if self.balances[player] + deposit < stake:
            return
        tx = self.jackpot.buyTickets(round_id, st_count, deposit, {"from": player, "value": deposit})
        assert tx.events["TicketsBought"]["count"] == st_count
        self.balances[player] += deposit - stake
        self.held += deposit
        self.pools[round_id] += stake
        self.purchases[round_id].append([player, stake, st_count, False])
        self.seen["bought"] += 1

    @rule()
    def draw(self) -> None:
        round_id = self._current()
        info = self.jackpot.roundOf(round_id)
        if chain[-1].timestamp + 1 > info["drawBy"]:
            tx = self.jackpot.markRefundable(round_id, {"from": self.keeper})
            self.seen["refundable"] += 1
        else:
            self._advance_to(info["end"])
            tx = self.jackpot.draw(round_id, {"from": self.keeper})
            if "DrawRequested" in tx.events:
                self.requests[round_id] = (int(tx.events["DrawRequested"]["requestId"]), tx.block_number)
        self._move_rolled(tx)
        self._current()

    @precondition(lambda self: bool(self.requests))
    @rule(st_pick=st_pick, st_word=st_word)
    def deliver(self, st_pick: int, st_word: int) -> None:
        round_id = sorted(self.requests)[st_pick % len(self.requests)]
        request_id, _ = self.requests[round_id]
        deadline_time = int(self.coordinator.requests(request_id)["deadlineTime"])
        if chain[-1].timestamp + 5 >= deadline_time:  # too late to answer: the request expires
            self._expire(round_id)
            return
        self.requests.pop(round_id)
        tx = self.coordinator.deliver(request_id, [st_word], {"from": self.keeper})
        assert tx.events["Delivered"]["callbackSuccess"]
        if "RoundRefundable" in tx.events:  # the locks' deadline passed while drawing
            self.seen["refundable"] += 1
            return
        bought = self.purchases[round_id]
        ticket, index = rules.draw(st_word, list(accumulate(p[2] for p in bought)))
        info = self.jackpot.roundOf(round_id)
        prize, rake = rules.prize_and_rake(self.pools[round_id], int(info["rakeBps"]), int(info["rolledIn"]))
        drawn = tx.events["RoundDrawn"]
        assert (drawn["winningTicket"], drawn["winner"]) == (ticket, bought[index][0])
        assert (drawn["prize"], drawn["rake"]) == (prize, rake)
        self.pools[round_id] -= rake
        self.fees += rake
        self.seen["drawn"] += 1

    @precondition(lambda self: bool(self.requests))
    @rule(st_pick=st_pick)
    def expire(self, st_pick: int) -> None:
        self._expire(sorted(self.requests)[st_pick % len(self.requests)])

    def _expire(self, round_id: int) -> None:
        """The draw's randomness is withheld past its deadline: the bond pays the compensation
        (ticket sales + twice the rolled-in money) into the Jackpot's Vault balance."""
        request_id, _ = self.requests.pop(round_id)
        tx = expire_past_deadline(self.coordinator, request_id)
        assert tx.events["Expired"]["callbackSuccess"]
        assert self._status(round_id) == REFUNDABLE
        sales = sum(p[1] for p in self.purchases[round_id])
        compensation = sales + 2 * int(self.jackpot.roundOf(round_id)["rolledIn"])
        assert tx.events["DrawCompensated"]["amount"] == compensation
        self.compensation[round_id] = [compensation, 0]
        self.held += compensation
        self.seen["refundable"] += 1

    @rule(st_pick=st_pick)
    def refund(self, st_pick: int) -> None:
        owed = [(r, i) for r in self._rounds(REFUNDABLE) for i, p in enumerate(self.purchases[r]) if not p[3]]
        if not owed:
            return
        round_id, index = owed[st_pick % len(owed)]
        purchase = self.purchases[round_id][index]
        tx = self.jackpot.refundTickets(round_id, [index], {"from": self.keeper})
        purchase[3] = True
        self.balances[purchase[0]] += purchase[1]
        if round_id in self.compensation:
            total, paid = self.compensation[round_id]
            sales = sum(p[1] for p in self.purchases[round_id])
            last = all(p[3] for p in self.purchases[round_id])
            share = total - paid if last else total * purchase[1] // sales
            if share:
                assert tx.events["CompensationPaid"]["amount"] == share
            self.compensation[round_id][1] += share
            self.balances[purchase[0]] += share
        self.pools[round_id] -= purchase[1]
        self.seen["refunded"] += 1

    @rule(st_pick=st_pick)
    def claim(self, st_pick: int) -> None:
        drawn = [r for r in self._rounds(DRAWN) if self.jackpot.roundOf(r)["winner"] != "0x" + "00" * 20]
        if not drawn:
            return
        self._claim(drawn[st_pick % len(drawn)])

    def _claim(self, round_id: int) -> None:
        winner = self.jackpot.roundOf(round_id)["winner"]
        self.jackpot.claim(round_id, {"from": self.keeper})
        self.balances[next(p for p in self.players if p == winner)] += self.pools[round_id]
        self.pools[round_id] = 0
        self.seen["claimed"] += 1

    @rule(st_pick=st_pick)
    def roll_over(self, st_pick: int) -> None:
        candidates = self._rounds(DRAWN) + [
            r
            for r in self._rounds(REFUNDABLE)
            if self.pools[r] and all(p[3] for p in self.purchases[r])  # only rolled-in money left
        ]
        if not candidates:
            return
        self._roll_over(candidates[st_pick % len(candidates)])

    def _roll_over(self, round_id: int) -> None:
        self._advance_to(int(self.jackpot.roundOf(round_id)["claimBy"]) + 1)
        self._current()
        self._move_rolled(self.jackpot.rollOver(round_id, {"from": self.keeper}))

    @rule(st_minutes=st_minutes)
    def wait(self, st_minutes: int) -> None:
        self._advance_to(chain[-1].timestamp + 60 * st_minutes)

    def teardown(self) -> None:
        """Finish what the example left: draw or void the pending draws, claim or roll over the
        prizes, refund the refundable tickets, and check the books once more."""
        self.draw()
        for round_id in list(self.requests):
            pick = sorted(self.requests).index(round_id)
            if self.deliver_at_end:
                self.deliver(pick, 2**255 + round_id)
            else:
                self.expire(pick)
        for round_id in self._rounds(DRAWN):
            if self.jackpot.roundOf(round_id)["winner"] != "0x" + "00" * 20 and self.claim_at_end:
                self._claim(round_id)
            else:
                self._roll_over(round_id)
        while any(not p[3] for r in self._rounds(REFUNDABLE) for p in self.purchases[r]):
            self.refund(0)
        self.vault_books()

    # ------------------------------------------------------------------ invariants

    @invariant()
    def vault_books(self) -> None:
        assert_vault_solvent(self.vault, ETH)
        assert token_balance(ETH, self.vault) == self.held
        assert self.vault.accruedFees(ETH) == self.fees
        for round_id, expected in self.pools.items():
            assert self.vault.getPool(self.jackpot.roundOf(round_id)["poolId"])["balance"] == expected
        assert self.vault.lockedTotal(ETH) == sum(self.pools.values())
        for player in self.players:
            assert self.vault.balanceOf(player, ETH) == self.balances[player]
        assert token_balance(ETH, self.jackpot) == 0
        # the Jackpot's own Vault balance is exactly the compensation not yet passed on
        assert self.vault.balanceOf(self.jackpot, ETH) == sum(t - p for t, p in self.compensation.values())


def test_jackpot_money_flows(
    jackpot: Any, vault: Any, coordinator: Any, alice: Any, bob: Any, carol: Any, lp: Any
) -> None:
    players = [alice, bob, carol]
    for player in players:
        vault.depositFor(player, ETH, 2 * ETHER, {"from": player, "value": 2 * ETHER})
    seen = {k: 0 for k in ("examples", "bought", "drawn", "claimed", "rolled over", "refundable", "refunded")}
    run_money_flows(JackpotMoneyFlows, 80, seen, vault, coordinator, players, jackpot=jackpot, keeper=lp)
    print(f"jackpot money flows exercised: {seen}")
    assert all(seen.values()), seen
