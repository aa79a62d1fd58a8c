"""Response models of the API. Every uint256 amount or id is a decimal string (JSON numbers
lose precision above 2**53 in most clients); addresses are EIP-55 checksummed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

Amount = str


class ErrorBody(BaseModel):
    detail: str = Field(description="What was wrong with the request.")


class Position(BaseModel):
    block: int
    time: int = Field(description="Block timestamp (unix seconds).")
    tx: str


class Bet(BaseModel):
    id: str = Field(description='"<game>:<ref>", e.g. "dice:17" or "jackpot:3:40" (round 3, tickets from 40).')
    readable_id: str = Field(
        description='The id to read, say and type: "<game>-<block>-<log>", where the bet was placed on chain '
        '(e.g. "dice-1234-5"); accepted wherever a bet id is.'
    )
    game: str = Field(description="dice | jackpot | match | tournament")
    ref: str = Field(description="The game's own id: Dice bet id, Jackpot round, Match or Tournament id.")
    player: str
    token: str
    token_symbol: str | None
    stake: Amount
    status: str = Field(description="pending | won | lost | refundable | refunded | timed_out")
    payout: Amount | None
    max_payout: Amount | None
    request_id: str | None = Field(description="Randomness request (Dice).")
    lock_id: str | None = Field(description="The Vault lock holding the stake.")
    details: dict[str, Any] = Field(description="Game-specific parameters and outcome.")
    placed: Position
    settled: Position | None


class BetPage(BaseModel):
    items: list[Bet]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next (older) page; null at the end.")


class Balance(BaseModel):
    token: str
    token_symbol: str | None
    free: Amount = Field(description="Withdrawable Vault balance, mirrored from events.")
    locked: Amount = Field(description="Stakes in open locks (bets in play, entries of open pools).")
    deposited: Amount
    withdrawn: Amount
    paid_in: Amount = Field(
        default="0", description="Credited by others through Vault.payIn (a slashed oracle bond's compensation)."
    )
    transferred_in: Amount = Field(default="0", description="Free balance received through Vault.transfer.")
    transferred_out: Amount = Field(default="0", description="Free balance sent through Vault.transfer.")


class PlayerGameStats(BaseModel):
    game: str
    token: str
    bets: int
    settled: int
    wins: int
    wagered: Amount
    paid_out: Amount
    net: Amount = Field(description="paid_out - wagered (negative: the player lost that much).")


class Limit(BaseModel):
    token: str
    kind: str = Field(description="loss | wager | deposit (gross deposits into the Vault)")
    period: str = Field(description="day | week | month (fixed windows from unix time 0)")
    value: Amount | None = Field(description="The limit in force (null: none).")
    pending: Amount | None = Field(description="A raise or removal waiting for its cooling-off (0: removal).")
    pending_effective_at: int | None


class SelfExclusion(BaseModel):
    excluded: bool
    until: int | None = Field(
        description="Unix time the exclusion binding this wallet ends, its own or its person's (a far-future "
        "value is permanent)."
    )


class TimeOut(BaseModel):
    timed_out: bool
    until: int | None = Field(description="Unix time the player's last time-out ends.")


class Kyc(BaseModel):
    level: int = Field(description="Currently valid level (0 when none or expired).")
    attested_level: int | None
    expiry: int | None
    attestor: str | None
    jurisdiction_hash: str | None
    person: str | None = Field(description="The person's account in the registry (PlayerRegistry.personOf).")
    subject: str | None = Field(
        description="The person (KYC subject) this wallet is bound to for good; their time-outs and "
        "self-exclusions, taken through any of their wallets, bind this one (and are shown here)."
    )


class RealityCheck(BaseModel):
    session_gap_seconds: int = Field(description="Activity separated by less than this is one session.")
    active: bool = Field(description="Whether the latest activity is recent enough to be the current session.")
    started_at: int | None
    last_activity_at: int | None
    duration_seconds: int
    bets: int
    staked: dict[str, Amount] = Field(description="Per token address.")
    paid_out: dict[str, Amount]
    net: dict[str, Amount]


class Player(BaseModel):
    address: str
    balances: list[Balance]
    open_bets: list[Bet]
    recent_bets: list[Bet]
    stats: list[PlayerGameStats]
    limits: list[Limit] = Field(description="The wallet's own limits.")
    person_limits: list[Limit] = Field(
        description="The limits of the person (KYC subject) the wallet is bound to: they cap the sum over all "
        "the person's wallets, next to each wallet's own."
    )
    self_exclusion: SelfExclusion
    time_out: TimeOut
    kyc: Kyc
    reality_check: RealityCheck


class LpPosition(BaseModel):
    """A liquidity provider's bankroll position in one token, mirrored from events. Entry and exit
    are asynchronous: a request becomes claimable (by anyone, for the provider) once the chain's
    time reaches its `*_claimable_at`, at least a day after it was made."""

    token: str
    token_symbol: str | None
    shares: Amount = Field(description="Shares held outside a redeem request (Vault.sharesOf).")
    deposited: Amount = Field(description="Assets of claimed deposit requests.")
    withdrawn: Amount = Field(description="Assets of claimed redeem requests (credited to the free balance).")
    pending_deposit: Amount = Field(
        description="Assets waiting in a deposit request: not in the bankroll, not earning."
    )
    deposit_claimable_at: int | None = Field(
        description="Chain time (unix) from which the deposit request can be claimed; null: no request."
    )
    pending_redeem_shares: Amount = Field(
        description="Shares escrowed in a redeem request: still bearing the bankroll's gains and losses."
    )
    redeem_claimable_at: int | None = Field(
        description="Chain time (unix) from which the redeem request can be claimed; null: no request."
    )


class LiquidityProvider(BaseModel):
    address: str
    positions: list[LpPosition]


class JackpotRound(BaseModel):
    round_id: str
    token: str | None
    token_symbol: str | None
    status: str
    tickets: str
    pot: Amount
    winner: str | None
    prize: Amount | None
    details: dict[str, Any]
    opened: Position
    purchases: list[Bet] | None = None


class RoundPage(BaseModel):
    items: list[JackpotRound]
    next_cursor: str | None


class SkillGame(BaseModel):
    id: str
    kind: str = Field(description="match | tournament")
    token: str | None
    token_symbol: str | None
    status: str
    entry: Amount | None
    players: list[str]
    details: dict[str, Any]
    created: Position
    entries: list[Bet] | None = None


class SkillGamePage(BaseModel):
    items: list[SkillGame]
    next_cursor: str | None


class LeaderboardEntry(BaseModel):
    rank: int
    player: str
    bets: int
    wins: int
    wagered: Amount
    paid_out: Amount
    net: Amount


class Leaderboard(BaseModel):
    token: str
    game: str | None
    by: str
    as_of_event: str | None = Field(description="The newest event included (cache key).")
    entries: list[LeaderboardEntry]


class GameStats(BaseModel):
    game: str
    token: str
    token_symbol: str | None
    bets: int
    settled: int
    players: int
    wagered: Amount
    paid_out: Amount


class RawEvent(BaseModel):
    uid: str
    block: int
    block_hash: str
    time: int
    tx: str
    log_index: int
    contract: str
    address: str
    event: str
    args: dict[str, Any]


class EventPage(BaseModel):
    items: list[RawEvent]
    next_cursor: str | None


class ExportVerification(BaseModel):
    valid: bool
    lines: int
    final_hash: str | None
    first_bad_line: int | None = Field(description="1-based line number of the first line that fails, if any.")
    reason: str | None


class Check(BaseModel):
    name: str
    ok: bool
    chain: Any = None
    recomputed: Any = None
    detail: str | None = None


class BondReservation(BaseModel):
    """What a randomness request reserved from its oracle key's bond, and how it resolved."""

    request_id: str
    key_hash: str
    token: str
    token_symbol: str | None
    amount: Amount = Field(description="Reserved from the key's bond; all of it is paid out if the request expires.")
    beneficiary: str = Field(description="Credited `beneficiary_amount` in the Vault on expiry.")
    beneficiary_amount: Amount
    residual: Amount = Field(description="amount - beneficiary_amount: to the bankroll or burnt on expiry.")
    residual_to_bankroll: bool = Field(description="True: the residual goes to the token's bankroll; false: burnt.")
    status: str = Field(description="reserved (pending) | released (fulfilled) | slashed (expired)")
    reserved: Position
    resolved: Position | None


