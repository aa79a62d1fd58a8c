"""fairstake.rules.match == Match.sol: random seats, splits, rake, entries and rankings."""

import random

from brownie.test import given, strategy
from contract_support import ganache_share
from hypothesis import settings
from test_match_support import *  # noqa: F403 (the shared fixtures)
from test_match_support import HOUR, assert_solvent, balances, future, random_shares, sign_match_result

from fairstake.rules.match import match_payouts


@settings(max_examples=ganache_share(25))
@given(seed=strategy("uint256"))
def test_python_rules_equal_chain_payouts(match_game, vault, usds, players, owner, seed):
    rng = random.Random(seed)
    seats = rng.randint(2, len(players))
    seated = rng.sample(players, seats)
    shares = random_shares(rng, rng.randint(1, seats))
    rake = rng.choice([0, 1, 250, 999, 1000, rng.randint(0, 1000)])
    entry = rng.choice([1, 3, 10**6 + 1, rng.randint(1, 10**9)])
    match_game.setRake(rake, {"from": owner})
    match_id = match_game.create(usds, entry, seats, shares, future(HOUR), {"from": owner}).return_value
    for player in seated:
        match_game.join(match_id, {"from": player})
    ranking = rng.sample(seated, seats)
    before = balances(vault, usds, ranking)
    fees_before = vault.accruedFees(usds)
    tx = match_game.submitResult(match_id, ranking, sign_match_result(match_game, match_id, ranking), {"from": owner})
    expected = match_payouts(entry, rake, shares, [str(p) for p in ranking])
    paid = [a - b for a, b in zip(balances(vault, usds, ranking), before, strict=True)]
    assert paid == [expected[str(p)] for p in ranking]
    assert list(tx.events["MatchSettled"]["payouts"]) == paid
    assert vault.accruedFees(usds) - fees_before == entry * seats - sum(paid)
    assert_solvent(vault, usds)
