"""fairstake.rules.tournament == Tournament.sol: random fields, prize tables, rake and winners,
including fewer entrants than prize places."""

import random

from brownie import chain
from brownie.test import given, strategy
from contract_support import ganache_share
from hypothesis import settings
from test_match_support import *  # noqa: F403 (the shared fixtures)
from test_match_support import (
    DAY,
    HOUR,
    assert_solvent,
    balances,
    future,
    random_shares,
    sign_tournament_result,
)

from fairstake.rules.tournament import tournament_payouts, winners_expected


@settings(max_examples=ganache_share(25))
@given(seed=strategy("uint256"))
def test_python_rules_equal_chain_payouts(tournament, vault, usds, players, owner, seed):
    rng = random.Random(seed)
    entrants = rng.sample(players, rng.randint(2, len(players)))
    prizes = random_shares(rng, rng.randint(1, 16))
    full = rng.random() < 0.5 and len(prizes) <= len(entrants)
    max_entrants = len(entrants) if full else rng.randint(max(len(entrants), len(prizes)), 64)
    rake = rng.choice([0, 1000, rng.randint(0, 1000)])
    fee = rng.choice([1, 7, rng.randint(1, 10**9)])
    tournament.setRake(rake, {"from": owner})
    tournament_id = tournament.create(
        usds, fee, max_entrants, prizes, future(HOUR), future(DAY), {"from": owner}
    ).return_value
    for player in entrants:
        tournament.enter(tournament_id, {"from": player})
    if not full:
        chain.sleep(HOUR + 1)
    winners = rng.sample(entrants, winners_expected(len(prizes), len(entrants)))
    before = balances(vault, usds, winners)
    fees_before = vault.accruedFees(usds)
    tournament.submitResult(
        tournament_id, winners, sign_tournament_result(tournament, tournament_id, winners), {"from": owner}
    )
    expected = tournament_payouts(fee, len(entrants), rake, prizes, [str(w) for w in winners])
    paid = [a - b for a, b in zip(balances(vault, usds, winners), before, strict=True)]
    assert paid == [expected[str(w)] for w in winners]
    assert vault.accruedFees(usds) - fees_before == fee * len(entrants) - sum(paid)
    assert_solvent(vault, usds)
