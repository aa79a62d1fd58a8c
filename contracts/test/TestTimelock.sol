// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title TestTimelock
/// @notice OpenZeppelin's TimelockController under a project name. brownie keeps the build of an
/// imported dependency only while a project contract depends on it (inherits or calls it); this
/// one keeps `TimelockController` loadable for the tests and deploy scripts that govern through it.
contract TestTimelock is TimelockController {
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
