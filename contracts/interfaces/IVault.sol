// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPlayerRegistryVault} from "./IPlayerRegistry.sol";
import {ISharedErrors} from "./Shared.sol";

/// @title IVault
/// @notice The only holder of Fairstake money. Players keep free balances they can always
/// withdraw; registered games move stakes only through locks, and every lock unwinds by its
/// deadline. Native ETH is `address(0)`.
///
/// Two kinds of lock:
/// - Bankroll locks (`poolId == 0`, e.g. Dice): the stake plays against the per-token bankroll.
///   `maxPayout - amount` of bankroll is reserved while the lock is open. `settle` pays the player
///   anything up to `maxPayout`; the difference to the stake moves to or from the bankroll.
/// - Pooled locks (`poolId != 0`, e.g. Jackpot, Match, Tournament): stakes go into a pool owned by
///   the game; once the game closes the pool, it pays players out of it (and takes capped rake).
///   Until then every lock in it is refundable, by the game or by anyone after its deadline.
///   A closed pool's game has `POOL_PAYOUT_WINDOW` from closing it to pay out; after that anyone
///   may unwind what is left: each of the pool's locks gets its stake's pro rata share of the
///   balance (`refundClosedPool`), and a pool with no lock left gives its balance to the bankroll
///   (`releaseClosedPool`). The first of these ends the game's payouts from the pool for good.
///
/// Player protection: every lock asks the player registry (`beforeStake`), which answers whether
/// it counted the stake in a loss or wager window; the Vault keeps that bit in the lock's slot and
/// itself reports what the lock pays back (`afterSettle`: a settle's payout, a refund's stake, a
/// closed pool's share or a payout from the pool against the lock) only when the bit is set and
/// something was paid, with at most `REGISTRY_REPORT_GAS` and ignoring a failure. Games never
/// report: a payout is credited only against a stake the registry counted, exactly once.
/// When the registry answers that it has nothing to check for a player and token (`clear`), the
/// Vault keeps that answer beside the player's free balance, stamped with its registry epoch, and
/// skips the registry on that player's next stakes of the token until the registry calls
/// `registryChanged` (before any break, limit, person or KYC rule takes effect), which moves the
/// epoch on and so voids every answer kept.
interface IVault is ISharedErrors, IPlayerRegistryVault {
    // ------------------------------------------------------------------ events
    event Deposited(address indexed player, address indexed token, uint256 amount);
    event Withdrawn(address indexed player, address indexed token, address to, uint256 amount);
    /// @param fee the protocol fee taken from the bankroll when the lock opened: the fee share of
    /// the bet's house edge, whatever its outcome (0 for pooled locks)
    event Locked(
        uint256 indexed lockId,
        address indexed game,
        address indexed player,
        address token,
        uint256 amount,
        uint256 maxPayout,
        uint64 deadline,
        uint256 poolId,
        uint256 fee
    );
    /// @param payout credited to the player's free balance; the bankroll's assets changed by the
    /// lock's amount (in its {Locked} event) minus `payout`, whatever the sign
    event Settled(uint256 indexed lockId, address indexed player, uint256 payout);
    /// @param afterDeadline true when released by anyone through the deadline backstop
    event Refunded(uint256 indexed lockId, address indexed player, uint256 amount, bool afterDeadline);
    event PoolOpened(uint256 indexed poolId, address indexed game, address indexed token);
    /// @param total the pool's balance at close
    /// @param stakes the stakes of the pool's locks at close (the rest of `total` was moved in)
    /// @param payBy end of the game's payout window; after it the backstop may unwind the pool
    event PoolClosed(uint256 indexed poolId, uint256 total, uint256 stakes, uint64 payBy);
    event PoolPaid(uint256 indexed poolId, address indexed player, uint256 amount);
    event PoolFeeTaken(uint256 indexed poolId, uint256 amount);
    event PoolMoved(uint256 indexed fromPoolId, uint256 indexed toPoolId, uint256 amount);
    /// @notice A closed pool past its payout window entered the backstop: its game can no longer
    /// pay from it, and `balance` is shared by `stakes` (the stakes of its locks) pro rata.
    event PoolBackstopStarted(uint256 indexed poolId, uint256 balance, uint256 stakes);
    /// @notice The backstop returned lock `lockId` of closed pool `poolId`: `amount` (its share of
    /// the pool's balance for its `stake`) credited to `player`'s free balance.
    event ClosedPoolRefunded(
        uint256 indexed poolId, uint256 indexed lockId, address indexed player, uint256 stake, uint256 amount
    );
    /// @notice The backstop gave `amount`, the balance of a closed pool with no lock left in it
    /// (money moved in from other pools), to the pool token's bankroll.
    event ClosedPoolReleased(uint256 indexed poolId, uint256 amount);
    /// @notice `assets` of `token` (as received) are pending for `provider` until `claimableAt`:
    /// held by the Vault, not in the bankroll, not earning. `assets` is this request's addition;
    /// `claimableAt` applies to the whole pending amount.
    event BankrollDepositRequested(
        address indexed provider, address indexed token, uint256 assets, uint256 claimableAt
    );
    /// @notice A pending deposit was cancelled: `assets` credited to the provider's free balance.
    event BankrollDepositCancelled(address indexed provider, address indexed token, uint256 assets);
    /// @notice A deposit request was claimed: its `assets` joined the bankroll for `shares`.
    event BankrollDeposited(address indexed provider, address indexed token, uint256 assets, uint256 shares);
    /// @notice `shares` of `provider` are escrowed for redemption until `claimableAt` (they keep
    /// bearing the bankroll's gains and losses). `shares` is this request's addition.
    event BankrollRedeemRequested(
        address indexed provider, address indexed token, uint256 shares, uint256 claimableAt
    );
    /// @notice A redeem request was cancelled: its escrowed `shares` are the provider's again.
    event BankrollRedeemCancelled(address indexed provider, address indexed token, uint256 shares);
    /// @notice A redeem request was claimed: `shares` burnt, `assets` left the bankroll and were
    /// credited to the provider's free balance (withdraw them with `withdraw`).
    event BankrollWithdrawn(address indexed provider, address indexed token, uint256 assets, uint256 shares);
    event Transferred(address indexed from, address indexed to, address indexed token, uint256 amount);
    /// @notice Money paid in for others: `credited` to `beneficiary` and `toBankroll` to the bankroll.
    event PaidIn(
        address indexed payer, address indexed beneficiary, address indexed token, uint256 credited, uint256 toBankroll
    );
    event FeesWithdrawn(address indexed token, address indexed to, uint256 amount);
    event GameSet(address indexed game, bool registered);
    event TokenSet(address indexed token, bool allowed);
    event RiskFractionSet(address indexed token, uint16 bps);
    event ProtocolFeeSet(uint16 bps);
    event FeeRecipientSet(address indexed recipient);
    event GuardianSet(address indexed guardian);
    event LocksPaused(bool paused);
    /// @notice Bankroll deposits are checked against `registry` from now on.
    event PlayerRegistrySet(address indexed registry);

