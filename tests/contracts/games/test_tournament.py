"""Tournament: registration, prize tables, signed results, batched refunds, protection."""

import pytest
from brownie import ZERO_ADDRESS, accounts, chain
from contract_support import lock_record, lock_terms
from test_match_support import *  # noqa: F403 (the shared fixtures)
from test_match_support import (
    DAY,
    HOUR,
    RAKE_BPS,
    USD,
    assert_solvent,
    balances,
    create_tournament,
    future,
    key_of,
    sign_tournament_result,
)

from fairstake import signing
from fairstake.rules.tournament import tournament_payouts

OPEN, SETTLED, CANCELLED, VOIDED, EXPIRED = 1, 2, 3, 4, 5


def _entered(tournament, usds, entrants, **kwargs) -> int:
    tournament_id = create_tournament(tournament, usds, **kwargs)
    for player in entrants:
        tournament.enter(tournament_id, {"from": player})
    return tournament_id


def _close_registration() -> None:
    chain.sleep(HOUR + 1)


def test_create_validation(tournament, usds, reverts_with):
    reg, res = future(HOUR), future(DAY)
    creator = {"from": accounts[1]}
    with reverts_with("ZeroAmount"):
        tournament.create(usds, 0, 8, [10_000], reg, res, creator)
    with reverts_with("BadEntrantCount"):
        tournament.create(usds, 1, 1, [10_000], reg, res, creator)
    with reverts_with("BadEntrantCount"):
        tournament.create(usds, 1, 4097, [10_000], reg, res, creator)
    with reverts_with("BadShares"):
        tournament.create(usds, 1, 8, [6_000, 3_000], reg, res, creator)
    with reverts_with("BadShares"):
        tournament.create(usds, 1, 2, [5_000, 3_000, 2_000], reg, res, creator)
    with reverts_with("BadShares"):
        tournament.create(usds, 1, 64, [625] * 16 + [0], reg, res, creator)
    with reverts_with("BadRegistrationDeadline"):
        tournament.create(usds, 1, 8, [10_000], chain[-1].timestamp, res, creator)
    with reverts_with("BadRegistrationDeadline"):
        tournament.create(usds, 1, 8, [10_000], res, res, creator)
    with reverts_with("BadDeadline"):
        tournament.create(usds, 1, 8, [10_000], reg, future(31 * DAY), creator)
    tx = tournament.create(usds, 1, 64, [625] * 16, reg, res, creator)
    created = tx.events["TournamentCreated"]
    assert list(created["prizes"]) == [625] * 16 and created["rakeBps"] == RAKE_BPS


def test_entering(tournament, vault, usds, players, reverts_with):
    alice, bob, carol = players[:3]
    with reverts_with("NotOpen"):
        tournament.enter(99, {"from": alice})
    tournament_id = create_tournament(tournament, usds, max_entrants=2, prizes=[10_000])
    tx = tournament.enter(tournament_id, {"from": alice})
    assert tx.events["Entered"]["index"] == 0
    assert lock_record(vault, tx.events["Entered"]["lockId"])["amount"] == 5 * USD
    tournament.enter(tournament_id, {"from": bob})
    with reverts_with("TournamentFull"):
        tournament.enter(tournament_id, {"from": carol})
    later = create_tournament(tournament, usds)
    _close_registration()
    with reverts_with("RegistrationClosed"):
        tournament.enter(later, {"from": alice})
    assert list(tournament.entrantsOf(tournament_id, 0, 10)) == [alice, bob]
    assert list(tournament.entrantsOf(tournament_id, 1, 10)) == [bob]
    assert list(tournament.entrantsOf(tournament_id, 5, 10)) == []


def test_referee_result_pays_prize_table(tournament, vault, usds, players, referee):
    entrants = players[:7]
    tournament_id = _entered(tournament, usds, entrants, fee=3 * USD + 7, prizes=[5_000, 3_000, 2_000])
    _close_registration()
    winners = [entrants[4], entrants[0], entrants[6]]
    before = balances(vault, usds, entrants)
    signature = sign_tournament_result(tournament, tournament_id, winners)
    tx = tournament.submitResult(tournament_id, winners, signature, {"from": accounts[19]})
    expected = tournament_payouts(3 * USD + 7, 7, RAKE_BPS, [5_000, 3_000, 2_000], [str(w) for w in winners])
    deltas = {str(p): a - b for p, a, b in zip(entrants, balances(vault, usds, entrants), before, strict=True)}
    assert {p: d for p, d in deltas.items() if d} == expected
    settled = tx.events["TournamentSettled"]
    assert settled["referee"] == referee
    assert list(settled["payouts"]) == [expected[str(w)] for w in winners]
    assert settled["rake"] + sum(settled["payouts"]) == 7 * (3 * USD + 7)
    assert tournament.tournamentInfo(tournament_id)["status"] == SETTLED
    assert_solvent(vault, usds)


