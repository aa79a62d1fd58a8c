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
    /// each, a tuple (owner, vault, coordinator, registry, callbackGasLimit) in the ABI. The
    /// oracle key is not part of it: the coordinator keeps each consumer's key (`setConsumer`).
    /// @param owner governance (a TimelockController in deployment)
    /// @param vault the escrow every stake is locked in
    /// @param coordinator the only caller of the randomness callbacks
    /// @param registry player protection told of each outcome
    /// @param callbackGasLimit gas the coordinator gives `onRandomness`
    struct GameWiring {
        address owner;
        IVault vault;
        IRandomnessCoordinator coordinator;
        IPlayerRegistry registry;
        uint32 callbackGasLimit;
    }
}