    // ------------------------------------------------------------------ structs
    /// @notice What a lock binds besides its deadline. The Vault keeps one slot per lock: whether
    /// the registry counted the stake (see {lockCounted}), the deadline and the low 216 bits of
    /// `keccak256(abi.encode(terms))` (see {lockOf}); {Locked}
    /// emits every field, and whoever settles or refunds the lock hands the terms back, checked
    /// against that hash (`BadLockTerms`).
    /// @param game the caller of `lock`: only it settles, only it refunds before the deadline
    /// @param poolId 0 for a bankroll lock
    struct LockTerms {
        address player;
        address token;
        address game;
        uint256 amount;
        uint256 maxPayout;
        uint256 poolId;
    }

    /// @notice Every aggregate of one token's books, as returned by {getBooks}: what an indexer
    /// reconciles against and what the solvency invariant is checked with in one call.
    /// @param held the Vault's actual balance of the token (>= the sum of the four owed totals)
    struct BooksView {
        uint256 held;
        bool allowed;
        uint16 riskFractionBps;
        uint256 freeTotal;
        uint256 lockedTotal;
        uint256 bankrollAssets;
        uint256 bankrollReserved;
        uint256 accruedFees;
        uint256 totalShares;
    }

    /// @notice A pool as returned by {getPool}. state: 0 none, 1 open, 2 closed, 3 unwinding (closed,
    /// and the backstop began).
    /// @param payBy closed: the end of the game's payout window (0 while open)
    /// @param stakes the stakes of the pool's locks still held: refundable while open; closed,
    /// the shares the backstop would split the balance by
    struct PoolView {
        address game;
        address token;
        uint8 state;
        uint256 balance;
        uint256 rakeLeft;
        uint64 payBy;
        uint256 stakes;
    }

