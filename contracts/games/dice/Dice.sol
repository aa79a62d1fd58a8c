// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IDiceErrors} from "../../interfaces/IGameErrors.sol";
import {ChanceGame} from "../base/ChanceGame.sol";
import {DiceRules} from "./DiceRules.sol";

/// @title Dice
/// @notice Roll-under or roll-over dice on the chance-game engine ({ChanceGame}: bets, multi-roll,
/// the Vault lock, the bonded randomness request, settlement and timeouts).
///
/// A bet's `choice` is `abi.encode(uint8 target, bool over)`: roll = word % 100; roll-under
/// (over = false, target 1..99) wins iff roll < target, roll-over (over = true, target 0..98)
/// iff roll > target; a win pays stake * 100 * (1 - edge) / winning outcomes ({DiceRules}).
contract Dice is IDiceErrors, ChanceGame {
    /// @notice Highest house edge governance can set, in bps of the expected return.
    uint16 public constant MAX_EDGE_BPS = 500;

    /// @dev The arguments of {ChanceGame}'s constructor.
    constructor(GameWiring memory wiring, uint32 lockDuration_) ChanceGame(wiring, lockDuration_) {}

    /// @dev The win payout and the roll's edge; reverts BadTarget or BadChoice.
    function _rollTerms(uint256 stake, bytes memory choice, uint16 edgeBps)
        internal
        pure
        override
        returns (uint256 maxPayout, uint256 houseEdge)
    {
        (uint8 target, bool over) = _decode(choice);
        uint256 outcomes = DiceRules.winningOutcomes(target, over);
        maxPayout = DiceRules.payoutIfWin(stake, outcomes, edgeBps);
        houseEdge = DiceRules.houseEdge(stake, outcomes, maxPayout);
    }

    /// @dev [the win payout, the winning range's lo, its width]; reverts BadTarget or BadChoice.
    function _prepareRolls(uint256 stake, bytes memory choice, uint16 edgeBps)
        internal
        pure
        override
        returns (uint256[] memory prepared)
    {
        (uint8 target, bool over) = _decode(choice);
        (uint256 lo, uint256 width) = DiceRules.winningRange(target, over);
        prepared = new uint256[](3);
        prepared[0] = DiceRules.payoutIfWin(stake, width, edgeBps);
        prepared[1] = lo;
        prepared[2] = width;
    }

    /// @dev DiceRules.payout with the win payout and the winning range computed once per bet.
    function _rollPayout(uint256[] memory prepared, uint256 word) internal pure override returns (uint256) {
        (uint256 winPayout, uint256 lo, uint256 width) = _prepared(prepared);
        return DiceRules.rollWins(word, lo, width) ? winPayout : 0;
    }

    /// @dev {ChanceGame-_rollsPayout} without a hook call, a payout sum or a memory reset per roll:
    /// every roll pays the same win payout, so the rolls only count wins and the sum is one product.
    /// Nothing overflows: won <= rolls <= MAX_ROLLS and winPayout <= stake * 100 < 2^103 (callers bound
    /// stake below 2^96), so the product stays below 2^110.
    function _rollsPayout(uint256[] memory prepared, uint256 word, uint256 rolls)
        internal
        pure
        override
        returns (uint256)
    {
        (uint256 winPayout, uint256 lo, uint256 width) = _prepared(prepared);
        uint256 won;
        unchecked {
            for (uint256 i; i < rolls; ++i) {
                bool win = DiceRules.rollWins(_rollWord(word, i), lo, width);
                assembly ("memory-safe") {
                    won := add(won, win) // a bool is 0 or 1: counted without a branch
                }
            }
            return won * winPayout;
        }
    }

    /// @dev {DiceRules-payout}: a losing roll skips the win payout's arithmetic and no memory is
    /// allocated.
    function _onlyRollPayout(uint256 stake, bytes memory choice, uint16 edgeBps, uint256 word)
        internal
        pure
        override
        returns (uint256)
    {
        (uint8 target, bool over) = _decode(choice);
        return DiceRules.payout(word, stake, target, over, edgeBps);
    }

    /// @dev The three words {_prepareRolls} laid out, read without bounds checks (they run per roll).
    function _prepared(uint256[] memory prepared)
        private
        pure
        returns (uint256 winPayout, uint256 lo, uint256 width)
    {
        assembly ("memory-safe") {
            winPayout := mload(add(prepared, 0x20))
            lo := mload(add(prepared, 0x40))
            width := mload(add(prepared, 0x60))
        }
    }

    function _maxEdgeBps() internal pure override returns (uint16) {
        return MAX_EDGE_BPS;
    }

    /// @dev abi.encode(uint8, bool) is two words; anything else (or a word out of its type's range)
    /// is refused with BadChoice rather than abi.decode's bare revert.
    function _decode(bytes memory choice) private pure returns (uint8 target, bool over) {
        if (choice.length != 64) revert BadChoice();
        uint256 rawTarget;
        uint256 rawOver;
        assembly ("memory-safe") {
            rawTarget := mload(add(choice, 0x20))
            rawOver := mload(add(choice, 0x40))
        }
        if (rawTarget > type(uint8).max || rawOver > 1) revert BadChoice();
        target = uint8(rawTarget);
        over = rawOver != 0; // 0 or 1, checked above
        if (!DiceRules.isValid(target, over)) revert BadTarget(target, over);
    }
}
