"""Governance stops new business, never money (audit "Trust model part 2", finding 4): a skill
match or tournament unregistered in the Vault (and the Vault deregistered in the PlayerRegistry,
so its payout reports are refused), or whose token was disallowed, still settles by its signed
result or refunds its entries."""

from brownie import accounts, chain
from test_match_support import *  # noqa: F403 (the shared fixtures)
from test_match_support import (
    assert_solvent,
    balances,
    create_tournament,
    full_match,
    sign_match_result,
    sign_tournament_result,
)

RAKE = 500


def _unregister(game, vault, registry, owner, where):
    if "vault" in where:
        vault.setGame(game, False, {"from": owner})
    if "registry" in where:
        # the registry then refuses the Vault's reports; the Vault ignores the refusal
        registry.setVault(vault, False, {"from": owner})


def test_unregistered_match_settles_by_its_signed_result(match_game, vault, registry, usds, players, owner):
    seated = players[:2]
    match_id = full_match(match_game, usds, seated)
    _unregister(match_game, vault, registry, owner, ("vault", "registry"))
    vault.setToken(usds, False, {"from": owner})
    before = balances(vault, usds, seated)
    ranking = [seated[1], seated[0]]
    match_game.submitResult(match_id, ranking, sign_match_result(match_game, match_id, ranking), {"from": accounts[19]})
    pot = 2 * 10 * 10**6
    after = balances(vault, usds, seated)
    assert after[1] - before[1] == pot - pot * RAKE // 10_000
    assert after[0] == before[0]
    assert vault.getPool(match_game.matchInfo(match_id)["poolId"])["balance"] == 0
    assert_solvent(vault, usds)


def test_unregistered_match_still_refunds(match_game, vault, registry, usds, players, owner):
    seated = players[:3]
    match_id = full_match(match_game, usds, seated, deadline_in=3600)
    _unregister(match_game, vault, registry, owner, ("vault", "registry"))
    before = balances(vault, usds, seated)
    chain.sleep(3601)
    match_game.expire(match_id, {"from": accounts[19]})
    assert [a - b for a, b in zip(balances(vault, usds, seated), before, strict=True)] == [10 * 10**6] * 3
    assert_solvent(vault, usds)


def test_unregistered_tournament_settles_and_refunds(tournament, vault, registry, usds, players, owner):
    entrants = players[:4]
    paid_id = create_tournament(tournament, usds, prizes=[10_000])
    void_id = create_tournament(tournament, usds, prizes=[10_000])
    for entrant in entrants:
        tournament.enter(paid_id, {"from": entrant})
        tournament.enter(void_id, {"from": entrant})
    _unregister(tournament, vault, registry, owner, ("vault", "registry"))
    vault.setToken(usds, False, {"from": owner})
    chain.sleep(3601)

    before = balances(vault, usds, entrants)
    winner = [entrants[2]]
    tournament.submitResult(
        paid_id, winner, sign_tournament_result(tournament, paid_id, winner), {"from": accounts[19]}
    )
    pot = 4 * 5 * 10**6
    assert vault.balanceOf(entrants[2], usds) - before[2] == pot - pot * RAKE // 10_000

    tournament.submitResult(void_id, [], sign_tournament_result(tournament, void_id, []), {"from": accounts[19]})
    before = balances(vault, usds, entrants)
    tournament.refundEntries(void_id, 0, 10, {"from": accounts[19]})
    assert [a - b for a, b in zip(balances(vault, usds, entrants), before, strict=True)] == [5 * 10**6] * 4
    assert_solvent(vault, usds)
