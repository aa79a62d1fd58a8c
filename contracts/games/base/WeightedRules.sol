// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IWeightedGameErrors} from "../../interfaces/IGameErrors.sol";
import {ISharedErrors} from "../../interfaces/Shared.sol";

/// @title WeightedRules
/// @notice The rules of the weighted-multiplier games (Wheel, Plinko), mirrored exactly by
/// fairstake/rules/weighted.py and web/src/games/weighted.js.
///
/// A configuration is a list of 2..MAX_SEGMENTS segments, segment i with a weight w_i (1..65535)
/// and a multiplier m_i in 1e4 fixed point (ONE = 10_000 pays the stake back). With
/// total = sum(w_i), a roll of `word` draws r = word % total and lands on the first segment i whose
/// cumulative weight w_0 + ... + w_i exceeds r: segment i with probability w_i / total (the
/// modulo bias is below total / 2^256). The roll pays floor(stake * m_i / ONE).
///
/// The configuration's RTP is weightedSum / (total * ONE) with weightedSum = sum(w_i * m_i),
/// computed when it is packed and refused outside [MIN_RTP_BPS, MAX_RTP_BPS] / 1e4: the house
/// edge of every configuration governance can add lies in [2 %, 5 %] of the stake (hard caps).
/// A roll's terms: the true maximum payout floor(stake * max(m_i) / ONE) (every segment has a
/// weight, so every multiplier can be drawn), and the house edge
/// stake - ceil(stake * weightedSum / (total * ONE)): the expected payout before each segment's
/// rounding down, rounded up, so the edge declared is never above the true one.
library WeightedRules {
    /// @notice A multiplier of ONE pays the stake back.
    uint256 internal constant ONE = 10_000;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant MIN_SEGMENTS = 2;
    /// @notice Most segments of a configuration: 16 storage words of 4 segments.
    uint256 internal constant MAX_SEGMENTS = 64;
    /// @notice Hard caps on a configuration's RTP (so on its house edge: 2 % to 5 %).
    uint256 internal constant MIN_RTP_BPS = 9_500;
    uint256 internal constant MAX_RTP_BPS = 9_800;
    /// @notice Risk labels (for the client's selectors; the rules ignore them): low, medium, high.
    uint8 internal constant MAX_RISK = 2;

    uint256 private constant LANES = 4;
    uint256 private constant LANE_BITS = 64;
    uint256 private constant HALF_MASK = type(uint32).max;

    /// @notice A configuration's header, one storage slot (152 bits). Its segments are packed
    /// apart, four to a word, segment i in bits 64*(i%4).. of word i/4: the cumulative weight
    /// w_0 + ... + w_i in the low 32 bits (the roll's binary search reads it), m_i in the next 32.
    struct Config {
        uint32 totalWeight; // <= 64 * 65535 < 2^22
        uint32 maxMultiplier;
        uint64 weightedSum; // <= 2^22 * 2^32
        uint8 segments;
        uint8 risk;
        bool enabled;
    }

    /// @notice Check a configuration (reverting with the reason) and pack it: its header,
    /// enabled, and its segments' words.
    function pack(uint16[] memory weights, uint32[] memory multipliers, uint8 risk)
        internal
        pure
        returns (Config memory config, uint256[16] memory words)
    {
        uint256 count = weights.length;
        if (count != multipliers.length) revert ISharedErrors.LengthMismatch(count, multipliers.length);
        if (count < MIN_SEGMENTS || count > MAX_SEGMENTS) {
            revert IWeightedGameErrors.BadSegmentCount(count, MAX_SEGMENTS);
        }
        if (risk > MAX_RISK) revert IWeightedGameErrors.BadRisk(risk);
        uint256 total = 0;
        uint256 weightedSum = 0;
        uint256 maxMultiplier = 0;
        for (uint256 i; i < count; ++i) {
            uint256 weight = weights[i];
            if (weight == 0) revert IWeightedGameErrors.ZeroWeight(i);
            uint256 multiplier = multipliers[i];
            total += weight;
            weightedSum += weight * multiplier;
            if (multiplier > maxMultiplier) maxMultiplier = multiplier;
            words[i / LANES] |= (total | (multiplier << 32)) << (LANE_BITS * (i % LANES));
        }
        if (maxMultiplier <= ONE) revert IWeightedGameErrors.NoWinningSegment(maxMultiplier);
        if (weightedSum < MIN_RTP_BPS * total || weightedSum > MAX_RTP_BPS * total) {
            revert IWeightedGameErrors.RtpOutOfRange(weightedSum, total, MIN_RTP_BPS, MAX_RTP_BPS);
        }
        // Bounds above: total < 2^22, maxMultiplier < 2^32, weightedSum < 2^54, count <= 64.
        config = Config({
            totalWeight: uint32(total),
            maxMultiplier: uint32(maxMultiplier),
            weightedSum: uint64(weightedSum),
            segments: uint8(count),
            risk: risk,
            enabled: true
        });
    }

    /// @notice The segment a roll of `word` lands on and its multiplier: the first segment whose
    /// cumulative weight exceeds word % totalWeight, found by binary search (the cumulative
    /// weights strictly increase), so a roll reads at most 7 of the packed segments.
    function land(uint256[16] storage words, Config memory config, uint256 word)
        internal
        view
        returns (uint256 index, uint256 multiplier)
    {
        return landOn(words, config.totalWeight, config.segments, word);
    }

    /// @notice {land} on a configuration's total weight and segment count, read once for many rolls.
    function landOn(uint256[16] storage words, uint256 totalWeight, uint256 segments, uint256 word)
        internal
        view
        returns (uint256 index, uint256 multiplier)
    {
        uint256 drawn = word % totalWeight;
        uint256 high = segments - 1; // the last cumulative weight is the total, > drawn
        // unchecked: index <= high < MAX_SEGMENTS, so no sum or step here can overflow
        unchecked {
            while (index < high) {
                uint256 middle = (index + high) / 2;
                if (_lane(words, middle) & HALF_MASK > drawn) high = middle;
                else index = middle + 1;
            }
        }
        multiplier = (_lane(words, index) >> 32) & HALF_MASK;
    }

    /// @notice What a roll landing on a segment of `multiplier` pays: floor(stake * multiplier / ONE).
    /// @dev The engine bounds stake far below 2^224, so nothing overflows.
    function payout(uint256 stake, uint256 multiplier) internal pure returns (uint256) {
        return stake * multiplier / ONE;
    }

    /// @notice A roll's terms: its true maximum payout and its house edge (see the title).
    function terms(uint256 stake, Config memory config) internal pure returns (uint256 maxPayout, uint256 houseEdge) {
        maxPayout = payout(stake, config.maxMultiplier);
        houseEdge =
            stake - Math.ceilDiv(stake * config.weightedSum, uint256(config.totalWeight) * ONE);
    }

    /// @dev words[index / LANES] >> (LANE_BITS * (index % LANES)), read without Solidity's bounds
    /// check: every caller's index is below the configuration's segments <= MAX_SEGMENTS.
    function _lane(uint256[16] storage words, uint256 index) private view returns (uint256 lane) {
        assembly ("memory-safe") {
            lane := shr(mul(LANE_BITS, mod(index, LANES)), sload(add(words.slot, div(index, LANES))))
        }
    }
}
