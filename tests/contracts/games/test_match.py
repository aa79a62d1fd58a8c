"""Match: creation, seats, signed results (referee and co-signed), payouts, refunds, protection."""

from brownie import ZERO_ADDRESS, Match, accounts, chain
from contract_support import lock_record, lock_terms
from test_match_support import *  # noqa: F403 (the shared fixtures)
from test_match_support import (
    ETH,
    HOUR,
    RAKE_BPS,
    USD,
    assert_solvent,
    balances,
    create_match,
    full_match,
    future,
    key_of,
    sign_match_result,
)

from fairstake import signing
from fairstake.rules.match import match_payouts

OPEN, FULL, SETTLED, CANCELLED, VOIDED, EXPIRED = 1, 2, 3, 4, 5, 6


# ------------------------------------------------------------------ governance and creation


def test_governance(match_game, owner, reverts_with):
    stranger = accounts[3]
    with reverts_with("OwnableUnauthorizedAccount"):
        match_game.setReferee(stranger, True, {"from": stranger})
    with reverts_with("OwnableUnauthorizedAccount"):
        match_game.setRake(0, {"from": stranger})
    with reverts_with("RakeAboveCap"):
        match_game.setRake(1001, {"from": owner})
    with reverts_with("ZeroAddress"):
        match_game.setReferee(ZERO_ADDRESS, True, {"from": owner})
    with reverts_with("ZeroAddress"):
        Match.deploy(ZERO_ADDRESS, match_game.registry(), owner, {"from": owner})
    tx = match_game.setRake(1000, {"from": owner})
    assert tx.events["RakeSet"]["bps"] == 1000


def test_create_validation(match_game, usds, reverts_with):
    deadline = future(HOUR)
    with reverts_with("ZeroAmount"):
        match_game.create(usds, 0, 2, [10_000], deadline, {"from": accounts[1]})
    with reverts_with("BadPlayerCount"):
        match_game.create(usds, 1, 1, [10_000], deadline, {"from": accounts[1]})
    with reverts_with("BadPlayerCount"):
        match_game.create(usds, 1, 17, [10_000], deadline, {"from": accounts[1]})
    with reverts_with("BadShares"):
        match_game.create(usds, 1, 2, [5_000, 4_000], deadline, {"from": accounts[1]})
    with reverts_with("BadShares"):
        match_game.create(usds, 1, 2, [5_000, 3_000, 2_000], deadline, {"from": accounts[1]})
    with reverts_with("BadShares"):
        match_game.create(usds, 1, 2, [], deadline, {"from": accounts[1]})
    with reverts_with("BadDeadline"):
        match_game.create(usds, 1, 2, [10_000], chain[-1].timestamp, {"from": accounts[1]})
    with reverts_with("BadDeadline"):
        match_game.create(usds, 1, 2, [10_000], future(31 * 86400), {"from": accounts[1]})
    with reverts_with("TokenNotAllowed"):
        match_game.create(accounts[5], 1, 2, [10_000], deadline, {"from": accounts[1]})


def test_create_and_join(match_game, vault, usds, players):
    alice, bob, carol = players[:3]
    deadline = future(HOUR)
    tx = match_game.create(usds, 10 * USD, 3, [7_000, 3_000], deadline, {"from": alice})
    match_id = tx.return_value
    created = tx.events["MatchCreated"]
    assert (created["matchId"], created["creator"], created["token"], created["entry"]) == (
        match_id,
        alice,
        usds,
        10 * USD,
    )
    assert (list(created["shares"]), created["rakeBps"], created["deadline"]) == (
        [7_000, 3_000],
        RAKE_BPS,
        deadline,
    )
    tx = match_game.join(match_id, {"from": alice})
    assert tx.events["PlayerJoined"]["seat"] == 0
    lock_id = tx.events["PlayerJoined"]["lockId"]
    assert lock_record(vault, lock_id)["amount"] == 10 * USD
    match_game.join(match_id, {"from": bob})
    tx = match_game.join(match_id, {"from": carol})
    assert "MatchFull" in tx.events
    info = match_game.matchInfo(match_id)
    assert (info["joined"], info["status"]) == (3, FULL)
    assert list(match_game.playersOf(match_id)) == [alice, bob, carol]
    assert vault.getPool(info["poolId"])["balance"] == 30 * USD


def test_join_errors(match_game, vault, usds, players, reverts_with):
    alice, bob, carol = players[:3]
    with reverts_with("MatchNotOpen"):
        match_game.join(99, {"from": alice})
    match_id = create_match(match_game, usds)
    match_game.join(match_id, {"from": alice})
    match_game.join(match_id, {"from": bob})
    with reverts_with("MatchNotOpen"):
        match_game.join(match_id, {"from": carol})
    late = create_match(match_game, usds)
    chain.sleep(HOUR + 1)
    with reverts_with("ResultDeadlinePassed"):
        match_game.join(late, {"from": alice})


