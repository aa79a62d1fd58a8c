// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRandomnessCoordinator} from "../interfaces/IRandomnessCoordinator.sol";
import {IVault} from "../interfaces/IVault.sol";

/// @title IndexerTestEmitter
/// @notice Test-only. Emits events with the exact signatures of the platform contracts (IVault,
/// IRandomnessCoordinator), many per transaction, so the indexer's ingestion, crash recovery and
/// reorg handling can be exercised with hundreds of thousands of events in seconds. Holds no funds
/// and enforces nothing: the caller is responsible for emitting a coherent story.
contract IndexerTestEmitter {
    /// @notice A payload-carrying event with dynamic data, to exercise dynamic ABI decoding.
    event Note(uint256 indexed seq, address indexed from, string text, bytes data, uint256[] values);

    uint256 private _nextLockId = 1;

    /// @notice Emit `count` Deposited events for `playerCount` synthetic players cycling from `firstPlayer`.
    function deposits(address token, uint256 amount, uint256 count, uint160 firstPlayer, uint160 playerCount)
        external
    {
        for (uint256 i; i < count; ++i) {
            emit IVault.Deposited(address(firstPlayer + uint160(i % playerCount)), token, amount);
        }
    }

    /// @notice Emit a Deposited event for `player`.
    function deposit(address player, address token, uint256 amount) external {
        emit IVault.Deposited(player, token, amount);
    }

    /// @notice Emit a Withdrawn event for `player`.
    function withdraw(address player, address token, uint256 amount) external {
        emit IVault.Withdrawn(player, token, player, amount);
    }

    /// @notice Emit a bankroll lock (Locked) for `player` and immediately its settlement (Settled),
    /// `rounds` times, paying `payout` each time: a minimal bet lifecycle.
    function lockAndSettle(address player, address token, uint256 amount, uint256 payout, uint256 rounds)
        external
    {
        uint256 lockId = _nextLockId;
        for (uint256 i; i < rounds; ++i) {
            emit IVault.Locked(lockId, msg.sender, player, token, amount, payout > amount ? payout : amount, 0, 0);
            int256 delta = int256(amount) - int256(payout);
            emit IVault.Settled(lockId, player, payout, delta, 0);
            ++lockId;
        }
        _nextLockId = lockId;
    }

    /// @notice Emit a RandomnessRequested event.
    function requested(uint256 requestId, bytes32 keyHash, address consumer, uint256 preSeed) external {
        emit IRandomnessCoordinator.RandomnessRequested(
            requestId, keyHash, consumer, preSeed, uint64(block.number), uint64(block.number + 100), 100_000, 1
        );
    }

    /// @notice Emit a Note with dynamic payload.
    function note(uint256 seq, string calldata text, bytes calldata data, uint256[] calldata values) external {
        emit Note(seq, msg.sender, text, data, values);
    }
}
