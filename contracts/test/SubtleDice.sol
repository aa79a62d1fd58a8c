// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Dice} from "../games/dice/Dice.sol";
import {DiceRules} from "../games/dice/DiceRules.sol";
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
///   refunded (`settleTimedOut`) where the rules demand the result's payout;
/// - `placeBetWithoutBondPayout`: a bet like `placeBet`'s, except that its request reserves the
///   bond's payout for the bankroll instead of the player, so if it expires the player is refunded
///   the stake where the rules demand the timeout payout (W), though BetTimedOut still says W.
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

    /// @notice ETH bets from the player's Vault balance; the cheat is the request's Slash.
    function placeBetWithoutBondPayout(address token, uint256 stake, uint8 target) external returns (uint256 betId) {
        (,,, uint16 edgeBps) = this.tokenConfig(token);
        uint256 payoutIfWin = DiceRules.payoutIfWin(stake, target, edgeBps);
        uint256 lockId = vault.lock(
            msg.sender,
            token,
            stake,
            payoutIfWin,
            DiceRules.houseEdge(stake, target, payoutIfWin),
            uint64(block.timestamp) + lockDuration,
            0
        );
        betId = _requestRandomness(
            IRandomnessCoordinator.Slash({
                token: token,
                amount: uint96(payoutIfWin),
                beneficiary: msg.sender,
                beneficiaryAmount: 0,
                residualToBankroll: true
            })
        );
        _bets[betId] =
            Bet({player: msg.sender, lockId: uint48(lockId), requestBlock: uint40(block.number), target: target});
        emit BetPlaced(betId, msg.sender, token, stake, target, payoutIfWin, betId, lockId);
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
