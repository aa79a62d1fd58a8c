// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ChanceGame} from "../games/base/ChanceGame.sol";

/// @title EchoGame
/// @notice TEST ONLY. The smallest game on the chance engine, for the engine's own tests: any
/// non-empty `choice` is a bet (so choices of every shape reach the engine's storage), and a roll
/// pays twice the stake on an even word, nothing on an odd one (edge 0).
contract EchoGame is ChanceGame {
    constructor(GameWiring memory wiring, uint32 lockDuration_) ChanceGame(wiring, lockDuration_) {}

    function _rollTerms(uint256 stake, bytes memory choice, uint16)
        internal
        pure
        override
        returns (uint256 maxPayout, uint256 houseEdge)
    {
        if (choice.length == 0) revert BadChoice();
        return (2 * stake, 0);
    }

    function _prepareRolls(uint256 stake, bytes memory, uint16) internal pure override returns (uint256[] memory prepared) {
        prepared = new uint256[](1);
        prepared[0] = 2 * stake;
    }

    function _rollPayout(uint256[] memory prepared, uint256 word) internal pure override returns (uint256) {
        return word % 2 == 0 ? prepared[0] : 0;
    }

    function _maxEdgeBps() internal pure override returns (uint16) {
        return 0;
    }
}