    // ------------------------------------------------------------------ errors
    error NotLockGame(uint256 lockId, address caller);
    error NotPoolGame(uint256 poolId, address caller);
    error InsufficientBalance(uint256 available, uint256 needed);
    error InsufficientBankroll(uint256 available, uint256 needed);
    error ExposureTooHigh(uint256 reserve, uint256 limit);
    error PayoutAboveMax(uint256 payout, uint256 maxPayout);
    error BadMaxPayout(uint256 amount, uint256 maxPayout);
    /// @notice A lock's house edge exceeds MAX_HOUSE_EDGE_BPS of its stake (cap 0: a pooled lock).
    error HouseEdgeAboveCap(uint256 houseEdge, uint256 cap);
    error LockNotOpen(uint256 lockId);
    /// @notice The lock is open but `terms` do not hash to what it was locked with.
    error BadLockTerms(uint256 lockId);
    error DeadlineNotReached(uint64 deadline);
    error PoolNotOpen(uint256 poolId);
    error PoolNotClosed(uint256 poolId);
    /// @notice The pool's payout window ended and its backstop began: the game can no longer
    /// pay, rake or move from it.
    error PoolUnwinding(uint256 poolId);
    /// @notice `refundClosedPool` was called on a bankroll lock (those unwind through `refund`).
    error NotPoolLock(uint256 lockId);
    /// @notice `releaseClosedPool` on a pool whose locks still have `stakes` to unwind first.
    error StakesLeft(uint256 poolId, uint256 stakes);
    error PoolTokenMismatch(uint256 poolId, address token);
    error PoolBalanceTooLow(uint256 available, uint256 needed);
    error FeeAboveCap(uint256 bps, uint256 cap);
    error LocksArePaused();
    error NotGuardian(address caller);
    error ZeroShares();
    /// @notice `provider` has no pending bankroll request of that kind in `token`.
    error NoBankrollRequest(address provider, address token);
    /// @notice The bankroll request cannot be claimed (by this caller) before `claimableAt`.
    error BankrollRequestNotClaimable(uint256 claimableAt);
    /// @notice `settle` was called on a pooled lock; pools pay out through `payFromPool`.
    error NotBankrollLock(uint256 lockId);
    /// @notice A risk fraction above `MAX_RISK_FRACTION_BPS`.
    error RiskAboveCap(uint256 bps, uint256 cap);
    /// @notice `depositFrom` cannot pull native ETH; games forward it with `depositFor`.
    error EthNotPullable();
    /// @notice The caller holds fewer bankroll shares than it tried to burn.
    error InsufficientShares(uint256 available, uint256 needed);
    /// @notice Every compact token id (255) or game id (65535) has been used.
    error RegistryFull();
    /// @notice `setPlayerRegistry` called again: the registry is wired once, for good.
    error PlayerRegistryAlreadySet(address registry);
    /// @notice `registryChanged` called by someone other than the Vault's player registry.
    error NotPlayerRegistry(address caller);

