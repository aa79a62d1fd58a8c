"""PlayerRegistry: self-exclusion, limits with cooling-off and windows, governance."""

from brownie import accounts, chain

LOSS, WAGER = 0, 1
DAY_W, WEEK_W, MONTH_W = 0, 1, 2
DAY = 86400
NO_LIMIT = 2**96 - 1
PERMANENT = 2**40 - 1


def _sleep_to_window_start(length: int, offset: int = 60) -> None:
    """Advance so the next block lands `offset` seconds into a fresh window of `length`."""
    now = chain[-1].timestamp
    chain.sleep(length - now % length + offset)
    chain.mine()


# ------------------------------------------------------------------ governance


def test_only_owner_governs(registry, reverts_with, token):
    stranger = accounts[3]
    with reverts_with("OwnableUnauthorizedAccount"):
        registry.setVault(stranger, True, {"from": stranger})
    with reverts_with("OwnableUnauthorizedAccount"):
        registry.setAttestor(stranger, True, {"from": stranger})
    with reverts_with("OwnableUnauthorizedAccount"):
        registry.setKycRule(token, 1, 1, {"from": stranger})


def test_zero_address_rejected(registry, owner, reverts_with):
    with reverts_with("ZeroAddress"):
        registry.setVault(accounts.at("0x" + "00" * 20, force=True).address, True, {"from": owner})
    with reverts_with("ZeroAddress"):
        registry.setAttestor("0x" + "00" * 20, True, {"from": owner})


def test_governance_events(registry, owner, token):
    tx = registry.setVault(accounts[4], True, {"from": owner})
    assert tx.events["VaultSet"] == {"vault": accounts[4], "registered": True}
    assert registry.isVault(accounts[4])
    tx = registry.setKycRule(token, 500, 2, {"from": owner})
    assert tx.events["KycRuleSet"] == {"token": token, "threshold": 500, "level": 2}
    assert tuple(registry.kycRule(token)) == (500, 2)
    registry.setVault(accounts[4], False, {"from": owner})
    assert not registry.isVault(accounts[4])


def test_only_the_vault_reports_stakes_and_settlements(registry, game, reverts_with, token):
    """Games report nothing: the Vault reports every stake and the payouts of counted ones."""
    player, stranger = accounts[1], accounts[3]
    registry.setLimit(token, WAGER, DAY_W, 10, {"from": player})
    with reverts_with("NotVault"):
        registry.beforeStake(player, token, 1, {"from": stranger})
    with reverts_with("NotVault"):
        registry.afterSettle(player, token, 1, 1, {"from": stranger})
    registry.beforeStake(player, token, 1, {"from": game})  # `game` is registered as the Vault
    registry.afterSettle(player, token, 1, 1, {"from": game})


def test_a_stake_with_nothing_to_record_is_not_guarded(registry, owner, reverts_with, token):
    """An unbound wallet with no limit and no break, staking a token without a KYC rule: the
    registry records nothing, so it answers anyone (the fast path), and still refuses a break."""
    player, stranger = accounts[1], accounts[3]
    registry.beforeStake(player, token, 10**18, {"from": stranger})
    assert tuple(registry.usageOf(player, token, DAY_W)[:2]) == (0, 0)
    registry.setKycRule(token, 10**18, 1, {"from": owner})
    with reverts_with("NotVault"):
        registry.beforeStake(player, token, 1, {"from": stranger})
    registry.setKycRule(token, 0, 0, {"from": owner})
    registry.takeTimeOut(0, {"from": player})
    with reverts_with("TimedOut"):
        registry.beforeStake(player, token, 1, {"from": stranger})
    chain.sleep(DAY + 1)  # the time-out ended: the player's slot still holds it, the slower path
    registry.beforeStake(player, token, 1, {"from": stranger})


def test_unlimited_player_records_nothing(registry, game, token):
    player = accounts[1]
    registry.beforeStake(player, token, 10**18, {"from": game})
    registry.afterSettle(player, token, 10**18, 2 * 10**18, {"from": game})
    assert tuple(registry.usageOf(player, token, DAY_W)[:2]) == (0, 0)


def test_a_payout_report_is_the_vaults_alone(registry, game, reverts_with, token):
    """Only the Vault reports payouts, whatever the wallet: one with nothing to record and one with
    a limit alike; a payout of zero records nothing."""
    player, stranger = accounts[1], accounts[3]
    with reverts_with("NotVault"):
        registry.afterSettle(player, token, 10, 10**18, {"from": stranger})
    registry.afterSettle(player, token, 10, 10**18, {"from": game})
    assert tuple(registry.usageOf(player, token, DAY_W)[:2]) == (0, 0)
    registry.setLimit(token, LOSS, DAY_W, 100, {"from": player})
    with reverts_with("NotVault"):
        registry.afterSettle(player, token, 10, 5, {"from": stranger})
    registry.afterSettle(player, token, 10, 0, {"from": game})
    assert tuple(registry.usageOf(player, token, DAY_W)[:2]) == (0, 0)


