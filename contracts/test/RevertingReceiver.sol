// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVault} from "../interfaces/IVault.sol";

/// @title RevertingReceiver
/// @notice A player contract that rejects every ETH transfer, to show that a failing recipient
/// only blocks its own payment and can still withdraw to another address.
contract RevertingReceiver {
    IVault public immutable vault;

    error Rejected();

    constructor(IVault vault_) {
        vault = vault_;
    }

    receive() external payable {
        revert Rejected();
    }

    /// @notice Deposit the sent ETH to this contract's free balance.
    function deposit() external payable {
        vault.depositFor{value: msg.value}(address(this), address(0), msg.value);
    }

    /// @notice Withdraw from this contract's free balance to `to`.
    function withdraw(address token, uint256 amount, address to) external {
        vault.withdraw(token, amount, to);
    }
}