class Bond(BaseModel):
    """An oracle key's provider bond in one token, mirrored from the coordinator's events."""

    key_hash: str
    operator: str | None = Field(description="Who may unbond and withdraw the key's bonds.")
    token: str
    token_symbol: str | None
    total: Amount = Field(description="deposited - withdrawn - slashed (reserved and unbonding included).")
    reserved: Amount = Field(description="Held by pending requests.")
    unbonding: Amount
    unbondable_at: int | None = Field(description="Unix time the unbonding amount can be withdrawn.")
    free: Amount = Field(description="total - reserved - unbonding: what new requests may reserve.")
    deposited: Amount
    withdrawn: Amount
    slashed: Amount
    reservations: int = Field(description="Requests that reserved from this bond.")
    slashes: int = Field(description="Expired requests paid out of it.")
    open_reservations: int


class Bonds(BaseModel):
    bonds: list[Bond]
    slashes: list[BondReservation] = Field(description="Slashed reservations, newest first (at most `limit`).")
    open_reservations: list[BondReservation] = Field(description="Pending reservations, oldest first.")


class AuditSummary(BaseModel):
    block: int | None = Field(description="Indexed block.")
    requests: dict[str, int] = Field(description="Randomness requests by status (pending, fulfilled, expired).")
    reservations: dict[str, int] = Field(description="Bond reservations by status (reserved, released, slashed).")
    bonds: list[Bond]
    timed_out_bets: int = Field(description="Dice bets unwound without a result.")
    paid_in: dict[str, dict[str, Amount]] = Field(
        description="Per token: Vault.payIn totals credited to beneficiaries and added to the bankroll."
    )