def test_eth_match_deposits_value_on_join(match_game, vault):
    alice, bob = accounts[18], accounts[19]
    match_id = create_match(match_game, ETH, entry=10**18)
    match_game.join(match_id, {"from": alice, "value": 10**18})
    match_game.join(match_id, {"from": bob, "value": 3 * 10**18})
    assert vault.balanceOf(alice, ETH) == 0
    assert vault.balanceOf(bob, ETH) == 2 * 10**18
    signature = sign_match_result(match_game, match_id, [bob, alice])
    match_game.submitResult(match_id, [bob, alice], signature, {"from": alice})
    assert vault.balanceOf(bob, ETH) == 2 * 10**18 + 2 * 10**18 * (10_000 - RAKE_BPS) // 10_000
    assert vault.accruedFees(ETH) == 2 * 10**18 * RAKE_BPS // 10_000


# ------------------------------------------------------------------ results


def test_referee_result_pays_by_split(match_game, vault, usds, players, referee):
    seats = players[:4]
    match_id = full_match(match_game, usds, seats, entry=25 * USD, shares=[6_000, 3_000, 1_000])
    ranking = [seats[2], seats[0], seats[3], seats[1]]
    before = balances(vault, usds, seats)
    signature = sign_match_result(match_game, match_id, ranking)
    tx = match_game.submitResult(match_id, ranking, signature, {"from": accounts[19]})
    expected = match_payouts(25 * USD, RAKE_BPS, [6_000, 3_000, 1_000], [str(p) for p in ranking])
    after = balances(vault, usds, seats)
    assert {str(p): a - b for p, a, b in zip(seats, after, before, strict=True)} == expected
    settled = tx.events["MatchSettled"]
    assert settled["referee"] == referee
    assert list(settled["ranking"]) == ranking
    assert list(settled["payouts"]) == [expected[str(p)] for p in ranking]
    assert settled["rake"] == 100 * USD * RAKE_BPS // 10_000
    assert vault.accruedFees(usds) == settled["rake"]
    assert match_game.matchInfo(match_id)["status"] == SETTLED
    assert_solvent(vault, usds)


def test_co_signed_result(match_game, vault, usds, players):
    seats = players[:3]
    match_id = full_match(match_game, usds, seats, shares=[10_000])
    ranking = [seats[1], seats[2], seats[0]]
    typed = signing.match_result(match_game.address, chain.id, match_id, 0, [str(p) for p in ranking])
    sigs = [signing.sign(typed, key_of(p)).signature for p in seats]
    tx = match_game.submitCoSignedResult(match_id, ranking, sigs, {"from": seats[0]})
    assert tx.events["MatchSettled"]["referee"] == ZERO_ADDRESS
    assert tx.events["MatchSettled"]["payouts"][0] == 30 * USD - 30 * USD * RAKE_BPS // 10_000


def test_co_signature_errors(match_game, usds, players, reverts_with):
    seats = players[:2]
    match_id = full_match(match_game, usds, seats)
    ranking = [seats[0], seats[1]]
    typed = signing.match_result(match_game.address, chain.id, match_id, 0, [str(p) for p in ranking])
    good = [signing.sign(typed, key_of(p)).signature for p in seats]
    with reverts_with("SignatureCountMismatch"):
        match_game.submitCoSignedResult(match_id, ranking, good[:1], {"from": seats[0]})
    with reverts_with("BadCoSignature"):
        match_game.submitCoSignedResult(match_id, ranking, [good[0], good[0]], {"from": seats[0]})
    with reverts_with("BadCoSignature"):
        match_game.submitCoSignedResult(match_id, ranking, good[::-1], {"from": seats[0]})
    with reverts_with("MalleableSignature"):
        match_game.submitCoSignedResult(
            match_id, ranking, [good[0], signing.malleable_twin(good[1])], {"from": seats[0]}
        )
    with reverts_with("UnknownMatch"):
        match_game.submitCoSignedResult(99, ranking, good, {"from": seats[0]})
    match_game.submitCoSignedResult(match_id, ranking, good, {"from": seats[0]})


