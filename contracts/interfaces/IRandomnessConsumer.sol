// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IRandomnessConsumer
/// @notice Implemented by games that request randomness from the RandomnessCoordinator.
/// The coordinator calls these with a fixed gas allowance and never reverts when they do,
/// so implementations must be cheap and must not depend on succeeding.
interface IRandomnessConsumer {
    /// @notice Delivers verified random words for `requestId`. Only the coordinator may call.
    function onRandomness(uint256 requestId, uint256[] calldata words) external;

    /// @notice Tells the consumer that `requestId` passed its deadline unfulfilled and will
    /// never be fulfilled, so it can settle by its own timeout rule. Only the coordinator may call.
    function onRandomnessExpired(uint256 requestId) external;
}