# ------------------------------------------------------------------ self-exclusion

SIX_MONTHS = 184 * DAY  # the longest six consecutive calendar months (July to December)
FIVE_YEARS = 5 * 365 * DAY


def test_exclusion_duration_bounds(registry, reverts_with):
    """At least six months (by any count of months), at most five years; shorter breaks are time-outs."""
    player = accounts[1]
    for too_short in (DAY, 42 * DAY, 183 * DAY, SIX_MONTHS - 1):
        with reverts_with("BadExclusionDuration"):
            registry.selfExclude(too_short, {"from": player})
    with reverts_with("BadExclusionDuration"):
        registry.selfExclude(FIVE_YEARS + 1, {"from": player})
    assert not registry.isExcluded(player)
    registry.selfExclude(SIX_MONTHS, {"from": player})
    registry.selfExclude(FIVE_YEARS, {"from": player})


def test_exclusion_blocks_every_stake_until_it_ends(registry, game, token, reverts_with):
    player = accounts[1]
    tx = registry.selfExclude(SIX_MONTHS, {"from": player})
    until = tx.timestamp + SIX_MONTHS
    assert tx.events["SelfExclusionSet"] == {"player": player, "until": until}
    assert registry.isExcluded(player) and not registry.isTimedOut(player)
    assert registry.exclusionEnd(player) == until
    for stake_token in (token, "0x" + "00" * 20):
        with reverts_with("SelfExcluded"):
            registry.beforeStake(player, stake_token, 1, {"from": game})
    chain.sleep(SIX_MONTHS + 1)
    chain.mine()
    assert not registry.isExcluded(player)
    registry.beforeStake(player, token, 1, {"from": game})


def test_exclusion_can_be_extended_never_shortened(registry, owner, reverts_with):
    player = accounts[1]
    registry.selfExclude(300 * DAY, {"from": player})
    with reverts_with("ExclusionCannotBeShortened"):
        registry.selfExclude(SIX_MONTHS, {"from": player})
    tx = registry.selfExclude(600 * DAY, {"from": player})
    assert registry.exclusionEnd(player) == tx.timestamp + 600 * DAY


def test_permanent_exclusion_is_final(registry, game, token, reverts_with):
    player = accounts[2]
    tx = registry.selfExcludePermanently({"from": player})
    assert tx.events["SelfExclusionSet"]["until"] == PERMANENT
    with reverts_with("ExclusionCannotBeShortened"):
        registry.selfExclude(FIVE_YEARS, {"from": player})
    chain.sleep(6 * 365 * DAY)
    chain.mine()
    with reverts_with("SelfExcluded"):
        registry.beforeStake(player, token, 1, {"from": game})


def test_expired_exclusion_can_be_chosen_again_shorter(registry):
    player = accounts[1]
    registry.selfExclude(365 * DAY, {"from": player})
    chain.sleep(366 * DAY)
    registry.selfExclude(SIX_MONTHS, {"from": player})
    assert registry.isExcluded(player)


# ------------------------------------------------------------------ limits


def test_limit_too_high(registry, token, reverts_with):
    with reverts_with("LimitTooHigh"):
        registry.setLimit(token, LOSS, DAY_W, NO_LIMIT + 1, {"from": accounts[1]})


def test_adding_a_limit_applies_at_once(registry, game, token, reverts_with):
    player = accounts[1]
    tx = registry.setLimit(token, WAGER, DAY_W, 100, {"from": player})
    assert tx.events["LimitSet"] == {
        "player": player,
        "token": token,
        "kind": WAGER,
        "window": DAY_W,
        "value": 100,
        "effectiveAt": tx.timestamp,
    }
    assert tuple(registry.limitOf(player, token, WAGER, DAY_W)) == (100, 0, 0)
    assert tuple(registry.limitOf(player, token, LOSS, DAY_W)) == (NO_LIMIT, 0, 0)
    _sleep_to_window_start(DAY)
    registry.beforeStake(player, token, 60, {"from": game})
    registry.beforeStake(player, token, 40, {"from": game})
    with reverts_with("WagerLimitExceeded"):
        registry.beforeStake(player, token, 1, {"from": game})
    # Wins do not restore wager headroom; another token is unaffected.
    registry.afterSettle(player, token, 100, 200, {"from": game})
    with reverts_with("WagerLimitExceeded"):
        registry.beforeStake(player, token, 1, {"from": game})
    registry.beforeStake(player, "0x" + "00" * 20, 10**24, {"from": game})


