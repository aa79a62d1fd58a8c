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
///   Its slash no longer tells the stakes (W - beneficiaryAmount), so this game keeps them itself
///   for such a bet; `forgetStakes` drops that copy, and the Vault then refuses the terms the
///   engine rebuilds (BadLockTerms), so the bet's callbacks fail.
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
    bool private _forgetStakes;
    /// @dev The stakes of a bet placed by {placeBetWithoutBondPayout}, which its slash does not tell.
    mapping(uint256 betId => uint256) private _stakesOf;

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
        Terms memory terms = _terms(_enabledConfig(token), stake, choice, 1, 0, 0);
        betId = _place(token, choice, terms);
        _withoutBondPayout = false;
        _stakesOf[betId] = terms.staked;
    }

    /// @notice From now on rebuild the lock terms of {placeBetWithoutBondPayout}'s bets from their
    /// slash alone, as an honest game would (`true`): the Vault then refuses them.
    function setForgetStakes(bool forget) external {
        _forgetStakes = forget;
    }

    function _lockTerms(uint256 betId, IRandomnessCoordinator.Slash calldata slash)
        internal
        view
        override
        returns (IVault.LockTerms memory terms)
    {
        terms = super._lockTerms(betId, slash);
        uint256 staked = _stakesOf[betId];
        if (staked != 0 && !_forgetStakes) terms.amount = staked;
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

    function _onRandomness(uint256 requestId, uint256 word, IRandomnessCoordinator.Slash calldata slash, bytes32 data)
        internal
        override
    {
        uint256 previous = _previousWord;
        _previousWord = word;
        if (requestId != victim || cheat == Cheat.None) return super._onRandomness(requestId, word, slash, data);
        if (cheat == Cheat.RefuseResult) revert ResultRefused(requestId);
        if (cheat == Cheat.OtherWord) return super._onRandomness(requestId, previous, slash, data);
        Bet memory bet = _unpack(data);
        IVault.LockTerms memory terms = _lockTerms(requestId, slash);
        Stops memory stops = _stops[requestId];
        (uint16 played, uint256 payout) = _play(
            word, terms.amount / bet.rolls, _choiceOf(requestId, bet), bet.edgeBps, bet.rolls, stops.stopGain, stops.stopLoss
        );
        payout = payout == 0 ? 1 : payout - 1;
        _resolve(requestId, bet);
        vault.settle(bet.lockId, terms, payout);
        emit BetSettled(requestId, word, played, payout);
    }
}
