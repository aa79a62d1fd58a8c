"""Stateful test of the five games on the chance-game engine (CoinToss, Roulette, Keno, Wheel,
Plinko), one state machine parametrised by game: random valid bets of 1..4 rolls with optional
stops, paid from the Vault balance or straight from the wallet; deliveries of random words; block
advances; requests withheld until they expire (the engine's timeout path, paid from the bond); and
invalid choices, refused with the game's custom error. After every step each bet, balance and book
is checked against an independent model: outcomes and terms from the Python rules
(fairstake/rules/<game>.py through fairstake/rules/multiroll.py), money from this test's own
bookkeeping of what each step must move.

The machine runs under hypothesis itself, for the reason test_dice_stateful.py gives, and every
example reverts to the chain as the test function left it."""

# Fixtures are imported from chance_support, so test arguments shadow the imported names.
# ruff: noqa: F811

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from brownie import Keno, Plinko, Wheel, chain, history, web3
from chance_support import (
    AWAITING_WORD,
    CLOSED,
    EDGE_BPS,
    FEE_BPS,
    MIN_STAKE,
    TIMEOUT_BLOCKS,
    MoneyFlows,
    assert_vault_solvent,
    bet_id_of,
    data_word_of,
    deploy_chance_game,
    edge_fee,
    expire_past_deadline,
    may_have_expired,
    placed_bet,
)
from chance_words import bet_data_word
from contract_support import ETHER, gas_cost, lock_record, open_lock
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from fairstake.manifest import ETH
from fairstake.rules import cointoss as cointoss_rules
from fairstake.rules import keno as keno_rules
from fairstake.rules import multiroll, plinko, weighted, wheel
from fairstake.rules import roulette as roulette_rules
from ops.games.keno import DEFAULT_TABLE, KENO_CALLBACK_GAS
from ops.games.roulette import SETS as ROULETTE_SETS

SOAK = bool(os.environ.get("FAIRSTAKE_SOAK"))
MAX_OPEN_BETS = 3
MAX_ROLLS = 4
SETTINGS = settings(
    max_examples=40 if SOAK else 3, stateful_step_count=40 if SOAK else 8, deadline=None, derandomize=not SOAK
)
BPS = 10_000
WEIGHTED_CALLBACK_GAS = 150_000
KENO_TABLE_ID = 1
WHEELS = [wheel.default_wheel(10, 0), wheel.default_wheel(30, 1), wheel.default_wheel(50, 2)]
BOARDS = [plinko.default_board(8, 0), plinko.default_board(12, 1), plinko.default_board(16, 2)]

# ------------------------------------------------------------------ the games and their choices

ChoiceOf = Callable[[int], bytes]  # a bet's choice given its stake per roll (Roulette splits it)


def _same_for_any_stake(choice: bytes) -> ChoiceOf:
    return lambda stake: choice


