// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IPlayerRegistry} from "../interfaces/IPlayerRegistry.sol";
import {IRandomnessCoordinator} from "../interfaces/IRandomnessCoordinator.sol";
import {IVault} from "../interfaces/IVault.sol";
import {Vault} from "../Vault.sol";
import {ChanceGame} from "./ChanceGame.sol";
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
/// Timeout rule, and why it pays the player in full: only the operator's oracle key can produce
/// the randomness, and the operator can compute the result before publishing it. If a bet whose
/// result was withheld refunded the stake, an operator could drop every winning result and
/// fulfil every losing one ("selective abort", as against Dice2Win), turning the house edge into
/// certain profit. So a bet whose request passes the coordinator's deadline unfulfilled pays
/// `payoutIfWin`, the most fulfilling could ever have cost the bankroll. Withholding a losing
/// result then costs the full win payout instead of nothing, and withholding a winning one costs
/// exactly what fulfilling it would have: withholding never pays. The player cannot provoke a
/// timeout (anyone may fulfil with a valid proof, and only the oracle can make one), and after the
/// deadline the coordinator refuses fulfilment, so a timeout never races a real result.
///
/// The Vault lock's deadline (a timestamp, at least `MIN_LOCK_DURATION` ahead) lies far beyond the
/// coordinator's deadline (at most 255 blocks), so the Vault's refund backstop only matters if
/// nobody settles a timed-out bet for that long.
contract Dice is ChanceGame {
    using SafeCast for uint256;

    // ------------------------------------------------------------------ hard caps
    /// @notice Highest house edge governance can set, in bps of the expected return.
    uint16 public constant MAX_EDGE_BPS = 500;
    /// @notice Shortest Vault lock: far beyond any randomness deadline (<= 255 blocks).
    uint32 public constant MIN_LOCK_DURATION = 1 days;
    /// @notice Longest Vault lock (the Vault's own cap).
    uint32 public constant MAX_LOCK_DURATION = 30 days;

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
        uint256 timeoutBlock;
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
    /// @notice Settled by the timeout rule: paid the full win payout.
    event BetTimedOut(uint256 indexed betId, uint256 payout);
    event TokenConfigured(address indexed token, bool enabled, uint256 minStake, uint256 maxStake, uint16 edgeBps);
    event LockDurationSet(uint32 lockDuration);

    // ------------------------------------------------------------------ errors
    error TokenNotEnabled(address token);
    error BadTarget(uint8 target);
    error StakeOutOfRange(uint256 stake, uint256 minStake, uint256 maxStake);
    /// @notice The target and edge would pay no more than the stake on a win.
    error PayoutNotAboveStake(uint256 payoutIfWin, uint256 stake);
    error EdgeAboveCap(uint16 edgeBps, uint16 cap);
    error BadStakeRange(uint256 minStake, uint256 maxStake);
    error BadLockDuration(uint32 lockDuration);
    error LengthMismatch(uint256 stakes, uint256 targets);
    error NoBets();
    error UnknownBet(uint256 betId);
    /// @notice The bet's randomness can still arrive until `timeoutBlock` (inclusive).
    error BetNotTimedOut(uint256 betId, uint256 timeoutBlock);

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

    /// @notice Anyone: settle a bet whose randomness did not arrive by the coordinator's deadline.
    /// It pays the full win payout (see the contract notes: withholding a result must never pay).
    function settleTimedOut(uint256 betId) external {
        Bet memory bet = _bets[betId];
        if (bet.player == address(0)) revert UnknownBet(betId);
        if (!_requestTimedOut(bet.requestBlock)) {
            revert BetNotTimedOut(betId, uint256(bet.requestBlock) + randomnessTimeoutBlocks);
        }
        _settleTimedOut(betId, bet);
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
    /// come from the bet's Vault lock, so they read zero if the Vault's deadline backstop refunded it.
    function betOf(uint256 betId) external view returns (BetView memory info) {
        Bet memory bet = _bets[betId];
        if (bet.player == address(0)) return info;
        Vault.LockView memory held = _lockOf(bet.lockId);
        info = BetView({
            player: bet.player,
            token: held.token,
            stake: held.amount,
            target: bet.target,
            payoutIfWin: held.maxPayout,
            lockId: bet.lockId,
            requestBlock: bet.requestBlock,
            timeoutBlock: uint256(bet.requestBlock) + randomnessTimeoutBlocks
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
        Vault.LockView memory held = _lockOf(bet.lockId);
        uint256 rolled = DiceRules.roll(word);
        bool won = rolled < bet.target;
        // the lock's maxPayout is DiceRules.payoutIfWin at the edge in force at placement
        uint256 payout = won ? held.maxPayout : 0;
        vault.settle(bet.lockId, payout);
        emit BetSettled(requestId, requestId, word, uint8(rolled), won, payout);
        _afterSettle(bet.player, held.token, held.amount, payout);
    }

    function _onRandomnessExpired(uint256 requestId) internal override {
        Bet memory bet = _bets[requestId];
        if (bet.player != address(0)) _settleTimedOut(requestId, bet);
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

        registry.beforeStake(msg.sender, token, stake);
        uint256 lockId = vault.lock(msg.sender, token, stake, payoutIfWin, deadline, 0);
        // The coordinator never calls back synchronously, so recording the bet after the request is safe.
        betId = _requestRandomness();
        _bets[betId] =
            Bet({player: msg.sender, lockId: lockId.toUint48(), requestBlock: uint40(block.number), target: target});
        emit BetPlaced(betId, msg.sender, token, stake, target, payoutIfWin, betId, lockId);
    }

    function _settleTimedOut(uint256 betId, Bet memory bet) private {
        delete _bets[betId];
        Vault.LockView memory held = _lockOf(bet.lockId);
        vault.settle(bet.lockId, held.maxPayout);
        emit BetTimedOut(betId, held.maxPayout);
        _afterSettle(bet.player, held.token, held.amount, held.maxPayout);
    }

    function _enabledConfig(address token) private view returns (TokenConfig memory config) {
        config = _tokens[token];
        if (!config.enabled) revert TokenNotEnabled(token);
    }

    function _setLockDuration(uint32 lockDuration_) private {
        if (lockDuration_ < MIN_LOCK_DURATION || lockDuration_ > MAX_LOCK_DURATION) {
            revert BadLockDuration(lockDuration_);
        }
        lockDuration = lockDuration_;
        emit LockDurationSet(lockDuration_);
    }
}
