// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRandomnessCoordinator} from "./IRandomnessCoordinator.sol";

/// @title IRandomnessConsumer
/// @notice Implemented by games that request randomness from the RandomnessCoordinator.
/// The coordinator calls these with a fixed gas allowance and never reverts when they do,
/// so implementations must be cheap and must not depend on succeeding.
interface IRandomnessConsumer {
    /// @notice Delivers verified random words for `requestId`. Only the coordinator may call.
    /// @param slash the request's bond reservation exactly as the consumer made it (the
    /// coordinator checked it against the request's stored commitment), so a consumer may keep
    /// what it put in it instead of storing it again
    /// @param data the word the consumer requested with, checked the same way
    function onRandomness(
        uint256 requestId,
        uint256[] calldata words,
        IRandomnessCoordinator.Slash calldata slash,
        bytes32 data
    ) external;

    /// @notice Tells the consumer that `requestId` passed its deadline unfulfilled and will
    /// never be fulfilled, so it can settle by its own timeout rule. Only the coordinator may call.
    /// @param slash the request's bond reservation as committed, already paid out
    /// @param data the word the consumer requested with
    function onRandomnessExpired(uint256 requestId, IRandomnessCoordinator.Slash calldata slash, bytes32 data)
        external;
}
