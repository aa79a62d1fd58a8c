// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPlayerRegistry} from "../interfaces/IPlayerRegistry.sol";

/// @title RegistryGasProbe
/// @notice Measures what a caller pays for the PlayerRegistry hooks inside its own transaction
/// (the registry account and its slots cold, as on a real first call). Register it as a Vault
/// (`beforeStake`, `beforeDeposit`, `afterSettle`).
contract RegistryGasProbe {
    IPlayerRegistry public immutable registry;

    event Measured(string hook, uint256 gasUsed);

    constructor(IPlayerRegistry registry_) {
        registry = registry_;
    }

    function measureBeforeStake(address player, address token, uint256 amount) external returns (uint256 used) {
        uint256 start = gasleft();
        // slither-disable-next-line unused-return -- only the gas is measured
        registry.beforeStake(player, token, amount);
        used = start - gasleft();
        emit Measured("beforeStake", used);
    }

    function measureBeforeDeposit(address player, address token, uint256 amount) external returns (uint256 used) {
        uint256 start = gasleft();
        registry.beforeDeposit(player, token, amount);
        used = start - gasleft();
        emit Measured("beforeDeposit", used);
    }

    function measureAfterSettle(address player, address token, uint256 staked, uint256 paidOut)
        external
        returns (uint256 used)
    {
        uint256 start = gasleft();
        registry.afterSettle(player, token, staked, paidOut);
        used = start - gasleft();
        emit Measured("afterSettle", used);
    }
}
