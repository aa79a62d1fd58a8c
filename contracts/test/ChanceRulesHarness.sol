// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DiceRules} from "../games/dice/DiceRules.sol";
import {JackpotRules} from "../games/jackpot/JackpotRules.sol";

/// @title ChanceRulesHarness
/// @notice Evaluates the games' Solidity rules for many inputs in one eth_call, so tests can
/// compare them with fairstake/rules cheaply.
contract ChanceRulesHarness {
    using JackpotRules for JackpotRules.Purchase[];

    JackpotRules.Purchase[] private _purchases;

    function diceOutcomes(uint256[] calldata words, uint256 stake, uint256 target, uint256 edgeBps)
        external
        pure
        returns (uint256[] memory rolls, bool[] memory won, uint256[] memory payouts)
    {
        uint256 count = words.length;
        rolls = new uint256[](count);
        won = new bool[](count);
        payouts = new uint256[](count);
        for (uint256 i; i < count; ++i) {
            (rolls[i], won[i], payouts[i]) = DiceRules.outcome(words[i], stake, target, edgeBps);
        }
    }

    function dicePayouts(uint256[] calldata stakes, uint256[] calldata targets, uint256[] calldata edges)
        external
        pure
        returns (uint256[] memory payouts)
    {
        payouts = new uint256[](stakes.length);
        for (uint256 i; i < stakes.length; ++i) {
            payouts[i] = DiceRules.payoutIfWin(stakes[i], targets[i], edges[i]);
        }
    }

    /// @notice DiceRules.houseEdge of each bet at its win payout.
    function diceHouseEdges(uint256[] calldata stakes, uint256[] calldata targets, uint256[] calldata edges)
        external
        pure
        returns (uint256[] memory houseEdges)
    {
        houseEdges = new uint256[](stakes.length);
        for (uint256 i; i < stakes.length; ++i) {
            uint256 payout = DiceRules.payoutIfWin(stakes[i], targets[i], edges[i]);
            houseEdges[i] = DiceRules.houseEdge(stakes[i], targets[i], payout);
        }
    }

    /// @notice Replace the purchases with ranges of `counts` tickets each.
    function setPurchases(uint48[] calldata counts) external {
        delete _purchases;
        uint48 end;
        for (uint256 i; i < counts.length; ++i) {
            end += counts[i];
            _purchases.push(JackpotRules.Purchase({player: address(uint160(i + 1)), end: end, lockId: 0}));
        }
    }

    function winners(uint256[] calldata words)
        external
        view
        returns (uint256[] memory tickets, uint256[] memory indexes)
    {
        uint256 total = _purchases[_purchases.length - 1].end;
        tickets = new uint256[](words.length);
        indexes = new uint256[](words.length);
        for (uint256 i; i < words.length; ++i) {
            tickets[i] = JackpotRules.winningTicket(words[i], total);
            indexes[i] = _purchases.findPurchase(tickets[i]);
        }
    }

    function prizeAndRake(uint256 poolTotal, uint256 rakeBps, uint256 rolledOver)
        external
        pure
        returns (uint256 prize, uint256 rake)
    {
        return JackpotRules.prizeAndRake(poolTotal, rakeBps, rolledOver);
    }
}
