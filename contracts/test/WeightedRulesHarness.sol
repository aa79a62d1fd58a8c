// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {WeightedRules} from "../games/base/WeightedRules.sol";
import {PlinkoRules} from "../games/plinko/PlinkoRules.sol";

/// @title WeightedRulesHarness
/// @notice Evaluates WeightedRules and PlinkoRules for many inputs in one eth_call, so tests can
/// compare them with fairstake/rules/weighted.py and plinko.py cheaply.
contract WeightedRulesHarness {
    WeightedRules.Config private _config;
    uint256[16] private _words;

    /// @notice Pack and store a configuration (reverting as a game's would), replacing the last.
    function setConfig(uint16[] calldata weights, uint32[] calldata multipliers, uint8 risk) external {
        (_config, _words) = WeightedRules.pack(weights, multipliers, risk);
    }

    /// @notice The stored configuration's header.
    function config() external view returns (WeightedRules.Config memory) {
        return _config;
    }

    /// @notice The segment each word lands on and what it pays on `stake`.
    function outcomes(uint256[] calldata words, uint256 stake)
        external
        view
        returns (uint256[] memory segments, uint256[] memory payouts)
    {
        WeightedRules.Config memory current = _config;
        segments = new uint256[](words.length);
        payouts = new uint256[](words.length);
        for (uint256 i; i < words.length; ++i) {
            uint256 multiplier;
            (segments[i], multiplier) = WeightedRules.land(_words, current, words[i]);
            payouts[i] = WeightedRules.payout(stake, multiplier);
        }
    }

    /// @notice WeightedRules.terms of each stake on the stored configuration.
    function terms(uint256[] calldata stakes)
        external
        view
        returns (uint256[] memory maxPayouts, uint256[] memory houseEdges)
    {
        WeightedRules.Config memory current = _config;
        maxPayouts = new uint256[](stakes.length);
        houseEdges = new uint256[](stakes.length);
        for (uint256 i; i < stakes.length; ++i) {
            (maxPayouts[i], houseEdges[i]) = WeightedRules.terms(stakes[i], current);
        }
    }

    function plinkoWeights(uint8 rows) external pure returns (uint16[] memory) {
        return PlinkoRules.weights(rows);
    }

    function plinkoCheckSymmetric(uint32[] calldata multipliers) external pure {
        PlinkoRules.checkSymmetric(multipliers);
    }
}
