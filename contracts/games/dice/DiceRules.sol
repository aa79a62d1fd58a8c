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

    /// @notice How many of the 100 rolls win (the bet must be valid).
    function winningOutcomes(uint256 target, bool over) internal pure returns (uint256) {
        return over ? ROLL_RANGE - 1 - target : target;
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

    function roll(uint256 word) internal pure returns (uint256) {
        return word % ROLL_RANGE;
    }

    function wins(uint256 rolled, uint256 target, bool over) internal pure returns (bool) {
        return over ? rolled > target : rolled < target;
    }

    function payout(uint256 word, uint256 stake, uint256 target, bool over, uint256 edgeBps)
        internal
        pure
        returns (uint256)
    {
        return wins(roll(word), target, over) ? payoutIfWin(stake, winningOutcomes(target, over), edgeBps) : 0;
    }
}
