// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// The longest a Vault lock (and so a bet, a match or a tournament result) may run: the
// Vault refuses a deadline further ahead, and every game bounds its own durations by it.
uint256 constant LOCK_DURATION_CAP = 30 days;

/// @title ISharedErrors
/// @notice The errors several Fairstake contracts revert with, declared once so that each name has
/// one signature (one selector) wherever it is raised.
interface ISharedErrors {
    /// @notice A required address argument is address(0).
    error ZeroAddress();
    /// @notice An amount (or the shares it converts to) is zero.
    error ZeroAmount();
    /// @notice Sending ETH to its recipient failed.
    error EthTransferFailed();
    /// @notice ETH was sent with a call that takes none.
    error UnexpectedEth();
    /// @notice msg.value is not the ETH amount the call names.
    error WrongEthValue(uint256 expected, uint256 sent);
    /// @notice `token` is not on the allow-list.
    error TokenNotAllowed(address token);
    /// @notice `caller` is not a registered game.
    error NotGame(address caller);
    /// @notice A signature does not recover to the expected signer.
    error InvalidSignature();
    /// @notice A signature's s is in the upper half of the curve order.
    error MalleableSignature();
    /// @notice A rake above its cap: in basis points for a game's configuration, in token units for a pool's fee.
    error RakeAboveCap(uint256 rake, uint256 cap);
    /// @notice `deadline` is not in (now, now + LOCK_DURATION_CAP].
    error BadDeadline(uint256 deadline);
    /// @notice Two arrays of one call differ in length: the first has `expected` items, the second `actual`.
    error LengthMismatch(uint256 expected, uint256 actual);
    /// @notice Round or tournament `id` cannot be refunded in its `status` (the game's enum value).
    error NotRefundable(uint256 id, uint8 status);
    /// @notice The result of match or tournament `id` was due by `deadline`.
    error ResultDeadlinePassed(uint256 id, uint64 deadline);
}
