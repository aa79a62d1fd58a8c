// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPlayerRegistry} from "../interfaces/IPlayerRegistry.sol";

/// @title MockPlayerRegistry
/// @notice Permissive registry double for game tests: every stake passes unless the test
/// excluded the player; it records totals per player and token so tests can check the calls.
contract MockPlayerRegistry is IPlayerRegistry {
    mapping(address player => bool) public isExcluded;
    mapping(address player => mapping(address token => uint256)) public staked;
    mapping(address player => mapping(address token => uint256)) public settledStake;
    mapping(address player => mapping(address token => uint256)) public paidOut;
    bool public revertOnSettle;

    error SettleRejected();

    function setExcluded(address player, bool excluded) external {
        isExcluded[player] = excluded;
    }

    function setRevertOnSettle(bool value) external {
        revertOnSettle = value;
    }

    function beforeStake(address player, address token, uint256 amount) external {
        if (isExcluded[player]) revert SelfExcluded(player, type(uint40).max);
        staked[player][token] += amount;
    }

    /// @notice Records nothing: game tests do not exercise deposit limits.
    function beforeDeposit(address, address, uint256) external pure {}

    function afterSettle(address player, address token, uint256 stake, uint256 amount) external {
        if (revertOnSettle) revert SettleRejected();
        settledStake[player][token] += stake;
        paidOut[player][token] += amount;
    }

    /// @notice Never on a time-out: tests that need one use the real registry.
    function isTimedOut(address) external pure returns (bool) {
        return false;
    }

    /// @notice Reverts with SelfExcluded while the test has `player` excluded.
    function requireNotExcluded(address player) external view {
        if (isExcluded[player]) revert SelfExcluded(player, type(uint40).max);
    }

    function kycLevel(address) external pure returns (uint8) {
        return 0;
    }
}