def test_full_tournament_settles_before_registration_deadline(tournament, vault, usds, players, reverts_with):
    entrants = players[:3]
    # One seat short: registration is still open, so a result is refused until the deadline.
    short = _entered(tournament, usds, entrants[:2], max_entrants=3, prizes=[10_000])
    early = [entrants[1]]
    with reverts_with("RegistrationStillOpen"):
        tournament.submitResult(short, early, sign_tournament_result(tournament, short, early), {"from": entrants[0]})
    # Every seat taken: nobody else can enter, so the result is accepted before the deadline.
    tournament_id = _entered(tournament, usds, entrants, max_entrants=3, prizes=[10_000])
    winners = [entrants[1]]
    signature = sign_tournament_result(tournament, tournament_id, winners)
    before = balances(vault, usds, entrants)
    tx = tournament.submitResult(tournament_id, winners, signature, {"from": entrants[0]})
    info = tournament.tournamentInfo(tournament_id)
    assert chain[-1].timestamp < info["registrationDeadline"]
    assert info["status"] == SETTLED
    net = 3 * 5 * USD - 3 * 5 * USD * RAKE_BPS // 10_000
    assert list(tx.events["TournamentSettled"]["payouts"]) == [net]
    deltas = [a - b for a, b in zip(balances(vault, usds, entrants), before, strict=True)]
    assert deltas == [0, net, 0]
    assert_solvent(vault, usds)


def test_fewer_entrants_than_places(tournament, vault, usds, players):
    entrants = players[:2]
    prizes = [5_000, 2_500, 1_500, 1_000]
    tournament_id = _entered(tournament, usds, entrants, prizes=prizes)
    _close_registration()
    winners = [entrants[1], entrants[0]]
    tx = tournament.submitResult(
        tournament_id,
        winners,
        sign_tournament_result(tournament, tournament_id, winners),
        {"from": entrants[0]},
    )
    expected = tournament_payouts(5 * USD, 2, RAKE_BPS, prizes, [str(w) for w in winners])
    assert list(tx.events["TournamentSettled"]["payouts"]) == [expected[str(w)] for w in winners]
    net = 10 * USD - 10 * USD * RAKE_BPS // 10_000
    assert expected[str(entrants[0])] == net * 2_500 // 10_000
    assert expected[str(entrants[1])] == net - net * 2_500 // 10_000


def test_result_errors(tournament, usds, players, reverts_with):
    a, b, c = players[:3]
    tournament_id = _entered(tournament, usds, [a, b, c], prizes=[7_000, 3_000])
    good = [a, b]
    with reverts_with("RegistrationStillOpen"):
        tournament.submitResult(
            tournament_id, good, sign_tournament_result(tournament, tournament_id, good), {"from": a}
        )
    _close_registration()
    for winners, error in (
        ([a], "BadWinnersLength"),
        ([a, b, c], "BadWinnersLength"),
    ):
        with reverts_with(error):
            tournament.submitResult(
                tournament_id,
                winners,
                sign_tournament_result(tournament, tournament_id, winners),
                {"from": a},
            )
    signature = sign_tournament_result(tournament, tournament_id, good)
    with reverts_with("UnknownReferee"):
        tournament.submitResult(
            tournament_id,
            good,
            sign_tournament_result(tournament, tournament_id, good, signer=3),
            {"from": a},
        )
    with reverts_with("MalleableSignature"):
        tournament.submitResult(tournament_id, good, signing.malleable_twin(signature), {"from": a})
    with reverts_with("InvalidSignature"):
        tournament.submitResult(tournament_id, good, b"\x01" * 65, {"from": a})
    tournament.submitResult(tournament_id, good, signature, {"from": a})
    with reverts_with("NotOpen"):
        tournament.submitResult(tournament_id, good, signature, {"from": a})

    lonely = _entered(tournament, usds, [a], prizes=[10_000])
    _close_registration()
    with reverts_with("NotEnoughEntrants"):
        tournament.submitResult(lonely, [a], sign_tournament_result(tournament, lonely, [a]), {"from": a})

    late = _entered(tournament, usds, [a, b], prizes=[10_000])
    late_sig = sign_tournament_result(tournament, late, [a])
    chain.sleep(DAY + 1)
    with reverts_with("ResultDeadlinePassed"):
        tournament.submitResult(late, [a], late_sig, {"from": a})


