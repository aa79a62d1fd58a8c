// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title DiceRules
/// @notice One roll of Dice, mirrored exactly by fairstake/rules/dice.py and
/// web/src/games/dice/rules.js. The word gives roll = word % 100 (0..99). Roll-under on target t
/// (1..99) wins iff roll < t (t winning outcomes); roll-over on t (0..98) wins iff roll > t
/// (99 - t winning outcomes). A win pays stake * 100 * (10000 - edgeBps) / (outcomes * 10000)
/// rounded down: an expected return of (10000 - edgeBps) / 10000 of the stake whatever the bet.
library DiceRules {
    uint256 internal constant ROLL_RANGE = 100;
    uint256 internal constant BPS = 10_000;

    /// @notice Whether (target, over) is a bet: roll-under 1..99, roll-over 0..98.
    function isValid(uint256 target, bool over) internal pure returns (bool) {
        return over ? target <= ROLL_RANGE - 2 : target >= 1 && target <= ROLL_RANGE - 1;
    }

    /// @notice The winning rolls as the range [lo, lo + width) (the bet must be valid): roll-under t
    /// is [0, t), roll-over t is [t + 1, 100). `width` is the number of winning outcomes.
    function winningRange(uint256 target, bool over) internal pure returns (uint256 lo, uint256 width) {
        return over ? (target + 1, ROLL_RANGE - 1 - target) : (0, target);
    }

    /// @notice How many of the 100 rolls win (the bet must be valid).
    function winningOutcomes(uint256 target, bool over) internal pure returns (uint256 width) {
        (, width) = winningRange(target, over);
    }

    /// @dev Callers bound stake (< 2^96), outcomes (1..99) and edgeBps (<= BPS), so nothing overflows.
    function payoutIfWin(uint256 stake, uint256 outcomes, uint256 edgeBps) internal pure returns (uint256) {
        return (stake * ROLL_RANGE * (BPS - edgeBps)) / (outcomes * BPS);
    }

    /// @notice The roll's expected gain to the bankroll: stake minus the expected payout
    /// payoutIfWin * outcomes / 100, rounded up (so the edge is rounded down, never overstated).
    function houseEdge(uint256 stake, uint256 outcomes, uint256 payoutIfWin_) internal pure returns (uint256) {
        return stake - (payoutIfWin_ * outcomes + ROLL_RANGE - 1) / ROLL_RANGE;
    }

    /// @notice Whether `word`'s roll (word % 100) lies in the winning range [lo, lo + width) of
    /// {winningRange}: the rule's one statement. One unsigned comparison: a roll below `lo` wraps
    /// to above any width. In assembly because it runs once a roll of a multi-roll bet, where a
    /// checked modulo and a branch on the bet's direction cost more than the roll itself.
    function rollWins(uint256 word, uint256 lo, uint256 width) internal pure returns (bool won) {
        assembly ("memory-safe") {
            won := lt(sub(mod(word, ROLL_RANGE), lo), width)
        }
    }

    function payout(uint256 word, uint256 stake, uint256 target, bool over, uint256 edgeBps)
        internal
        pure
        returns (uint256)
    {
        (uint256 lo, uint256 width) = winningRange(target, over);
        return rollWins(word, lo, width) ? payoutIfWin(stake, width, edgeBps) : 0;
    }
}
