// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IChanceGameErrors, IRouletteErrors} from "../../interfaces/IGameErrors.sol";

/// @title RouletteRules
/// @notice Single-zero (European) roulette, mirrored exactly by fairstake/rules/roulette.py and
/// web/src/games/roulette/rules.js. A word lands the ball in pocket word % 37 (0..36). A bet is
/// up to 16 number sets, each a bit mask over the pockets (bit n = number n) with its part of
/// the stake: the choice is the canonical `abi.encode(uint64[] masks, uint256[] parts)`, the
/// parts summing to the stake. A set of k numbers that holds the pocket pays
/// part * 36 * (10000 - edgeBps) / (k * 10000), rounded down per set; the bet pays the sum over
/// the sets the pocket is in. At edgeBps = 0 each set returns 36/37 of its part, the zero's edge.
library RouletteRules {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant POCKETS = 37;
    /// @notice What a set of k numbers pays is part * PAYOUT_NUMBERS / k before the edge.
    uint256 internal constant PAYOUT_NUMBERS = 36;
    uint256 internal constant MAX_SETS = 16;
    /// @notice Every pocket: bits 0..36.
    uint64 internal constant ALL_POCKETS = uint64((1 << POCKETS) - 1);
    /// @notice The hard cap on the edge governance may add to the zero's 1/37: with it the
    /// bet's whole edge, 1 - 36/37 * (1 - edge), stays under Dice's 5 % (4.65 % at the cap).
    uint16 internal constant MAX_EDGE_BPS = 200;

    /// @notice The sets and parts of `choice`; reverts with the engine's `BadChoice` unless it is the
    /// canonical encoding of two arrays of one length with every mask a uint64.
    function decodeChoice(bytes memory choice) internal pure returns (uint64[] memory masks, uint256[] memory parts) {
        uint256 length = choice.length;
        // head (2 offsets) + 2 lengths + 2 words per set
        if (length < 128 || (length - 128) % 64 != 0) revert IChanceGameErrors.BadChoice();
        uint256 count = (length - 128) / 64;
        if (
            _word(choice, 0) != 64 || _word(choice, 1) != 32 + length / 2 || _word(choice, 2) != count
                || _word(choice, 3 + count) != count
        ) revert IChanceGameErrors.BadChoice();
        masks = new uint64[](count);
        parts = new uint256[](count);
        for (uint256 i; i < count; ++i) {
            uint256 mask = _word(choice, 3 + i);
            if (mask > type(uint64).max) revert IChanceGameErrors.BadChoice();
            masks[i] = uint64(mask);
            parts[i] = _word(choice, 4 + count + i);
        }
    }

    /// @notice Revert unless the bet is 1..16 non-empty sets of pockets, each with a part > 0,
    /// the parts summing to `stake`.
    function checkChoice(uint64[] memory masks, uint256[] memory parts, uint256 stake) internal pure {
        uint256 count = masks.length;
        if (count == 0 || count > MAX_SETS) revert IRouletteErrors.BadSetCount(count, MAX_SETS);
        uint256 total = 0;
        for (uint256 i; i < count; ++i) {
            if (masks[i] == 0 || masks[i] & ~ALL_POCKETS != 0) revert IRouletteErrors.BadNumberSet(i, masks[i]);
            if (parts[i] == 0) revert IRouletteErrors.ZeroPart(i);
            total += parts[i];
        }
        if (total != stake) revert IRouletteErrors.PartsNotStake(total, stake);
    }

    /// @notice The pocket (0..36) a word lands the ball in.
    function pocket(uint256 word) internal pure returns (uint256) {
        return word % POCKETS;
    }

    /// @notice How many numbers a set holds.
    function size(uint64 mask) internal pure returns (uint256) {
        unchecked {
            uint64 x = mask - ((mask >> 1) & 0x5555555555555555);
            x = (x & 0x3333333333333333) + ((x >> 2) & 0x3333333333333333);
            x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0f;
            return uint64(x * 0x0101010101010101) >> 56;
        }
    }

    /// @notice What one set pays when the pocket is in it. Callers bound part (<= 2^128) and
    /// edgeBps (<= BPS), so nothing overflows.
    function setPayout(uint256 part, uint64 mask, uint256 edgeBps) internal pure returns (uint256) {
        return (part * PAYOUT_NUMBERS * (BPS - edgeBps)) / (size(mask) * BPS);
    }

    /// @notice What the bet pays for `word`: the sum over the sets that hold its pocket, each set's
    /// payout worked out only if it does (one spin; {setPayouts} and {payout} on them for many).
    function payout(uint256 word, uint64[] memory masks, uint256[] memory parts, uint256 edgeBps)
        internal
        pure
        returns (uint256 paid)
    {
        uint64 bit = uint64(1) << pocket(word);
        for (uint256 i; i < masks.length; ++i) {
            if (masks[i] & bit != 0) paid += setPayout(parts[i], masks[i], edgeBps);
        }
    }

    /// @notice The bet's sets as a spin reads them: set i's mask at 2i and what it pays when the
    /// pocket is in it at 2i + 1 (0 for a set holding no pocket, which never pays).
    function setPayouts(uint64[] memory masks, uint256[] memory parts, uint256 edgeBps)
        internal
        pure
        returns (uint256[] memory sets)
    {
        uint256 count = masks.length;
        sets = new uint256[](2 * count);
        for (uint256 i; i < count; ++i) {
            sets[2 * i] = masks[i];
            if (masks[i] & ALL_POCKETS != 0) sets[2 * i + 1] = setPayout(parts[i], masks[i], edgeBps);
        }
    }

    /// @notice What the bet pays for `word`: the sum over the sets (as {setPayouts} lays them
    /// out) that hold its pocket.
    function payout(uint256 word, uint256[] memory sets) internal pure returns (uint256 paid) {
        uint256 bit = uint256(1) << pocket(word);
        // The scan runs on every spin of a multi-spin bet, so it reads the pairs without bounds
        // checks (the loop stays inside `sets`) and sums unchecked: at most 16 sets, each paying
        // at most 36 times a part <= 2^128, cannot overflow.
        assembly ("memory-safe") {
            let end := add(add(sets, 0x20), shl(5, mload(sets)))
            for { let at := add(sets, 0x20) } lt(at, end) { at := add(at, 0x40) } {
                if and(mload(at), bit) { paid := add(paid, mload(add(at, 0x20))) }
            }
        }
    }

    /// @notice The bet's true maximum payout, the largest sum over the 37 pockets, and its house
    /// edge, stake minus the expected payout sum(setPayout * k) / 37 rounded up.
    function terms(uint64[] memory masks, uint256[] memory parts, uint256 stake, uint256 edgeBps)
        internal
        pure
        returns (uint256 maxPayout, uint256 houseEdge)
    {
        uint256 count = masks.length;
        uint256[] memory paid = new uint256[](count);
        uint256 expected = 0; // 37 times the expected payout
        uint64 covered = 0;
        for (uint256 i; i < count; ++i) {
            paid[i] = setPayout(parts[i], masks[i], edgeBps);
            expected += paid[i] * size(masks[i]);
            covered |= masks[i];
        }
        // only pockets some set holds can pay; visit each of them once
        while (covered != 0) {
            uint64 bit = covered & (~covered + 1);
            covered ^= bit;
            uint256 sum = 0;
            for (uint256 i; i < count; ++i) {
                if (masks[i] & bit != 0) sum += paid[i];
            }
            if (sum > maxPayout) maxPayout = sum;
        }
        houseEdge = stake - (expected + POCKETS - 1) / POCKETS;
    }

    function _word(bytes memory data, uint256 index) private pure returns (uint256 value) {
        assembly ("memory-safe") {
            value := mload(add(add(data, 32), mul(index, 32)))
        }
    }
}
