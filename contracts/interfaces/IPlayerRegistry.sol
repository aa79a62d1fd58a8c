// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ISharedErrors} from "./Shared.sol";

/// @title IPlayerRegistry
/// @notice Player protection every stake meets: time-outs, self-exclusion, player-set loss, wager
/// and deposit limits, and KYC attestations (no personal data on chain). The Vault calls
/// `beforeStake` before it locks any stake of any game (so no game can skip it) and `beforeDeposit`
/// before it credits a player's deposit, and `afterSettle` when a stake it counted (`beforeStake`
/// returned true) pays out; games call none of them. Every error the registry raises is declared
/// here, once, so games, the Vault and off-chain tools decode them from one ABI.
interface IPlayerRegistry is ISharedErrors {
    // ------------------------------------------------------------------ types
    /// @notice What a limit caps: Loss (stakes minus payouts), Wager (stakes) or Deposit (gross
    /// deposits into the Vault to the player's free balance).
    enum LimitKind {
        Loss,
        Wager,
        Deposit
    }

    /// @notice A limit's window: 24 hours, 7 days or 30 days (fixed epochs from unix time 0).
    enum Window {
        Day,
        Week,
        Month
    }

    /// @notice The time-outs a player can take: exactly 24 hours, 1 week, 1 month (30 days), 6 weeks.
    enum TimeOut {
        Day,
        Week,
        Month,
        SixWeeks
    }

    /// @notice A KYC attestation as signed by an attestor (EIP-712 struct `KycAttestation`).
    struct Attestation {
        address player;
        uint8 level;
        uint64 expiry;
        bytes32 jurisdictionHash;
        uint64 nonce;
        uint64 issuedAt; // unix time the attestor signed it: after any revocation, not in the future
        bytes32 subject; // the person: a salted hash chosen by the attestor (no personal data); not 0
    }

    // ------------------------------------------------------------------ events
    /// @notice `player` self-excluded until `until` (PERMANENT: for good), effective at once.
    event SelfExclusionSet(address indexed player, uint40 until);
    /// @notice `player` took a time-out of `period`, effective at once, ending at `until`.
    event TimeOutTaken(address indexed player, TimeOut period, uint40 until);
    /// @param value the new limit (NO_LIMIT: removed)
    /// @param effectiveAt when it applies (now for additions and reductions)
    event LimitSet(
        address indexed player, address indexed token, LimitKind kind, Window window, uint96 value, uint40 effectiveAt
    );
    event PendingLimitApplied(address indexed player, address indexed token, LimitKind kind, Window window, uint96 value);
    event Attested(address indexed player, address indexed attestor, uint8 level, uint64 expiry, bytes32 jurisdictionHash);
    event AttestationRevoked(address indexed player, address indexed by);
    /// @notice `player`'s wallet is bound to the person `subject` for good: the person's time-outs,
    /// self-exclusions and limits bind it, and its own running breaks now bind the person.
    /// @param person the person's account in this registry (`personOf`): their breaks, limits and usage
    event SubjectBound(address indexed player, bytes32 indexed subject, address person);
    event VaultSet(address indexed vault, bool registered);
    event AttestorSet(address indexed attestor, bool registered);
    event KycRuleSet(address indexed token, uint128 threshold, uint8 level);

    // ------------------------------------------------------------------ errors
    /// @notice `player` is self-excluded until `until` (type(uint40).max: for good).
    error SelfExcluded(address player, uint40 until);
    /// @notice `player` is on a time-out until `until`.
    error TimedOut(address player, uint40 until);
    /// @notice Only a registered attestor or the owner may revoke an attestation.
    error NotAttestor(address caller);
    /// @notice The stake would take `player`'s wager on `token` in `window` to `wouldBe`, above `limit`.
    error WagerLimitExceeded(address player, address token, Window window, uint256 limit, uint256 wouldBe);
    /// @notice The stake would take `player`'s net loss on `token` in `window` to `wouldBe`, above `limit`.
    error LossLimitExceeded(address player, address token, Window window, uint256 limit, int256 wouldBe);
    /// @notice The deposit would take `player`'s gross deposits of `token` in `window` to `wouldBe`,
    /// above `limit`.
    error DepositLimitExceeded(address player, address token, Window window, uint256 limit, uint256 wouldBe);
    /// @notice Only a registered Vault may report stakes or deposits the registry records.
    error NotVault(address caller);
    /// @notice `setVault` would register more than `MAX_VAULTS` Vaults (each one is told of every
    /// tightening, so their number bounds what a self-exclusion costs).
    error TooManyVaults(uint256 max);
    /// @notice Too little gas left to tell every registered Vault of a tightening with the full
    /// allowance (`VAULT_NOTICE_GAS`); retry with more gas.
    error NotEnoughGasForVaults(uint256 left, uint256 needed);
    /// @notice A self-exclusion shorter than the minimum (6 months) or longer than the maximum (5 years).
    error BadExclusionDuration(uint256 duration);
    /// @notice A self-exclusion ending (`requested`) before the running one (`current`).
    error ExclusionCannotBeShortened(uint40 current, uint40 requested);
    /// @notice A time-out ending (`requested`) before the running one (`current`).
    error TimeOutCannotBeShortened(uint40 current, uint40 requested);
    /// @notice A limit above NO_LIMIT (type(uint96).max).
    error LimitTooHigh(uint256 value);
    /// @notice A KYC attestation already expired at `expiry`.
    error AttestationExpired(uint64 expiry);
    /// @notice A KYC attestation whose nonce is not above the last accepted one.
    error StaleNonce(uint64 nonce, uint64 lastAccepted);
    /// @notice A signature by `signer`, which is not a registered attestor.
    error UnknownAttestor(address signer);
    /// @notice A KYC attestation without a subject (every attestation names the person it is about).
    error MissingSubject();
    /// @notice A KYC attestation naming `attested` for a wallet bound to another subject (`bound`):
    /// a wallet's binding to a person is one-way.
    error SubjectMismatch(address player, bytes32 bound, bytes32 attested);
    /// @notice A KYC attestation dated at or before the player's last revocation (`revokedAt`):
    /// a revocation voids everything issued before it.
    error AttestationIssuedBeforeRevocation(uint64 issuedAt, uint40 revokedAt);
    /// @notice A KYC attestation dated after the current block's time.
    error AttestationIssuedInFuture(uint64 issuedAt);
    /// @notice `player`'s stakes of `token` in the current KYC window, this one included
    /// (`windowStaked`), reach the token's KYC `threshold`, and the player's valid KYC level (`valid`)
    /// is below the `required` one.
    error KycRequired(
        address player, address token, uint256 windowStaked, uint256 threshold, uint8 required, uint8 valid
    );

