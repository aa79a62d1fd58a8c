"""The Vault's rows of `fairstake bench gas` (ops.bench.gas runs them on its deployment).

Each scenario is a function of the shared `GasContext` returning {row: gas used}; scenarios
run in order on one deployment, so later ones may rely on state earlier ones left.

Vault rows call the Vault directly from a bench account registered as a game, so they show
the Vault's own cost; rows named `game_*` go through TestGame (deposit and lock in one call).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fairstake.manifest import ETH
from ops import bankroll as lp_flow
from ops.locks import LockTerms

ETHER = 10**18
USD = 10**6
HOUR = 3_600


@dataclass
class GasContext:
    """What scenarios share: the deployment and a few funded dev accounts."""

    core: dict[str, Any]
    deployer: Any
    bench_game: Any  # an account registered as a game, so Vault rows carry no game overhead
    players: list[Any]
    lps: list[Any]
    extra: dict[str, Any] = field(default_factory=dict)  # scenario hand-offs (lock ids, pool ids)

    @property
    def vault(self) -> Any:
        return self.core["Vault"]

    @property
    def usds(self) -> Any:
        return self.core["MockStablecoin"]

    @property
    def game(self) -> Any:
        return self.core["TestGame"]

    def deadline(self, seconds: int = HOUR) -> int:
        # the node's clock, not brownie's chain.time() (the wall clock plus brownie's own sleeps):
        # on the bench's fixed-clock chain the deadline, and the calldata carrying it, repeat
        from brownie import web3

        return int(web3.eth.get_block("latest")["timestamp"]) + seconds


GasScenario = Callable[[GasContext], dict[str, int]]


def _gas(tx: Any) -> int:
    return int(tx.gas_used)


def player_money(ctx: GasContext) -> dict[str, int]:
    vault, usds = ctx.vault, ctx.usds
    alice, bob = ctx.players[0], ctx.players[1]
    rows = {
        "deposit_eth_first": _gas(vault.depositFor(alice, ETH, ETHER, {"from": alice, "value": ETHER})),
        "deposit_eth": _gas(vault.depositFor(alice, ETH, ETHER, {"from": alice, "value": ETHER})),
    }
    usds.mint(bob, 10_000 * USD, {"from": bob})
    usds.approve(vault, 2**256 - 1, {"from": bob})
    rows["deposit_usds_first"] = _gas(vault.depositFor(bob, usds, 1_000 * USD, {"from": bob}))
    rows["deposit_usds"] = _gas(vault.depositFor(bob, usds, 1_000 * USD, {"from": bob}))
    rows["withdraw_eth"] = _gas(vault.withdraw(ETH, ETHER // 2, alice, {"from": alice}))
    rows["withdraw_usds"] = _gas(vault.withdraw(usds, 500 * USD, bob, {"from": bob}))
    return rows


def bankroll(ctx: GasContext) -> dict[str, int]:
    """LP entry and exit: each takes a request and, a day later, a claim (anyone's). The rows
    named as before the asynchronous flow (`lp_deposit_eth*`, `lp_withdraw_eth`) are the whole
    cost of the same effect now: request + claim (+ the withdraw a redeem's free balance needs)."""
    vault = ctx.vault
    first, second = ctx.lps
    amount = 500 * ETHER
    rows: dict[str, int] = {}
    for suffix, lp in (("_first", first), ("", second)):
        requested = _gas(lp_flow.request_deposit(vault, ETH, amount, lp))
        lp_flow.pass_delay(vault)
        claimed = _gas(vault.claimBankrollDeposit(ETH, lp, {"from": lp}))
        rows[f"lp_request_deposit_eth{suffix}"] = requested
        rows[f"lp_claim_deposit_eth{suffix}"] = claimed
        rows[f"lp_deposit_eth{suffix}"] = requested + claimed
    lp_flow.request_deposit(vault, ETH, ETHER, second)
    rows["lp_cancel_deposit_eth"] = _gas(vault.cancelBankrollDeposit(ETH, {"from": second}))
    vault.withdraw(ETH, ETHER, second, {"from": second})

    shares = vault.sharesOf(second, ETH) // 2
    requested = _gas(vault.requestBankrollRedeem(ETH, shares, {"from": second}))
    lp_flow.pass_delay(vault)
    claim = vault.claimBankrollRedeem(ETH, second, {"from": second})
    withdrawn = _gas(vault.withdraw(ETH, claim.return_value, second, {"from": second}))
    rows["lp_request_redeem_eth"] = requested
    rows["lp_claim_redeem_eth"] = _gas(claim)
    rows["lp_withdraw_eth"] = requested + _gas(claim) + withdrawn
    vault.requestBankrollRedeem(ETH, shares // 2, {"from": second})
    rows["lp_cancel_redeem_eth"] = _gas(vault.cancelBankrollRedeem(ETH, {"from": second}))
    return rows


def bankroll_locks(ctx: GasContext) -> dict[str, int]:
    from brownie import chain

    vault, game, player = ctx.vault, ctx.bench_game, ctx.players[2]
    vault.depositFor(player, ETH, 10 * ETHER, {"from": player, "value": 10 * ETHER})

    def open_lock(max_payout: int, seconds: int = HOUR) -> tuple[Any, LockTerms]:
        # a bet with a 1 % house edge, so each lock also pays its protocol fee (as a Dice bet does)
        tx = vault.lock(player, ETH, ETHER, max_payout, ETHER // 100, ctx.deadline(seconds), 0, {"from": game})
        return tx, LockTerms(str(player), ETH, str(game), ETHER, max_payout, 0)

    # the first lock also turns the token's locked and reserved totals from zero to non-zero;
    # it stays open, so the other rows show the steady state
    rows = {"lock_first": _gas(open_lock(3 * ETHER, seconds=6 * HOUR)[0])}
    lost, terms = open_lock(2 * ETHER)
    rows["lock"] = _gas(lost)
    rows["settle_house_wins"] = _gas(vault.settle(lost.return_value, terms, 0, {"from": game}))
    won, terms = open_lock(2 * ETHER)
    rows["settle_player_wins"] = _gas(vault.settle(won.return_value, terms, 2 * ETHER, {"from": game}))
    refunded, terms = open_lock(ETHER)
    rows["refund_by_game"] = _gas(vault.refund(refunded.return_value, terms, {"from": game}))
    expired, terms = open_lock(ETHER, seconds=60)
    chain.sleep(61)
    rows["refund_after_deadline"] = _gas(vault.refund(expired.return_value, terms, {"from": ctx.players[3]}))
    return rows


def game_entry(ctx: GasContext) -> dict[str, int]:
    vault, usds, game, player = ctx.vault, ctx.usds, ctx.game, ctx.players[3]
    rows = {
        "game_deposit_and_lock_eth": _gas(
            game.lockWithEth(2 * ETHER, ctx.deadline(), 0, {"from": player, "value": ETHER})
        )
    }
    usds.mint(player, 1_000 * USD, {"from": player})
    usds.approve(vault, 2**256 - 1, {"from": player})
    rows["game_pull_and_lock_usds"] = _gas(
        game.lockFrom(usds, 100 * USD, 100 * USD, ctx.deadline(), 0, {"from": player})
    )
    return rows


def pools(ctx: GasContext) -> dict[str, int]:
    vault, game = ctx.vault, ctx.bench_game
    alice, bob = ctx.players[0], ctx.players[4]
    vault.depositFor(bob, ETH, 5 * ETHER, {"from": bob, "value": 5 * ETHER})
    opened = vault.openPool(ETH, {"from": game})
    pool_id = opened.return_value
    rows = {"pool_open": _gas(opened)}
    rows["pool_lock_first"] = _gas(vault.lock(bob, ETH, ETHER, ETHER, 0, ctx.deadline(), pool_id, {"from": game}))
    rows["pool_lock"] = _gas(vault.lock(alice, ETH, ETHER // 4, ETHER // 4, 0, ctx.deadline(), pool_id, {"from": game}))
    rows["pool_close"] = _gas(vault.closePool(pool_id, {"from": game}))
    rows["pool_take_fee"] = _gas(vault.takePoolFee(pool_id, ETHER // 10, {"from": game}))
    rows["pool_pay"] = _gas(vault.payFromPool(pool_id, alice, ETHER, {"from": game}))
    next_pool = vault.openPool(ETH, {"from": game}).return_value
    rows["pool_move"] = _gas(vault.movePool(pool_id, next_pool, ETHER // 10, {"from": game}))
    rows.update(_pool_backstop(ctx, next_pool))
    return rows


def _pool_backstop(ctx: GasContext, moved_into: int) -> dict[str, int]:
    """A closed pool its game never paid, returned lock by lock after the payout window, and a
    pool holding only moved-in money released to the bankroll; 30 days on from a snapshot, so the
    scenarios after this one keep their clock."""
    from brownie import chain

    vault, game = ctx.vault, ctx.bench_game
    alice, bob = ctx.players[0], ctx.players[4]
    chain.snapshot()
    try:
        stuck = vault.openPool(ETH, {"from": game}).return_value
        first = vault.lock(bob, ETH, ETHER // 4, ETHER // 4, 0, ctx.deadline(), stuck, {"from": game}).return_value
        last = vault.lock(alice, ETH, ETHER // 8, ETHER // 8, 0, ctx.deadline(), stuck, {"from": game}).return_value
        first_terms = LockTerms(str(bob), ETH, str(game), ETHER // 4, ETHER // 4, stuck)
        last_terms = LockTerms(str(alice), ETH, str(game), ETHER // 8, ETHER // 8, stuck)
        vault.closePool(stuck, {"from": game})
        vault.closePool(moved_into, {"from": game})
        chain.sleep(int(vault.POOL_PAYOUT_WINDOW()) + 1)
        chain.mine()
        return {
            "pool_refund_closed_first": _gas(vault.refundClosedPool(first, first_terms, {"from": alice})),
            "pool_refund_closed_last": _gas(vault.refundClosedPool(last, last_terms, {"from": alice})),
            "pool_release": _gas(vault.releaseClosedPool(moved_into, {"from": alice})),
        }
    finally:
        chain.revert()


GAS_SCENARIOS: list[GasScenario] = [player_money, bankroll, bankroll_locks, game_entry, pools]
