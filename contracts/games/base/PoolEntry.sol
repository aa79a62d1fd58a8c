// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVault} from "../../interfaces/IVault.sol";

/// @title PoolEntry
/// @notice The Vault lock of a stake that went into a game's pool (a match or tournament entry, a
/// Jackpot purchase): the Vault keeps only the hash of its terms, so every refund and payout
/// against it rebuilds them here, exactly as the game locked them.
library PoolEntry {
    /// @dev `player`'s `stake` of `token` locked by the calling game into pool `poolId`: a pool
    /// lock's maximum payout is its stake (the Vault refuses any other).
    function lockTerms(address player, address token, uint256 stake, uint256 poolId)
        internal
        view
        returns (IVault.LockTerms memory terms)
    {
        // the return value's own memory, filled in place: a struct literal would allocate a second one
        terms.player = player;
        terms.token = token;
        terms.game = address(this);
        terms.amount = stake;
        terms.maxPayout = stake;
        terms.poolId = poolId;
    }
}
