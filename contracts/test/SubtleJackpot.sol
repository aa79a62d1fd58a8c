// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Jackpot} from "../games/jackpot/Jackpot.sol";

/// @title SubtleJackpot
/// @notice TEST ONLY. A Jackpot whose operator can rewrite one word of its storage. The auditor
/// tests use it to hand the drawn ticket's purchase to someone else before the draw: the round is
/// drawn with the verified word and the right ticket, but names and pays a winner who is not
/// that ticket's buyer (paid by `payOutSwapped`), and every event stays consistent with what was
/// paid.
/// Anyone may call `poke`: this contract never leaves the tests.
contract SubtleJackpot is Jackpot {
    constructor(GameWiring memory wiring, Timing memory timing_) Jackpot(wiring, timing_) {}

    function poke(bytes32 slot, bytes32 value) external {
        assembly {
            sstore(slot, value)
        }
    }

    /// @notice The operator's payout to a swapped-in winner. `claim` cannot pay them: it pays
    /// against the winning purchase's Vault lock, whose terms name the real buyer, so the Vault
    /// refuses the forged terms (BadLockTerms). A dishonest game pays from its closed pool instead,
    /// which the Vault allows a pool's game to do (and does not report to the registry), and
    /// announces the claim exactly as `claim` would.
    function payOutSwapped(uint256 roundId) external {
        RoundView memory round = this.roundOf(roundId);
        vault.payFromPool(round.poolId, round.winner, round.prize);
        emit PrizeClaimed(roundId, round.winner, round.prize);
    }
}