def test_result_errors(match_game, usds, players, reverts_with):
    alice, bob, carol = players[:3]
    open_id = create_match(match_game, usds, seats=3)
    match_game.join(open_id, {"from": alice})
    with reverts_with("MatchNotFull"):
        match_game.submitResult(open_id, [alice], sign_match_result(match_game, open_id, [alice]), {"from": alice})
    with reverts_with("UnknownMatch"):
        match_game.submitResult(99, [alice], sign_match_result(match_game, 99, [alice]), {"from": alice})

    match_id = full_match(match_game, usds, [alice, bob])
    for ranking, error in (
        ([alice], "BadRankingLength"),
        ([alice, bob, carol], "BadRankingLength"),
    ):
        with reverts_with(error):
            match_game.submitResult(match_id, ranking, sign_match_result(match_game, match_id, ranking), {"from": bob})
    ranking = [alice, bob]
    signature = sign_match_result(match_game, match_id, ranking)
    with reverts_with("UnknownReferee"):
        match_game.submitResult(
            match_id, ranking, sign_match_result(match_game, match_id, ranking, signer=3), {"from": bob}
        )
    with reverts_with("UnknownReferee"):
        match_game.submitResult(match_id, [bob, alice], signature, {"from": bob})  # tampered ranking
    with reverts_with("MalleableSignature"):
        match_game.submitResult(match_id, ranking, signing.malleable_twin(signature), {"from": bob})
    with reverts_with("InvalidSignature"):
        match_game.submitResult(match_id, ranking, signature[:64], {"from": bob})
    match_game.submitResult(match_id, ranking, signature, {"from": bob})
    with reverts_with("AlreadyFinished"):
        match_game.submitResult(match_id, ranking, signature, {"from": bob})

    late = full_match(match_game, usds, [alice, bob])
    late_sig = sign_match_result(match_game, late, ranking)
    chain.sleep(HOUR + 1)
    with reverts_with("ResultDeadlinePassed"):
        match_game.submitResult(late, ranking, late_sig, {"from": bob})


# ------------------------------------------------------------------ void, cancel, expiry


def test_void_refunds_everyone(match_game, vault, registry, usds, players, referee):
    seats = players[:3]
    match_id = full_match(match_game, usds, seats)
    before = balances(vault, usds, seats)
    tx = match_game.submitResult(match_id, [], sign_match_result(match_game, match_id, []), {"from": seats[0]})
    assert tx.events["MatchVoided"] == {"matchId": match_id, "referee": referee}
    assert len(tx.events["EntryRefunded"]) == 3
    assert [a - b for a, b in zip(balances(vault, usds, seats), before, strict=True)] == [10 * USD] * 3
    assert match_game.matchInfo(match_id)["status"] == VOIDED


def test_cancel_before_full(match_game, vault, usds, players, reverts_with):
    creator, alice, bob = players[:3]
    match_id = create_match(match_game, usds, seats=3, creator=creator)
    match_game.join(match_id, {"from": alice})
    match_game.join(match_id, {"from": bob})
    with reverts_with("NotCreator"):
        match_game.cancel(match_id, {"from": alice})
    before = balances(vault, usds, [alice, bob])
    tx = match_game.cancel(match_id, {"from": creator})
    assert "MatchCancelled" in tx.events
    assert [a - b for a, b in zip(balances(vault, usds, [alice, bob]), before, strict=True)] == [10 * USD] * 2
    with reverts_with("MatchNotOpen"):
        match_game.cancel(match_id, {"from": creator})
    full = full_match(match_game, usds, [alice, bob], creator=creator)
    with reverts_with("MatchNotOpen"):
        match_game.cancel(full, {"from": creator})


def test_expiry_refunds(match_game, vault, usds, players, reverts_with):
    alice, bob = players[:2]
    match_id = full_match(match_game, usds, [alice, bob])
    with reverts_with("DeadlineNotPassed"):
        match_game.expire(match_id, {"from": accounts[19]})
    with reverts_with("DeadlineNotPassed"):
        match_game.refundEntry(match_id, 0, {"from": accounts[19]})
    chain.sleep(HOUR + 1)
    before = balances(vault, usds, [alice, bob])
    tx = match_game.refundEntry(match_id, 1, {"from": accounts[19]})
    assert tx.events["EntryRefunded"]["player"] == bob
    with reverts_with("NotEntrant"):
        match_game.refundEntry(match_id, 2, {"from": accounts[19]})
    tx = match_game.expire(match_id, {"from": accounts[19]})
    assert len(tx.events["EntryRefunded"]) == 1 and "MatchExpired" in tx.events
    assert [a - b for a, b in zip(balances(vault, usds, [alice, bob]), before, strict=True)] == [10 * USD] * 2
    with reverts_with("AlreadyFinished"):
        match_game.expire(match_id, {"from": accounts[19]})
    match_game.refundEntry(match_id, 0, {"from": accounts[19]})  # nothing left: a no-op
    with reverts_with("UnknownMatch"):
        match_game.expire(99, {"from": accounts[19]})
    settled = full_match(match_game, usds, [alice, bob])
    match_game.submitResult(
        settled, [alice, bob], sign_match_result(match_game, settled, [alice, bob]), {"from": alice}
    )
    chain.sleep(HOUR + 1)
    with reverts_with("AlreadyFinished"):
        match_game.expire(settled, {"from": accounts[19]})


