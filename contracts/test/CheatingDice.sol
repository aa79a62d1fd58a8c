// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Dice} from "../games/dice/Dice.sol";
import {IRandomnessCoordinator} from "../interfaces/IRandomnessCoordinator.sol";
import {IVault} from "../interfaces/IVault.sol";

/// @title CheatingDice
/// @notice TEST ONLY. A Dice that settles every bet as a win of its maximum payout, whatever the
/// verified rolls. It exists so the auditor tests can prove `fairstake audit verify` catches a game
/// paying against its rules.
contract CheatingDice is Dice {
    constructor(GameWiring memory wiring, uint32 lockDuration_) Dice(wiring, lockDuration_) {}

    function _onRandomness(uint256 requestId, uint256 word, IRandomnessCoordinator.Slash calldata slash, bytes32 data)
        internal
        override
    {
        Bet memory bet = _unpack(data);
        IVault.LockTerms memory terms = _lockTerms(requestId, slash);
        uint256 maxPayout = terms.maxPayout;
        _resolve(requestId, bet);
        vault.settle(bet.lockId, terms, maxPayout);
        emit BetSettled(requestId, word, bet.rolls, maxPayout);
    }
}