def _roulette_choice(sets: list[tuple[int, int]]) -> ChoiceOf:
    """The stake split over the sets by their weights, the rounding on the first set."""

    def choice(stake: int) -> bytes:
        total = sum(w for _, w in sets)
        parts = [stake * w // total for _, w in sets]
        parts[0] += stake - sum(parts)
        return roulette_rules.encode_choice([m for m, _ in sets], parts)

    return choice


def _roulette_parts_off(sets: list[tuple[int, int]]) -> ChoiceOf:
    """Parts that add up to one wei more than the stake: PartsNotStake."""
    valid = _roulette_choice(sets)

    def choice(stake: int) -> bytes:
        masks, parts = roulette_rules.decode_choice(valid(stake))
        return roulette_rules.encode_choice(masks, [parts[0] + 1, *parts[1:]])

    return choice


_st_roulette_sets = st.lists(
    st.tuples(st.sampled_from(ROULETTE_SETS).map(lambda make: make()), st.integers(1, 5)), min_size=1, max_size=4
)
_st_keno_picks = st.sets(st.integers(1, keno_rules.NUMBERS), min_size=1, max_size=keno_rules.MAX_PICKS)


@dataclass(frozen=True)
class Game:
    name: str
    rules: multiroll.ChanceRules
    edge_bps: int
    valid: st.SearchStrategy[ChoiceOf]
    # an invalid choice and the custom error the game refuses it with
    invalid: st.SearchStrategy[tuple[ChoiceOf, str]]


def _weighted_game(name: str, configs: list[weighted.WeightedConfig]) -> Game:
    ids = st.integers(1, len(configs))
    return Game(
        name,
        weighted.Tables({i + 1: config for i, config in enumerate(configs)}),
        0,
        ids.map(lambda i: _same_for_any_stake(weighted.encode_choice(i))),
        st.one_of(
            st.sampled_from([0, len(configs) + 1, 2**32 - 1]).map(
                lambda i: (_same_for_any_stake(weighted.encode_choice(i)), "UnknownConfig")
            ),
            ids.map(lambda i: (_same_for_any_stake(weighted.encode_choice(i) + bytes(1)), "BadChoice")),
        ),
    )


GAMES = {
    "CoinToss": Game(
        "CoinToss",
        cointoss_rules,  # type: ignore[arg-type]  (a module satisfying the protocol)
        EDGE_BPS,
        st.booleans().map(lambda heads: _same_for_any_stake(cointoss_rules.encode_choice(heads))),
        st.one_of(
            st.integers(2, 2**256 - 1).map(lambda side: (_same_for_any_stake(side.to_bytes(32, "big")), "BadChoice")),
            st.booleans().map(
                lambda heads: (_same_for_any_stake(cointoss_rules.encode_choice(heads)[:31]), "BadChoice")
            ),
        ),
    ),
    "Roulette": Game(
        "Roulette",
        roulette_rules,  # type: ignore[arg-type]
        EDGE_BPS,
        _st_roulette_sets.map(_roulette_choice),
        st.one_of(
            _st_roulette_sets.map(lambda sets: (_roulette_parts_off(sets), "PartsNotStake")),
            st.sampled_from([0, 1 << roulette_rules.POCKETS]).map(
                lambda mask: (lambda stake: roulette_rules.encode_choice([mask], [stake]), "BadNumberSet")
            ),
        ),
    ),
    "Keno": Game(
        "Keno",
        keno_rules.Tables({KENO_TABLE_ID: DEFAULT_TABLE}),
        0,
        _st_keno_picks.map(
            lambda picks: _same_for_any_stake(keno_rules.encode_choice(KENO_TABLE_ID, keno_rules.mask_of(picks)))
        ),
        st.one_of(
            st.sets(st.integers(1, keno_rules.NUMBERS), min_size=keno_rules.MAX_PICKS + 1, max_size=20).map(
                lambda picks: (
                    _same_for_any_stake(keno_rules.encode_choice(KENO_TABLE_ID, keno_rules.mask_of(picks))),
                    "BadPicks",
                )
            ),
            st.just((_same_for_any_stake(keno_rules.encode_choice(KENO_TABLE_ID, 0)), "BadPicks")),
            _st_keno_picks.map(
                lambda picks: (
                    _same_for_any_stake(keno_rules.encode_choice(KENO_TABLE_ID + 1, keno_rules.mask_of(picks))),
                    "UnknownTable",
                )
            ),
        ),
    ),
    "Wheel": _weighted_game("Wheel", WHEELS),
    "Plinko": _weighted_game("Plinko", BOARDS),
}


@pytest.fixture(scope="module")
def games(
    owner: Any, vault: Any, coordinator: Any, registry: Any, usds: Any, cointoss: Any, roulette: Any, bankroll: None
) -> dict[str, Any]:
    keno = deploy_chance_game(Keno, owner, vault, coordinator, registry, None, KENO_CALLBACK_GAS, edge_bps=0)
    keno.addTable(KENO_TABLE_ID, DEFAULT_TABLE, {"from": owner})
    wheel_game = deploy_chance_game(Wheel, owner, vault, coordinator, registry, None, WEIGHTED_CALLBACK_GAS, edge_bps=0)
    for config in WHEELS:
        wheel_game.addConfig(config.weights, config.multipliers, config.risk, {"from": owner})
    plinko_game = deploy_chance_game(
        Plinko, owner, vault, coordinator, registry, None, WEIGHTED_CALLBACK_GAS, edge_bps=0
    )
    for config in BOARDS:
        plinko_game.addConfig(len(config.weights) - 1, config.risk, config.multipliers, {"from": owner})
    return {"CoinToss": cointoss, "Roulette": roulette, "Keno": keno, "Wheel": wheel_game, "Plinko": plinko_game}


# ------------------------------------------------------------------ the state machine

st_player = st.integers(0, 2)
# stakes per roll from the minimum to ~1 ETH, small ones as likely as large (Keno's and the high
# risk boards' largest multipliers make large multi-roll bets exceed the exposure cap: refused)
st_stake = st.tuples(st.integers(0, 10), st.integers(0, MIN_STAKE - 1)).map(lambda e: MIN_STAKE * 2 ** e[0] + e[1])
st_rolls = st.integers(1, MAX_ROLLS)
st_stop = st.integers(0, 3)
st_word = st.integers(0, 2**256 - 1)
st_pick = st.integers(0, 2**16)
st_blocks = st.integers(0, TIMEOUT_BLOCKS // 4)


class ChanceMoneyFlows(MoneyFlows):
    game: Any
    spec: Game

    def __init__(self) -> None:
        super().__init__()
        self.bets: list[dict[str, Any]] = []
        self.balances = {p: int(self.vault.balanceOf(p, ETH)) for p in self.players}
        self.wallets = {p: int(p.balance()) for p in self.players}
        books = self.vault.getBooks(ETH)
        self.held, self.bankroll = int(books["held"]), int(books["bankrollAssets"])
        self.fees = int(books["accruedFees"])
        self.reserved_before = int(books["bankrollReserved"])

    # ------------------------------------------------------------------ rules

    @initialize(
        st_player=st_player, choice=st.data(), st_stake=st_stake, st_gain=st_stop, st_loss=st_stop.map(lambda n: n + 1)
    )
    def first_bets(self, st_player: int, choice: st.DataObject, st_stake: int, st_gain: int, st_loss: int) -> None:
        """Every example starts with a one-roll bet paid straight from the wallet, an invalid bet,
        and a bet of MAX_ROLLS small rolls from the Vault balance with a stop-loss (and maybe a
        stop-gain), so each example covers every kind of bet whatever the rules then draw."""
        self.place(st_player, choice.draw(self.spec.valid), st_stake, 1, 0, 0, True)
        self.place_invalid(st_player, choice, st_stake, False)
        small = MIN_STAKE + st_stake % MIN_STAKE
        self.place((st_player + 1) % 3, choice.draw(self.spec.valid), small, MAX_ROLLS, st_gain, st_loss, False)

    @precondition(lambda self: len(self.bets) < MAX_OPEN_BETS)
    @rule(
        st_player=st_player,
        choice=st.data(),
        st_stake=st_stake,
        st_rolls=st_rolls,
        st_gain=st_stop,
        st_loss=st_stop,
        from_wallet=st.booleans(),
    )
    def place_bet(
        self,
        st_player: int,
        choice: st.DataObject,
        st_stake: int,
        st_rolls: int,
        st_gain: int,
        st_loss: int,
        from_wallet: bool,
    ) -> None:
        self.place(st_player, choice.draw(self.spec.valid), st_stake, st_rolls, st_gain, st_loss, from_wallet)

    def place(
        self, st_player: int, choice_of: ChoiceOf, stake: int, rolls: int, gain: int, loss: int, from_wallet: bool
    ) -> None:
        """Stops (multi-roll bets only) in whole stakes, within what the model allows."""
        player, choice, edge = self.players[st_player], choice_of(stake), self.spec.edge_bps
        roll_max, _ = self.spec.rules.roll_terms(stake, choice, edge)
        stop_gain = min(gain * stake, (roll_max - stake) * rolls) if rolls > 1 else 0
        stop_loss = min(loss * stake, stake * rolls) if rolls > 1 else 0
        terms = multiroll.bet_terms(self.spec.rules, stake, choice, edge, rolls, stop_gain, stop_loss)
        fee = terms.house_edge * FEE_BPS // BPS
        deposit = terms.staked if from_wallet else 0
        if self.balances[player] + deposit < terms.staked:
            return
        args = (ETH, stake, choice, rolls, stop_gain, stop_loss, deposit, {"from": player, "value": deposit})
        if terms.max_payout - terms.staked + fee > self.vault.maxReserve(ETH):
            self.refused("ExposureTooHigh", player, args)
            return
        tx = self.game.placeMultiBet(*args)
        placed = placed_bet(tx)
        assert (placed["maxPayout"], placed["fee"], placed["edgeBps"]) == (
            terms.max_payout,
            edge_fee(self.vault, terms.house_edge),
            edge,
        )
        self.balances[player] += deposit - terms.staked
        self.wallets[player] -= deposit + gas_cost(tx)
        self.held += deposit
        self.bankroll -= fee
        self.fees += fee
        assert data_word_of(tx) == bet_data_word(placed["lockId"], rolls, edge, bool(stop_gain or stop_loss), choice)
        self.bets.append(
            {
                "id": tx.return_value,
                "lock_id": placed["lockId"],
                "player": player,
                "stake": stake,
                "choice": choice,
                "rolls": rolls,
                "stop_gain": stop_gain,
                "stop_loss": stop_loss,
                "terms": terms,
            }
        )
        self.seen["placed"] += 1
        self.seen["from wallet" if from_wallet else "from balance"] += 1
        self.seen["with stops" if stop_gain or stop_loss else "without stops"] += 1

    @rule(st_player=st_player, choice=st.data(), st_stake=st_stake, from_wallet=st.booleans())
    def place_invalid(self, st_player: int, choice: st.DataObject, st_stake: int, from_wallet: bool) -> None:
        """The Python rules refuse the choice too; the game refuses it with its custom error."""
        choice_of, error = choice.draw(self.spec.invalid)
        bad = choice_of(st_stake)
        with pytest.raises(ValueError):
            multiroll.bet_terms(self.spec.rules, st_stake, bad, self.spec.edge_bps)
        player = self.players[st_player]
        deposit = st_stake if from_wallet else 0
        self.refused(error, player, (ETH, st_stake, bad, 1, 0, 0, deposit, {"from": player, "value": deposit}))
        self.seen["invalid"] += 1

    def refused(self, error: str, player: Any, args: tuple[Any, ...]) -> None:
        """The bet reverts with `error`: the invariants then see no money move but the gas of the
        reverted transaction, when one was mined (brownie sends it past the failed estimate)."""
        mined = len(history)
        with self.reverts_with(error):
            self.game.placeMultiBet(*args)
        if len(history) > mined:
            reverted = history[-1]
            assert (reverted.status, reverted.sender) == (0, player)
            self.wallets[player] -= gas_cost(reverted)
        self.seen["refused"] += 1

    @precondition(lambda self: bool(self.bets))
    @rule(st_pick=st_pick, st_word=st_word)
    def deliver(self, st_pick: int, st_word: int) -> None:
        live = [b for b in self.bets if not may_have_expired(self.coordinator, b["id"])]
        if live:
            self._deliver(live[st_pick % len(live)], st_word)

    def _deliver(self, bet: dict[str, Any], word: int) -> None:
        tx = self.coordinator.deliver(bet["id"], [word], {"from": self.players[0]})
        assert tx.events["Delivered"]["callbackSuccess"], "the game's callback failed"
        self.wallets[self.players[0]] -= gas_cost(tx)
        expected = multiroll.play(
            self.spec.rules,
            word,
            bet["stake"],
            bet["choice"],
            self.spec.edge_bps,
            bet["rolls"],
            bet["stop_gain"],
            bet["stop_loss"],
        )
        settled = tx.events["BetSettled"]
        assert (settled["rollsPlayed"], settled["payout"]) == (expected.rolls_played, expected.payout)
        self._resolved(bet)
        self.balances[bet["player"]] += expected.payout
        self.bankroll += bet["terms"].staked - expected.payout
        self.seen["won" if expected.payout > bet["terms"].staked else "lost or even"] += 1
        if expected.rolls_played < bet["rolls"]:
            self.seen["stopped early"] += 1

    @rule(st_blocks=st_blocks)
    def mine(self, st_blocks: int) -> None:
        chain.mine(st_blocks)

    @precondition(lambda self: bool(self.bets))
    @rule(st_pick=st_pick)
    def time_out(self, st_pick: int) -> None:
        """Withhold one bet's word until its request expires: the stakes are refunded and the bond
        pays the player maxPayout - stakes and the bankroll the stakes."""
        self._time_out(self.bets[st_pick % len(self.bets)])

    def _time_out(self, bet: dict[str, Any]) -> None:
        terms = bet["terms"]
        tx = expire_past_deadline(self.coordinator, bet["id"])
        assert tx.events["BetTimedOut"]["payout"] == terms.max_payout
        self._resolved(bet)
        self.balances[bet["player"]] += terms.max_payout
        self.bankroll += terms.staked
        self.held += terms.max_payout
        self.seen["timed out"] += 1

    def _resolved(self, bet: dict[str, Any]) -> None:
        """Its result was checked from its event; the bet is closed: its lock no longer open."""
        self.bets.remove(bet)
        assert tuple(self.game.betStatusOf(bet["lock_id"])) == (bet["id"], CLOSED)
        assert open_lock(self.vault, bet["lock_id"]) == (0, 0)
        assert not self.coordinator.isPending(bet["id"])

    # ------------------------------------------------------------------ invariants

    @invariant()
    def books_match_the_model(self) -> None:
        books = self.vault.getBooks(ETH)
        assert_vault_solvent(self.vault, ETH)
        assert (
            books["held"] >= books["freeTotal"] + books["lockedTotal"] + books["bankrollAssets"] + books["accruedFees"]
        )
        assert (books["held"], books["bankrollAssets"], books["accruedFees"]) == (self.held, self.bankroll, self.fees)
        assert books["lockedTotal"] == sum(b["terms"].staked for b in self.bets)
        assert books["bankrollReserved"] - self.reserved_before == sum(
            b["terms"].max_payout - b["terms"].staked for b in self.bets
        )
        for player in self.players:
            assert self.vault.balanceOf(player, ETH) == self.balances[player]
            assert player.balance() == self.wallets[player]
        assert web3.eth.get_balance(str(self.game.address)) == 0

    @invariant()
    def open_bets_read_back_as_placed(self) -> None:
        for bet in self.bets:
            # the bet is named by its lock; its terms are the lock's and its request's data word
            assert bet["id"] == bet_id_of(self.game, bet["lock_id"])
            assert tuple(self.game.betStatusOf(bet["lock_id"])) == (bet["id"], AWAITING_WORD)
            if open_lock(self.vault, bet["lock_id"])[0] != 0:
                lock = lock_record(self.vault, bet["lock_id"])
                assert (lock["player"], lock["token"], lock["amount"], lock["maxPayout"]) == (
                    bet["player"],
                    ETH,
                    bet["stake"] * bet["rolls"],
                    bet["terms"].max_payout,
                )

    def teardown(self) -> None:
        """Resolve what the example left open: the first by timeout while no example has timed a
        bet out, the rest by a delivery (unless their request may have expired) of a word the
        model picks to pay a way no example has seen yet; then nothing is locked or reserved."""
        for bet in list(self.bets):
            if not self.seen["timed out"] or may_have_expired(self.coordinator, bet["id"]):
                self._time_out(bet)
            else:
                self._deliver(bet, self._word_for_unseen_way(bet))
            self.books_match_the_model()
        books = self.vault.getBooks(ETH)
        assert (books["lockedTotal"], books["bankrollReserved"]) == (0, self.reserved_before)

    def _word_for_unseen_way(self, bet: dict[str, Any]) -> int:
        """A word that wins by the model if no bet has won yet (else one that loses), found among
        derived words; the last one tried if none does (a bet can be all but sure to lose)."""
        wins = not self.seen["won"]
        args = (bet["stake"], bet["choice"], self.spec.edge_bps, bet["rolls"], bet["stop_gain"], bet["stop_loss"])
        for index in range(200):
            word = multiroll.roll_word(bet["id"], index, 2)
            if (multiroll.play(self.spec.rules, word, *args).payout > bet["terms"].staked) == wins:
                break
        return word


@pytest.mark.parametrize("name", list(GAMES))
def test_chance_game_money_flows(
    name: str,
    games: dict[str, Any],
    vault: Any,
    coordinator: Any,
    alice: Any,
    bob: Any,
    carol: Any,
    reverts_with: Any,
) -> None:
    players = [alice, bob, carol]
    for player in players:
        vault.depositFor(player, ETH, 20 * ETHER, {"from": player, "value": 20 * ETHER})
    chain.snapshot()
    seen: Counter[str] = Counter()
    bound = {
        "seen": seen,
        "game": games[name],
        "spec": GAMES[name],
        "vault": vault,
        "coordinator": coordinator,
        "players": players,
        "reverts_with": staticmethod(reverts_with),
    }
    run_state_machine_as_test(type(f"{name}Run", (ChanceMoneyFlows,), bound), settings=SETTINGS)
    print(f"{name} money flows exercised: {seen}")
    ways = ("placed", "from wallet", "from balance", "with stops", "invalid", "timed out", "won", "lost or even")
    assert all(seen[way] for way in ways), seen
