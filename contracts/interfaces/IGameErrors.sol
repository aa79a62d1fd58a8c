// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ISharedErrors} from "./Shared.sol";

/// @title IRandomnessGameErrors
/// @notice The errors RandomnessGame (the coordinator plumbing of every game of chance) reverts with.
interface IRandomnessGameErrors is ISharedErrors {
    error NotCoordinator(address caller);
    error ZeroCallbackGas();
}

/// @title IChanceGameErrors
/// @notice The errors the chance-game engine (ChanceGame) reverts with, for every game on it
/// (besides the shared ones and the game's own choice errors).
interface IChanceGameErrors is IRandomnessGameErrors {
    error TokenNotEnabled(address token);
    /// @notice A stake per roll outside the token's configured range.
    error StakeOutOfRange(uint256 stake, uint256 minStake, uint256 maxStake);
    /// @notice The choice at the edge in force would pay no more than the stake at best.
    error PayoutNotAboveStake(uint256 maxPayout, uint256 stake);
    error EdgeAboveCap(uint16 edgeBps, uint16 cap);
    error BadStakeRange(uint256 minStake, uint256 maxStake);
    error BadLockDuration(uint32 lockDuration);
    error NoBets();
    /// @notice No bet of this game's is open on Vault lock `lockId`: it was settled or unwound,
    /// the lock is another game's, or the number is not a lock id (a bet id, say).
    error NoOpenBet(uint256 lockId);
    /// @notice The bet's randomness request is still pending at the coordinator (it can be
    /// fulfilled, or expired there once past its deadline).
    error BetNotTimedOut(uint256 betId);
    /// @notice The bet's maximum payout (all rolls) does not fit a bond reservation.
    error PayoutTooLarge(uint256 maxPayout);
    /// @notice A multi-roll bet has 1..MAX_ROLLS rolls.
    error BadRolls(uint16 rolls, uint16 maxRolls);
    /// @notice A stop-gain or stop-loss above what the whole bet can win or lose.
    error BadStop(uint256 stopGain, uint256 stopLoss);
    /// @notice `choice` is not the game's ABI encoding of a bet.
    error BadChoice();
}

/// @title ISignedResultsErrors
/// @notice The errors SignedResults reverts with (besides the shared ones).
interface ISignedResultsErrors is ISharedErrors {
    error NotReferee(address caller);
    error UnknownReferee(address signer);
    error BadCoSignature(uint256 index, address player);
    error SignatureCountMismatch(uint256 expected, uint256 got);
    error BadShares();
    error AlreadyEntered(address player);
    error NotEntrant(address player);
    error DuplicateInRanking(address player);
}

/// @title IDiceErrors
/// @notice The errors Dice reverts with (besides the engine's and the shared ones).
interface IDiceErrors is ISharedErrors {
    /// @notice Roll-under takes a target in 1..99, roll-over one in 0..98.
    error BadTarget(uint8 target, bool over);
}

/// @title IJackpotErrors
/// @notice The errors Jackpot reverts with (besides the shared ones).
interface IJackpotErrors is ISharedErrors {
    error RoundNotOpen(uint256 roundId);
    error SalesClosed(uint256 roundId, uint256 end);
    error SalesStillOpen(uint256 roundId, uint256 end);
    error DrawWindowPassed(uint256 roundId, uint256 drawBy);
    error ZeroTickets();
    error NotDrawn(uint256 roundId);
    error NoWinner(uint256 roundId);
    error ClaimPeriodRunning(uint256 roundId, uint256 claimBy);
    error NothingToRollOver(uint256 roundId);
    error RefundsPending(uint256 roundId, uint256 left);
    error NoOpenRound(address token);
    error CannotMarkRefundable(uint256 roundId);
    error BadPurchase(uint256 roundId, uint256 index);
    error AlreadyRefunded(uint256 roundId, uint256 index);
    error ZeroTicketPrice();
    error BadRoundDuration(uint32 roundDuration);
    error BadTiming(uint32 drawWindow, uint32 drawGrace, uint32 claimPeriod);
    /// @notice Twice the round's pot does not fit a bond reservation.
    error PotTooLarge(uint256 pot);
    /// @notice The draw's randomness request is still pending at the coordinator.
    error DrawPending(uint256 roundId, uint256 requestId);
    /// @notice A round of the token is selling: the rolled-in money rolls over into it instead.
    error RoundSelling(address token, uint256 roundId);
    /// @notice The round has no rolled-in money left to share among its purchases.
    error NothingToShare(uint256 roundId);
}

/// @title IMatchErrors
/// @notice The errors Match reverts with (besides the shared ones).
interface IMatchErrors is ISharedErrors {
    error UnknownMatch(uint256 matchId);
    error BadPlayerCount(uint256 maxPlayers);
    error MatchNotOpen(uint256 matchId, uint8 status);
    error MatchNotFull(uint256 matchId, uint8 status);
    error NotCreator(address caller);
    error DeadlineNotPassed(uint256 matchId, uint64 deadline);
    error BadRankingLength(uint256 expected, uint256 got);
    error AlreadyFinished(uint256 matchId, uint8 status);
}

