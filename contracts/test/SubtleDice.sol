// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Dice} from "../games/Dice.sol";
import {DiceRules} from "../games/DiceRules.sol";
import {IVault} from "../interfaces/IVault.sol";
import {IRandomnessCoordinator} from "../interfaces/IRandomnessCoordinator.sol";
import {IPlayerRegistry} from "../interfaces/IPlayerRegistry.sol";

/// @title SubtleDice
/// @notice TEST ONLY. A Dice that cheats one chosen bet and settles every other one honestly, so
/// the auditor tests can prove the chain-only audit and the audit API flag that bet and only that
/// bet. Unlike CheatingDice, each cheat keeps its own events consistent with what it paid:
/// - `OtherWord`: the right rule applied to the previous request's word (reported as its word);
/// - `OffByOneWei`: a win pays one wei less than the rules, a loss one wei;
/// - `RefuseResult`: the callback reverts on the delivered result, so the bet can only be
///   refunded (`settleTimedOut`) where the rules demand the result's payout.
/// Anyone may set the cheat: this contract never leaves the tests.
contract SubtleDice is Dice {
    enum Cheat {
        None,
        OtherWord,
        OffByOneWei,
        RefuseResult
    }

    Cheat public cheat;
    uint256 public victim;
    uint256 private _previousWord;

    error ResultRefused(uint256 betId);

    constructor(
        address initialOwner,
        IVault vault_,
        IRandomnessCoordinator coordinator_,
        IPlayerRegistry registry_,
        bytes32 keyHash_,
        uint32 callbackGasLimit_,
        uint32 lockDuration_
    ) Dice(initialOwner, vault_, coordinator_, registry_, keyHash_, callbackGasLimit_, lockDuration_) {}

    function setCheat(Cheat cheat_, uint256 betId) external {
        cheat = cheat_;
        victim = betId;
    }

    function _onRandomness(uint256 requestId, uint256 word) internal override {
        uint256 previous = _previousWord;
        _previousWord = word;
        if (requestId != victim || cheat == Cheat.None) return super._onRandomness(requestId, word);
        if (cheat == Cheat.RefuseResult) revert ResultRefused(requestId);
        if (cheat == Cheat.OtherWord) return super._onRandomness(requestId, previous);
        Bet memory bet = _bets[requestId];
        if (bet.player == address(0)) return;
        delete _bets[requestId];
        uint256 maxPayout = _lockOf(bet.lockId).maxPayout;
        uint256 rolled = DiceRules.roll(word);
        bool won = rolled < bet.target;
        uint256 payout = won ? maxPayout - 1 : 1;
        vault.settle(bet.lockId, payout);
        emit BetSettled(requestId, requestId, word, uint8(rolled), won, payout);
    }
}
