"""fairstake.rules.roulette (with fairstake.rules.multiroll) equals Roulette on chain: random bets
of 1..16 number sets, thousands of random words evaluated in a few eth_calls through the game's
own views (`outcomesOf`, `quote`, `playOf`), the same refusals for bad bets, and real settlements."""

from __future__ import annotations

import random
from typing import Any

import brownie
import pytest
from agreement_support import assert_multi_roll_agrees, assert_outcomes_agree, assert_terms_agree
from chance_support import EDGE_BPS, TIMEOUT_BLOCKS, deliver, edge_fee, placed_bet
from eth_abi import encode

from fairstake.manifest import ETH
from fairstake.rules import roulette as rules


def random_bet(rng: random.Random, count: int, big: bool) -> tuple[list[int], list[int]]:
    named = [rules.red(), rules.black(), rules.dozen(2), rules.column(3), rules.corner(14), rules.split(0, 2)]
    masks = [rng.choice(named) if rng.random() < 0.4 else rng.randrange(1, 2**37) for _ in range(count)]
    parts = [rng.randrange(1, 2**90 if big else 10**19) for _ in range(count)]
    return masks, parts


@pytest.mark.parametrize("seed", range(8))
def test_spins_agree_for_random_bets_and_words(roulette: Any, seed: int) -> None:
    rng = random.Random(seed)
    masks, parts = random_bet(rng, rng.randint(1, 16), big=seed % 2 == 1)
    edge = rng.randint(0, rules.MAX_EDGE_BPS)
    stake, choice = sum(parts), rules.encode_choice(masks, parts)
    assert_outcomes_agree(roulette, rules, rng, stake, choice, edge, list(range(37)))  # every pocket once


def test_terms_agree_for_many_bets(roulette: Any, owner: Any) -> None:
    """`quote` runs `_rollTerms`: the true maximum over the 37 pockets, computed on chain."""

    def draw(rng: random.Random) -> tuple[int, bytes, bytes]:
        masks, parts = random_bet(rng, rng.randint(1, 16), big=rng.random() < 0.5)
        return sum(parts), rules.encode_choice(masks, parts), rules.encode_choice(masks, parts)

    assert_terms_agree(roulette, owner, rules, random.Random(99), (0, 1, 100, 200), draw)


@pytest.mark.parametrize(
    ("choice", "stake", "error"),
    [
        (b"", 1, "BadChoice: "),
        (encode(["uint64[]", "uint256[]"], [[1, 2], [1]]) + bytes(32), 1, "BadChoice: "),
        (encode(["uint256[]", "uint256[]"], [[2**64], [1]]), 1, "BadChoice: "),
        (encode(["uint256[]", "uint256[]"], [[1], [1]])[:32] + (1).to_bytes(32, "big") + bytes(64), 1, "BadChoice: "),
        (rules.encode_choice([], []), 0, "BadSetCount: 0, 16"),
        (rules.encode_choice([1] * 17, [1] * 17), 17, "BadSetCount: 17, 16"),
        (rules.encode_choice([1, 0], [1, 1]), 2, "BadNumberSet: 1, 0"),
        (rules.encode_choice([1 << 37], [1]), 1, f"BadNumberSet: 0, {1 << 37}"),
        (rules.encode_choice([1, 2], [1, 0]), 1, "ZeroPart: 1"),
        (rules.encode_choice([1, 2], [1, 1]), 3, "PartsNotStake: 2, 3"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_bad_bets_are_refused_by_both(roulette: Any, choice: bytes, stake: int, error: str) -> None:
    with brownie.reverts(error):
        roulette.quote(ETH, stake, choice)
    with pytest.raises(ValueError):
        rules.roll_terms(stake, choice, EDGE_BPS)


def test_multi_roll_play_agrees_for_random_bets(roulette: Any) -> None:
    rng = random.Random(12)
    for _ in range(60):
        masks, parts = random_bet(rng, rng.randint(1, 16), big=False)
        stake, choice = sum(parts), rules.encode_choice(masks, parts)
        edge, rolls = rng.choice((0, 100, 200)), rng.choice((1, 2, 10, 100))
        assert_multi_roll_agrees(roulette, rules, rng, stake, choice, edge, rolls)


def test_settled_spins_agree_with_the_rules(
    roulette: Any, vault: Any, coordinator: Any, alice: Any, funded: int
) -> None:
    rng = random.Random(13)
    for _ in range(TIMEOUT_BLOCKS // 2):
        count = rng.randint(1, 16)
        masks = [rng.randrange(1, 2**37) for _ in range(count)]
        parts = [rng.randrange(10**13, 10**16) for _ in range(count)]
        stake, choice = sum(parts), rules.encode_choice(masks, parts)
        if rules.roll_terms(stake, choice, EDGE_BPS)[0] <= stake:
            continue
        placed = placed_bet(roulette.placeBet(ETH, stake, choice, 0, {"from": alice}))
        max_payout, house_edge = rules.roll_terms(stake, choice, EDGE_BPS)
        assert (placed["maxPayout"], placed["fee"]) == (max_payout, edge_fee(vault, house_edge))
        balance, word = vault.balanceOf(alice, ETH), rng.getrandbits(256)
        settled = deliver(coordinator, placed["betId"], word).events["BetSettled"]
        assert settled["payout"] == rules.roll_payout(stake, choice, EDGE_BPS, word)
        assert vault.balanceOf(alice, ETH) == balance + settled["payout"]