/// @title ITournamentErrors
/// @notice The errors Tournament reverts with (besides the shared ones).
interface ITournamentErrors is ISharedErrors {
    error UnknownTournament(uint256 tournamentId);
    error BadEntrantCount(uint256 maxEntrants);
    error BadRegistrationDeadline(uint256 registrationDeadline);
    error RegistrationClosed(uint256 tournamentId);
    error RegistrationStillOpen(uint256 tournamentId);
    error TournamentFull(uint256 tournamentId);
    error NotEnoughEntrants(uint256 entrants);
    error NotOpen(uint256 tournamentId, uint8 status);
    error CannotCancel(uint256 tournamentId);
    error BadWinnersLength(uint256 expected, uint256 got);
}

/// @title IRouletteErrors
/// @notice The errors Roulette reverts with (besides the engine's and the shared ones; a choice
/// that is not the canonical `abi.encode(uint64[] masks, uint256[] parts)` is the engine's `BadChoice`).
interface IRouletteErrors is ISharedErrors {
    /// @notice A bet covers 1..`max` number sets.
    error BadSetCount(uint256 count, uint256 max);
    /// @notice Set `index` is empty or names a number above 36.
    error BadNumberSet(uint256 index, uint64 mask);
    /// @notice Set `index` has no part of the stake.
    error ZeroPart(uint256 index);
    /// @notice The sets' parts do not add up to the stake.
    error PartsNotStake(uint256 partsTotal, uint256 stake);
}

/// @title IKenoErrors
/// @notice The errors Keno reverts with (besides the engine's and the shared ones).
interface IKenoErrors is ISharedErrors {
    /// @notice A bet picks 1..10 distinct numbers of 1..40 (bit n - 1 of the mask for number n).
    error BadPicks(uint64 picksMask);
    error UnknownTable(uint32 tableId);
    /// @notice The table is disabled for new bets (open bets on it still settle).
    error TableDisabled(uint32 tableId);
    /// @notice A table id is added once and never changes.
    error TableExists(uint32 tableId);
    /// @notice A table has one row per pick count 1..10.
    error BadTableRows(uint256 rows);
    /// @notice The row of `picks` numbers has picks + 1 multipliers (for 0..picks hits).
    error BadRowLength(uint8 picks, uint256 length);
    error MultiplierAboveCap(uint8 picks, uint8 hits, uint256 multiplierBps, uint256 capBps);
    /// @notice No outcome of the row pays more than the stake.
    error RowPaysNoWin(uint8 picks, uint256 maxMultiplierBps);
    /// @notice The row's return to player (in bps, rounded away from the range) is outside the caps.
    error RowRtpOutOfRange(uint8 picks, uint256 rtpBps, uint256 minBps, uint256 maxBps);
}

/// @title IWeightedGameErrors
/// @notice The errors of the weighted-multiplier games (Wheel, Plinko) and their shared rules,
/// WeightedRules (besides the engine's and the shared ones).
interface IWeightedGameErrors is ISharedErrors {
    /// @notice A configuration has 2..`max` segments.
    error BadSegmentCount(uint256 count, uint256 max);
    /// @notice Every segment needs a weight of at least 1 (an outcome that cannot happen must not
    /// raise the bet's maximum payout).
    error ZeroWeight(uint256 index);
    /// @notice No segment pays more than the stake (multipliers are in 1e4 fixed point).
    error NoWinningSegment(uint256 maxMultiplier);
    /// @notice The configuration's RTP, weightedSum / (totalWeight * 1e4), lies outside
    /// [minRtpBps, maxRtpBps] / 1e4 (hard caps in code).
    error RtpOutOfRange(uint256 weightedSum, uint256 totalWeight, uint256 minRtpBps, uint256 maxRtpBps);
    /// @notice A risk label is 0 (low), 1 (medium) or 2 (high).
    error BadRisk(uint8 risk);
    /// @notice No configuration was added under this id.
    error UnknownConfig(uint32 configId);
    /// @notice Governance disabled this configuration for new bets.
    error ConfigDisabled(uint32 configId);
}

/// @title IPlinkoErrors
/// @notice The errors Plinko reverts with (besides the weighted games', the engine's and the shared ones).
interface IPlinkoErrors is IWeightedGameErrors {
    /// @notice A board has MIN_ROWS..MAX_ROWS rows of pins.
    error BadRows(uint8 rows, uint8 minRows, uint8 maxRows);
    /// @notice Slot `index` and its mirror image pay differently: a board's table is symmetric.
    error NotSymmetric(uint256 index);
}
