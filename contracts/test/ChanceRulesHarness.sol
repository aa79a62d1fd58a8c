// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {JackpotRules} from "../games/jackpot/JackpotRules.sol";

/// @title ChanceRulesHarness
/// @notice Evaluates Jackpot's Solidity rules for many inputs in one eth_call, so tests can
/// compare them with fairstake/rules cheaply (the games on the chance-game engine are checked
/// through their own `outcomesOf`).
contract ChanceRulesHarness {
    using JackpotRules for JackpotRules.Purchase[];

    JackpotRules.Purchase[] private _purchases;

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