    /// @notice Registered Vault only (the Vault calls it on every lock; for a player with nothing to
    /// record, a no-op anyone may call). Reverts (SelfExcluded, TimedOut, WagerLimitExceeded,
    /// LossLimitExceeded, KycRequired) if `player` may not stake `amount` of `token` now; otherwise
    /// records the stake. KYC thresholds apply to the sum of the person's stakes of the token over
    /// the KYC window (an unbound wallet's own), not to each stake alone.
    /// @return counted whether the stake was recorded in a loss or wager window (the wallet's or
    /// its person's) that a later payout must be credited against; false when it was recorded
    /// nowhere or only against a KYC threshold (which payouts never uncount). The Vault keeps it
    /// with the lock and reports the lock's payouts (`afterSettle`) only when it is true.
    /// @return clear true when the registry has nothing to check or record for `player` staking
    /// `token` (no break ever taken, no loss or wager limit, no person, no KYC rule on the token).
    /// A Vault the registry lists (`isVault`) may then skip asking again for this player and token
    /// until the registry calls its `registryChanged`, which it does on every listed Vault (see
    /// `IPlayerRegistryVault`) before any change that could make the answer false takes effect.
    function beforeStake(address player, address token, uint256 amount) external returns (bool counted, bool clear);

    /// @notice Registered Vault only (for a player with a deposit limit; otherwise a no-op anyone may
    /// call). Reverts with DepositLimitExceeded if depositing `amount` of `token` to `player`'s free
    /// balance now would exceed one of their deposit limits; otherwise records it. Called before the
    /// Vault takes the money, for gross deposits only (never for payouts, refunds or payIn credits).
    function beforeDeposit(address player, address token, uint256 amount) external;

    /// @notice Whether `vault` is registered: it may report stakes, payouts and deposits, and it
    /// is told (`registryChanged`) of every change that could void a `clear` answer.
    function isVault(address vault) external view returns (bool);

    /// @notice Registered Vault only (`NotVault` for any other caller). Credits `paidOut` of a stake
    /// `beforeStake` counted to the loss windows of `player` (and of its person) on `token`. The
    /// Vault calls it when such a lock settles with a payout, is refunded (by its game or the
    /// deadline backstop) or is paid from its closed pool, never for a stake the registry did not
    /// count and never for a payout of zero; with a bounded gas allowance and ignoring a failure,
    /// so no registry can block a settlement or refund.
    function afterSettle(address player, address token, uint256 staked, uint256 paidOut) external;

    /// @notice Whether `player` is self-excluded right now, by their wallet's own exclusion or their
    /// person's (KYC subject) through any wallet (a time-out is not a self-exclusion: see `isTimedOut`).
    function isExcluded(address player) external view returns (bool);

    /// @notice Whether `player` is on a time-out right now (their wallet's or their person's).
    function isTimedOut(address player) external view returns (bool);

    /// @notice Reverts with `SelfExcluded(player, until)` while `player` is self-excluded, else with
    /// `TimedOut(player, until)` while they are on a time-out; returns otherwise. For gambling that
    /// is not a game's stake, e.g. the Vault's bankroll deposits (taking the house side).
    function requireNotExcluded(address player) external view;

    /// @notice The player's currently valid KYC level (0 when none or expired).
    function kycLevel(address player) external view returns (uint8);
}

/// @title IPlayerRegistryVault
/// @notice What the registry calls on the Vaults it serves: `registryChanged` before a change that
/// could refuse or record a stake it answered `clear` for (a break, a loss or wager limit, a
/// binding to a person, a KYC rule, the Vault's deregistration). A Vault then forgets every clear
/// answer it kept and asks again on each player's next stake.
interface IPlayerRegistryVault {
    /// @notice The Vault's registry only: forget every `clear` answer kept so far.
    function registryChanged() external;
}
