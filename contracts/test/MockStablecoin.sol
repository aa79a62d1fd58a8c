// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockStablecoin
/// @notice "Fairstake USD" (USDS), a 6-decimal stablecoin for tests and the local demo.
/// Anyone may mint: it has no value outside a development chain.
contract MockStablecoin is ERC20 {
    constructor() ERC20("Fairstake USD", "USDS") {}

    /// @notice Mint `amount` (6 decimals) to `to`.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @inheritdoc ERC20
    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
