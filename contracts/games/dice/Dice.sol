// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IPlayerRegistry} from "../../interfaces/IPlayerRegistry.sol";
import {IRandomnessCoordinator} from "../../interfaces/IRandomnessCoordinator.sol";
import {IVault} from "../../interfaces/IVault.sol";
import {IDiceErrors} from "../../interfaces/IGameErrors.sol";
import {LOCK_DURATION_CAP} from "../../interfaces/Shared.sol";
import {ChanceGame} from "../base/ChanceGame.sol";
import {DiceRules} from "./DiceRules.sol";

/// @title Dice
/// @notice Roll-under dice against the Vault's bankroll, settled with verifiable randomness.
///
/// A bet is one Vault bankroll lock (stake, maxPayout = the win payout) and one randomness
/// request; its id is the request id. Everything the outcome depends on (stake, target, the
/// win payout at the edge in force) is fixed when the bet is placed, and the coordinator's word
/// settles it inside `onRandomness` by {DiceRules}. The lock already holds the player, token,
/// stake and win payout, so the bet's own record is one slot: player, lock id, target and
/// request block.
///
/// Withheld results, and why the oracle's bond pays them: only the oracle key's holder can produce
/// the randomness, and it can compute the result before publishing it. If a bet whose result was
/// withheld cost the key nothing, its holder could bet and drop every losing result ("selective
/// abort", as against Dice2Win); if it were paid from the bankroll, the holder could bet and drop
/// every losing result to be paid a win. So each bet reserves its win payout W from the key's bond
/// at the coordinator, and a bet whose request expires unfulfilled unwinds as:
///   - its Vault lock is refunded (by this game on expiry, or by the Vault's deadline backstop:
///     the same refund, so there is nothing to race), and
///   - the bond pays W - stake to the player and the stake to the bankroll as a house win (the
///     bet's protocol fee, the fee share of its house edge, was taken when it was locked and
///     stays taken).
/// The player ends with W (a win), the LPs and the protocol exactly as if the house had won, and
/// the key's holder pays W: whatever bets, bankroll shares, fee rights or balances it also holds,
/// withholding never ends above publishing (docs/randomness-economics.md; were the fee given back
/// on expiry, a holder that is also an LP would gain it by withholding). The player cannot provoke an
/// expiry (anyone may fulfil with a valid proof, and only the oracle can make one), and the
/// coordinator refuses fulfilment after the deadline, so an expiry never races a real result.
///
/// The Vault lock's deadline (a timestamp, at least `MIN_LOCK_DURATION` ahead) lies beyond the
/// coordinator's latest fulfilment (`maxFulfilDelay`), so the Vault's refund backstop only runs
/// on a bet whose request already expired or whose callback failed.
contract Dice is IDiceErrors, ChanceGame {
    using SafeCast for uint256;

    // ------------------------------------------------------------------ hard caps
    /// @notice Highest house edge governance can set, in bps of the expected return.
    uint16 public constant MAX_EDGE_BPS = 500;
    /// @notice Shortest Vault lock: beyond any randomness deadline (the coordinator's
    /// maxFulfilDelay is at most 12 hours).
    uint32 public constant MIN_LOCK_DURATION = 1 days;
    /// @notice Longest Vault lock (the Vault's own cap).
    uint32 public constant MAX_LOCK_DURATION = uint32(LOCK_DURATION_CAP);

    // ------------------------------------------------------------------ storage
    /// @dev One slot, read once per placing call.
    struct TokenConfig {
        uint16 edgeBps;
        bool enabled;
        uint104 minStake;
        uint112 maxStake;
    }

    /// @dev One slot: what the bet's Vault lock does not hold (its stake, win payout = maxPayout
    /// and token are read back from the lock). player == address(0): no open bet.
    struct Bet {
        address player;
        uint48 lockId;
        uint40 requestBlock;
        uint8 target;
    }

    /// @notice An open bet as returned by {betOf}.
    struct BetView {
        address player;
        address token;
        uint256 stake;
        uint8 target;
        uint256 payoutIfWin;
        uint256 lockId;
        uint256 requestBlock;
        bool pending;
    }

    /// @notice Vault lock duration of new bets, in seconds.
    uint32 public lockDuration;

    mapping(address token => TokenConfig) private _tokens;
    mapping(uint256 betId => Bet) internal _bets;

    // ------------------------------------------------------------------ events
    /// @param betId the randomness request id, which is also `requestId`
    event BetPlaced(
        uint256 indexed betId,
        address indexed player,
        address indexed token,
        uint256 stake,
        uint8 target,
        uint256 payoutIfWin,
        uint256 requestId,
        uint256 lockId
    );
    /// @param roll word % 100; the bet won iff roll < target
    event BetSettled(uint256 indexed betId, uint256 requestId, uint256 word, uint8 roll, bool won, uint256 payout);
    /// @notice Unwound without a result: the stake refunded. `payout` is what the player ends with
    /// when the request expired (the stake plus the bond's W - stake, i.e. the win payout), or the
    /// stake alone when the result was delivered but the settlement failed.
    event BetTimedOut(uint256 indexed betId, uint256 payout);
    event TokenConfigured(address indexed token, bool enabled, uint256 minStake, uint256 maxStake, uint16 edgeBps);
    event LockDurationSet(uint32 lockDuration);

    // ------------------------------------------------------------------ errors
    // Declared in IDiceErrors (interfaces/IGameErrors.sol) and ISharedErrors (interfaces/Shared.sol).

    /// @param initialOwner governance (a TimelockController in deployment)
    /// @param lockDuration_ Vault lock duration of bets, MIN_LOCK_DURATION..MAX_LOCK_DURATION
    constructor(
        address initialOwner,
        IVault vault_,
        IRandomnessCoordinator coordinator_,
        IPlayerRegistry registry_,
        bytes32 keyHash_,
        uint32 callbackGasLimit_,
        uint32 lockDuration_
    ) ChanceGame(initialOwner, vault_, coordinator_, registry_, keyHash_, callbackGasLimit_) {
        _setLockDuration(lockDuration_);
    }

    // ------------------------------------------------------------------ players

    /// @notice Bet `stake` of `token` (address(0) = ETH) that the roll (0..99) is below `target` (1..99).
    /// @param deposit paid into your Vault balance first: ETH as msg.value (must equal it), an ERC-20
    /// from your approval to the Vault; 0 to bet from your Vault balance alone
    /// @return betId the bet's id (its randomness request id)
    function placeBet(address token, uint256 stake, uint8 target, uint256 deposit)
        external
        payable
        returns (uint256 betId)
    {
        TokenConfig memory config = _enabledConfig(token);
        _deposit(msg.sender, token, deposit);
        return _place(token, config, stake, target, uint64(block.timestamp) + lockDuration);
    }

    /// @notice Several bets in one transaction, each with its own stake and target, one request each.
    /// @param deposit as in {placeBet}, once for all the bets
    function placeBets(address token, uint256[] calldata stakes, uint8[] calldata targets, uint256 deposit)
        external
        payable
        returns (uint256[] memory betIds)
    {
        uint256 count = stakes.length;
        if (count != targets.length) revert LengthMismatch(count, targets.length);
        if (count == 0) revert NoBets();
        TokenConfig memory config = _enabledConfig(token);
        _deposit(msg.sender, token, deposit);
        uint64 deadline = uint64(block.timestamp) + lockDuration;
        betIds = new uint256[](count);
        for (uint256 i; i < count; ++i) {
            betIds[i] = _place(token, config, stakes[i], targets[i], deadline);
        }
    }

    /// @notice Anyone: unwind a bet whose request the coordinator no longer holds but which is
    /// still open here (its expiry or result callback failed): refunds the stake. A request past
    /// its deadline is expired at the coordinator (`expire`), which pays the bond and unwinds the bet.
    function settleTimedOut(uint256 betId) external {
        Bet memory bet = _bets[betId];
        if (bet.player == address(0)) revert UnknownBet(betId);
        if (coordinator.isPending(betId)) revert BetNotTimedOut(betId);
        _unwind(betId, bet, false);
    }

    // ------------------------------------------------------------------ governance (owner = timelock)

    /// @notice Owner only: enable or disable betting in `token` and set its stake range and edge
    /// (<= MAX_EDGE_BPS). Open bets keep the terms they were placed with.
    function configureToken(address token, bool enabled, uint256 minStake, uint256 maxStake, uint16 edgeBps)
        external
        onlyOwner
    {
        if (edgeBps > MAX_EDGE_BPS) revert EdgeAboveCap(edgeBps, MAX_EDGE_BPS);
        if (minStake == 0 || minStake > maxStake || maxStake > type(uint112).max || minStake > type(uint104).max) {
            revert BadStakeRange(minStake, maxStake);
        }
        _tokens[token] =
            TokenConfig({edgeBps: edgeBps, enabled: enabled, minStake: uint104(minStake), maxStake: uint112(maxStake)});
        emit TokenConfigured(token, enabled, minStake, maxStake, edgeBps);
    }

    /// @notice Owner only: the Vault lock duration of new bets (MIN_LOCK_DURATION..MAX_LOCK_DURATION).
    function setLockDuration(uint32 lockDuration_) external onlyOwner {
        _setLockDuration(lockDuration_);
    }

    // ------------------------------------------------------------------ views

    /// @notice Betting configuration of `token`.
    function tokenConfig(address token)
        external
        view
        returns (bool enabled, uint256 minStake, uint256 maxStake, uint16 edgeBps)
    {
        TokenConfig memory config = _tokens[token];
        return (config.enabled, config.minStake, config.maxStake, config.edgeBps);
    }

    /// @notice An open bet (all zero once settled or when unknown). Token, stake and payoutIfWin
    /// come from the bet's Vault lock, so they read zero if the Vault's deadline backstop refunded
    /// it. `pending`: the coordinator still holds its randomness request.
    function betOf(uint256 betId) external view returns (BetView memory info) {
        Bet memory bet = _bets[betId];
        if (bet.player == address(0)) return info;
        IVault.LockView memory held = _lockOf(bet.lockId);
        info = BetView({
            player: bet.player,
            token: held.token,
            stake: held.amount,
            target: bet.target,
            payoutIfWin: held.maxPayout,
            lockId: bet.lockId,
            requestBlock: bet.requestBlock,
            pending: coordinator.isPending(betId)
        });
    }

    /// @notice What a winning bet would pay now (0 for an invalid target).
    function quote(address token, uint256 stake, uint8 target) external view returns (uint256 payoutIfWin) {
        if (target < DiceRules.MIN_TARGET || target > DiceRules.MAX_TARGET) return 0;
        return DiceRules.payoutIfWin(stake, target, _tokens[token].edgeBps);
    }

    /// @notice The settlement rule itself, for auditors: the outcome of a bet for a random word.
    function outcomeOf(uint256 word, uint256 stake, uint8 target, uint16 edgeBps)
        external
        pure
        returns (uint8 roll, bool won, uint256 payout)
    {
        if (target < DiceRules.MIN_TARGET || target > DiceRules.MAX_TARGET) revert BadTarget(target);
        if (edgeBps > MAX_EDGE_BPS) revert EdgeAboveCap(edgeBps, MAX_EDGE_BPS);
        if (stake > type(uint112).max) revert StakeOutOfRange(stake, 0, type(uint112).max);
        uint256 rolled;
        (rolled, won, payout) = DiceRules.outcome(word, stake, target, edgeBps);
        roll = uint8(rolled);
    }

    // ------------------------------------------------------------------ randomness

    /// @dev Settles inside the callback: one Vault settle, the registry notification, the event.
    function _onRandomness(uint256 requestId, uint256 word) internal virtual override {
        Bet memory bet = _bets[requestId];
        if (bet.player == address(0)) return;
        delete _bets[requestId];
        // read before the settle deletes it; the settle then finds the lock's slots warm
        IVault.LockView memory held = _lockOf(bet.lockId);
        uint256 rolled = DiceRules.roll(word);
        bool won = rolled < bet.target;
        // the lock's maxPayout is DiceRules.payoutIfWin at the edge in force at placement
        uint256 payout = won ? held.maxPayout : 0;
        vault.settle(bet.lockId, payout);
        emit BetSettled(requestId, requestId, word, uint8(rolled), won, payout);
        _afterSettle(bet.player, held.token, held.amount, payout);
    }

    /// @dev The coordinator has already paid the bond's share to the player and the bankroll.
    function _onRandomnessExpired(uint256 requestId) internal override {
        Bet memory bet = _bets[requestId];
        if (bet.player != address(0)) _unwind(requestId, bet, true);
    }

    // ------------------------------------------------------------------ internals

    function _place(address token, TokenConfig memory config, uint256 stake, uint8 target, uint64 deadline)
        private
        returns (uint256 betId)
    {
        if (target < DiceRules.MIN_TARGET || target > DiceRules.MAX_TARGET) revert BadTarget(target);
        if (stake < config.minStake || stake > config.maxStake) {
            revert StakeOutOfRange(stake, config.minStake, config.maxStake);
        }
        uint256 payoutIfWin = DiceRules.payoutIfWin(stake, target, config.edgeBps);
        if (payoutIfWin <= stake) revert PayoutNotAboveStake(payoutIfWin, stake);

        if (payoutIfWin > type(uint88).max) revert PayoutTooLarge(payoutIfWin);

        // The Vault asks the player registry before it locks (breaks, limits, KYC).
        uint256 lockId = vault.lock(
            msg.sender, token, stake, payoutIfWin, DiceRules.houseEdge(stake, target, payoutIfWin), deadline, 0
        );
        // The coordinator never calls back synchronously, so recording the bet after the request is safe.
        // Expiry: the bond pays the player W - stake (the refunded stake makes W) and the bankroll the stake.
        betId = _requestRandomness(
            IRandomnessCoordinator.Slash({
                token: token,
                amount: uint96(payoutIfWin),
                beneficiary: msg.sender,
                beneficiaryAmount: uint88(payoutIfWin - stake),
                residualToBankroll: true
            })
        );
        _bets[betId] =
            Bet({player: msg.sender, lockId: lockId.toUint48(), requestBlock: uint40(block.number), target: target});
        emit BetPlaced(betId, msg.sender, token, stake, target, payoutIfWin, betId, lockId);
    }

    /// @dev Refund the bet's lock unless the Vault's backstop already did (the same refund).
    /// `expired`: the bond paid the player W - stake, so the player ends with W.
    function _unwind(uint256 betId, Bet memory bet, bool expired) private {
        delete _bets[betId];
        IVault.LockView memory held = _lockOf(bet.lockId);
        // slither-disable-next-line incorrect-equality -- a settled lock reads all zero
        if (held.amount != 0) vault.refund(bet.lockId);
        uint256 endsWith = expired ? held.maxPayout : held.amount;
        emit BetTimedOut(betId, endsWith);
        if (held.amount != 0) _afterSettle(bet.player, held.token, held.amount, held.amount);
    }

    function _enabledConfig(address token) private view returns (TokenConfig memory config) {
        config = _tokens[token];
        if (!config.enabled) revert TokenNotEnabled(token);
    }

    function _setLockDuration(uint32 lockDuration_) private {
        if (lockDuration_ < MIN_LOCK_DURATION || lockDuration_ > MAX_LOCK_DURATION || lockDuration_ <= maxFulfilDelay) {
            revert BadLockDuration(lockDuration_);
        }
        lockDuration = lockDuration_;
        emit LockDurationSet(lockDuration_);
    }
}
