// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CoinTossRules} from "../games/cointoss/CoinTossRules.sol";
import {RouletteRules} from "../games/roulette/RouletteRules.sol";

/// @title CoinTossRouletteHarness
/// @notice Evaluates CoinTossRules and RouletteRules for many words in one eth_call, so tests
/// compare them with fairstake/rules cheaply.
contract CoinTossRouletteHarness {
    /// @notice CoinTossRules' payout of each word, with the decoded side of `choice`.
    function coinPayouts(uint256[] calldata words, uint256 stake, bytes calldata choice, uint256 edgeBps)
        external
        pure
        returns (bool valid, uint256 payoutIfWin, uint256 houseEdge, uint256[] memory payouts)
    {
        bool heads;
        (valid, heads) = CoinTossRules.decodeChoice(choice);
        payoutIfWin = CoinTossRules.payoutIfWin(stake, edgeBps);
        houseEdge = CoinTossRules.houseEdge(stake, payoutIfWin);
        payouts = new uint256[](words.length);
        for (uint256 i; i < words.length; ++i) {
            payouts[i] = CoinTossRules.payout(words[i], stake, heads, edgeBps);
        }
    }

    /// @notice RouletteRules' terms of a bet and its payout for each word (reverts as the game
    /// would on a bad choice).
    function roulettePayouts(uint256[] calldata words, uint256 stake, bytes calldata choice, uint256 edgeBps)
        external
        pure
        returns (uint256 maxPayout, uint256 houseEdge, uint256[] memory payouts)
    {
        (uint64[] memory masks, uint256[] memory parts) = RouletteRules.decodeChoice(choice);
        RouletteRules.checkChoice(masks, parts, stake);
        (maxPayout, houseEdge) = RouletteRules.terms(masks, parts, stake, edgeBps);
        payouts = new uint256[](words.length);
        for (uint256 i; i < words.length; ++i) {
            payouts[i] = RouletteRules.payout(words[i], masks, parts, edgeBps);
        }
    }
}
