// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title DiceRules
/// @notice The roll-under outcome, mirrored exactly by fairstake/rules/dice.py. A bet on target t
/// (1..99) wins iff roll = word % 100 is below t, i.e. with probability t/100, and then pays
/// stake * 100 * (10000 - edgeBps) / (t * 10000) rounded down: an expected return of
/// (10000 - edgeBps) / 10000 of the stake whatever the target.
library DiceRules {
    uint256 internal constant ROLL_RANGE = 100;
    uint256 internal constant MIN_TARGET = 1;
    uint256 internal constant MAX_TARGET = 99;
    uint256 internal constant BPS = 10_000;

    /// @dev Callers bound stake (<= 2^112), target (1..99) and edgeBps (<= BPS), so nothing overflows.
    function payoutIfWin(uint256 stake, uint256 target, uint256 edgeBps) internal pure returns (uint256) {
        return (stake * ROLL_RANGE * (BPS - edgeBps)) / (target * BPS);
    }

    /// @notice The bet's expected gain to the bankroll: stake minus the expected payout
    /// payoutIfWin * target / 100, rounded up (so the edge is rounded down, never overstated).
    function houseEdge(uint256 stake, uint256 target, uint256 payoutIfWin_) internal pure returns (uint256) {
        return stake - (payoutIfWin_ * target + ROLL_RANGE - 1) / ROLL_RANGE;
    }

    function roll(uint256 word) internal pure returns (uint256) {
        return word % ROLL_RANGE;
    }

    function outcome(uint256 word, uint256 stake, uint256 target, uint256 edgeBps)
        internal
        pure
        returns (uint256 rolled, bool won, uint256 payout)
    {
        rolled = roll(word);
        won = rolled < target;
        payout = won ? payoutIfWin(stake, target, edgeBps) : 0;
    }
}
