"""The agreement tests' checks of a game of chance: its contract's views (`outcomesOf`, `quote`,
`playOf`, which run its hooks and the engine's multi-roll loop) against its rules module
(fairstake.rules.<game>, with fairstake.rules.multiroll for the engine's loop), over random
words and bets. `chain_choice` is the choice as sent on chain when the test encodes it apart
from the rules under test (Dice: by eth_abi)."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from fairstake.manifest import ETH
from fairstake.rules import multiroll

WORDS_PER_CASE = 1_000
# A random bet: (stake, choice for the rules, choice sent on chain)
BetDraw = Callable[[random.Random], tuple[int, bytes, bytes]]


def assert_outcomes_agree(
    game: Any,
    rules: Any,
    rng: random.Random,
    stake: int,
    choice: bytes,
    edge_bps: int,
    first_words: list[int],
    chain_choice: bytes | None = None,
) -> None:
    """`outcomesOf` pays WORDS_PER_CASE words (`first_words`, then random ones) as `rules.roll_payout`."""
    words = [rng.getrandbits(256) for _ in range(WORDS_PER_CASE)]
    words[: len(first_words)] = first_words
    payouts = game.outcomesOf(words, stake, choice if chain_choice is None else chain_choice, edge_bps)
    for word, paid in zip(words, payouts, strict=True):
        assert paid == rules.roll_payout(stake, choice, edge_bps, word), word


def assert_terms_agree(
    game: Any, owner: Any, rules: Any, rng: random.Random, edges: tuple[int, ...], draw: BetDraw
) -> None:
    """`quote` (the engine's `_rollTerms`: win payout and house edge) equals `rules.roll_terms` for
    40 random bets at each edge governance sets."""
    for edge in edges:
        game.configureToken(ETH, True, 1, 2**88 - 1, edge, {"from": owner})
        for _ in range(40):
            stake, choice, chain_choice = draw(rng)
            assert tuple(game.quote(ETH, stake, chain_choice)) == rules.roll_terms(stake, choice, edge), (stake, edge)


def assert_multi_roll_agrees(
    game: Any,
    rules: Any,
    rng: random.Random,
    stake: int,
    choice: bytes,
    edge: int,
    rolls: int,
    chain_choice: bytes | None = None,
) -> None:
    """The engine's multi-roll loop (`playOf`: derived words, stops, unplayed stakes) equals
    fairstake.rules.multiroll for a random word and random stops (none, one roll's win or stake,
    or any amount up to all rolls'). A bet that cannot win more than its stake is not played."""
    roll_max, _ = rules.roll_terms(stake, choice, edge)
    if roll_max <= stake:
        return
    win = roll_max - stake
    stop_gain = rng.choice((0, 0, win, rng.randrange(1, rolls * win + 1)))
    stop_loss = rng.choice((0, 0, stake, rng.randrange(1, rolls * stake + 1)))
    word = rng.getrandbits(256)
    expected = multiroll.play(rules, word, stake, choice, edge, rolls, stop_gain, stop_loss)
    sent = choice if chain_choice is None else chain_choice
    played = game.playOf(word, stake, sent, edge, rolls, stop_gain, stop_loss)
    assert tuple(played) == (expected.rolls_played, expected.payout), (word, stake, choice, rolls)
