// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRouletteErrors} from "../../interfaces/IGameErrors.sol";
import {ChanceGame} from "../base/ChanceGame.sol";
import {RouletteRules} from "./RouletteRules.sol";

/// @title Roulette
/// @notice Single-zero (European) roulette on the chance-game engine ({ChanceGame}: bets,
/// multi-roll, the Vault lock, the bonded randomness request, settlement and timeouts).
///
/// A bet's `choice` is the canonical `abi.encode(uint64[] masks, uint256[] parts)`: 1..16 sets of
/// numbers (bit n of a mask = number n, 0..36) and each set's part of the stake, the parts adding
/// up to the stake. Straight numbers, splits, streets, corners, red/black, odd/even, dozens and
/// columns are all such sets (fairstake/rules/roulette.py names them). The ball lands in pocket
/// word % 37; a set of k numbers holding it pays part * 36 / k * (1 - edge), rounded down per set,
/// and the bet pays the sum ({RouletteRules}). The maximum payout the Vault and the bond reserve is
/// the largest such sum over the 37 pockets. The edge governance may add to the zero's 1/37 is
/// capped at 2 % in code, so a bet's whole edge stays under 4.7 %.
contract Roulette is IRouletteErrors, ChanceGame {
    /// @notice Highest house edge governance can add to the zero's, in bps of the expected return.
    uint16 public constant MAX_EDGE_BPS = RouletteRules.MAX_EDGE_BPS;
    /// @notice Callback gas each roll after the first adds: a roll scans the bet's sets (16 at
    /// most, decoded and priced once per bet), measured at about 2,030 per roll for 16 sets that
    /// all hold the pocket (1,690 for 16 disjoint sets), with a margin.
    uint32 public constant ROLL_GAS = 3_000;

    /// @dev The arguments of {ChanceGame}'s constructor.
    constructor(GameWiring memory wiring, uint32 lockDuration_) ChanceGame(wiring, lockDuration_) {}

    /// @dev Reverts BadChoice, BadSetCount, BadNumberSet, ZeroPart or PartsNotStake on a bad bet.
    function _rollTerms(uint256 stake, bytes memory choice, uint16 edgeBps)
        internal
        pure
        override
        returns (uint256 maxPayout, uint256 houseEdge)
    {
        (uint64[] memory masks, uint256[] memory parts) = RouletteRules.decodeChoice(choice);
        RouletteRules.checkChoice(masks, parts, stake);
        return RouletteRules.terms(masks, parts, stake, edgeBps);
    }

    /// @dev Each set's mask and what it pays ({RouletteRules-setPayouts}); reverts BadChoice. The
    /// choice was checked against the stake when the bet was placed.
    function _prepareRolls(uint256, bytes memory choice, uint16 edgeBps)
        internal
        pure
        override
        returns (uint256[] memory prepared)
    {
        (uint64[] memory masks, uint256[] memory parts) = RouletteRules.decodeChoice(choice);
        return RouletteRules.setPayouts(masks, parts, edgeBps);
    }

    /// @dev A scan of the bet's sets (16 at most) for the pocket.
    function _rollPayout(uint256[] memory prepared, uint256 word) internal pure override returns (uint256) {
        return RouletteRules.payout(word, prepared);
    }

    /// @dev One spin pays only the sets its pocket is in ({RouletteRules-payout}), so a one-spin
    /// bet works out no other set's payout.
    function _onlyRollPayout(uint256, bytes memory choice, uint16 edgeBps, uint256 word)
        internal
        pure
        override
        returns (uint256)
    {
        (uint64[] memory masks, uint256[] memory parts) = RouletteRules.decodeChoice(choice);
        return RouletteRules.payout(word, masks, parts, edgeBps);
    }

    function _maxEdgeBps() internal pure override returns (uint16) {
        return MAX_EDGE_BPS;
    }

    function _rollGas() internal pure override returns (uint32) {
        return ROLL_GAS;
    }
}
