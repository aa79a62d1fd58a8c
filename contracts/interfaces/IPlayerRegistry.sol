// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IPlayerRegistry
/// @notice Player protection every game consults: self-exclusion, player-set loss and wager
/// limits, and KYC attestations (no personal data on chain). Games call `beforeStake` before
/// any stake is locked and `afterSettle` when it resolves.
interface IPlayerRegistry {
    // ------------------------------------------------------------------ errors
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

    /// @notice Registered game only. Reverts (SelfExcluded, WagerLimitExceeded, LossLimitExceeded,
    /// KycRequired) if `player` may not stake `amount` of `token` now; otherwise records the stake.
    /// KYC thresholds apply to the sum of the player's stakes of the token over the KYC window, not
    /// to each stake alone.
    function beforeStake(address player, address token, uint256 amount) external;

    /// @notice Registered game only. Records the outcome of a stake (for loss limits). Must not revert
    /// for a valid game call, so settlement callbacks stay safe.
    function afterSettle(address player, address token, uint256 staked, uint256 paidOut) external;

    /// @notice Whether `player` is self-excluded right now.
    function isExcluded(address player) external view returns (bool);

    /// @notice Reverts with the registry's `SelfExcluded(player, until)` error while `player` is
    /// self-excluded (a short time-out included); returns otherwise. For gambling that is not a
    /// game's stake, e.g. the Vault's bankroll deposits (taking the house side).
    function requireNotExcluded(address player) external view;

    /// @notice The player's currently valid KYC level (0 when none or expired).
    function kycLevel(address player) external view returns (uint8);
}
