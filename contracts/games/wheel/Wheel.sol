// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {WeightedGame} from "../base/WeightedGame.sol";

/// @title Wheel
/// @notice A wheel of segments against the Vault's bankroll: a configuration is a list of
/// segments read around the wheel, segment i spanning weight_i / totalWeight of it and paying
/// multiplier_i / 1e4 times the stake. Everything else is {WeightedGame} (rules:
/// WeightedRules, mirrored by fairstake/rules/wheel.py) on the engine (ChanceGame). A bet's
/// choice is `abi.encode(uint32 configId)`.
contract Wheel is WeightedGame {
    /// @dev The arguments of {ChanceGame}'s constructor.
    constructor(GameWiring memory wiring, uint32 lockDuration_) WeightedGame(wiring, lockDuration_) {}

    /// @notice Owner only: add a wheel (2..64 segments in order around it, weights >= 1,
    /// multipliers in 1e4 fixed point, RTP within the caps) under the next id, enabled.
    /// @param risk the label the client groups it under: 0 low, 1 medium, 2 high
    function addConfig(uint16[] calldata weights, uint32[] calldata multipliers, uint8 risk)
        external
        onlyOwner
        returns (uint32 configId)
    {
        return _addConfig(weights, multipliers, risk);
    }
}