    // ------------------------------------------------------------------ players
    /// @notice Credit `amount` of `token` to `player`'s free balance, paid by the caller.
    /// For ETH pass `token = address(0)` and `msg.value == amount`. For ERC-20s the amount
    /// actually received is credited (fee-on-transfer safe). Once a PlayerRegistry is wired, the
    /// gross `amount` counts against `player`'s deposit limits and is refused above them.
    function depositFor(address player, address token, uint256 amount) external payable returns (uint256 credited);

    /// @notice Withdraw `amount` of the caller's free balance to `to`. Never pausable.
    function withdraw(address token, uint256 amount, address to) external;

    /// @notice A player's free (withdrawable) balance.
    function balanceOf(address player, address token) external view returns (uint256);

    /// @notice Move `amount` of the caller's free balance to `to`'s free balance.
    function transfer(address to, address token, uint256 amount) external;

    /// @notice Anyone: pay in `creditAmount + bankrollGain` of `token` (ETH: as msg.value),
    /// crediting `creditAmount` to `beneficiary`'s free balance and adding `bankrollGain` to the
    /// token's bankroll whole (no fee: the protocol's fee on a bet was taken when it was locked).
    /// Works for every token ever allow-listed, so a slashed oracle bond can always be paid in
    /// (the coordinator's expiry).
    function payIn(address beneficiary, address token, uint256 creditAmount, uint256 bankrollGain) external payable;

    // ------------------------------------------------------------------ games
    /// @notice Registered game only: pull `amount` of an ERC-20 the player approved to the Vault
    /// into the player's free balance (used when a bet is paid in the same call). A deposit like
    /// `depositFor`: it counts against the player's deposit limits.
    function depositFrom(address player, address token, uint256 amount) external returns (uint256 credited);

    /// @notice Registered game only, allowed token only: open a pool for pooled locks, owned by the caller.
    function openPool(address token) external returns (uint256 poolId);

    /// @notice Registered game only: move `amount` of the player's free balance into a lock.
    /// Every lock, bankroll or pooled, asks the player registry first (once wired): a player on a
    /// break, over a loss or wager limit or short of a KYC threshold's level is refused with the
    /// registry's error. A bankroll lock pays the protocol fee at once, out of the bankroll: `houseEdge` times the
    /// protocol fee in force, whatever the outcome. So the LPs' expected result on every bet is its
    /// house edge less the fee share of it, never negative, and the fee (set once per bet) cannot
    /// be changed by withholding, delaying or refunding the bet.
    /// @param maxPayout bankroll locks: the most `settle` may pay (>= amount); pooled locks: must equal amount
    /// @param houseEdge bankroll locks: the bet's expected gain to the bankroll, `amount` minus the
    /// expected payout, rounded down (at most MAX_HOUSE_EDGE_BPS of `amount`); pooled locks: 0
    /// @param deadline unix time after which anyone may refund the lock if still open
    /// @param poolId 0 for a bankroll lock, else an open pool of the caller in the same token
    function lock(
        address player,
        address token,
        uint256 amount,
        uint256 maxPayout,
        uint256 houseEdge,
        uint64 deadline,
        uint256 poolId
    ) external returns (uint256 lockId);

    /// @notice The lock's game only (registered or not, token allowed or not): settle a bankroll
    /// lock, paying `payout` (<= maxPayout) to the player (reported to the registry when it counted
    /// the stake and `payout` is not zero).
    /// @param terms the lock's terms as emitted by {Locked}
    function settle(uint256 lockId, LockTerms calldata terms, uint256 payout) external;

    /// @notice Refund an open lock's stake to the player: by its game at any time (pooled: only
    /// while the pool is open), or by anyone once its deadline has passed. Reported to the
    /// registry as a payout of the stake when it counted the stake.
    /// @param terms the lock's terms as emitted by {Locked} (public: anyone can unwind a lock
    /// after its deadline)
    function refund(uint256 lockId, LockTerms calldata terms) external;

    /// @notice The pool's game only (registered or not, token allowed or not; as for every pool
    /// operation below): stop refunds and allow payouts from the pool until `POOL_PAYOUT_WINDOW`
    /// from now (the pool's `payBy`).
    function closePool(uint256 poolId) external;

