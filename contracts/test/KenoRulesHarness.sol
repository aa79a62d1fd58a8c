// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {KenoRules} from "../games/keno/KenoRules.sol";

/// @title KenoRulesHarness
/// @notice Evaluates KenoRules for many inputs in one eth_call, so tests can compare it with
/// fairstake/rules/keno.py cheaply.
contract KenoRulesHarness {
    /// @notice Each word's drawn numbers in draw order, its drawn mask and the hits of `picksMask`.
    function draws(uint256[] calldata words, uint256 picksMask)
        external
        pure
        returns (uint256[10][] memory numbers, uint256[] memory masks, uint256[] memory hits)
    {
        uint256 count = words.length;
        numbers = new uint256[10][](count);
        masks = new uint256[](count);
        hits = new uint256[](count);
        for (uint256 i; i < count; ++i) {
            numbers[i] = KenoRules.drawnNumbers(words[i]);
            masks[i] = KenoRules.drawnMask(words[i]);
            hits[i] = KenoRules.hitsOf(picksMask, words[i]);
        }
    }

    /// @notice KenoRules.picksOf of each mask.
    function picks(uint256[] calldata masks) external pure returns (bool[] memory valid, uint256[] memory counts) {
        valid = new bool[](masks.length);
        counts = new uint256[](masks.length);
        for (uint256 i; i < masks.length; ++i) {
            (valid[i], counts[i]) = KenoRules.picksOf(masks[i]);
        }
    }

    /// @notice The hypergeometric weights of every pick count 1..10.
    function allWeights() external pure returns (uint256[][] memory w) {
        w = new uint256[][](KenoRules.MAX_PICKS);
        for (uint256 k = 1; k <= KenoRules.MAX_PICKS; ++k) {
            w[k - 1] = KenoRules.weights(k);
        }
    }

    /// @notice A row's exact RTP numerator, its maximum, and for each stake the expected payout
    /// rounded up and the payout of every hit count.
    function row(uint256[] calldata multipliers, uint256[] calldata stakes)
        external
        pure
        returns (uint256 rtpNumerator, uint256 highest, uint256[] memory expected, uint256[][] memory payouts)
    {
        rtpNumerator = KenoRules.rtpNumerator(multipliers);
        highest = KenoRules.maxMultiplier(multipliers);
        expected = new uint256[](stakes.length);
        payouts = new uint256[][](stakes.length);
        for (uint256 i; i < stakes.length; ++i) {
            expected[i] = KenoRules.expectedPayoutUp(stakes[i], multipliers);
            payouts[i] = new uint256[](multipliers.length);
            for (uint256 h; h < multipliers.length; ++h) {
                payouts[i][h] = KenoRules.payout(stakes[i], multipliers[h]);
            }
        }
    }
}
