// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPlinkoErrors} from "../../interfaces/IGameErrors.sol";
import {WeightedGame} from "../base/WeightedGame.sol";
import {PlinkoRules} from "./PlinkoRules.sol";

/// @title Plinko
/// @notice A ball dropped through 8..16 rows of pins into one of rows + 1 slots, against the
/// Vault's bankroll. A board is the weighted configuration whose weights are the numbers of
/// paths to each slot, C(rows, k), computed here (governance names only the rows, the risk label
/// and the slots' multipliers, which must be symmetric): slot k with probability
/// C(rows, k) / 2^rows. Everything else is {WeightedGame} (rules: WeightedRules and PlinkoRules,
/// mirrored by fairstake/rules/plinko.py) on the engine (ChanceGame). A bet's choice is
/// `abi.encode(uint32 configId)`.
contract Plinko is IPlinkoErrors, WeightedGame {
    /// @dev The arguments of {ChanceGame}'s constructor.
    constructor(GameWiring memory wiring, uint32 lockDuration_) WeightedGame(wiring, lockDuration_) {}

    /// @notice Owner only: add a board of `rows` rows (MIN_ROWS..MAX_ROWS) paying
    /// `multipliers[k]` / 1e4 times the stake in slot k (rows + 1 of them, symmetric, RTP within
    /// the caps) under the next id, enabled.
    /// @param risk the label the client groups it under: 0 low, 1 medium, 2 high
    function addConfig(uint8 rows, uint8 risk, uint32[] calldata multipliers)
        external
        onlyOwner
        returns (uint32 configId)
    {
        uint16[] memory weights = PlinkoRules.weights(rows);
        if (multipliers.length != weights.length) revert LengthMismatch(weights.length, multipliers.length);
        PlinkoRules.checkSymmetric(multipliers);
        return _addConfig(weights, multipliers, risk);
    }
}
