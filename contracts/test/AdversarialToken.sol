// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title AdversarialToken
/// @notice An ERC-20 with a transfer hook (as ERC-777 tokens have): on the next transfer it calls
/// a chosen target with chosen calldata, in the middle of the transfer, before balances move.
/// Governance would have to allow-list such a token; the tests show the Vault stays sound if it
/// does. The hook fires once per arming and records what the re-entry achieved.
contract AdversarialToken is ERC20 {
    address public hookTarget;
    bytes public hookData;
    bool public armed;
    bool public lastHookSucceeded;
    bytes public lastHookResult;
    uint256 public hooksRun;

    constructor() ERC20("Hooked Token", "HOOK") {}

    /// @notice Mint `amount` to `to` (no hook).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Call `target` with `data` during the next transfer between two accounts.
    function arm(address target, bytes calldata data) external {
        hookTarget = target;
        hookData = data;
        armed = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (armed && from != address(0) && to != address(0)) {
            armed = false;
            hooksRun += 1;
            (bool ok, bytes memory result) = hookTarget.call(hookData);
            lastHookSucceeded = ok;
            lastHookResult = result;
        }
        super._update(from, to, value);
    }
}
