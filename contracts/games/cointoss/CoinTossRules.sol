// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title CoinTossRules
/// @notice Heads or tails, mirrored exactly by fairstake/rules/cointoss.py and
/// web/src/games/cointoss/rules.js. The choice is `abi.encode(bool heads)`. The coin shows heads
/// iff the word is even (word % 2 == 0), so each side comes up with probability 1/2; a win pays
/// stake * 2 * (10000 - edgeBps) / 10000 rounded down, a loss pays nothing.
library CoinTossRules {
    uint256 internal constant BPS = 10_000;
    /// @notice The hard cap on the edge governance may set: 5 %, as Dice.
    uint16 internal constant MAX_EDGE_BPS = 500;
    /// @notice The length of `abi.encode(bool)`.
    uint256 internal constant CHOICE_LENGTH = 32;

    /// @notice The side the player bet on, or `valid == false` when `choice` is not the canonical
    /// `abi.encode(bool)` (exactly one word holding 0 or 1), so the game can name the bad input.
    function decodeChoice(bytes memory choice) internal pure returns (bool valid, bool heads) {
        if (choice.length != CHOICE_LENGTH) return (false, false);
        uint256 value = abi.decode(choice, (uint256));
        return (value <= 1, value == 1);
    }

    /// @notice Whether the coin a word tosses shows heads.
    function showsHeads(uint256 word) internal pure returns (bool) {
        return word % 2 == 0;
    }

    /// @dev Callers bound stake (<= 2^128) and edgeBps (<= BPS), so nothing overflows.
    function payoutIfWin(uint256 stake, uint256 edgeBps) internal pure returns (uint256) {
        return (stake * 2 * (BPS - edgeBps)) / BPS;
    }

    /// @notice The bet's expected gain to the bankroll: stake minus the expected payout
    /// payoutIfWin / 2 rounded up (so the edge is never overstated).
    function houseEdge(uint256 stake, uint256 payoutIfWin_) internal pure returns (uint256) {
        return stake - (payoutIfWin_ + 1) / 2;
    }

    /// @notice What a toss pays the bet on `heads` for `word`.
    function payout(uint256 word, uint256 stake, bool heads, uint256 edgeBps) internal pure returns (uint256) {
        return showsHeads(word) == heads ? payoutIfWin(stake, edgeBps) : 0;
    }
}
