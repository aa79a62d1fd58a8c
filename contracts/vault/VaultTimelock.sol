// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title VaultTimelock
/// @notice The Vault's owner: OpenZeppelin's TimelockController, unchanged. Declared as a project
/// contract so every build ships a deployable artifact for it (brownie drops imported contracts
/// that no project contract uses).
contract VaultTimelock is TimelockController {
    /// @param minDelay seconds between scheduling and executing a change
    /// @param proposers may schedule (and cancel) changes
    /// @param executors may execute ready changes (address(0) = anyone)
    /// @param admin optional extra role admin; address(0) leaves the timelock administering itself
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
