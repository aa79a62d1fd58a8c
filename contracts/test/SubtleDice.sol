// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Dice} from "../games/dice/Dice.sol";
import {IVault} from "../interfaces/IVault.sol";
import {IRandomnessCoordinator} from "../interfaces/IRandomnessCoordinator.sol";

/// @title SubtleDice
/// @notice TEST ONLY. A Dice that cheats one chosen bet and settles every other one honestly, so
/// the auditor tests can prove the chain-only audit and the audit API flag that bet and only that
/// bet. Unlike CheatingDice, each cheat keeps its own events consistent with what it paid:
/// - `OtherWord`: the right rule applied to the previous request's word (reported as its word);
/// - `OffByOneWei`: a bet that earned something is paid one wei less than the rules, one that
///   earned nothing one wei;
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
    bool private _withoutBondPayout;

    error ResultRefused(uint256 betId);

    constructor(GameWiring memory wiring, uint32 lockDuration_) Dice(wiring, lockDuration_) {}

    function setCheat(Cheat cheat_, uint256 betId) external {
        cheat = cheat_;
        victim = betId;
    }

    /// @notice A one-roll bet from the player's Vault balance; the cheat is the request's Slash.
    function placeBetWithoutBondPayout(address token, uint256 stake, bytes calldata choice)
        external
        returns (uint256 betId)
    {
        _withoutBondPayout = true;
        betId = _place(token, choice, _terms(_enabledConfig(token), stake, choice, 1, 0, 0));
        _withoutBondPayout = false;
    }

    function _expirySlash(address token, uint256 maxPayout, uint256 staked)
        internal
        view
        override
        returns (IRandomnessCoordinator.Slash memory slash)
    {
        slash = super._expirySlash(token, maxPayout, staked);
        if (_withoutBondPayout) slash.beneficiaryAmount = 0;
    }

    function _onRandomness(uint256 requestId, uint256 word) internal override {
        uint256 previous = _previousWord;
        _previousWord = word;
        if (requestId != victim || cheat == Cheat.None) return super._onRandomness(requestId, word);
        if (cheat == Cheat.RefuseResult) revert ResultRefused(requestId);
        if (cheat == Cheat.OtherWord) return super._onRandomness(requestId, previous);
        Bet memory bet = _bets[requestId];
        if (bet.state != BetState.Pending) return;
        Held memory held = _held[requestId];
        Stops memory stops = _stops[requestId];
        (uint16 played, uint256 payout) = _play(
            word, held.staked / bet.rolls, _choiceOf(requestId, bet), bet.edgeBps, bet.rolls, stops.stopGain, stops.stopLoss
        );
        payout = payout == 0 ? 1 : payout - 1;
        _resolve(requestId, bet, BetState.Settled, payout, played);
        vault.settle(bet.lockId, _lockTerms(held), payout);
        emit BetSettled(requestId, word, played, payout);
    }
}
