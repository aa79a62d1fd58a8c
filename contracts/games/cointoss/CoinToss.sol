// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ChanceGame} from "../base/ChanceGame.sol";
import {CoinTossRules} from "./CoinTossRules.sol";

/// @title CoinToss
/// @notice Heads or tails on the chance-game engine ({ChanceGame}: bets, multi-roll, the Vault
/// lock, the bonded randomness request, settlement and timeouts).
///
/// A bet's `choice` is `abi.encode(bool heads)`; anything else is refused with `BadChoice`. The
/// coin shows heads iff the word is even; a win pays stake * 2 * (1 - edge), rounded down
/// ({CoinTossRules}); the edge governance sets is capped at 5 % in code.
contract CoinToss is ChanceGame {
    /// @notice Highest house edge governance can set, in bps of the expected return.
    uint16 public constant MAX_EDGE_BPS = CoinTossRules.MAX_EDGE_BPS;

    /// @dev The arguments of {ChanceGame}'s constructor.
    constructor(GameWiring memory wiring, uint32 lockDuration_) ChanceGame(wiring, lockDuration_) {}

    /// @dev The win payout is the only payout, so it is the true maximum.
    function _rollTerms(uint256 stake, bytes memory choice, uint16 edgeBps)
        internal
        pure
        override
        returns (uint256 maxPayout, uint256 houseEdge)
    {
        _decode(choice);
        maxPayout = CoinTossRules.payoutIfWin(stake, edgeBps);
        houseEdge = CoinTossRules.houseEdge(stake, maxPayout);
    }

    /// @dev [the win payout, heads (1) or tails (0)]; reverts BadChoice.
    function _prepareRolls(uint256 stake, bytes memory choice, uint16 edgeBps)
        internal
        pure
        override
        returns (uint256[] memory prepared)
    {
        bool heads = _decode(choice);
        prepared = new uint256[](2);
        prepared[0] = CoinTossRules.payoutIfWin(stake, edgeBps);
        prepared[1] = heads ? 1 : 0;
    }

    /// @dev CoinTossRules.payout with the win payout computed once per bet.
    function _rollPayout(uint256[] memory prepared, uint256 word) internal pure override returns (uint256) {
        return CoinTossRules.showsHeads(word) == (prepared[1] != 0) ? prepared[0] : 0;
    }

    /// @dev {CoinTossRules-payout}: a losing toss skips the win payout's arithmetic and no memory
    /// is allocated.
    function _onlyRollPayout(uint256 stake, bytes memory choice, uint16 edgeBps, uint256 word)
        internal
        pure
        override
        returns (uint256)
    {
        return CoinTossRules.payout(word, stake, _decode(choice), edgeBps);
    }

    function _maxEdgeBps() internal pure override returns (uint16) {
        return MAX_EDGE_BPS;
    }

    function _decode(bytes memory choice) private pure returns (bool heads) {
        bool valid;
        (valid, heads) = CoinTossRules.decodeChoice(choice);
        if (!valid) revert BadChoice();
    }
}
