// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVault} from "../interfaces/IVault.sol";

/// @title ReentrantReceiver
/// @notice A player contract that, on receiving ETH, calls back into the Vault to take the
/// same money again. It records what the re-entry returned; in `swallow` mode it accepts the
/// failure (so the outer payment completes), otherwise it bubbles the failure up.
contract ReentrantReceiver {
    enum Attack {
        None,
        Withdraw
    }

    IVault public immutable vault;
    Attack public attack;
    bool public swallow;
    uint256 public reentries;
    bool public lastReentrySucceeded;
    bytes public lastReentryError;

    constructor(IVault vault_) {
        vault = vault_;
    }

    /// @notice Choose what receive() does next.
    function setAttack(Attack attack_, bool swallow_) external {
        attack = attack_;
        swallow = swallow_;
    }

    /// @notice Deposit the sent ETH to this contract's free balance.
    function deposit() external payable {
        vault.depositFor{value: msg.value}(address(this), address(0), msg.value);
    }

    /// @notice Withdraw `amount` ETH of this contract's free balance to itself.
    function withdraw(uint256 amount) external {
        vault.withdraw(address(0), amount, address(this));
    }

    receive() external payable {
        Attack current = attack;
        if (current == Attack.None || reentries != 0) return;
        reentries += 1;
        bytes memory call = abi.encodeCall(IVault.withdraw, (address(0), msg.value, address(this)));
        (bool ok, bytes memory result) = address(vault).call(call);
        lastReentrySucceeded = ok;
        if (ok) return;
        lastReentryError = result;
        if (!swallow) {
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
    }
}