def test_co_signed_result(tournament, usds, players, reverts_with):
    entrants = players[:3]
    tournament_id = _entered(tournament, usds, entrants, prizes=[10_000])
    _close_registration()
    typed = signing.tournament_result(tournament.address, chain.id, tournament_id, 0, [str(entrants[2])])
    sigs = [signing.sign(typed, key_of(p)).signature for p in entrants]
    with reverts_with("SignatureCountMismatch"):
        tournament.submitCoSignedResult(tournament_id, [entrants[2]], sigs[:2], {"from": entrants[0]})
    with reverts_with("BadCoSignature"):
        tournament.submitCoSignedResult(tournament_id, [entrants[2]], sigs[::-1], {"from": entrants[0]})
    with reverts_with("UnknownTournament"):
        tournament.submitCoSignedResult(99, [entrants[2]], sigs, {"from": entrants[0]})
    tx = tournament.submitCoSignedResult(tournament_id, [entrants[2]], sigs, {"from": entrants[0]})
    assert tx.events["TournamentSettled"]["referee"] == ZERO_ADDRESS


def test_void_then_batched_refunds(tournament, vault, usds, players, referee, reverts_with):
    entrants = players[:5]
    tournament_id = _entered(tournament, usds, entrants)
    with reverts_with("NotRefundable"):
        tournament.refundEntries(tournament_id, 0, 5, {"from": accounts[19]})
    _close_registration()
    before = balances(vault, usds, entrants)
    tx = tournament.submitResult(
        tournament_id, [], sign_tournament_result(tournament, tournament_id, []), {"from": accounts[19]}
    )
    assert tx.events["TournamentVoided"] == {"tournamentId": tournament_id, "referee": referee}
    tx = tournament.refundEntries(tournament_id, 0, 2, {"from": accounts[19]})
    assert len(tx.events["EntryRefunded"]) == 2
    tx = tournament.refundEntries(tournament_id, 1, 100, {"from": accounts[19]})
    assert len(tx.events["EntryRefunded"]) == 3  # entry 1 was refunded already
    assert [a - b for a, b in zip(balances(vault, usds, entrants), before, strict=True)] == [5 * USD] * 5
    assert_solvent(vault, usds)


def test_cancel_rules(tournament, vault, usds, players, reverts_with):
    creator, a, b = players[:3]
    tournament_id = create_tournament(tournament, usds, creator=creator)
    tournament.enter(tournament_id, {"from": a})
    with reverts_with("CannotCancel"):
        tournament.cancel(tournament_id, {"from": a})
    tx = tournament.cancel(tournament_id, {"from": creator})
    assert tx.events["TournamentCancelled"] == {"tournamentId": tournament_id, "by": creator}
    with reverts_with("NotOpen"):
        tournament.cancel(tournament_id, {"from": creator})
    before = vault.balanceOf(a, usds)
    tournament.refundEntries(tournament_id, 0, 1, {"from": b})
    assert vault.balanceOf(a, usds) == before + 5 * USD

    # Registration closed: the creator may no longer cancel, but anyone may cancel an underfilled one.
    underfilled = _entered(tournament, usds, [a], creator=creator)
    played = _entered(tournament, usds, [a, b], creator=creator)
    _close_registration()
    with reverts_with("CannotCancel"):
        tournament.cancel(played, {"from": creator})
    tournament.cancel(underfilled, {"from": b})
    tournament.refundEntries(underfilled, 0, 1, {"from": b})


def test_expiry_and_backstop(tournament, vault, usds, players, reverts_with):
    a, b, c = players[:3]
    tournament_id = create_tournament(tournament, usds)
    lock_a = tournament.enter(tournament_id, {"from": a}).events["Entered"]["lockId"]
    tournament.enter(tournament_id, {"from": b})
    tournament.enter(tournament_id, {"from": c})
    chain.sleep(DAY + 1)
    vault.refund(lock_a, lock_terms(vault, lock_a), {"from": c})  # the Vault backstop, straight at the Vault
    before = balances(vault, usds, [a, b, c])
    tx = tournament.refundEntries(tournament_id, 0, 10, {"from": c})
    assert "TournamentExpired" in tx.events
    assert [e["viaBackstop"] for e in tx.events["EntryRefunded"]] == [True, False, False]
    assert [x - y for x, y in zip(balances(vault, usds, [a, b, c]), before, strict=True)] == [
        0,
        5 * USD,
        5 * USD,
    ]
    assert tournament.tournamentInfo(tournament_id)["status"] == EXPIRED
    assert_solvent(vault, usds)


@pytest.mark.parametrize("protection", ["exclusion", "limit", "kyc"])
def test_registry_gates_entries(tournament, vault, registry, usds, players, owner, reverts_with, protection):
    a = players[0]
    tournament_id = create_tournament(tournament, usds)
    if protection == "exclusion":
        registry.selfExclude(184 * DAY, {"from": a})  # the shortest self-exclusion
        error = "SelfExcluded"
    elif protection == "limit":
        registry.setLimit(usds, 0, 0, 4 * USD, {"from": a})
        error = "LossLimitExceeded"
    else:
        registry.setKycRule(usds, 5 * USD, 2, {"from": owner})
        error = "KycRequired"
    with reverts_with(error):
        tournament.enter(tournament_id, {"from": a})
    vault.withdraw(usds, 1, a, {"from": a})  # withdrawals never ask the registry