def test_loss_limit_counts_open_stakes_and_credits_payouts(registry, game, token, reverts_with):
    player = accounts[1]
    registry.setLimit(token, LOSS, DAY_W, 100, {"from": player})
    _sleep_to_window_start(DAY)
    registry.beforeStake(player, token, 80, {"from": game})
    with reverts_with("LossLimitExceeded"):
        registry.beforeStake(player, token, 21, {"from": game})
    registry.afterSettle(player, token, 80, 50, {"from": game})
    wagered, net_loss, start, end = registry.usageOf(player, token, DAY_W)
    assert (wagered, net_loss, end - start) == (80, 30, DAY)
    registry.beforeStake(player, token, 70, {"from": game})
    with reverts_with("LossLimitExceeded"):
        registry.beforeStake(player, token, 1, {"from": game})
    # A net win in the window leaves room to stake it again.
    registry.afterSettle(player, token, 70, 300, {"from": game})
    assert registry.usageOf(player, token, DAY_W)[1] == 100 - 300
    registry.beforeStake(player, token, 300, {"from": game})


def test_window_rollover_resets_usage(registry, game, token, reverts_with):
    player = accounts[1]
    registry.setLimit(token, WAGER, DAY_W, 100, {"from": player})
    registry.setLimit(token, WAGER, WEEK_W, 250, {"from": player})
    _sleep_to_window_start(7 * DAY)
    registry.beforeStake(player, token, 100, {"from": game})
    with reverts_with("WagerLimitExceeded"):
        registry.beforeStake(player, token, 1, {"from": game})
    chain.sleep(DAY)
    registry.beforeStake(player, token, 100, {"from": game})
    chain.sleep(DAY)
    registry.beforeStake(player, token, 50, {"from": game})
    # Day 3 of the week: the daily window is fresh but the weekly one is full.
    with reverts_with("WagerLimitExceeded"):
        registry.beforeStake(player, token, 1, {"from": game})
    chain.mine()
    assert registry.usageOf(player, token, WEEK_W)[0] == 250
    assert registry.usageOf(player, token, DAY_W)[0] == 50
    _sleep_to_window_start(7 * DAY)
    assert registry.usageOf(player, token, WEEK_W)[0] == 0
    registry.beforeStake(player, token, 100, {"from": game})


def test_month_window_is_aligned_to_thirty_day_epochs(registry, game, token, reverts_with):
    player = accounts[1]
    registry.setLimit(token, LOSS, MONTH_W, 1000, {"from": player})
    _sleep_to_window_start(30 * DAY)
    registry.beforeStake(player, token, 1000, {"from": game})
    chain.mine()
    _, _, start, end = registry.usageOf(player, token, MONTH_W)
    assert start % (30 * DAY) == 0 and end - start == 30 * DAY
    chain.sleep(29 * DAY)
    with reverts_with("LossLimitExceeded"):
        registry.beforeStake(player, token, 1, {"from": game})
    chain.sleep(DAY)
    registry.beforeStake(player, token, 1000, {"from": game})


def test_lowering_applies_at_once_raising_after_cooling_off(registry, game, token, reverts_with):
    player = accounts[1]
    registry.setLimit(token, WAGER, DAY_W, 100, {"from": player})
    registry.setLimit(token, WAGER, DAY_W, 50, {"from": player})
    assert registry.limitOf(player, token, WAGER, DAY_W)[0] == 50
    tx = registry.setLimit(token, WAGER, DAY_W, 500, {"from": player})
    effective_at = tx.timestamp + DAY
    assert tx.events["LimitSet"]["effectiveAt"] == effective_at
    assert tuple(registry.limitOf(player, token, WAGER, DAY_W)) == (50, 500, effective_at)
    chain.sleep(DAY - 600)
    with reverts_with("WagerLimitExceeded"):
        registry.beforeStake(player, token, 51, {"from": game})


