// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPlayerRegistry} from "./IPlayerRegistry.sol";
import {IRandomnessCoordinator} from "./IRandomnessCoordinator.sol";
import {IVault} from "./IVault.sol";

/// @title IRandomnessGame
/// @notice The shared shapes of the games that ask the coordinator for words (every game of chance
/// and Jackpot).
interface IRandomnessGame {
    /// @notice What every such game is wired to at deployment: the first constructor argument of
    /// each, a tuple (owner, vault, coordinator, registry, keyHash, callbackGasLimit) in the ABI.
    /// @param owner governance (a TimelockController in deployment)
    /// @param vault the escrow every stake is locked in
    /// @param coordinator the only caller of the randomness callbacks
    /// @param registry player protection told of each outcome
    /// @param keyHash the oracle key randomness is requested from
    /// @param callbackGasLimit gas the coordinator gives `onRandomness`
    struct GameWiring {
        address owner;
        IVault vault;
        IRandomnessCoordinator coordinator;
        IPlayerRegistry registry;
        bytes32 keyHash;
        uint32 callbackGasLimit;
    }
}