    /// @notice The pool's game only: pay `amount` from a closed pool to a player's free balance,
    /// money that is not the outcome of a stake of the player's (e.g. rolled-in money shared among
    /// refunded tickets): never reported to the registry. A player's winnings against their stake
    /// go through `payLockFromPool`. Reverts `PoolUnwinding` once the backstop began (possible
    /// from `payBy` on).
    function payFromPool(uint256 poolId, address player, uint256 amount) external;

    /// @notice The pool's game only: pay `amount` from lock `lockId`'s closed pool to the lock's
    /// player as the outcome of that lock's stake (a prize, a match payout), reported to the
    /// registry when it counted the stake. The lock stays open for the pool's backstop. Reverts as
    /// `payFromPool`, and `NotPoolLock` for a bankroll lock.
    /// @param terms the lock's terms as emitted by {Locked}
    function payLockFromPool(uint256 lockId, LockTerms calldata terms, uint256 amount) external;

    /// @notice The pool's game only: take rake from a closed pool, at most the capped share of its
    /// total. Reverts `PoolUnwinding` once the backstop began.
    function takePoolFee(uint256 poolId, uint256 amount) external;

    /// @notice The pool's game only: move `amount` from a closed pool to another open pool of
    /// the same game and token (unclaimed prizes rolling over). Reverts `PoolUnwinding` once the
    /// source's backstop began, and (SafeCast) if the money moved into the target while it is open
    /// would pass 2^96 - 1 base units (the target's stakes are told apart from it at close).
    function movePool(uint256 fromPoolId, uint256 toPoolId, uint256 amount) external;

    /// @notice Anyone, once a closed pool is past its `payBy`: return lock `lockId` of the pool
    /// to its player, crediting the stake's pro rata share of what is left in the pool (stake ×
    /// balance / the stakes of the pool's locks not yet returned; the last one takes the rest).
    /// The first call ends the game's payouts from the pool (it is unwinding, for good). The share
    /// is reported to the registry when it counted the stake.
    /// @param terms the lock's terms as emitted by {Locked}
    function refundClosedPool(uint256 lockId, LockTerms calldata terms) external;

    /// @notice Anyone, once a closed pool is past its `payBy` and none of its locks is left to
    /// return (its balance is money moved in from other pools, e.g. a prize nobody won): give
    /// the balance to the pool token's bankroll. Ends the game's payouts like `refundClosedPool`.
    function releaseClosedPool(uint256 poolId) external;

    // ------------------------------------------------------------------ bankroll (liquidity providers)
    // Asynchronous entry and exit (in the spirit of ERC-7540): a request takes effect only when
    // claimed, at least BANKROLL_DELAY (1 day) later, at the price of the claim. The delay outlasts
    // every randomness request open at the request (all resolve within 12 hours), and the claim's
    // price already counts every outcome still open at the claim against the LP (entering: as if
    // the house won every open lock; leaving: as if every open lock paid its maximum), so no
    // outcome an LP can know when requesting or claiming can move its price in its favour.
    // Nothing here is pausable.

    /// @notice Request a bankroll deposit: pulls `assets` of `token` (ETH: msg.value == assets) into
    /// a pending request of the caller, claimable from the returned time. Pending assets earn
    /// nothing and bear nothing. Refused for a disallowed token or a self-excluded caller.
    function requestBankrollDeposit(address token, uint256 assets)
        external
        payable
        returns (uint256 claimableAt);

    /// @notice Once the request is claimable (the owner from BANKROLL_DELAY after the request, anyone
    /// from CLAIM_GRACE later): turn `owner_`'s pending deposit into shares of `owner_`, priced now
    /// (see previewBankrollDeposit). Refused while `owner_` is self-excluded
    /// (who can cancel instead).
    function claimBankrollDeposit(address token, address owner_) external returns (uint256 shares);