def test_raise_is_applied_lazily_after_cooling_off(registry, game, token, reverts_with):
    player = accounts[1]
    registry.setLimit(token, WAGER, DAY_W, 100, {"from": player})
    _sleep_to_window_start(DAY)
    registry.beforeStake(player, token, 100, {"from": game})
    registry.setLimit(token, WAGER, DAY_W, 300, {"from": player})
    with reverts_with("WagerLimitExceeded"):
        registry.beforeStake(player, token, 1, {"from": game})
    chain.sleep(DAY - 3600)
    with reverts_with("WagerLimitExceeded"):
        registry.beforeStake(player, token, 1, {"from": game})
    chain.sleep(3600)
    tx = registry.beforeStake(player, token, 200, {"from": game})
    assert tx.events["PendingLimitApplied"] == {
        "player": player,
        "token": token,
        "kind": WAGER,
        "window": DAY_W,
        "value": 300,
    }
    assert tuple(registry.limitOf(player, token, WAGER, DAY_W)) == (300, 0, 0)


def test_removal_waits_and_apply_pending_by_anyone(registry, game, token, reverts_with):
    player = accounts[1]
    registry.setLimit(token, LOSS, WEEK_W, 10, {"from": player})
    registry.setLimit(token, LOSS, WEEK_W, NO_LIMIT, {"from": player})
    with reverts_with("LossLimitExceeded"):
        registry.beforeStake(player, token, 11, {"from": game})
    chain.sleep(DAY)
    chain.mine()
    assert tuple(registry.limitOf(player, token, LOSS, WEEK_W)) == (
        NO_LIMIT,
        0,
        0,
    )  # the view counts it as applied
    tx = registry.applyPending(player, token, {"from": accounts[5]})
    assert "PendingLimitApplied" in tx.events
    # No limits left at all: the player is back on the one-SLOAD path and nothing is recorded.
    registry.beforeStake(player, token, 10**20, {"from": game})
    assert registry.usageOf(player, token, WEEK_W)[0] == 0


def test_lowering_cancels_a_pending_raise(registry, game, token, reverts_with):
    player = accounts[1]
    registry.setLimit(token, WAGER, MONTH_W, 100, {"from": player})
    registry.setLimit(token, WAGER, MONTH_W, 1000, {"from": player})
    registry.setLimit(token, WAGER, MONTH_W, 80, {"from": player})
    assert tuple(registry.limitOf(player, token, WAGER, MONTH_W)) == (80, 0, 0)
    chain.sleep(2 * DAY)
    _sleep_to_window_start(30 * DAY)
    with reverts_with("WagerLimitExceeded"):
        registry.beforeStake(player, token, 81, {"from": game})


def test_pending_changes_in_several_windows_apply_independently(registry, game, token, reverts_with):
    player = accounts[1]
    registry.setLimit(token, WAGER, DAY_W, 10, {"from": player})
    registry.setLimit(token, LOSS, MONTH_W, 10, {"from": player})
    registry.setLimit(token, WAGER, DAY_W, 20, {"from": player})
    chain.sleep(12 * 3600)
    tx = registry.setLimit(token, LOSS, MONTH_W, 40, {"from": player})
    month_at = tx.timestamp + DAY
    chain.sleep(12 * 3600 + 1)
    registry.applyPending(player, token, {"from": player})
    assert registry.limitOf(player, token, WAGER, DAY_W)[0] == 20
    assert tuple(registry.limitOf(player, token, LOSS, MONTH_W)) == (10, 40, month_at)
    chain.sleep(12 * 3600)
    chain.mine()
    assert tuple(registry.limitOf(player, token, LOSS, MONTH_W)) == (40, 0, 0)


def test_limits_are_per_player_and_per_token(registry, game, token, reverts_with):
    player, other, eth = accounts[1], accounts[2], "0x" + "00" * 20
    registry.setLimit(token, WAGER, DAY_W, 1, {"from": player})
    _sleep_to_window_start(DAY)  # every stake below counts in one day window
    # the limit binds its player on its token...
    with reverts_with("WagerLimitExceeded"):
        registry.beforeStake(player, token, 2, {"from": game})
    registry.beforeStake(player, token, 1, {"from": game})
    with reverts_with("WagerLimitExceeded"):
        registry.beforeStake(player, token, 1, {"from": game})
    # ...and neither another player on that token nor that player on another token
    registry.beforeStake(other, token, 10**18, {"from": game})
    registry.beforeStake(player, eth, 10**18, {"from": game})
    # (the player's usage on the limited token is still the one wei it staked there)
    assert registry.usageOf(player, token, DAY_W)[0] == 1


def test_settle_never_reverts_on_huge_payouts(registry, game, token):
    player = accounts[1]
    registry.setLimit(token, LOSS, DAY_W, 100, {"from": player})
    registry.beforeStake(player, token, 100, {"from": game})
    registry.afterSettle(player, token, 100, 2**256 - 1, {"from": game})
    registry.afterSettle(player, token, 100, 2**256 - 1, {"from": game})
    assert registry.usageOf(player, token, DAY_W)[1] == -(2**111)
