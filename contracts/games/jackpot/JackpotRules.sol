// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title JackpotRules
/// @notice The draw, mirrored exactly by fairstake/rules/jackpot.py. Purchases append ranges of
/// ticket numbers; purchase i holds [end(i-1), end(i)) (the first starts at 0). The winning ticket
/// is word % totalTickets, and its purchase is the first whose cumulative end exceeds it, found by
/// binary search (O(log n) storage reads, never a loop over every ticket). Rake is taken on ticket
/// sales only: a prize rolled in from an earlier round was raked there.
library JackpotRules {
    uint256 internal constant BPS = 10_000;

    /// @dev One slot. lockId == 0 once the purchase was refunded.
    struct Purchase {
        address player;
        uint48 end;
        uint48 lockId;
    }

    function winningTicket(uint256 word, uint256 totalTickets) internal pure returns (uint256) {
        return word % totalTickets;
    }

    /// @dev Index of the purchase holding `ticket` (< the last end).
    function findPurchase(Purchase[] storage purchases, uint256 ticket) internal view returns (uint256 low) {
        uint256 high = purchases.length;
        while (low < high) {
            uint256 mid = (low + high) >> 1;
            if (purchases[mid].end > ticket) high = mid;
            else low = mid + 1;
        }
    }

    /// @dev `rolledOver` <= `poolTotal` and rakeBps <= BPS (callers guarantee both).
    function prizeAndRake(uint256 poolTotal, uint256 rakeBps, uint256 rolledOver)
        internal
        pure
        returns (uint256 prize, uint256 rake)
    {
        rake = ((poolTotal - rolledOver) * rakeBps) / BPS;
        prize = poolTotal - rake;
    }
}