class BetAudit(BaseModel):
    bet: Bet
    request: dict[str, Any] | None = Field(description="The randomness request as emitted on chain.")
    reservation: BondReservation | None = Field(
        default=None, description="What the request reserved from the oracle key's bond (and its slash, if expired)."
    )
    proof: dict[str, Any] | None = Field(description="The ECVRF proof delivered by the oracle.")
    verification: dict[str, Any] | None = Field(description="The indexer's own re-verification of the proof.")
    recomputed: dict[str, Any] = Field(description="Outcome and payout recomputed with fairstake.rules.")
    chain: dict[str, Any] = Field(description="What the game recorded and what the Vault actually paid.")
    checks: list[Check]
    ok: bool = Field(description="True when every check passed.")


class SolvencyRow(BaseModel):
    token: str
    symbol: str | None
    balance: Amount | None = Field(description="The Vault's actual token balance read from the chain.")
    liabilities: Amount = Field(
        description="free + locked + pooled + bankroll + fees + bankroll_pending, derived from events."
    )
    free: Amount
    locked: Amount
    pooled: Amount
    bankroll: Amount
    fees: Amount
    paid_in_credited: Amount = Field(default="0", description="Vault.payIn credits to free balances (in `free`).")
    paid_in_bankroll: Amount = Field(default="0", description="Vault.payIn additions to the bankroll (in `bankroll`).")
    bankroll_pending: Amount = Field(
        default="0", description="Assets of bankroll deposit requests not yet claimed (owed back, not in `bankroll`)."
    )
    surplus: Amount | None
    solvent: bool | None
    vault_views: dict[str, Amount] | None = Field(description="The Vault's own aggregate views at the same block.")
    views_match_events: bool | None


class Solvency(BaseModel):
    block: int | None = Field(description="Indexed block the comparison was made at.")
    tokens: list[SolvencyRow]
    solvent: bool | None


class RtpRow(BaseModel):
    game: str
    token: str
    token_symbol: str | None
    bets: int
    wagered: Amount
    paid_out: Amount
    observed_rtp: float | None
    theoretical_rtp: float | None
    ci_low: float | None = Field(description="Confidence interval of the observed RTP.")
    ci_high: float | None
    confidence: float
    z_score: float | None = Field(description="(paid - expected) / std-dev under the rules; |z| > 3.3 is suspicious.")
    consistent: bool | None = Field(description="Theoretical RTP inside the interval.")


class Rtp(BaseModel):
    confidence: float
    rows: list[RtpRow]


class Anomaly(BaseModel):
    kind: str = Field(description="bet_velocity | large_withdrawal | common_funding")
    address: str
    detail: str
    window_start: int | None = None
    count: int | None = None
    amount: Amount | None = None
    related: list[str] = Field(default_factory=list)


class Anomalies(BaseModel):
    window_seconds: int
    items: list[Anomaly]


class Health(BaseModel):
    status: str
    indexed_block: int
    indexed_hash: str | None
    chain_head: int | None
    lag_blocks: int | None
    events: int | None = None