    /// @notice Cancel the caller's pending deposit at any time: its assets are credited to the
    /// caller's free balance.
    function cancelBankrollDeposit(address token) external returns (uint256 assets);

    /// @notice Request to redeem `shares` of the caller's bankroll shares: they are escrowed (no
    /// longer transferable to another request) and keep bearing gains and losses until claimed.
    function requestBankrollRedeem(address token, uint256 shares) external returns (uint256 claimableAt);

    /// @notice Once the request is claimable (the owner from BANKROLL_DELAY after the request, anyone
    /// from CLAIM_GRACE later): burn `owner_`'s escrowed shares and credit their assets, priced now (see previewBankrollRedeem), to `owner_`'s free balance. Reverts
    /// InsufficientBankroll while that would leave open locks' reserves above the risk fraction
    /// of what remains.
    function claimBankrollRedeem(address token, address owner_) external returns (uint256 assets);

    /// @notice Cancel the caller's pending redeem at any time: its shares are the caller's again.
    function cancelBankrollRedeem(address token) external returns (uint256 shares);

    /// @notice `owner_`'s pending requests in `token`: the deposit's assets and the redeem's
    /// escrowed shares, each with the time it becomes claimable (zeros: no such request).
    function bankrollRequests(address token, address owner_)
        external
        view
        returns (uint256 depositAssets, uint256 depositClaimableAt, uint256 redeemShares, uint256 redeemClaimableAt);

    /// @notice Sum of all pending deposit assets (held, not in the bankroll) and of all escrowed
    /// redeem shares (still in totalShares) of `token`.
    function bankrollPending(address token) external view returns (uint256 assets, uint256 shares);

    // ------------------------------------------------------------------ views
    function bankrollAssets(address token) external view returns (uint256);
    function bankrollReserved(address token) external view returns (uint256);
    /// @notice Shares `provider` holds outside redeem requests.
    function sharesOf(address provider, address token) external view returns (uint256);
    function totalShares(address token) external view returns (uint256);
    function lockedTotal(address token) external view returns (uint256);
    function accruedFees(address token) external view returns (uint256);
    function isGame(address game) external view returns (bool);
    function isTokenAllowed(address token) external view returns (bool);
    /// @notice The most a new bankroll lock may reserve (maxPayout - amount) right now: what keeps
    /// the sum of every open lock's reserve within the risk fraction of the bankroll.
    function maxReserve(address token) external view returns (uint256);

    /// @notice An open lock's deadline and the low 216 bits of `keccak256(abi.encode(terms))`
    /// (pooled: open until its pool's backstop returns it); both zero once settled or refunded,
    /// and for an unknown id. The terms themselves are in the lock's {Locked} event.
    function lockOf(uint256 lockId) external view returns (uint64 deadline, bytes27 termsHash);

    /// @notice Whether the registry counted lock `lockId`'s stake in a loss or wager window (its
    /// `beforeStake` returned true), so the Vault reports the lock's payouts to it; false once the
    /// lock is closed, and for a stake the registry recorded nowhere.
    function lockCounted(uint256 lockId) external view returns (bool);

    /// @notice The registry epoch: 0 until a registry is wired, then 1, moved on by every
    /// `registryChanged`; a `clear` answer kept at an earlier epoch is void (see the contract notes).
    /// `keeps`: whether the Vault keeps clear answers now (the registry listed it as registered when
    /// it last looked: at wiring and at each `registryChanged`).
    function registryEpoch() external view returns (uint32 epoch, bool keeps);

    /// @notice Whether `player`'s next stake of `token` skips the registry: the registry answered
    /// `clear` for them at the current epoch.
    function registryClear(address player, address token) external view returns (bool);

    /// @notice All aggregates of `token`'s books and the Vault's balance of it, in one call:
    /// held >= freeTotal + lockedTotal + bankrollAssets + accruedFees + pending deposit assets
    /// (the last from `bankrollPending`).
    function getBooks(address token) external view returns (BooksView memory info);

    /// @notice A pool's record.
    function getPool(uint256 poolId) external view returns (PoolView memory info);
}