def test_vault_backstop_refund_then_expire(match_game, vault, usds, players):
    alice, bob = players[:2]
    match_id = create_match(match_game, usds, seats=2)
    lock_id = match_game.join(match_id, {"from": alice}).events["PlayerJoined"]["lockId"]
    chain.sleep(HOUR + 1)
    before = vault.balanceOf(alice, usds)
    vault.refund(lock_id, lock_terms(vault, lock_id), {"from": bob})  # anyone, straight at the Vault
    assert vault.balanceOf(alice, usds) == before + 10 * USD
    tx = match_game.expire(match_id, {"from": bob})
    assert tx.events["EntryRefunded"]["viaBackstop"] is True
    assert vault.balanceOf(alice, usds) == before + 10 * USD
    assert_solvent(vault, usds)


# ------------------------------------------------------------------ player protection


def test_exclusion_blocks_joining_but_not_withdrawing(match_game, vault, registry, usds, players, reverts_with):
    alice = players[0]
    match_id = create_match(match_game, usds)
    registry.selfExclude(184 * 86400, {"from": alice})
    with reverts_with("SelfExcluded"):
        match_game.join(match_id, {"from": alice})
    bob = players[1]
    registry.takeTimeOut(0, {"from": bob})  # a 24-hour time-out binds every game just the same
    with reverts_with("TimedOut"):
        match_game.join(match_id, {"from": bob})
    balance = vault.balanceOf(alice, usds)
    vault.withdraw(usds, balance, alice, {"from": alice})
    assert vault.balanceOf(alice, usds) == 0


def test_limits_and_kyc_gate_entries(match_game, registry, usds, players, owner, reverts_with):
    alice, bob = players[:2]
    registry.setLimit(usds, 1, 0, 15 * USD, {"from": alice})  # wager, 24 h
    first = create_match(match_game, usds)
    second = create_match(match_game, usds)
    match_game.join(first, {"from": alice})
    with reverts_with("WagerLimitExceeded"):
        match_game.join(second, {"from": alice})
    registry.setKycRule(usds, 10 * USD, 1, {"from": owner})
    with reverts_with("KycRequired"):
        match_game.join(second, {"from": bob})


def test_refunds_and_wins_are_credited_to_loss_limits(match_game, registry, usds, players, referee):
    alice, bob = players[:2]
    registry.setLimit(usds, 0, 2, 100 * USD, {"from": alice})  # loss, 30 days
    voided = full_match(match_game, usds, [alice, bob])
    match_game.submitResult(voided, [], sign_match_result(match_game, voided, []), {"from": alice})
    assert registry.usageOf(alice, usds, 2)["netLoss"] == 0
    won = full_match(match_game, usds, [alice, bob])
    match_game.submitResult(won, [alice, bob], sign_match_result(match_game, won, [alice, bob]), {"from": alice})
    assert registry.usageOf(alice, usds, 2)["netLoss"] == 10 * USD - (20 * USD - 20 * USD * RAKE_BPS // 10_000)


def test_co_signing_needs_a_full_table(match_game, vault, usds, players, reverts_with):
    alice, bob = players[:2]
    lobby = create_match(match_game, usds, seats=3)
    with reverts_with("MatchNotFull"):
        match_game.submitCoSignedResult(lobby, [], [], {"from": bob})  # nobody seated, no signatures
    match_game.join(lobby, {"from": alice})
    typed = signing.match_result(match_game.address, chain.id, lobby, 0, [])
    with reverts_with("MatchNotFull"):
        match_game.submitCoSignedResult(lobby, [], [signing.sign(typed, key_of(alice)).signature], {"from": alice})
    # A full table may agree to void (e.g. a draw): everyone is refunded.
    table = full_match(match_game, usds, [alice, bob])
    typed = signing.match_result(match_game.address, chain.id, table, 0, [])
    before = balances(vault, usds, [alice, bob])
    tx = match_game.submitCoSignedResult(
        table, [], [signing.sign(typed, key_of(p)).signature for p in (alice, bob)], {"from": alice}
    )
    assert tx.events["MatchVoided"]["referee"] == ZERO_ADDRESS
    assert [a - b for a, b in zip(balances(vault, usds, [alice, bob]), before, strict=True)] == [10 * USD] * 2
