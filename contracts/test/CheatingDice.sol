// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Dice} from "../games/Dice.sol";
import {IVault} from "../interfaces/IVault.sol";
import {IRandomnessCoordinator} from "../interfaces/IRandomnessCoordinator.sol";
import {IPlayerRegistry} from "../interfaces/IPlayerRegistry.sol";

/// @title CheatingDice
/// @notice TEST ONLY. A Dice that settles every bet as a win, whatever the verified roll. It exists so
/// the auditor tests can prove `fairstake audit verify` catches a game paying against its rules.
contract CheatingDice is Dice {
    constructor(
        address initialOwner,
        IVault vault_,
        IRandomnessCoordinator coordinator_,
        IPlayerRegistry registry_,
        bytes32 keyHash_,
        uint32 callbackGasLimit_,
        uint32 lockDuration_
    ) Dice(initialOwner, vault_, coordinator_, registry_, keyHash_, callbackGasLimit_, lockDuration_) {}

    function _onRandomness(uint256 requestId, uint256 word) internal override {
        Bet memory bet = _bets[requestId];
        if (bet.player == address(0)) return;
        delete _bets[requestId];
        uint256 rolled = word % 100;
        vault.settle(bet.lockId, bet.payoutIfWin);
        emit BetSettled(requestId, requestId, word, uint8(rolled), true, bet.payoutIfWin);
    }
}
