// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVault} from "../interfaces/IVault.sol";

/// @title TestGame
/// @notice The smallest registered game: players lock their own stakes, and the operator (the
/// deployer) settles them with any payout it likes and drives pools. It has no powers of its own:
/// the Vault bounds every payout (maxPayout, exposure limit, pool balances, rake cap).
contract TestGame {
    IVault public immutable vault;
    address public immutable operator;

    error NotOperator(address caller);

    modifier onlyOperator() {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        _;
    }

    constructor(IVault vault_) {
        vault = vault_;
        operator = msg.sender;
    }

    /// @notice Lock `amount` of the caller's free balance (no house edge: no protocol fee).
    function lock(address token, uint256 amount, uint256 maxPayout, uint64 deadline, uint256 poolId)
        external
        returns (uint256 lockId)
    {
        return vault.lock(msg.sender, token, amount, maxPayout, 0, deadline, poolId);
    }

    /// @notice Lock `amount` of the caller's free balance as a bet with house edge `houseEdge`.
    function lockWithEdge(address token, uint256 amount, uint256 maxPayout, uint256 houseEdge, uint64 deadline)
        external
        returns (uint256 lockId)
    {
        return vault.lock(msg.sender, token, amount, maxPayout, houseEdge, deadline, 0);
    }

    /// @notice Deposit the sent ETH for the caller and lock it in the same call.
    /// @param maxPayout ignored for pooled locks (they lock exactly the stake)
    function lockWithEth(uint256 maxPayout, uint64 deadline, uint256 poolId) external payable returns (uint256 lockId) {
        vault.depositFor{value: msg.value}(msg.sender, address(0), msg.value);
        return vault.lock(msg.sender, address(0), msg.value, poolId == 0 ? maxPayout : msg.value, 0, deadline, poolId);
    }

    /// @notice Pull `amount` of an ERC-20 the caller approved to the Vault and lock what arrived.
    /// @param maxPayout ignored for pooled locks (they lock exactly the stake)
    function lockFrom(address token, uint256 amount, uint256 maxPayout, uint64 deadline, uint256 poolId)
        external
        returns (uint256 lockId)
    {
        uint256 credited = vault.depositFrom(msg.sender, token, amount);
        return vault.lock(msg.sender, token, credited, poolId == 0 ? maxPayout : credited, 0, deadline, poolId);
    }

    /// @notice Operator: settle a bankroll lock with `payout`.
    /// @param terms the lock's terms (its `Locked` event), checked by the Vault
    function settle(uint256 lockId, IVault.LockTerms calldata terms, uint256 payout) external onlyOperator {
        vault.settle(lockId, terms, payout);
    }

    /// @notice Operator: refund a lock of this game.
    /// @param terms the lock's terms (its `Locked` event), checked by the Vault
    function refund(uint256 lockId, IVault.LockTerms calldata terms) external onlyOperator {
        vault.refund(lockId, terms);
    }

    /// @notice Operator: open a pool in `token`.
    function openPool(address token) external onlyOperator returns (uint256 poolId) {
        return vault.openPool(token);
    }

    /// @notice Operator: close a pool.
    function closePool(uint256 poolId) external onlyOperator {
        vault.closePool(poolId);
    }

    /// @notice Operator: pay a player from a closed pool.
    function payFromPool(uint256 poolId, address player, uint256 amount) external onlyOperator {
        vault.payFromPool(poolId, player, amount);
    }

    /// @notice Operator: pay a lock's player from its closed pool, against that lock's stake.
    /// @param terms the lock's terms (its `Locked` event), checked by the Vault
    function payLockFromPool(uint256 lockId, IVault.LockTerms calldata terms, uint256 amount) external onlyOperator {
        vault.payLockFromPool(lockId, terms, amount);
    }

    /// @notice Operator: take rake from a closed pool.
    function takePoolFee(uint256 poolId, uint256 amount) external onlyOperator {
        vault.takePoolFee(poolId, amount);
    }

    /// @notice Operator: roll `amount` from a closed pool into an open one.
    function movePool(uint256 fromPoolId, uint256 toPoolId, uint256 amount) external onlyOperator {
        vault.movePool(fromPoolId, toPoolId, amount);
    }
}
