// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IPlayerRegistry, IPlayerRegistryVault} from "../interfaces/IPlayerRegistry.sol";
import {IVault} from "../interfaces/IVault.sol";
import {LOCK_DURATION_CAP} from "../interfaces/Shared.sol";
import {PendingRequest, Queue, TokenBook, VaultBankroll} from "./VaultBankroll.sol";

/// @title Vault
/// @notice Non-custodial escrow of every Fairstake stake. See {IVault} for the model.
///
/// Guarantees, enforced here and not delegated to games or governance:
/// - A player's free balance only changes through the player (withdraw), a deposit credited to
///   them, or a lock of a game (locked by it while registered, settled or refunded by it or the
///   backstop); it is withdrawable at any time, never paused.
/// - Every lock unwinds: its game settles or refunds it, or anyone refunds it after its deadline,
///   and deadlines are at most `MAX_LOCK_DURATION` ahead.
/// - Every pool unwinds: while open, each of its locks is refundable as above; once closed, its
///   game has `POOL_PAYOUT_WINDOW` to pay it out, after which anyone returns what is left to the
///   pool's stakes pro rata (`refundClosedPool`), or, with no stake left in it, to the bankroll
///   (`releaseClosedPool`). The game cannot pay from a pool once that backstop began.
/// - The owner (a {VaultTimelock}) configures games, tokens, risk and fees within hard caps;
///   no owner function can move free balances, locks, pools or bankroll assets.
/// - The protocol fee on the bankroll is a share of each bet's house edge (the stake minus its
///   expected payout, declared by the game within MAX_HOUSE_EDGE_BPS), taken when the bet is
///   locked whatever its outcome: the LPs' expected result on every bet is its edge times
///   (1 - fee share) >= 0. On a losing streak the fees can exceed what the LPs gained.
/// - Game registration and the token allow-list gate only NEW business (deposits, new locks, new
///   pools). A game keeps operating what it already holds after governance unregisters it or
///   disallows its token: it settles and refunds its locks, and closes, pays out, rakes and rolls
///   over within its own pools. So governance can stop a game, never freeze the money in it.
///
/// For every token: token balance >= freeBalanceTotal + lockedTotal + bankrollAssets + accruedFees
/// + the assets of pending bankroll deposit requests (`bankrollPending`).
/// Surplus (tokens sent without a deposit, force-sent ETH) is never credited to anyone.
contract Vault is IVault, Ownable, ReentrancyGuard {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    // ------------------------------------------------------------------ hard caps
    /// @notice Longest time any stake can stay locked.
    uint256 public constant MAX_LOCK_DURATION = LOCK_DURATION_CAP;
    /// @notice Time a pool's game has, from closing the pool, to pay it out (`payFromPool`,
    /// `takePoolFee`, `movePool`). After it anyone may start the backstop (`refundClosedPool`,
    /// `releaseClosedPool`), which ends the game's payouts. Games must pay (and let winners claim)
    /// within it: a prize still in the pool then goes to all of the pool's stakes pro rata.
    uint256 public constant POOL_PAYOUT_WINDOW = MAX_LOCK_DURATION;
    /// @notice Most rake a game may take from a closed pool, in bps of the pool's total at close.
    uint256 public constant MAX_POOL_RAKE_BPS = 1_000;
    /// @notice Highest protocol fee, in bps of a bankroll lock's house edge.
    uint256 public constant MAX_PROTOCOL_FEE_BPS = 2_000;
    /// @notice Highest house edge a game may declare for a bankroll lock, in bps of its stake.
    uint256 public constant MAX_HOUSE_EDGE_BPS = 1_000;
    /// @notice Highest share of the bankroll that all open locks together may reserve, in bps.
    uint256 public constant MAX_RISK_FRACTION_BPS = 1_000;
    /// @notice Time between a bankroll deposit or redeem request and its claim. Longer than any
    /// randomness request can stay open (the coordinator resolves every request, fulfilled or
    /// expired, within 2 * MAX_TIMEOUT_SECONDS = 12 hours), so every outcome knowable when an LP
    /// requests has resolved before the request takes effect; and the claim prices out every
    /// outcome still open at the claim (see `previewBankrollDeposit`, `previewBankrollRedeem`).
    uint256 public constant BANKROLL_DELAY = VaultBankroll.DELAY;
    /// @notice After BANKROLL_DELAY, how long only the owner may claim its request; anyone may
    /// after that. A claim's conservative price depends on the locks open at its moment, so a third
    /// party choosing the moment (say, after opening locks of its own) could worsen it: the owner
    /// picks first, and only a request left unclaimed this long can be claimed by others.
    uint256 public constant CLAIM_GRACE = VaultBankroll.CLAIM_GRACE;
    uint256 private constant BPS = VaultBankroll.BPS;
    /// @dev See VaultBankroll.NONZERO_BIAS.
    uint128 private constant NONZERO_BIAS = VaultBankroll.NONZERO_BIAS;
    /// @dev A lock's slot: COUNTED | deadline << HASH_BITS | the low HASH_BITS of its terms' hash.
    uint256 private constant HASH_BITS = 216;
    /// @dev The lock slot's top bit: the registry counted the stake (`beforeStake` returned true),
    /// so the lock's payouts are reported to it. Taken from the deadline's 40 bits, not from the
    /// hash: a deadline is at most 30 days past a block time, below 2^39 (year 19,391) for good,
    /// while every hash bit is forgery margin.
    uint256 private constant COUNTED = 1 << 255;
    /// @dev The 39 deadline bits of a lock slot, shifted down.
    uint256 private constant DEADLINE_MASK = (1 << 39) - 1;
    /// @dev A `_balances` word: the free balance in the low 128 bits (a balance never exceeds its
    /// token's freeTotal, a uint128, so adding to the word never carries into the bits above), and
    /// above them the registry epoch at which the registry answered `clear` for this player and
    /// token (0: none). Only `lock` writes the epoch; every other writer adds or subtracts.
    uint256 private constant BALANCE_MASK = type(uint128).max;
    /// @dev A lock id is its token's compact id above the token's lock number (40 bits).
    uint256 private constant LOCK_NUMBER_BITS = 40;
    uint256 private constant CLEAR_SHIFT = 128;
    /// @dev `Config.registryEpoch`: a counter (bits 0..30, 1 from wiring, moved on by every
    /// `registryChanged`) and KEEPS (bit 31): the registry listed this Vault as registered when it
    /// last looked, so its `clear` answers may be kept. Kept answers carry KEEPS, so none matches an
    /// epoch without it. The counter saturates at LAST_EPOCH, where nothing is ever kept again:
    /// after 2^31 - 2 changes (each a registry transaction) every stake simply asks.
    uint32 private constant KEEPS = 1 << 31;
    uint32 private constant LAST_EPOCH = KEEPS - 1;
    /// @notice Gas the Vault gives the registry's `afterSettle` (`REGISTRY_REPORT_GAS`, or what is
    /// left when less): a report that fails or runs out is ignored, so no registry can block a
    /// settlement or refund, and a dropped report only leaves the stake counted as lost. The
    /// heaviest honest report (a wallet bound to a person, both with loss and wager limits in all
    /// three windows) takes about 50,500 (`registry_after_settle_all_limits_person` in `bench
    /// gas`); a registry burning the whole allowance still leaves the smallest deployed callback
    /// (a one-roll Wheel or Plinko bet, 150,000; the coordinator's expiry callback has 200,000)
    /// about 25,000 to finish. A report that also applies several due pending limit changes may
    /// need more and is then dropped: the changes apply at the player's next stake.
    uint256 public constant REGISTRY_REPORT_GAS = 80_000;

    // ------------------------------------------------------------------ storage

    /// @dev A game's registration and its compact id (assigned once, kept when unregistered).
    struct GameRecord {
        uint16 id;
        bool registered;
    }

    /// @dev Unwinding: closed, and the backstop began (no game payouts any more).
    enum PoolState {
        None,
        Open,
        Closed,
        Unwinding
    }

    /// @dev Slot 0 is all a pooled lock, refund or `movePool` into the pool touches; slot 1 is
    /// written at close and by the backstop only. `movedInOrPayBy` is, while the pool is open, the
    /// money moved into it from other pools (its stakes are `balance - movedInOrPayBy`; a move
    /// that would take it past uint96 reverts), and from the close on the end of the game's
    /// payout window. `stakesLeft` (set at close) is the stakes of the pool's locks not yet
    /// returned by the backstop, which shares the balance among them pro rata.
    struct Pool {
        uint16 gameId;
        uint8 tokenId;
        PoolState state;
        uint128 balance;
        uint96 movedInOrPayBy;
        uint128 rakeLeft; // set at close: MAX_POOL_RAKE_BPS of the closed total, minus rake taken
        uint128 stakesLeft;
    }

    /// @dev One slot: all `lock` reads of it (pause flag, the fee on a bankroll lock, the registry it
    /// asks and the epoch of the registry's answers it may reuse), and all a player deposit reads
    /// of it (the registry). A lock writes nothing here: its id is counted per token, in the book
    /// slot that also takes its fee.
    struct Config {
        uint16 protocolFeeBps;
        bool locksPaused;
        IPlayerRegistry registry;
        uint32 registryEpoch;
    }

    /// @dev Id counters written only when a pool opens or governance adds a token or game.
    struct Counters {
        uint32 poolCount;
        uint8 tokenCount;
        uint16 gameCount;
    }

    Config private _config;
    Counters private _counters;
    /// @notice Receives withdrawn protocol fees.
    address public feeRecipient;
    /// @notice May pause new locks (and unpause); cannot do anything else.
    address public guardian;

    mapping(address token => TokenBook) private _books;
    mapping(uint8 tokenId => address) private _tokenById;
    // slither-disable-next-line uninitialized-state -- written by setGame through a storage reference (record.id, record.registered)
    mapping(address game => GameRecord) private _games;
    mapping(uint16 gameId => address) private _gameById;
    mapping(address player => mapping(address token => uint256)) private _balances;
    mapping(address token => mapping(address provider => uint256)) private _shares;
    /// @dev One slot per lock: counted (1 bit, see COUNTED) | deadline (39 bits, nonzero) | the low
    /// 216 bits of keccak256(abi.encode(LockTerms)); zero = not open. The terms are in the lock's
    /// `Locked` event and come back in calldata (a fresh slot fewer per lock than storing them).
    mapping(uint256 lockId => uint256) private _locks;
    mapping(uint256 poolId => Pool) private _pools;
    mapping(address token => mapping(address provider => PendingRequest)) private _depositRequests;
    mapping(address token => mapping(address provider => PendingRequest)) private _redeemRequests;
    mapping(address token => Queue) private _queues;

    /// @param initialOwner the governance owner; the deploy script configures with the deployer
    /// and then hands ownership to the TimelockController
    constructor(address initialOwner) Ownable(initialOwner) {}

    // ------------------------------------------------------------------ modifiers
    modifier onlyGame() {
        if (!_games[msg.sender].registered) revert NotGame(msg.sender);
        _;
    }

    // ------------------------------------------------------------------ players

    /// @inheritdoc IVault
    function depositFor(address player, address token, uint256 amount)
        external
        payable
        nonReentrant
        returns (uint256 credited)
    {
        return _depositFor(msg.sender, player, token, amount);
    }

    /// @inheritdoc IVault
    function withdraw(address token, uint256 amount, address to) external nonReentrant {
        _debitCaller(token, amount, to);
        unchecked {
            // freeTotal is the sum of all balances, so it holds at least this one
            _books[token].freeTotal -= uint128(amount);
        }
        emit Withdrawn(msg.sender, token, to, amount);
        _push(token, to, amount);
    }

    /// @inheritdoc IVault
    function transfer(address to, address token, uint256 amount) external {
        _debitCaller(token, amount, to);
        unchecked {
            _balances[to][token] += amount; // <= freeTotal, unchanged
        }
        emit Transferred(msg.sender, to, token, amount);
    }

    /// @inheritdoc IVault
    /// @dev The bankroll's part is added whole: the fee on an expired bet was taken when it was
    /// locked, as on every bet, so an expired bet whose stake the bond pays in leaves the LPs and
    /// the protocol exactly where a house win would have.
    function payIn(address beneficiary, address token, uint256 creditAmount, uint256 bankrollGain)
        external
        payable
        nonReentrant
    {
        uint256 total = creditAmount + bankrollGain;
        if (total == 0) revert ZeroAmount();
        if (creditAmount != 0 && beneficiary == address(0)) revert ZeroAddress();
        TokenBook storage book = _books[token];
        // lockedTotal holds NONZERO_BIAS from the token's first allow-listing on: never listed, zero
        if (book.lockedTotal == 0) revert TokenNotAllowed(token);
        uint256 received = _pull(token, msg.sender, total);
        // a fee-on-transfer token: the bankroll's part bears the shortfall first
        if (received < total) {
            uint256 short = total - received;
            if (short > bankrollGain) {
                creditAmount -= short - bankrollGain;
                bankrollGain = 0;
            } else {
                bankrollGain -= short;
            }
        }
        if (creditAmount != 0) {
            book.freeTotal += creditAmount.toUint128();
            unchecked {
                _balances[beneficiary][token] += creditAmount; // <= freeTotal
            }
        }
        if (bankrollGain != 0) book.bankrollAssets += bankrollGain.toUint128();
        emit PaidIn(msg.sender, beneficiary, token, creditAmount, bankrollGain);
    }

    /// @inheritdoc IVault
    function balanceOf(address player, address token) external view returns (uint256) {
        return _balances[player][token] & BALANCE_MASK;
    }

    // ------------------------------------------------------------------ games

    /// @inheritdoc IVault
    function depositFrom(address player, address token, uint256 amount)
        external
        onlyGame
        nonReentrant
        returns (uint256 credited)
    {
        if (token == address(0)) revert EthNotPullable();
        return _depositFor(player, player, token, amount);
    }

    /// @inheritdoc IVault
    function openPool(address token) external returns (uint256 poolId) {
        GameRecord memory caller = _games[msg.sender];
        if (!caller.registered) revert NotGame(msg.sender);
        TokenBook storage book = _books[token];
        if (!book.allowed) revert TokenNotAllowed(token);
        uint32 id = ++_counters.poolCount;
        _pools[id] = Pool({
            gameId: caller.id,
            tokenId: book.id,
            state: PoolState.Open,
            balance: 0,
            movedInOrPayBy: 0,
            rakeLeft: 0,
            stakesLeft: 0
        });
        emit PoolOpened(id, msg.sender, token);
        return id;
    }

    /// @inheritdoc IVault
    /// @dev Reverts LocksArePaused while paused; deadline must be in (now, now + MAX_LOCK_DURATION].
    /// Asks the registry (`beforeStake(player, token, amount)`) once the caller is known to be a
    /// registered game, before any other check of the lock, and keeps its answer (counted or not)
    /// in the lock's slot for `_report`.
    /// The fee comes out of the bankroll's free assets and counts with the reserve against the
    /// exposure cap.
    function lock(
        address player,
        address token,
        uint256 amount,
        uint256 maxPayout,
        uint256 houseEdge,
        uint64 deadline,
        uint256 poolId
    ) external returns (uint256 lockId) {
        Config memory config = _config;
        if (config.locksPaused) revert LocksArePaused();
        GameRecord memory caller = _games[msg.sender];
        if (!caller.registered) revert NotGame(msg.sender);
        // Every stake of every game asks the registry here, so no game can skip it, unless the
        // registry answered `clear` for this player and token at the current epoch. Until the id is
        // assigned below, `lockId` holds the slot's COUNTED bit (no stack room for another local).
        uint256 held = _balances[player][token];
        uint256 clearAt = held >> CLEAR_SHIFT;
        if (clearAt != config.registryEpoch || address(config.registry) == address(0)) {
            // slither-disable-next-line reentrancy-no-eth -- the registry is wired once by governance and never calls back
            (lockId, clearAt) = _askStake(config, player, token, amount);
        }
        if (amount == 0) revert ZeroAmount();
        if (deadline <= block.timestamp || deadline > block.timestamp + MAX_LOCK_DURATION) {
            revert BadDeadline(deadline);
        }
        TokenBook storage book = _books[token];
        if (!book.allowed) revert TokenNotAllowed(token);
        uint256 available = held & BALANCE_MASK;
        if (available < amount) revert InsufficientBalance(available, amount);

        // slither-disable-next-line uninitialized-local -- zero for pooled locks, by design
        uint256 fee;
        if (poolId == 0) {
            if (maxPayout < amount) revert BadMaxPayout(amount, maxPayout);
            uint256 edgeCap = (amount * MAX_HOUSE_EDGE_BPS) / BPS;
            if (houseEdge > edgeCap) revert HouseEdgeAboveCap(houseEdge, edgeCap);
            fee = (houseEdge * config.protocolFeeBps) / BPS;
            uint256 reserve = maxPayout - amount;
            if (reserve + fee != 0) {
                uint256 limit = _maxReserve(book);
                if (reserve + fee > limit) revert ExposureTooHigh(reserve + fee, limit);
                // reserve + fee <= limit <= bankrollAssets - bankrollReserved: both stay in [0, assets]
                unchecked {
                    _setBankroll(book, book.bankrollReserved + reserve, book.bankrollAssets - fee);
                }
            }
        } else {
            if (houseEdge != 0) revert HouseEdgeAboveCap(houseEdge, 0);
            if (maxPayout != amount) revert BadMaxPayout(amount, maxPayout);
            Pool storage pool = _pools[poolId];
            if (pool.state != PoolState.Open) revert PoolNotOpen(poolId);
            if (pool.gameId != caller.id) revert NotPoolGame(poolId, msg.sender);
            if (pool.tokenId != book.id) revert PoolTokenMismatch(poolId, token);
            pool.balance += uint128(amount);
        }

        // amount <= available <= freeTotal < 2^128. A balance that reaches zero keeps no answer:
        // the slot then ends as it began for a bet paid straight from the wallet (deposit and lock
        // in one transaction), instead of paying 20,000 to keep a word in a fresh slot.
        unchecked {
            uint256 left = available - amount;
            _balances[player][token] = left == 0 ? 0 : left | (clearAt << CLEAR_SHIFT);
            _setPlayerTotals(book, book.freeTotal - amount, (book.lockedTotal + amount).toUint128());
        }

        // settle adds maxPayout - amount and payouts to uint128 books: bound it here
        // deadline <= now + MAX_LOCK_DURATION < 2^39; `lockId` is still the COUNTED bit or 0
        uint256 id = _countLock(book, fee);
        _locks[id] = lockId | (uint256(deadline) << HASH_BITS)
            | _hashTerms(
                LockTerms({
                    player: player,
                    token: token,
                    game: msg.sender,
                    amount: amount,
                    maxPayout: uint256(maxPayout.toUint128()),
                    poolId: poolId
                })
            );
        lockId = id;
        emit Locked(lockId, msg.sender, player, token, amount, maxPayout, deadline, poolId, fee);
    }

    /// @inheritdoc IVault
    /// @dev Only the lock's game, registered or not (an unregistered game still settles what it
    /// locked: a delivered result is honoured) and whether or not the token is still allowed.
    /// Settling after the deadline is allowed as long as nobody has refunded the lock yet, so games
    /// should choose deadlines well past their randomness or result delivery time.
    function settle(uint256 lockId, LockTerms calldata held, uint256 payout) external {
        uint256 slot = _openLock(lockId, held);
        if (msg.sender != held.game) revert NotLockGame(lockId, msg.sender);
        if (held.poolId != 0) revert NotBankrollLock(lockId);
        if (payout > held.maxPayout) revert PayoutAboveMax(payout, held.maxPayout);
        delete _locks[lockId];

        address token = held.token;
        TokenBook storage book = _books[token];
        // lock bound amount <= maxPayout < 2^128, and payout <= maxPayout
        uint128 amount = uint128(held.amount);
        uint256 assets = book.bankrollAssets;
        // Subtractions cannot underflow: the stake is in lockedTotal, its reserve in bankrollReserved,
        // and bankrollAssets >= bankrollReserved >= the reserve >= the extra paid.
        unchecked {
            if (payout > amount) assets -= payout - amount;
            _setPlayerTotals(book, (book.freeTotal + payout).toUint128(), book.lockedTotal - amount);
        }
        if (payout < amount) assets += amount - payout;
        unchecked {
            _setBankroll(book, book.bankrollReserved - (uint128(held.maxPayout) - amount), assets.toUint128());
        }
        if (payout != 0) {
            unchecked {
                _balances[held.player][token] += payout; // <= freeTotal
            }
        }
        emit Settled(lockId, held.player, payout);
        _report(slot, held, payout);
    }

    /// @inheritdoc IVault
    /// @dev The lock's game may refund even after it was unregistered: a refund only returns money.
    function refund(uint256 lockId, LockTerms calldata held) external {
        uint256 slot = _openLock(lockId, held);
        uint64 deadline = _deadline(slot);
        bool afterDeadline = msg.sender != held.game;
        if (afterDeadline && block.timestamp <= deadline) revert DeadlineNotReached(deadline);

        address token = held.token;
        TokenBook storage book = _books[token];
        uint128 amount = uint128(held.amount); // <= maxPayout < 2^128, bound at lock
        if (held.poolId == 0) {
            book.bankrollReserved -= uint128(held.maxPayout) - amount;
        } else {
            Pool storage pool = _pools[held.poolId];
            if (pool.state != PoolState.Open) revert PoolNotOpen(held.poolId);
            // an open pool's balance includes every stake locked into it and not refunded
            pool.balance -= amount;
        }
        delete _locks[lockId];
        unchecked {
            // the stake is in lockedTotal
            _setPlayerTotals(book, (uint256(book.freeTotal) + amount).toUint128(), book.lockedTotal - amount);
            _balances[held.player][token] += held.amount; // <= freeTotal
        }
        emit Refunded(lockId, held.player, held.amount, afterDeadline);
        _report(slot, held, held.amount);
    }

    /// @inheritdoc IVault
    function closePool(uint256 poolId) external {
        Pool storage pool = _gamePool(poolId, PoolState.Open);
        uint128 total = pool.balance;
        uint64 payBy = uint64(block.timestamp + POOL_PAYOUT_WINDOW);
        // an open pool's balance is its stakes plus what was moved into it
        uint128 stakes = total - pool.movedInOrPayBy;
        pool.state = PoolState.Closed;
        pool.movedInOrPayBy = payBy;
        pool.rakeLeft = uint128((uint256(total) * MAX_POOL_RAKE_BPS) / BPS);
        pool.stakesLeft = stakes;
        emit PoolClosed(poolId, total, stakes, payBy);
    }

    /// @inheritdoc IVault
    function payFromPool(uint256 poolId, address player, uint256 amount) external {
        _payFromPool(poolId, player, amount);
    }

    /// @inheritdoc IVault
    /// @dev The pool is checked first, so a pool whose backstop began answers `PoolUnwinding` as
    /// `payFromPool` does, even for a lock the backstop already returned; the terms are checked
    /// next (a mismatch reverts the payment with them). A lock is locked into a pool only by the
    /// pool's game, so `_gamePool`'s caller check makes the caller `held.game`.
    function payLockFromPool(uint256 lockId, LockTerms calldata held, uint256 amount) external {
        if (held.poolId == 0) revert NotPoolLock(lockId);
        _payFromPool(held.poolId, held.player, amount);
        _report(_openLock(lockId, held), held, amount);
    }

    /// @dev Pays `amount` from closed pool `poolId` (the caller's) to `player`'s free balance.
    function _payFromPool(uint256 poolId, address player, uint256 amount) private {
        if (player == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroAmount();
        Pool storage pool = _gamePool(poolId, PoolState.Closed);
        _debitPool(pool, amount);
        address token = _tokenById[pool.tokenId];
        TokenBook storage book = _books[token];
        unchecked {
            // the pool's balance is part of lockedTotal
            _setPlayerTotals(book, (book.freeTotal + amount).toUint128(), book.lockedTotal - amount);
            _balances[player][token] += amount; // <= freeTotal
        }
        emit PoolPaid(poolId, player, amount);
    }

    /// @inheritdoc IVault
    /// @dev The rake accrues to the protocol fees of the pool's token.
    function takePoolFee(uint256 poolId, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        Pool storage pool = _gamePool(poolId, PoolState.Closed);
        uint128 rakeLeft = pool.rakeLeft;
        if (amount > rakeLeft) revert RakeAboveCap(amount, rakeLeft);
        _debitPool(pool, amount);
        TokenBook storage book = _books[_tokenById[pool.tokenId]];
        unchecked {
            pool.rakeLeft = rakeLeft - uint128(amount);
            book.lockedTotal -= uint128(amount); // the pool's balance is part of lockedTotal
        }
        book.accruedFees += uint128(amount);
        emit PoolFeeTaken(poolId, amount);
    }

    /// @inheritdoc IVault
    function movePool(uint256 fromPoolId, uint256 toPoolId, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        Pool storage from = _gamePool(fromPoolId, PoolState.Closed);
        Pool storage to = _pools[toPoolId];
        if (to.state != PoolState.Open) revert PoolNotOpen(toPoolId);
        if (to.gameId != from.gameId) revert NotPoolGame(toPoolId, msg.sender);
        if (to.tokenId != from.tokenId) revert PoolTokenMismatch(toPoolId, _tokenById[from.tokenId]);
        _debitPool(from, amount);
        uint96 movedIn = (uint256(to.movedInOrPayBy) + amount).toUint96();
        unchecked {
            // both balances are part of the same token's lockedTotal (< 2^128)
            to.balance += uint128(amount);
        }
        to.movedInOrPayBy = movedIn;
        emit PoolMoved(fromPoolId, toPoolId, amount);
    }

    /// @inheritdoc IVault
    /// @dev The share is `stake * balance / stakes` rounded down, over the balance and the
    /// unwound-not-yet stakes at this call; the last stake takes the whole balance left, so
    /// rounding leaves nothing behind and each share is at least its pro rata share at the start.
    function refundClosedPool(uint256 lockId, LockTerms calldata held) external {
        uint256 slot = _openLock(lockId, held);
        uint256 poolId = held.poolId;
        if (poolId == 0) revert NotPoolLock(lockId);
        Pool storage pool = _startBackstop(poolId);
        uint128 amount = uint128(held.amount); // a pooled lock's amount < 2^128, bound at lock
        uint128 balance = pool.balance;
        uint128 stakes = pool.stakesLeft; // >= amount: it counts every lock not yet returned
        uint128 share = stakes == amount ? balance : uint128(Math.mulDiv(amount, balance, stakes));
        delete _locks[lockId];
        address token = held.token;
        TokenBook storage book = _books[token];
        unchecked {
            pool.balance = balance - share;
            pool.stakesLeft = stakes - amount;
            // the pool's balance is part of lockedTotal
            _setPlayerTotals(book, (book.freeTotal + uint256(share)).toUint128(), book.lockedTotal - share);
        }
        if (share != 0) {
            unchecked {
                _balances[held.player][token] += share; // <= freeTotal
            }
        }
        emit ClosedPoolRefunded(poolId, lockId, held.player, held.amount, share);
        _report(slot, held, share);
    }

    /// @inheritdoc IVault
    /// @dev No fee is taken: this is not a bet's gain.
    function releaseClosedPool(uint256 poolId) external {
        Pool storage pool = _startBackstop(poolId);
        uint256 stakes = pool.stakesLeft;
        if (stakes != 0) revert StakesLeft(poolId, stakes);
        uint128 balance = pool.balance;
        if (balance == 0) revert ZeroAmount();
        pool.balance = 0;
        TokenBook storage book = _books[_tokenById[pool.tokenId]];
        unchecked {
            book.lockedTotal -= balance; // the pool's balance is part of lockedTotal
        }
        book.bankrollAssets += balance;
        emit ClosedPoolReleased(poolId, balance);
    }

    // ------------------------------------------------------------------ bankroll

    /// @inheritdoc IVault
    /// @dev ERC-20s: the amount received is what is pending (fee-on-transfer safe). A self-excluded
    /// caller is refused with the registry's `SelfExcluded` (see `playerRegistry`). Adding to a
    /// pending request restarts its delay for the whole of it.
    function requestBankrollDeposit(address token, uint256 assets)
        external
        payable
        nonReentrant
        returns (uint256 claimableAt)
    {
        IPlayerRegistry registry = _config.registry;
        if (address(registry) != address(0)) registry.requireNotExcluded(msg.sender);
        _allowedBook(token, assets);
        uint256 received = _pull(token, msg.sender, assets);
        // slither-disable-next-line incorrect-equality -- nothing arrived (a 0-delivering token), not a balance check
        if (received == 0) revert ZeroAmount();
        PendingRequest storage request = _depositRequests[token][msg.sender];
        claimableAt = block.timestamp + BANKROLL_DELAY;
        request.amount += received.toUint128();
        request.claimableAt = uint64(claimableAt);
        _queues[token].pendingAssets += received.toUint128();
        emit BankrollDepositRequested(msg.sender, token, received, claimableAt);
    }

    /// @inheritdoc IVault
    /// @dev Shares round down (in the Vault's favour) and are priced as if every open lock of the
    /// token were won by the house (`previewBankrollDeposit`), so a claim timed before a known
    /// house win gains nothing from it.
    function claimBankrollDeposit(address token, address owner_) external returns (uint256 shares) {
        return VaultBankroll.claimDeposit(
            _books[token], _depositRequests[token], _queues[token], _shares[token], _config.registry, token, owner_
        );
    }

    /// @inheritdoc IVault
    function cancelBankrollDeposit(address token) external returns (uint256 assets) {
        return VaultBankroll.cancelDeposit(_books[token], _depositRequests[token], _queues[token], _balances, token);
    }

    /// @inheritdoc IVault
    /// @dev Adding to a pending request restarts its delay for the whole of it.
    function requestBankrollRedeem(address token, uint256 shares) external returns (uint256 claimableAt) {
        return VaultBankroll.requestRedeem(_redeemRequests[token], _queues[token], _shares[token], token, shares);
    }

    /// @inheritdoc IVault
    /// @dev Assets round down (in the Vault's favour) and are priced as if every open lock of the
    /// token were won by its player (`previewBankrollRedeem`), so a claim timed before a known
    /// player win escapes none of it. Not pausable.
    function claimBankrollRedeem(address token, address owner_) external returns (uint256 assets) {
        return VaultBankroll.claimRedeem(_books[token], _redeemRequests[token], _queues[token], _balances, token, owner_);
    }

    /// @inheritdoc IVault
    function cancelBankrollRedeem(address token) external returns (uint256 shares) {
        return VaultBankroll.cancelRedeem(_redeemRequests[token], _queues[token], _shares[token], token);
    }

    /// @notice Shares `claimBankrollDeposit` would mint for `assets` now: priced on the bankroll's
    /// assets plus every open lock's stake (its most the house can gain from them).
    function previewBankrollDeposit(address token, uint256 assets) external view returns (uint256) {
        return VaultBankroll.toSharesEntering(_books[token], assets);
    }

    /// @notice Assets `claimBankrollRedeem` would credit for `shares` now (before the withdrawable
    /// check): priced on the bankroll's assets less every open lock's reserve (the most it can lose).
    function previewBankrollRedeem(address token, uint256 shares) external view returns (uint256) {
        return VaultBankroll.toAssetsLeaving(_books[token], shares);
    }

    /// @inheritdoc IVault
    function bankrollRequests(address token, address owner_)
        external
        view
        returns (uint256 depositAssets, uint256 depositClaimableAt, uint256 redeemShares, uint256 redeemClaimableAt)
    {
        PendingRequest memory deposit = _depositRequests[token][owner_];
        PendingRequest memory redeem = _redeemRequests[token][owner_];
        return (deposit.amount, deposit.claimableAt, redeem.amount, redeem.claimableAt);
    }

    /// @inheritdoc IVault
    function bankrollPending(address token) external view returns (uint256 assets, uint256 shares) {
        Queue memory queue = _queues[token];
        return (queue.pendingAssets, queue.pendingShares);
    }

    // ------------------------------------------------------------------ governance (owner = timelock)

    /// @notice Register or unregister a game. Unregistering stops new business only: the game can
    /// no longer pull deposits, open pools or lock stakes, but it still settles and refunds its
    /// open locks and operates its own pools (close, pay out, rake, move into its own open pool).
    function setGame(address game, bool registered) external onlyOwner {
        if (game == address(0)) revert ZeroAddress();
        GameRecord storage record = _games[game];
        if (registered && record.id == 0) {
            if (_counters.gameCount == type(uint16).max) revert RegistryFull();
            uint16 id = ++_counters.gameCount;
            record.id = id;
            _gameById[id] = game;
        }
        record.registered = registered;
        emit GameSet(game, registered);
    }

    /// @notice Allow or disallow new deposits, locks, pools and bankroll deposits in `token`
    /// (address(0) = ETH). Existing balances, locks, pools and shares are unaffected: locks still
    /// settle and refund, pools still close, pay out and move, withdrawals still work.
    function setToken(address token, bool allowed) external onlyOwner {
        TokenBook storage book = _books[token];
        if (allowed && book.id == 0) {
            if (_counters.tokenCount == type(uint8).max) revert RegistryFull();
            uint8 id = ++_counters.tokenCount;
            book.id = id;
            book.lockedTotal = NONZERO_BIAS;
            book.accruedFees = NONZERO_BIAS;
            _tokenById[id] = token;
        }
        book.allowed = allowed;
        emit TokenSet(token, allowed);
    }

    /// @notice Set the share of `token`'s free bankroll one lock may reserve (<= MAX_RISK_FRACTION_BPS).
    function setRiskFraction(address token, uint16 bps) external onlyOwner {
        if (bps > MAX_RISK_FRACTION_BPS) revert RiskAboveCap(bps, MAX_RISK_FRACTION_BPS);
        _books[token].riskFractionBps = bps;
        emit RiskFractionSet(token, bps);
    }

    /// @notice Set the protocol fee, in bps of each bankroll lock's house edge (<= MAX_PROTOCOL_FEE_BPS).
    /// Applies to locks opened from now on; an open lock's fee was taken when it opened.
    function setProtocolFee(uint16 bps) external onlyOwner {
        if (bps > MAX_PROTOCOL_FEE_BPS) revert FeeAboveCap(bps, MAX_PROTOCOL_FEE_BPS);
        _config.protocolFeeBps = bps;
        emit ProtocolFeeSet(bps);
    }

    /// @notice Set where `withdrawFees` sends accrued fees.
    function setFeeRecipient(address recipient) external onlyOwner {
        if (recipient == address(0)) revert ZeroAddress();
        feeRecipient = recipient;
        emit FeeRecipientSet(recipient);
    }

    /// @notice Set the guardian (address(0) for none).
    function setGuardian(address newGuardian) external onlyOwner {
        guardian = newGuardian;
        emit GuardianSet(newGuardian);
    }

    /// @notice Wire the PlayerRegistry asked before every lock, bankroll deposit and player deposit.
    /// Once only: it can never be replaced or removed, so governance cannot let self-excluded players
    /// back into games or the bankroll nor lift a limit. The registry must register this Vault
    /// (`PlayerRegistry.setVault`) before a player with a limit, a person or a KYC rule can stake,
    /// or a player with a deposit limit deposit.
    function setPlayerRegistry(IPlayerRegistry registry) external onlyOwner {
        if (address(registry) == address(0)) revert ZeroAddress();
        IPlayerRegistry wired = _config.registry;
        if (address(wired) != address(0)) revert PlayerRegistryAlreadySet(address(wired));
        _config.registry = registry;
        _config.registryEpoch = registry.isVault(address(this)) ? 1 | KEEPS : 1;
        emit PlayerRegistrySet(address(registry));
    }

    /// @inheritdoc IPlayerRegistryVault
    /// @dev Moves the epoch on, so every `clear` answer kept beside a balance is void at once, and
    /// keeps answers from now on only while the registry lists this Vault as registered (it is
    /// told before a deregistration takes effect and after a registration).
    function registryChanged() external {
        Config memory config = _config;
        IPlayerRegistry registry = config.registry;
        if (msg.sender != address(registry)) revert NotPlayerRegistry(msg.sender);
        uint32 counter = config.registryEpoch & LAST_EPOCH;
        if (counter == LAST_EPOCH) return;
        ++counter;
        _config.registryEpoch = counter != LAST_EPOCH && registry.isVault(address(this)) ? counter | KEEPS : counter;
    }

    /// @notice Send all accrued fees of `token` to the fee recipient. Touches nothing else.
    function withdrawFees(address token) external onlyOwner nonReentrant returns (uint256 amount) {
        address recipient = feeRecipient;
        if (recipient == address(0)) revert ZeroAddress();
        TokenBook storage book = _books[token];
        uint256 stored = book.accruedFees;
        // stored is 0 for a token never allow-listed, NONZERO_BIAS when no fees accrued
        if (stored <= NONZERO_BIAS) revert ZeroAmount();
        unchecked {
            amount = stored - NONZERO_BIAS;
        }
        book.accruedFees = NONZERO_BIAS;
        emit FeesWithdrawn(token, recipient, amount);
        _push(token, recipient, amount);
    }

    /// @notice Guardian or owner: stop new locks. Settles, refunds, withdrawals and every bankroll
    /// request, claim and cancel keep working.
    function pause() external {
        _setPaused(true);
    }

    /// @notice Guardian or owner: allow new locks again.
    function unpause() external {
        _setPaused(false);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IVault
    function bankrollAssets(address token) external view returns (uint256) {
        return _books[token].bankrollAssets;
    }

    /// @inheritdoc IVault
    function bankrollReserved(address token) external view returns (uint256) {
        return _books[token].bankrollReserved;
    }

    /// @inheritdoc IVault
    function sharesOf(address provider, address token) external view returns (uint256) {
        return _shares[token][provider];
    }

    /// @inheritdoc IVault
    function totalShares(address token) external view returns (uint256) {
        return _books[token].totalShares;
    }

    /// @inheritdoc IVault
    function lockedTotal(address token) external view returns (uint256) {
        return VaultBankroll.unbiased(_books[token].lockedTotal);
    }

    /// @inheritdoc IVault
    function accruedFees(address token) external view returns (uint256) {
        return VaultBankroll.unbiased(_books[token].accruedFees);
    }

    /// @notice Sum of every player's free balance in `token`.
    function freeBalanceTotal(address token) external view returns (uint256) {
        return _books[token].freeTotal;
    }

    /// @inheritdoc IVault
    function isGame(address game) external view returns (bool) {
        return _games[game].registered;
    }

    /// @inheritdoc IVault
    function isTokenAllowed(address token) external view returns (bool) {
        return _books[token].allowed;
    }

    /// @inheritdoc IVault
    function maxReserve(address token) external view returns (uint256) {
        return _maxReserve(_books[token]);
    }

    /// @notice The share of the free bankroll one lock may reserve, in bps.
    function riskFractionBps(address token) external view returns (uint16) {
        return _books[token].riskFractionBps;
    }

    /// @notice The protocol fee, in bps of each bankroll lock's house edge.
    function protocolFeeBps() external view returns (uint16) {
        return _config.protocolFeeBps;
    }

    /// @notice Whether new locks are paused.
    function locksPaused() external view returns (bool) {
        return _config.locksPaused;
    }

    /// @notice Asked before every lock (`beforeStake`: every stake of every game, so no game can skip
    /// player protection), before every bankroll deposit (a self-excluded or timed-out depositor is
    /// refused: being the house is gambling) and before every deposit credited to a player's free
    /// balance (`depositFor`, `depositFrom`: the player's deposit limits). Wired once by
    /// `setPlayerRegistry`; address(0) until then.
    function playerRegistry() external view returns (IPlayerRegistry) {
        return _config.registry;
    }

    /// @notice Number of locks of `token` ever created. A lock's id is the token's compact id
    /// (from allow-listing, kept for good) shifted left by 40 bits, plus its number: 1 to this.
    function lockCount(address token) external view returns (uint256) {
        return _books[token].lockCount;
    }

    /// @notice The id the next lock of `token` gets (`lockCount(token) + 1` under the token's id).
    function nextLockId(address token) external view returns (uint256) {
        TokenBook storage book = _books[token];
        return (uint256(book.id) << LOCK_NUMBER_BITS) | (uint256(book.lockCount) + 1);
    }

    /// @notice Number of pools ever opened; pool ids run from 1 to this.
    function poolCount() external view returns (uint256) {
        return _counters.poolCount;
    }

    /// @inheritdoc IVault
    function lockOf(uint256 lockId) external view returns (uint64 deadline, bytes27 termsHash) {
        uint256 held = _locks[lockId];
        return (_deadline(held), bytes27(uint216(held)));
    }

    /// @inheritdoc IVault
    function registryEpoch() external view returns (uint32 epoch, bool keeps) {
        uint32 raw = _config.registryEpoch;
        return (raw & LAST_EPOCH, raw & KEEPS != 0);
    }

    /// @inheritdoc IVault
    function registryClear(address player, address token) external view returns (bool) {
        Config memory config = _config;
        uint256 clearAt = _balances[player][token] >> CLEAR_SHIFT;
        return address(config.registry) != address(0) && clearAt == config.registryEpoch;
    }

    /// @inheritdoc IVault
    function lockCounted(uint256 lockId) external view returns (bool) {
        return _locks[lockId] & COUNTED != 0;
    }

    /// @inheritdoc IVault
    function getBooks(address token) external view returns (BooksView memory info) {
        TokenBook storage book = _books[token];
        info = BooksView({
            held: token == address(0) ? address(this).balance : IERC20(token).balanceOf(address(this)),
            allowed: book.allowed,
            riskFractionBps: book.riskFractionBps,
            freeTotal: book.freeTotal,
            lockedTotal: VaultBankroll.unbiased(book.lockedTotal),
            bankrollAssets: book.bankrollAssets,
            bankrollReserved: book.bankrollReserved,
            accruedFees: VaultBankroll.unbiased(book.accruedFees),
            totalShares: book.totalShares
        });
    }

    /// @inheritdoc IVault
    function getPool(uint256 poolId) external view returns (PoolView memory info) {
        Pool memory pool = _pools[poolId];
        info = PoolView({
            game: _gameById[pool.gameId],
            token: _tokenById[pool.tokenId],
            state: uint8(pool.state),
            balance: pool.balance,
            rakeLeft: pool.rakeLeft,
            payBy: pool.state == PoolState.Open ? 0 : uint64(pool.movedInOrPayBy),
            stakes: pool.state == PoolState.Open ? pool.balance - pool.movedInOrPayBy : pool.stakesLeft
        });
    }

    // ------------------------------------------------------------------ internals

    /// @dev The low 216 bits of the terms' hash: forging any field needs a second preimage of a
    /// 216-bit hash (2^216 work).
    /// LockTerms is six static words, so a memory struct is laid out exactly as `abi.encode(terms)`
    /// and is hashed where it lies (no second copy).
    function _hashTerms(LockTerms memory terms) private pure returns (uint256 hash) {
        // slither-disable-next-line assembly -- keccak256 of the struct's six words in place
        assembly ("memory-safe") {
            hash := and(keccak256(terms, 0xc0), 0xffffffffffffffffffffffffffffffffffffffffffffffffffffff)
        }
    }

    /// @dev `_hashTerms` of calldata terms: their six words as sent, copied once past the free
    /// memory pointer. An address with dirty high bits hashes differently from the lock's
    /// (which `lock` hashed clean), so it fails the check like any other wrong term.
    function _hashTermsCalldata(LockTerms calldata terms) private pure returns (uint256 hash) {
        // slither-disable-next-line assembly -- hashes the six words of a static calldata struct
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, terms, 0xc0)
            hash := and(keccak256(ptr, 0xc0), 0xffffffffffffffffffffffffffffffffffffffffffffffffffffff)
        }
    }

    /// @dev The slot of lock `lockId`; reverts unless it is open and was locked with exactly `terms`.
    function _openLock(uint256 lockId, LockTerms calldata terms) private view returns (uint256 held) {
        held = _locks[lockId];
        if (held == 0) revert LockNotOpen(lockId);
        if (uint216(held) != _hashTermsCalldata(terms)) revert BadLockTerms(lockId);
    }

    /// @dev The deadline held in a lock slot (0 for a closed lock).
    function _deadline(uint256 held) private pure returns (uint64) {
        return uint64((held >> HASH_BITS) & DEADLINE_MASK);
    }

    /// @dev Tells the registry that the stake of a lock (its `slot`, read before it was cleared)
    /// paid `paidOut` back, when the registry counted the stake and something was paid. Last in
    /// every caller, after the books and the event: the registry gets at most REGISTRY_REPORT_GAS
    /// and its failure (a revert, running out of gas) is ignored, so it cannot block the money.
    /// The registry is set whenever the bit is: it counted the stake, and it is never unwired.
    function _report(uint256 slot, LockTerms calldata held, uint256 paidOut) private {
        if (slot < COUNTED || paidOut == 0) return;
        bytes memory data = abi.encodeCall(IPlayerRegistry.afterSettle, (held.player, held.token, held.amount, paidOut));
        address registry = address(_config.registry);
        // slither-disable-next-line assembly,unused-return -- a bounded call whose failure is deliberately ignored and whose return data is never copied
        assembly ("memory-safe") {
            pop(call(REGISTRY_REPORT_GAS, registry, 0, add(data, 0x20), mload(data), 0, 0))
        }
    }

    /// @dev Writes a book's freeTotal and lockedTotal (its first slot, freeTotal in the low 128
    /// bits) in one SSTORE: field by field, the second write costs another 100 gas, and a lock
    /// right after a deposit in one transaction (the first write restoring the slot's value before
    /// the transaction) pays the 2,900 of a clean write twice.
    /// Callers keep both below 2^128.
    function _setPlayerTotals(TokenBook storage book, uint256 free, uint256 locked) private {
        uint256 word = uint256(uint128(free)) | (uint256(uint128(locked)) << 128);
        // slither-disable-next-line assembly -- one write of TokenBook's first slot, laid out in VaultBankroll
        assembly ("memory-safe") {
            sstore(book.slot, word)
        }
    }

    /// @dev Writes a book's bankrollReserved and bankrollAssets (its second slot, reserved in the
    /// low 128 bits) in one SSTORE, as `_setPlayerTotals`.
    function _setBankroll(TokenBook storage book, uint256 reserved, uint256 assets) private {
        uint256 word = uint256(uint128(reserved)) | (uint256(uint128(assets)) << 128);
        // slither-disable-next-line assembly -- one write of TokenBook's second slot, laid out in VaultBankroll
        assembly ("memory-safe") {
            sstore(add(book.slot, 1), word)
        }
    }

    /// @dev The lock's id, `book.id << LOCK_NUMBER_BITS | n` for the token's n-th lock, and its fee
    /// added to accruedFees, in one SSTORE of the book's third slot (laid out in VaultBankroll:
    /// accruedFees 0..127, riskFractionBps 128..143, id 144..151, allowed 152..159, lockCount
    /// 160..199). Ids stay unique across tokens (the compact id is the token's for good) and fit the
    /// 48 bits games keep of them.
    function _countLock(TokenBook storage book, uint256 fee) private returns (uint256 id) {
        uint256 word;
        // slither-disable-next-line assembly -- one read of TokenBook's third slot, laid out in VaultBankroll
        assembly ("memory-safe") {
            word := sload(add(book.slot, 2))
        }
        uint256 fees = (uint256(uint128(word)) + fee).toUint128();
        uint256 number = (uint256(uint40(word >> 160)) + 1).toUint40();
        word = (word & ~(uint256(type(uint128).max) | (uint256(type(uint40).max) << 160))) | fees | (number << 160);
        // slither-disable-next-line assembly -- one write of TokenBook's third slot, as read above
        assembly ("memory-safe") {
            sstore(add(book.slot, 2), word)
        }
        id = (uint256(uint8(word >> 144)) << LOCK_NUMBER_BITS) | number;
    }

    function _allowedBook(address token, uint256 amount) private view returns (TokenBook storage book) {
        if (amount == 0) revert ZeroAmount();
        book = _books[token];
        if (!book.allowed) revert TokenNotAllowed(token);
    }

    /// @dev Asks the registry (once wired) before a stake is locked (`beforeStake`: breaks, loss and
    /// wager limits, KYC thresholds; a refusal bubbles up unchanged): COUNTED when it counted the
    /// stake, else 0 (and 0 with no registry wired, which counts nothing); and the epoch to keep
    /// beside the player's balance: the current one when the registry answered `clear`, else 0.
    function _askStake(Config memory config, address player, address token, uint256 amount)
        private
        returns (uint256 counted, uint256 clearAt)
    {
        if (address(config.registry) == address(0)) return (0, 0);
        (bool wasCounted, bool clear) = config.registry.beforeStake(player, token, amount);
        if (wasCounted) counted = COUNTED;
        if (clear && config.registryEpoch & KEEPS != 0) clearAt = config.registryEpoch;
    }

    /// @dev Asks the registry (once wired) before a deposit is credited (`beforeDeposit`: deposit
    /// limits, with the gross amount, before any transfer fee); a refusal reverts there and
    /// bubbles up unchanged.
    function _askDeposit(IPlayerRegistry registry, address player, address token, uint256 amount) private {
        if (address(registry) != address(0)) registry.beforeDeposit(player, token, amount);
    }

    function _credit(TokenBook storage book, address player, address token, uint256 amount) private {
        // slither-disable-next-line incorrect-equality -- nothing arrived (e.g. a 0-delivering token), not a balance check
        if (amount == 0) revert ZeroAmount();
        book.freeTotal += amount.toUint128();
        // a balance never exceeds freeTotal, which just proved it fits in uint128
        unchecked {
            _balances[player][token] += amount;
        }
        emit Deposited(player, token, amount);
    }

    /// @dev Take `amount` (> 0) of `token` from the caller's free balance, bound for `to` (not address(0)).
    function _debitCaller(address token, uint256 amount, address to) private {
        if (amount == 0) revert ZeroAmount();
        if (to == address(0)) revert ZeroAddress();
        uint256 held = _balances[msg.sender][token];
        uint256 available = held & BALANCE_MASK;
        if (available < amount) revert InsufficientBalance(available, amount);
        // The registry's clear answer stays with a balance left; an emptied one keeps nothing (see `lock`).
        unchecked {
            _balances[msg.sender][token] = available == amount ? 0 : held - amount;
        }
    }

    /// @dev Credit `player` with `amount` of `token` pulled from `payer` (ETH: msg.value), once the
    /// token is allowed and the player registry agrees.
    function _depositFor(address payer, address player, address token, uint256 amount)
        private
        returns (uint256 credited)
    {
        if (player == address(0)) revert ZeroAddress();
        TokenBook storage book = _allowedBook(token, amount);
        _askDeposit(_config.registry, player, token, amount);
        credited = _pull(token, payer, amount);
        _credit(book, player, token, credited);
    }

    /// @dev Pulls `amount` from `from` (ETH: checks msg.value) and returns what actually arrived.
    // slither-disable-next-line arbitrary-send-erc20,msg-value-in-nonpayable -- `from` is the caller, or the player a registered game pulls for (credited to that player's own balance); reached from the payable deposits
    function _pull(address token, address from, uint256 amount) private returns (uint256 received) {
        if (token == address(0)) {
            if (msg.value != amount) revert WrongEthValue(amount, msg.value);
            return amount;
        }
        if (msg.value != 0) revert UnexpectedEth();
        IERC20 erc20 = IERC20(token);
        uint256 before = erc20.balanceOf(address(this));
        erc20.safeTransferFrom(from, address(this), amount);
        received = erc20.balanceOf(address(this)) - before;
    }

    /// @dev ETH goes out with a plain call that copies no return data; a recipient that rejects
    /// it only blocks its own payment (the player can withdraw to another address).
    function _push(address token, address to, uint256 amount) private {
        if (token == address(0)) {
            bool sent;
            assembly ("memory-safe") {
                sent := call(gas(), to, amount, 0, 0, 0, 0)
            }
            if (!sent) revert EthTransferFailed();
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }

    function _gamePool(uint256 poolId, PoolState required) private view returns (Pool storage pool) {
        pool = _pools[poolId];
        PoolState state = pool.state;
        if (state == PoolState.None || (required == PoolState.Open && state != PoolState.Open)) {
            revert PoolNotOpen(poolId);
        }
        if (state == PoolState.Unwinding) revert PoolUnwinding(poolId);
        if (state != required) revert PoolNotClosed(poolId);
        // registration is not required: a pool's game operates it to the end (see the contract notes)
        if (pool.gameId != _games[msg.sender].id) revert NotPoolGame(poolId, msg.sender);
    }

    /// @dev A closed pool past its payout window enters the backstop (once, for good: the game
    /// can no longer pay from it); an unwinding one stays there.
    function _startBackstop(uint256 poolId) private returns (Pool storage pool) {
        pool = _pools[poolId];
        PoolState state = pool.state;
        if (state == PoolState.Unwinding) return pool;
        if (state != PoolState.Closed) revert PoolNotClosed(poolId);
        uint64 payBy = uint64(pool.movedInOrPayBy); // closed: a timestamp
        if (block.timestamp <= payBy) revert DeadlineNotReached(payBy);
        pool.state = PoolState.Unwinding;
        emit PoolBackstopStarted(poolId, pool.balance, pool.stakesLeft);
    }

    function _debitPool(Pool storage pool, uint256 amount) private {
        uint128 balance = pool.balance;
        if (amount > balance) revert PoolBalanceTooLow(balance, amount);
        unchecked {
            pool.balance = balance - uint128(amount);
        }
    }

    /// @dev What all open locks together may still add to their reserves: the risk fraction of the
    /// bankroll's assets, less what they already reserve (zero when governance lowered the fraction
    /// below what is reserved).
    function _maxReserve(TokenBook storage book) private view returns (uint256) {
        uint256 cap = (uint256(book.bankrollAssets) * book.riskFractionBps) / BPS;
        uint256 reserved = book.bankrollReserved;
        return cap > reserved ? cap - reserved : 0;
    }

    function _setPaused(bool paused) private {
        if (msg.sender != guardian && msg.sender != owner()) revert NotGuardian(msg.sender);
        _config.locksPaused = paused;
        emit LocksPaused(paused);
    }
}
