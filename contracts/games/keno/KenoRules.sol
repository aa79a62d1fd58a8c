// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title KenoRules
/// @notice Keno's draw and payouts, mirrored exactly by fairstake/rules/keno.py and
/// web/src/games/keno/rules.js. A bet picks 1..10 of the numbers 1..40 (`picksMask`: bit n-1 set
/// for number n); 10 of the 40 numbers are drawn without replacement; the bet pays
/// stake * multiplier[picks][hits] / 10_000 (rounded down), hits = picked numbers drawn.
///
/// The draw (one derivation, the same in every language): read the word as mixed-radix digits,
///   x = word; pool = [1, 2, ..., 40];
///   for j = 0..9: n = 40 - j; r = x % n; x = x / n; swap pool[j] and pool[j + r];
///   the drawn numbers are pool[0..9], in that order.
/// That is a partial Fisher-Yates shuffle whose j-th step picks uniformly among the n numbers not
/// yet drawn. The ten digits use 40 * 39 * ... * 31 < 2^52 of the word's 2^256 values, so each
/// ordered draw is equally likely up to a bias below 2^-200: no re-hashing is needed.
///
/// Probabilities: with k picks, P(h hits) = C(k, h) * C(40 - k, 10 - h) / C(40, 10), a
/// hypergeometric weight over the C(40, 10) = 847,660,528 equally likely drawn sets. A row's
/// return to player is sum_h weight(k, h) * multiplier[h] / (C(40, 10) * 10_000), exact in
/// integers.
library KenoRules {
    /// @notice The numbers are 1..NUMBERS.
    uint256 internal constant NUMBERS = 40;
    /// @notice How many numbers each draw takes.
    uint256 internal constant DRAWN = 10;
    /// @notice The most numbers a bet may pick.
    uint256 internal constant MAX_PICKS = 10;
    /// @notice Multipliers are fixed point: BPS = 1x.
    uint256 internal constant BPS = 10_000;
    /// @notice C(40, 10): the number of equally likely drawn sets.
    uint256 internal constant DRAWS = 847_660_528;

    /// @dev The pool [0, 1, ..., 39] (number - 1) in 6-bit lanes: lane i holds pool[i] - 1.
    uint256 private constant POOL = 0x9e69648e28607de75c6da6585d65544d24503ce34c2ca2481c61440c2040;
    uint256 private constant LANE_BITS = 6;
    uint256 private constant LANE = 0x3f;

    /// @notice The pool after the draw's ten swaps, as 6-bit lanes of number - 1: lanes 0..9 are
    /// the drawn numbers in order; and the drawn set as a mask (bit n - 1 for each drawn number n),
    /// gathered as each step fixes its lane (a later step never swaps a lower lane).
    function _shuffled(uint256 word) private pure returns (uint256 pool, uint256 mask) {
        pool = POOL;
        uint256 x = word;
        // unchecked: j < 10, r < 40, so no product or shift here can overflow
        unchecked {
            for (uint256 j; j < DRAWN; ++j) {
                uint256 left = NUMBERS - j;
                uint256 at = j * LANE_BITS;
                uint256 other = (j + (x % left)) * LANE_BITS;
                x /= left;
                // swap lanes j and r (a no-op when r == j)
                uint256 diff = ((pool >> at) ^ (pool >> other)) & LANE;
                pool ^= (diff << at) | (diff << other);
                mask |= 1 << ((pool >> at) & LANE);
            }
        }
    }

    /// @notice The drawn numbers (1..40) in draw order.
    function drawnNumbers(uint256 word) internal pure returns (uint256[DRAWN] memory numbers) {
        (uint256 pool,) = _shuffled(word);
        for (uint256 j; j < DRAWN; ++j) {
            numbers[j] = ((pool >> (j * LANE_BITS)) & LANE) + 1;
        }
    }

    /// @notice The drawn set as a mask: bit n - 1 set for each drawn number n.
    function drawnMask(uint256 word) internal pure returns (uint256 mask) {
        (, mask) = _shuffled(word);
    }

    /// @notice How many bits `mask` has set.
    function countOf(uint256 mask) internal pure returns (uint256 count) {
        unchecked {
            while (mask != 0) {
                mask &= mask - 1;
                ++count;
            }
        }
    }

    /// @notice Whether `picksMask` names 1..MAX_PICKS numbers, all within 1..NUMBERS; and how many.
    function picksOf(uint256 picksMask) internal pure returns (bool valid, uint256 picks) {
        if (picksMask == 0 || picksMask >> NUMBERS != 0) return (false, 0);
        picks = countOf(picksMask);
        valid = picks <= MAX_PICKS;
    }

    /// @notice How many of the picked numbers the word draws.
    function hitsOf(uint256 picksMask, uint256 word) internal pure returns (uint256) {
        return countOf(picksMask & drawnMask(word));
    }

    /// @notice What a roll of `stake` pays at `multiplierBps`, rounded down.
    function payout(uint256 stake, uint256 multiplierBps) internal pure returns (uint256) {
        return (stake * multiplierBps) / BPS;
    }

    /// @notice weight(picks, h) = C(picks, h) * C(40 - picks, 10 - h) for h = 0..picks: how many
    /// of the DRAWS drawn sets give h hits (they sum to DRAWS). `picks` is 1..MAX_PICKS.
    /// @dev From C(40 - picks, 10) by w(h + 1) = w(h) * (picks - h) * (10 - h) / ((h + 1) * (31 - picks + h)),
    /// each division exact (the two binomial ratios multiply to an integer ratio of weights).
    function weights(uint256 picks) internal pure returns (uint256[] memory w) {
        uint256 first = DRAWS; // C(40, 10), then C(n - 1, 10) = C(n, 10) * (n - 10) / n
        for (uint256 n = NUMBERS; n > NUMBERS - picks; --n) {
            first = (first * (n - DRAWN)) / n;
        }
        w = new uint256[](picks + 1);
        w[0] = first;
        for (uint256 h; h < picks; ++h) {
            w[h + 1] = (w[h] * (picks - h) * (DRAWN - h)) / ((h + 1) * (NUMBERS - DRAWN - picks + h + 1));
        }
    }

    /// @notice A row's return to player times DRAWS * BPS: sum_h weight(picks, h) * multipliers[h],
    /// picks = multipliers.length - 1. RTP = rtpNumerator / (DRAWS * BPS) exactly.
    function rtpNumerator(uint256[] memory multipliers) internal pure returns (uint256 numerator) {
        uint256[] memory w = weights(multipliers.length - 1);
        for (uint256 h; h < multipliers.length; ++h) {
            numerator += w[h] * multipliers[h];
        }
    }

    /// @notice The expected payout of a roll of `stake` on a row, every outcome's payout rounded
    /// down as it is paid, the expectation rounded up (so the house edge is never overstated).
    function expectedPayoutUp(uint256 stake, uint256[] memory multipliers) internal pure returns (uint256) {
        uint256[] memory w = weights(multipliers.length - 1);
        uint256 sum = 0;
        for (uint256 h; h < multipliers.length; ++h) {
            sum += w[h] * payout(stake, multipliers[h]);
        }
        return (sum + DRAWS - 1) / DRAWS;
    }

    /// @notice The largest multiplier of a row.
    function maxMultiplier(uint256[] memory multipliers) internal pure returns (uint256 highest) {
        for (uint256 h; h < multipliers.length; ++h) {
            if (multipliers[h] > highest) highest = multipliers[h];
        }
    }
}
