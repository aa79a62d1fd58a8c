// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPlayerRegistry, IPlayerRegistryVault} from "../interfaces/IPlayerRegistry.sol";

/// @title MockPlayerRegistry
/// @notice Permissive registry double for game and Vault tests: every stake passes unless the test
/// excluded the player, and counts (`beforeStake` returns true) unless the test said otherwise; it
/// records totals per player and token and emits who reported, so tests can check the Vault's calls
/// (no more than two fresh slots a report, well inside the Vault's report allowance). It
/// can also refuse (`revertOnSettle`) or burn all the gas it is given (`burnOnSettle`) when told
/// of an outcome, as a broken or hostile registry would. It answers `clear` only when told to
/// (`setAnswersClear`), and tells a Vault to forget its clear answers when the test says so
/// (`tellVault`); a stake it is asked about shows in `staked`, so a skipped ask shows as none.
contract MockPlayerRegistry is IPlayerRegistry {
    mapping(address player => bool) public isExcluded;
    mapping(address player => mapping(address token => uint256)) public staked;
    mapping(address player => mapping(address token => uint256)) public settledStake;
    mapping(address player => mapping(address token => uint256)) public paidOut;
    bool public revertOnSettle;
    bool public burnOnSettle;
    bool public countsNothing;
    bool public answersClear;

    event Reported(address indexed reporter, address indexed player, address token, uint256 stake, uint256 amount);

    error SettleRejected();

    function setExcluded(address player, bool excluded) external {
        isExcluded[player] = excluded;
    }

    function setRevertOnSettle(bool value) external {
        revertOnSettle = value;
    }

    function setBurnOnSettle(bool value) external {
        burnOnSettle = value;
    }

    /// @notice From now on stakes are recorded but reported as not counted (an unlimited wallet's).
    function setCountsNothing(bool value) external {
        countsNothing = value;
    }

    /// @notice From now on every stake it passes is answered `clear` (nothing to check next time).
    function setAnswersClear(bool value) external {
        answersClear = value;
    }

    /// @notice Calls `vault.registryChanged()`, as the real registry does before a tightening.
    function tellVault(IPlayerRegistryVault vault) external {
        vault.registryChanged();
    }

    function beforeStake(address player, address token, uint256 amount) external returns (bool, bool) {
        if (isExcluded[player]) revert SelfExcluded(player, type(uint40).max);
        staked[player][token] += amount;
        return (!countsNothing, answersClear);
    }

    /// @notice Every Vault is listed, so a Vault wired to the mock keeps its clear answers.
    function isVault(address) external pure returns (bool) {
        return true;
    }

    /// @notice Records nothing: game tests do not exercise deposit limits.
    function beforeDeposit(address, address, uint256) external pure {}

    function afterSettle(address player, address token, uint256 stake, uint256 amount) external {
        if (revertOnSettle) revert SettleRejected();
        if (burnOnSettle) {
            // slither-disable-next-line assembly -- spends every unit of gas it was given
            assembly ("memory-safe") {
                for {} 1 {} {}
            }
        }
        settledStake[player][token] += stake;
        paidOut[player][token] += amount;
        emit Reported(msg.sender, player, token, stake, amount);
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
