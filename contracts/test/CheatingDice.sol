// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Dice} from "../games/dice/Dice.sol";
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
        uint256 payoutIfWin = _lockOf(bet.lockId).maxPayout;
        vault.settle(bet.lockId, payoutIfWin);
        emit BetSettled(requestId, requestId, word, uint8(rolled), true, payoutIfWin);
    }
}
