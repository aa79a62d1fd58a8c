// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Jackpot} from "../games/jackpot/Jackpot.sol";
import {IVault} from "../interfaces/IVault.sol";
import {IRandomnessCoordinator} from "../interfaces/IRandomnessCoordinator.sol";
import {IPlayerRegistry} from "../interfaces/IPlayerRegistry.sol";

/// @title SubtleJackpot
/// @notice TEST ONLY. A Jackpot whose operator can rewrite one word of its storage. The auditor
/// tests use it to hand the drawn ticket's purchase to someone else before the draw: the round is
/// drawn with the verified word and the right ticket, but names and pays a winner who is not
/// that ticket's buyer, and every event stays consistent with what was paid.
/// Anyone may call `poke`: this contract never leaves the tests.
contract SubtleJackpot is Jackpot {
    constructor(
        address initialOwner,
        IVault vault_,
        IRandomnessCoordinator coordinator_,
        IPlayerRegistry registry_,
        bytes32 keyHash_,
        uint32 callbackGasLimit_,
        Timing memory timing_
    ) Jackpot(initialOwner, vault_, coordinator_, registry_, keyHash_, callbackGasLimit_, timing_) {}

    function poke(bytes32 slot, bytes32 value) external {
        assembly {
            sstore(slot, value)
        }
    }
}
