// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPlinkoErrors} from "../../interfaces/IGameErrors.sol";

/// @title PlinkoRules
/// @notice What makes a weighted configuration a Plinko board, mirrored by fairstake/rules/plinko.py.
/// A ball falls through `rows` rows of pins, going left or right at each with even odds, into
/// one of rows + 1 slots: slot k is reached by C(rows, k) of the 2^rows paths, so the board is the
/// weighted configuration with weights C(rows, 0..rows) (total 2^rows) and the board's
/// multipliers, which are symmetric (slot k pays as slot rows - k). The roll itself is
/// WeightedRules' (r = word % 2^rows over the cumulative weights).
library PlinkoRules {
    uint8 internal constant MIN_ROWS = 8;
    uint8 internal constant MAX_ROWS = 16;

    /// @notice The slots' weights of a board of `rows` rows: C(rows, k) for k = 0..rows
    /// (at most C(16, 8) = 12870, so each fits 16 bits).
    function weights(uint8 rows) internal pure returns (uint16[] memory slotWeights) {
        if (rows < MIN_ROWS || rows > MAX_ROWS) revert IPlinkoErrors.BadRows(rows, MIN_ROWS, MAX_ROWS);
        slotWeights = new uint16[](uint256(rows) + 1);
        uint256 paths = 1;
        for (uint256 k; k <= rows; ++k) {
            slotWeights[k] = uint16(paths);
            // C(n, k+1) = C(n, k) * (n - k) / (k + 1), exact at every step
            paths = paths * (rows - k) / (k + 1);
        }
    }

    /// @notice Revert unless slot k and slot (last - k) pay the same for every k.
    function checkSymmetric(uint32[] memory multipliers) internal pure {
        uint256 last = multipliers.length - 1;
        for (uint256 k; k < last - k; ++k) {
            if (multipliers[k] != multipliers[last - k]) revert IPlinkoErrors.NotSymmetric(k);
        }
    }
}
