// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ChanceGame} from "../games/base/ChanceGame.sol";
import {IRandomnessCoordinator} from "../interfaces/IRandomnessCoordinator.sol";
import {IVault} from "../interfaces/IVault.sol";

/// @title IndexerTestEmitter
/// @notice Test-only. Emits events with the exact signatures of the platform contracts (IVault,
/// IRandomnessCoordinator), many per transaction, so the indexer's ingestion, crash recovery and
/// reorg handling can be exercised with hundreds of thousands of events in seconds (the indexer
/// benchmark's generator). Holds no funds and enforces nothing: the caller is responsible for
/// emitting a coherent story. A manifest registers it under the names whose events it mimics.
contract IndexerTestEmitter {
    /// @notice A payload-carrying event with dynamic data, to exercise dynamic ABI decoding.
    event Note(uint256 indexed seq, address indexed from, string text, bytes data, uint256[] values);

    uint256 private _nextLockId = 1;
    uint256 private _nextBetId = 1;

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
            emit IVault.Locked(lockId, msg.sender, player, token, amount, payout > amount ? payout : amount, 0, 0, 0);
            emit IVault.Settled(lockId, player, payout);
            ++lockId;
        }
        _nextLockId = lockId;
    }

    /// @notice Emit `count` complete Dice bets of `stake` on `target` by `playerCount` synthetic
    /// players cycling from `firstPlayer`, each as the real flow emits it: Vault.Locked,
    /// RandomnessRequested (its data word the bet's), ChanceGame.BetPlaced, then ChanceGame.BetSettled and Vault.Settled with the outcome of a pseudo-random
    /// word (edge 100 bps). Five events per bet.
    function diceBets(
        address token,
        uint256 stake,
        uint8 target,
        uint256 count,
        uint160 firstPlayer,
        uint160 playerCount
    ) external {
        uint256 lockId = _nextLockId;
        uint256 betId = _nextBetId;
        uint256 winPayout = (stake * 100 * 9_900) / (uint256(target) * 10_000);
        for (uint256 i; i < count; ++i) {
            _diceBet(address(firstPlayer + uint160(i % playerCount)), token, stake, target, winPayout, lockId + i, betId + i);
        }
        _nextLockId = lockId + count;
        _nextBetId = betId + count;
    }

    function _diceBet(
        address player,
        address token,
        uint256 stake,
        uint8 target,
        uint256 winPayout,
        uint256 lockId,
        uint256 betId
    ) private {
        emit IVault.Locked(lockId, address(this), player, token, stake, winPayout, uint64(block.timestamp + 1 days), 0, 0);
        // the engine's data word (ChanceGame's Bet): the lock id, one roll at 100 bps, no stops, and
        // the choice's two words packed (bit 159: packed, bit 158: two words, target at bit 96)
        bytes32 data = bytes32(
            (lockId & type(uint56).max) | (uint256(1) << 56) | (uint256(100) << 64)
                | (((uint256(1) << 159) | (uint256(1) << 158) | target) << 96)
        );
        // the request id is the bet id, as in the real flow (the bet's events join on it)
        emit IRandomnessCoordinator.RandomnessRequested(
            betId, bytes32(0), address(this), uint64(block.number + 128), uint64(block.timestamp + 1800), 120_000, 1,
            address(0), 0, address(0), 0, false, data
        );
        emit ChanceGame.BetPlaced(betId);
        uint256 word = uint256(keccak256(abi.encode(betId, block.number)));
        bool won = word % 100 < target;
        emit ChanceGame.BetSettled(betId, word, 1, won ? winPayout : 0);
        emit IVault.Settled(lockId, player, won ? winPayout : 0);
    }

    /// @notice Emit a RandomnessRequested event.
    function requested(uint256 requestId, bytes32 keyHash, address consumer) external {
        emit IRandomnessCoordinator.RandomnessRequested(
            requestId, keyHash, consumer, uint64(block.number + 100), uint64(block.timestamp + 1800), 100_000, 1,
            address(0), 0, address(0), 0, false, bytes32(0)
        );
    }

    /// @notice Emit a Note with dynamic payload.
    function note(uint256 seq, string calldata text, bytes calldata data, uint256[] calldata values) external {
        emit Note(seq, msg.sender, text, data, values);
    }
}
