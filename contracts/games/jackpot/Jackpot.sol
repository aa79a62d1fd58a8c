// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IRandomnessCoordinator} from "../../interfaces/IRandomnessCoordinator.sol";
import {IJackpotErrors} from "../../interfaces/IGameErrors.sol";
import {RandomnessGame} from "../base/RandomnessGame.sol";
import {PoolEntry} from "../base/PoolEntry.sol";
import {JackpotRules} from "./JackpotRules.sol";

/// @title Jackpot
/// @notice Rounds per token: players buy tickets while a round is open, anyone triggers the draw
/// once sales close (the next round opens at once), verifiable randomness picks one winning ticket,
/// and the winner claims the pool minus a capped rake. The stakes never leave the Vault: each
/// purchase is a pooled lock in the round's Vault pool.
///
/// Round life: Open -> (draw) -> Drawing -> (randomness) -> Drawn -> Claimed, or -> RolledOver when
/// the prize is unclaimed after the claim period (it moves into the token's open round).
/// Open with no tickets -> (draw) -> Closed (or Drawn without a winner when it holds rolled-over
/// money, which then rolls on). A draw that is not triggered in the draw window, whose randomness
/// expires, or that would resolve after the locks' deadline makes the round Refundable: every
/// purchase can be refunded (by anyone, to its buyer), and the Vault's deadline backstop works as
/// well because the pool stays open until a winner is known.
///
/// Withholding (docs/randomness-economics.md has the arithmetic): the oracle key's holder learns a
/// draw's winner before anyone else and could publish only the draws it wins. So a draw reserves
/// from the key's bond, with pot = ticket sales S + rolled-in money R: a compensation C = S + 2R
/// shared among the round's tickets on top of their refunds, and a slash of one pot burnt (a sink
/// no participant shares in). A withholder holding any share of the tickets never ends above
/// publishing; an honest holder ends at or above its expected prize whenever the withholder holds
/// at most half the tickets, and always in an outage. No rule can do better for every holder
/// against a withholder holding most tickets (fair coin tossing with abort is impossible).
///
/// Governance stops new business only: if the Vault refuses the next round's pool (this game
/// unregistered, or the token disallowed), the round that stopped selling is still drawn, claimed,
/// refunded or rolled over as above, and no round sells (`currentRound` is 0) until one can open.
/// A drawn prize then stays claimable by its winner; a Refundable round's rolled-in money goes
/// to that round's tickets pro rata (`shareRolledIn`); a winnerless round's rolled-in money waits
/// for the token's next round.
///
/// Every closed pool unwinds by the Vault's deadline whatever this game does: a pool still holding
/// money `POOL_PAYOUT_WINDOW` after it closed (an unclaimed prize not rolled over, a winnerless
/// round's rolled-in money with no round to roll into) can be unwound by anyone, to the round's
/// tickets pro rata (`IVault.refundClosedPool`) or, with no ticket, to the bankroll
/// (`IVault.releaseClosedPool`). From then on `claim`, `rollOver` and `shareRolledIn` of that
/// round revert with the Vault's `PoolUnwinding`: nothing is paid twice.
///
/// Timing of a round, fixed when it opens: sales until `end`; the draw may be triggered until
/// `drawBy = end + drawWindow`; every lock's deadline is `lockDeadline = drawBy + drawGrace`,
/// with `drawGrace` beyond the coordinator's latest fulfilment (`maxFulfilDelay`).
contract Jackpot is IJackpotErrors, RandomnessGame {
    using SafeCast for uint256;
    using JackpotRules for JackpotRules.Purchase[];

    // ------------------------------------------------------------------ hard caps
    /// @notice Highest rake governance can set, in bps of a round's ticket sales.
    uint16 public constant MAX_RAKE_BPS = 500;
    uint32 public constant MIN_ROUND_DURATION = 5 minutes;
    uint32 public constant MAX_ROUND_DURATION = 14 days;
    uint32 public constant MIN_DRAW_WINDOW = 10 minutes;
    uint32 public constant MAX_DRAW_WINDOW = 7 days;
    /// @notice Time after the draw window for the randomness to arrive (far beyond 255 blocks).
    uint32 public constant MIN_DRAW_GRACE = 1 hours;
    uint32 public constant MAX_DRAW_GRACE = 7 days;
    /// @notice Governance cannot shorten a winner's time to claim below this.
    uint32 public constant MIN_CLAIM_PERIOD = 1 days;
    /// @notice The claim period ends inside the Vault's `POOL_PAYOUT_WINDOW` (30 days from the
    /// draw, which closes the pool), leaving two days to roll an unclaimed prize over; a prize
    /// still in the pool after the window goes to the round's tickets pro rata (the Vault's
    /// `refundClosedPool`) and `claim` and `rollOver` revert with the Vault's `PoolUnwinding`.
    uint32 public constant MAX_CLAIM_PERIOD = 28 days;

    // ------------------------------------------------------------------ storage
    enum Status {
        None,
        Open,
        Drawing,
        Drawn,
        Claimed,
        RolledOver,
        Refundable,
        Closed,
        SharingRolledIn
    }

    /// @dev One slot per token: the terms of the next round it opens.
    struct TokenConfig {
        uint128 ticketPrice;
        uint32 roundDuration;
        uint16 rakeBps;
        bool enabled;
    }

    /// @dev One slot.
    struct Timing {
        uint32 drawWindow;
        uint32 drawGrace;
        uint32 claimPeriod;
    }

    /// @dev Slot 0 is what buying reads besides slot 1; slot 2 the draw; slot 3 the claim.
    struct Round {
        address token;
        uint40 end;
        uint40 drawBy;
        Status status;
        uint128 ticketPrice;
        uint64 poolId;
        uint48 totalTickets;
        uint16 rakeBps;
        uint40 lockDeadline;
        uint40 requestBlock;
        uint40 claimBy;
        uint128 rolledIn; // unclaimed prizes of earlier rounds moved into this round's pool
        address winner; // address(0) until drawn, and for a closed round holding only rolled-in money
        uint48 winningPurchase;
        uint48 refunded; // purchases refunded while Refundable
        uint128 prize;
    }

    /// @notice A round as returned by {roundOf}.
    struct RoundView {
        address token;
        Status status;
        uint256 poolId;
        uint256 ticketPrice;
        uint256 rakeBps;
        uint256 end;
        uint256 drawBy;
        uint256 lockDeadline;
        uint256 totalTickets;
        uint256 purchases;
        uint256 refunded;
        uint256 rolledIn;
        uint256 requestBlock;
        address winner;
        uint256 winningPurchase;
        uint256 prize;
        uint256 claimBy;
    }

    /// @notice Draw window, draw grace and claim period of rounds opened from now on, in seconds.
    Timing public timing;
    /// @notice Number of rounds ever opened; round ids run from 1 to this.
    uint256 public roundCount;

    mapping(address token => TokenConfig) private _tokens;
    /// @notice The token's round currently selling (0 when none).
    mapping(address token => uint256 roundId) public currentRound;
    mapping(uint256 roundId => Round) private _rounds;
    mapping(uint256 roundId => JackpotRules.Purchase[]) private _purchases;
    mapping(uint256 requestId => uint256 roundId) private _roundOfRequest;
    mapping(uint256 roundId => uint256 requestId) private _drawRequest;
    mapping(uint256 roundId => Compensation) private _compensations;
    mapping(uint256 roundId => RolledInShare) private _rolledInShares;

    /// @dev Progress of `shareRolledIn`: the next purchase index to pay and what was paid so far.
    struct RolledInShare {
        uint48 next;
        uint128 paid;
    }

    /// @dev What an expired draw's bond paid into this game's Vault balance for the round's
    /// tickets, and how much of it was passed on with refunds so far.
    struct Compensation {
        uint128 total;
        uint128 paid;
    }

    // ------------------------------------------------------------------ events
    event RoundOpened(
        uint256 indexed roundId,
        address indexed token,
        uint256 poolId,
        uint256 ticketPrice,
        uint16 rakeBps,
        uint256 start,
        uint256 end,
        uint256 drawBy,
        uint256 lockDeadline
    );
    /// @param fromTicket first ticket number of the purchase; it holds [fromTicket, fromTicket + count)
    event TicketsBought(
        uint256 indexed roundId, address indexed player, uint256 fromTicket, uint256 count, uint256 lockId
    );
    event DrawRequested(uint256 indexed roundId, uint256 requestId);
    event RoundDrawn(
        uint256 indexed roundId, uint256 word, uint256 winningTicket, address indexed winner, uint256 prize, uint256 rake
    );
    /// @notice Sales ended without tickets; `rolledIn` (if any) waits to roll into the next round.
    event RoundClosed(uint256 indexed roundId, uint256 rolledIn);
    event PrizeClaimed(uint256 indexed roundId, address indexed winner, uint256 prize);
    event RoundRefundable(uint256 indexed roundId);
    event TicketsRefunded(
        uint256 indexed roundId, address indexed player, uint256 purchaseIndex, uint256 amount, uint256 lockId
    );
    /// @notice The draw's request expired: the oracle's bond paid `amount` to share among the tickets.
    event DrawCompensated(uint256 indexed roundId, uint256 amount);
    /// @notice A refunded purchase's share of an expired draw's compensation.
    event CompensationPaid(uint256 indexed roundId, address indexed player, uint256 purchaseIndex, uint256 amount);
    event PrizeRolledOver(uint256 indexed fromRoundId, uint256 indexed toRoundId, uint256 amount);
    event TokenConfigured(
        address indexed token, bool enabled, uint256 ticketPrice, uint32 roundDuration, uint16 rakeBps
    );
    event TimingSet(uint32 drawWindow, uint32 drawGrace, uint32 claimPeriod);
    /// @notice A purchase's pro-rata share of a Refundable round's rolled-in money (see `shareRolledIn`).
    event RolledInShared(uint256 indexed roundId, address indexed player, uint256 purchaseIndex, uint256 amount);
    /// @notice A round stopped selling and the Vault refused to open the token's next round
    /// (this game unregistered or the token disallowed there): no round of `token` is selling.
    event NextRoundNotOpened(address indexed token);

    // ------------------------------------------------------------------ errors
    // Declared in IJackpotErrors (interfaces/IGameErrors.sol) and ISharedErrors (interfaces/Shared.sol).

    /// @param wiring the owner (governance: a TimelockController in deployment) and what the game is wired to
    constructor(GameWiring memory wiring, Timing memory timing_) RandomnessGame(wiring) {
        _setTiming(timing_);
    }

    // ------------------------------------------------------------------ players

    /// @notice Buy `count` tickets in round `roundId` at its ticket price; the stake is locked in
    /// the round's Vault pool until the round is drawn or refunded.
    /// @param deposit paid into your Vault balance first: ETH as msg.value (must equal it), an ERC-20
    /// from your approval to the Vault; 0 to pay from your Vault balance alone
    function buyTickets(uint256 roundId, uint256 count, uint256 deposit) external payable returns (uint256 lockId) {
        Round storage round = _rounds[roundId];
        if (round.status != Status.Open) revert RoundNotOpen(roundId);
        if (block.timestamp >= round.end) revert SalesClosed(roundId, round.end);
        if (count == 0) revert ZeroTickets();
        address token = round.token;
        uint256 stake = uint256(round.ticketPrice) * count;

        _deposit(msg.sender, token, deposit);
        // The Vault asks the player registry before it locks the stake into the round's pool.
        lockId = vault.lock(msg.sender, token, stake, stake, 0, round.lockDeadline, round.poolId);

        uint256 fromTicket = round.totalTickets;
        uint48 end = (fromTicket + count).toUint48();
        // slither-disable-next-line reentrancy-eth -- ticket numbers are read after the calls; the Vault and registry never call back
        round.totalTickets = end;
        _purchases[roundId].push(JackpotRules.Purchase({player: msg.sender, end: end, lockId: lockId.toUint48()}));
        emit TicketsBought(roundId, msg.sender, fromTicket, count, lockId);
    }

    /// @notice Anyone, once sales have closed and within the draw window: request the draw (a
    /// round without tickets just closes) and open the token's next round.
    function draw(uint256 roundId) external {
        Round storage round = _rounds[roundId];
        if (round.status != Status.Open) revert RoundNotOpen(roundId);
        if (block.timestamp < round.end) revert SalesStillOpen(roundId, round.end);
        if (block.timestamp > round.drawBy) revert DrawWindowPassed(roundId, round.drawBy);
        address token = round.token;
        _advance(token, roundId);

        if (round.totalTickets == 0) {
            vault.closePool(round.poolId);
            uint128 rolledIn = round.rolledIn;
            emit RoundClosed(roundId, rolledIn);
            if (rolledIn == 0) {
                // slither-disable-next-line reentrancy-no-eth -- the Vault never calls back from openPool/closePool
                round.status = Status.Closed;
            } else {
                // a prize without a winner, claimable by nobody: it rolls on as soon as a round is open
                round.status = Status.Drawn;
                round.prize = rolledIn;
                round.claimBy = uint40(block.timestamp);
                // slither-disable-next-line reentrancy-no-eth -- the Vault never calls back from openPool/closePool/movePool
                if (currentRound[token] != 0) _rollOver(roundId, round, rolledIn);
            }
            return;
        }
        (uint256 compensation, uint256 sink) = _withholdingCost(round);
        // Expiry: the compensation to this game's Vault balance for the tickets, the sink burnt.
        // a round is drawn once: its id names its request
        uint256 requestId = _requestRandomness(
            IRandomnessCoordinator.Slash({
                token: token,
                amount: uint96(compensation + sink),
                beneficiary: address(this),
                beneficiaryAmount: uint88(compensation),
                residualToBankroll: false
            }),
            callbackGasLimit,
            uint64(roundId),
            0
        );
        _roundOfRequest[requestId] = roundId;
        _drawRequest[roundId] = requestId;
        // slither-disable-next-line reentrancy-no-eth -- the Vault never calls back and the coordinator never calls back synchronously
        round.status = Status.Drawing;
        round.requestBlock = uint40(block.number);
        emit DrawRequested(roundId, requestId);
    }

    /// @notice Anyone: pay a drawn round's prize to its winner's Vault balance. Possible until the
    /// prize is rolled over (at the earliest after the claim period) or the Vault's backstop
    /// unwound the round's pool (at the earliest `POOL_PAYOUT_WINDOW` after the draw; then the
    /// Vault's `PoolUnwinding`).
    function claim(uint256 roundId) external {
        Round storage round = _rounds[roundId];
        if (round.status != Status.Drawn) revert NotDrawn(roundId);
        address winner = round.winner;
        if (winner == address(0)) revert NoWinner(roundId);
        round.status = Status.Claimed;
        uint256 prize = round.prize;
        uint256 index = round.winningPurchase;
        uint256 stake = _purchaseStake(roundId, round, index);
        // paid against the winning purchase's lock, so the Vault credits the prize to the player's
        // loss windows exactly when the registry counted that purchase's stake
        vault.payLockFromPool(
            _purchases[roundId][index].lockId, PoolEntry.lockTerms(winner, round.token, stake, round.poolId), prize
        );
        emit PrizeClaimed(roundId, winner, prize);
    }

    /// @notice Anyone: move money nobody can claim into the token's open round. Either a drawn
    /// prize left unclaimed after the claim period (or a closed round's rolled-in money), or the
    /// rolled-in money of a Refundable round once every purchase in it was refunded. With no round
    /// selling (NoOpenRound) a drawn prize stays claimable by its winner for as long as it waits,
    /// and a Refundable round's rolled-in money can instead be shared by its tickets (`shareRolledIn`).
    function rollOver(uint256 roundId) external {
        Round storage round = _rounds[roundId];
        Status status = round.status;
        // slither-disable-next-line uninitialized-local -- every branch below sets it or reverts
        uint256 amount;
        if (status == Status.Drawn) {
            if (round.winner != address(0) && block.timestamp <= round.claimBy) {
                revert ClaimPeriodRunning(roundId, round.claimBy);
            }
            amount = round.prize;
        } else if (status == Status.Refundable && round.rolledIn != 0) {
            uint256 left = _purchases[roundId].length - round.refunded;
            if (left != 0) revert RefundsPending(roundId, left);
            amount = round.rolledIn;
            vault.closePool(round.poolId);
        } else {
            revert NothingToRollOver(roundId);
        }
        if (currentRound[round.token] == 0) revert NoOpenRound(round.token);
        // slither-disable-next-line reentrancy-no-eth -- the Vault never calls back from closePool/movePool
        _rollOver(roundId, round, amount);
    }

    /// @notice Anyone: declare a draw failed so every ticket becomes refundable, when the draw was
    /// not triggered by `drawBy`, or its request resolved at the coordinator without drawing (a
    /// failed callback). A request past its deadline is expired at the coordinator (`expire`),
    /// which pays the bond's compensation and makes the round refundable.
    function markRefundable(uint256 roundId) external {
        Round storage round = _rounds[roundId];
        Status status = round.status;
        if (status == Status.Open && block.timestamp > round.drawBy) {
            _advance(round.token, roundId);
        } else if (status != Status.Drawing) {
            revert CannotMarkRefundable(roundId);
        } else {
            uint256 requestId = _drawRequest[roundId];
            if (coordinator.isPending(requestId)) revert DrawPending(roundId, requestId);
        }
        // slither-disable-next-line reentrancy-no-eth -- the Vault never calls back from openPool
        _makeRefundable(roundId, round);
    }

    /// @notice Anyone: refund purchases of a Refundable round to their buyers' Vault balances.
    /// A purchase the Vault backstop already refunded is just marked.
    function refundTickets(uint256 roundId, uint256[] calldata purchaseIndexes) external {
        Round storage round = _rounds[roundId];
        if (round.status != Status.Refundable) revert NotRefundable(roundId, uint8(round.status));
        JackpotRules.Purchase[] storage purchases = _purchases[roundId];
        address token = round.token;
        uint256 count = purchaseIndexes.length;
        for (uint256 i; i < count; ++i) {
            uint256 index = purchaseIndexes[i];
            if (index >= purchases.length) revert BadPurchase(roundId, index);
            JackpotRules.Purchase memory purchase = purchases[index];
            if (purchase.lockId == 0) revert AlreadyRefunded(roundId, index);
            purchases[index].lockId = 0;
            ++round.refunded; // each purchase refunded once, so at most purchases.length
            uint256 amount = _purchaseStake(roundId, round, index);
            // The pool stays open while Refundable, so the only failure is a lock the Vault's
            // deadline backstop has already refunded to the same player.
            // the Vault keeps only a hash of the lock's terms: rebuilt as `buyTickets` locked them
            try vault.refund(purchase.lockId, PoolEntry.lockTerms(purchase.player, token, amount, round.poolId)) {}
                catch {}
            emit TicketsRefunded(roundId, purchase.player, index, amount, purchase.lockId);
            // slither-disable-next-line reentrancy-no-eth -- the Vault and registry never call back; the purchase is marked refunded before any call
            _payCompensation(roundId, round, index, purchase.player, amount);
        }
    }

    /// @notice Anyone: pay a Refundable round's rolled-in money to the round's own purchases, pro
    /// rata to their tickets, when it cannot roll over: every purchase was refunded and no round of
    /// the token is selling (governance disabled the token here, or the Vault refuses new pools
    /// because this game was unregistered or the token disallowed). Pays purchases `next` ..
    /// `next + count - 1` (clamped; `next` is where the previous call stopped); the last purchase
    /// takes what rounding left. The first call closes the round's pool and fixes the rule: the
    /// money no longer rolls over, even if a round opens later. A round that sold no ticket has
    /// nobody to share with: the call only closes its pool, whose money the Vault's backstop then
    /// gives to the bankroll after its payout window (`IVault.releaseClosedPool`).
    function shareRolledIn(uint256 roundId, uint256 count) external {
        Round storage round = _rounds[roundId];
        Status status = round.status;
        uint256 purchaseCount = _purchases[roundId].length;
        if (status == Status.Refundable && round.rolledIn != 0) {
            uint256 left = purchaseCount - round.refunded;
            if (left != 0) revert RefundsPending(roundId, left);
            uint256 selling = currentRound[round.token];
            if (selling != 0) revert RoundSelling(round.token, selling);
            round.status = Status.SharingRolledIn;
            vault.closePool(round.poolId);
            if (purchaseCount == 0) return;
        } else if (status != Status.SharingRolledIn) {
            revert NothingToShare(roundId);
        }
        RolledInShare memory progress = _rolledInShares[roundId];
        if (progress.next == purchaseCount) revert NothingToShare(roundId);
        uint256 end = progress.next + count;
        if (end > purchaseCount) end = purchaseCount;
        uint256 rolledIn = round.rolledIn;
        uint256 sales = uint256(round.totalTickets) * round.ticketPrice; // > 0: a round with a purchase
        JackpotRules.Purchase[] storage purchases = _purchases[roundId];
        uint256 paid = progress.paid;
        for (uint256 i = progress.next; i < end; ++i) {
            uint256 share =
                i + 1 == purchaseCount ? rolledIn - paid : (rolledIn * _purchaseStake(roundId, round, i)) / sales;
            if (share == 0) continue;
            paid += share;
            address player = purchases[i].player;
            vault.payFromPool(round.poolId, player, share);
            emit RolledInShared(roundId, player, i, share);
        }
        // slither-disable-next-line reentrancy-no-eth -- the Vault never calls back from closePool/payFromPool
        _rolledInShares[roundId] = RolledInShare({next: uint48(end), paid: uint128(paid)});
    }

    // ------------------------------------------------------------------ governance (owner = timelock)

    /// @notice Owner only: the terms of `token`'s next rounds; enabling a token without an open
    /// round opens one now. Disabling stops new rounds once the current one is drawn.
    function configureToken(address token, bool enabled, uint256 ticketPrice, uint32 roundDuration, uint16 rakeBps)
        external
        onlyOwner
    {
        if (rakeBps > MAX_RAKE_BPS) revert RakeAboveCap(rakeBps, MAX_RAKE_BPS);
        if (ticketPrice == 0) revert ZeroTicketPrice();
        if (roundDuration < MIN_ROUND_DURATION || roundDuration > MAX_ROUND_DURATION) {
            revert BadRoundDuration(roundDuration);
        }
        _tokens[token] = TokenConfig({
            ticketPrice: ticketPrice.toUint128(),
            roundDuration: roundDuration,
            rakeBps: rakeBps,
            enabled: enabled
        });
        emit TokenConfigured(token, enabled, ticketPrice, roundDuration, rakeBps);
        if (enabled && currentRound[token] == 0) _openRound(token);
    }

    /// @notice Owner only: draw window, draw grace and claim period of rounds opened (and, for the
    /// claim period, drawn) from now on. Each is bounded by the hard caps.
    function setTiming(Timing calldata timing_) external onlyOwner {
        _setTiming(timing_);
    }

    // ------------------------------------------------------------------ views

    /// @notice The terms of `token`'s next rounds.
    function tokenConfig(address token)
        external
        view
        returns (bool enabled, uint256 ticketPrice, uint32 roundDuration, uint16 rakeBps)
    {
        TokenConfig memory config = _tokens[token];
        return (config.enabled, config.ticketPrice, config.roundDuration, config.rakeBps);
    }

    /// @notice A round's record.
    function roundOf(uint256 roundId) external view returns (RoundView memory info) {
        Round storage round = _rounds[roundId];
        info = RoundView({
            token: round.token,
            status: round.status,
            poolId: round.poolId,
            ticketPrice: round.ticketPrice,
            rakeBps: round.rakeBps,
            end: round.end,
            drawBy: round.drawBy,
            lockDeadline: round.lockDeadline,
            totalTickets: round.totalTickets,
            purchases: _purchases[roundId].length,
            refunded: round.refunded,
            rolledIn: round.rolledIn,
            requestBlock: round.requestBlock,
            winner: round.winner,
            winningPurchase: round.winningPurchase,
            prize: round.prize,
            claimBy: round.claimBy
        });
    }

    /// @notice What an expired draw's bond paid for the round's tickets, and how much of it went
    /// out with refunds so far (both zero unless the draw's request expired).
    function compensationOf(uint256 roundId) external view returns (uint256 total, uint256 paid) {
        Compensation memory comp = _compensations[roundId];
        return (comp.total, comp.paid);
    }

    /// @notice The draw's randomness request id (0 before the draw).
    function drawRequestOf(uint256 roundId) external view returns (uint256) {
        return _drawRequest[roundId];
    }

    /// @notice Purchase `index` of a round; lockId 0 once refunded.
    function purchaseOf(uint256 roundId, uint256 index)
        external
        view
        returns (address player, uint256 fromTicket, uint256 count, uint256 lockId)
    {
        JackpotRules.Purchase[] storage purchases = _purchases[roundId];
        if (index >= purchases.length) revert BadPurchase(roundId, index);
        JackpotRules.Purchase memory purchase = purchases[index];
        fromTicket = index == 0 ? 0 : purchases[index - 1].end;
        return (purchase.player, fromTicket, purchase.end - fromTicket, purchase.lockId);
    }

    /// @notice The draw rule itself, for auditors: the winning ticket, purchase and player each
    /// word would select among the round's purchases as they stand.
    function drawOutcomes(uint256 roundId, uint256[] calldata words)
        external
        view
        returns (uint256[] memory tickets, uint256[] memory purchaseIndexes, address[] memory winners)
    {
        JackpotRules.Purchase[] storage purchases = _purchases[roundId];
        uint256 total = _rounds[roundId].totalTickets;
        // slither-disable-next-line incorrect-equality -- a ticket count, not a balance
        if (total == 0) revert ZeroTickets();
        uint256 count = words.length;
        tickets = new uint256[](count);
        purchaseIndexes = new uint256[](count);
        winners = new address[](count);
        for (uint256 i; i < count; ++i) {
            tickets[i] = JackpotRules.winningTicket(words[i], total);
            purchaseIndexes[i] = purchases.findPurchase(tickets[i]);
            winners[i] = purchases[purchaseIndexes[i]].player;
        }
    }

    // ------------------------------------------------------------------ randomness

    /// @dev Picks the winner, closes the pool and takes the rake. A result arriving after the
    /// locks' deadline voids the draw: the Vault backstop may already have refunded tickets.
    function _onRandomness(uint256 requestId, uint256 word, IRandomnessCoordinator.Slash calldata, bytes32)
        internal
        override
    {
        uint256 roundId = _roundOfRequest[requestId];
        if (roundId == 0) return;
        delete _roundOfRequest[requestId];
        Round storage round = _rounds[roundId];
        if (round.status != Status.Drawing) return;
        if (block.timestamp > round.lockDeadline) {
            _makeRefundable(roundId, round);
            return;
        }
        JackpotRules.Purchase[] storage purchases = _purchases[roundId];
        uint256 ticket = JackpotRules.winningTicket(word, round.totalTickets);
        uint256 index = purchases.findPurchase(ticket);
        address winner = purchases[index].player;

        uint256 poolId = round.poolId;
        uint256 rolledIn = round.rolledIn;
        (uint256 prize, uint256 rake) = JackpotRules.prizeAndRake(
            uint256(round.totalTickets) * round.ticketPrice + rolledIn, round.rakeBps, rolledIn
        );
        round.status = Status.Drawn;
        round.winner = winner;
        round.winningPurchase = uint48(index);
        round.prize = uint128(prize); // <= the pool's balance, a uint128 in the Vault
        round.claimBy = uint40(block.timestamp + timing.claimPeriod);
        vault.closePool(poolId);
        if (rake != 0) vault.takePoolFee(poolId, rake);
        emit RoundDrawn(roundId, word, ticket, winner, prize, rake);
    }

    /// @dev The coordinator has already credited the bond's compensation (one pot) to this game's
    /// Vault balance; it is passed on to the tickets with their refunds.
    function _onRandomnessExpired(uint256 requestId, IRandomnessCoordinator.Slash calldata, bytes32)
        internal
        override
    {
        uint256 roundId = _roundOfRequest[requestId];
        if (roundId == 0) return;
        delete _roundOfRequest[requestId];
        Round storage round = _rounds[roundId];
        (uint256 compensation,) = _withholdingCost(round);
        _compensations[roundId].total = uint128(compensation); // < 2^88, checked at the draw
        emit DrawCompensated(roundId, compensation);
        if (round.status == Status.Drawing) _makeRefundable(roundId, round);
    }

    /// @dev A refunded purchase's share of the round's compensation, pro rata to its tickets; the
    /// last purchase refunded takes what rounding left.
    function _payCompensation(uint256 roundId, Round storage round, uint256 index, address player, uint256 stake)
        private
    {
        Compensation memory comp = _compensations[roundId];
        if (comp.total == 0) return;
        uint256 share = round.refunded == _purchases[roundId].length
            ? comp.total - comp.paid
            : (uint256(comp.total) * stake) / (uint256(round.totalTickets) * round.ticketPrice);
        if (share == 0) return;
        _compensations[roundId].paid = comp.paid + uint128(share); // paid never exceeds total
        vault.transfer(player, round.token, share);
        emit CompensationPaid(roundId, player, index, share);
    }

    // ------------------------------------------------------------------ internals

    /// @dev `roundId` stops selling: the token's next round opens if the token is still enabled
    /// here and the Vault still opens pools for this game and token. If the Vault refuses
    /// (governance unregistered this game or disallowed the token), no round is selling: the
    /// round that stopped is drawn, refunded and claimed as usual; money waiting to roll over
    /// waits for the next round (see `rollOver` and `shareRolledIn`).
    function _advance(address token, uint256 roundId) private {
        if (currentRound[token] != roundId) return;
        currentRound[token] = 0;
        if (!_tokens[token].enabled) return;
        // slither-disable-next-line unused-return -- the pool id is used in the success branch
        try vault.openPool(token) returns (uint256 poolId) {
            // slither-disable-next-line reentrancy-no-eth -- the Vault never calls back from openPool
            _startRound(token, poolId);
        } catch {
            emit NextRoundNotOpened(token);
        }
    }

    function _openRound(address token) private {
        _startRound(token, vault.openPool(token));
    }

    function _startRound(address token, uint256 poolId) private {
        TokenConfig memory config = _tokens[token];
        Timing memory t = timing;
        uint256 roundId = ++roundCount;
        uint40 end = uint40(block.timestamp + config.roundDuration);
        uint40 drawBy = end + t.drawWindow;
        uint40 lockDeadline = drawBy + t.drawGrace;
        Round storage round = _rounds[roundId];
        round.token = token;
        round.end = end;
        round.drawBy = drawBy;
        round.status = Status.Open;
        round.ticketPrice = config.ticketPrice;
        round.poolId = poolId.toUint64();
        round.rakeBps = config.rakeBps;
        round.lockDeadline = lockDeadline;
        currentRound[token] = roundId;
        emit RoundOpened(
            roundId, token, poolId, config.ticketPrice, config.rakeBps, block.timestamp, end, drawBy, lockDeadline
        );
    }

    function _rollOver(uint256 roundId, Round storage round, uint256 amount) private {
        uint256 toRoundId = currentRound[round.token];
        Round storage to = _rounds[toRoundId];
        round.status = Status.RolledOver;
        to.rolledIn += uint128(amount); // the pool balances of one token fit the Vault's uint128 total
        vault.movePool(round.poolId, to.poolId, amount);
        emit PrizeRolledOver(roundId, toRoundId, amount);
    }

    /// @dev What an expired draw costs the key's bond (the contract notes say why): compensation
    /// S + 2R for the tickets and a sink of S + R, with S the ticket sales and R the rolled-in money.
    function _withholdingCost(Round storage round) private view returns (uint256 compensation, uint256 sink) {
        uint256 sales = uint256(round.totalTickets) * round.ticketPrice;
        uint256 rolledIn = round.rolledIn;
        compensation = sales + 2 * rolledIn;
        sink = sales + rolledIn;
        if (compensation + sink > type(uint88).max) revert PotTooLarge(sink);
    }

    function _makeRefundable(uint256 roundId, Round storage round) private {
        round.status = Status.Refundable;
        emit RoundRefundable(roundId);
    }

    function _purchaseStake(uint256 roundId, Round storage round, uint256 index) private view returns (uint256) {
        JackpotRules.Purchase[] storage purchases = _purchases[roundId];
        uint256 fromTicket = index == 0 ? 0 : purchases[index - 1].end;
        return (purchases[index].end - fromTicket) * uint256(round.ticketPrice);
    }

    function _setTiming(Timing memory t) private {
        if (
            t.drawWindow < MIN_DRAW_WINDOW || t.drawWindow > MAX_DRAW_WINDOW || t.drawGrace < MIN_DRAW_GRACE
                || t.drawGrace > MAX_DRAW_GRACE || t.drawGrace <= maxFulfilDelay || t.claimPeriod < MIN_CLAIM_PERIOD
                || t.claimPeriod > MAX_CLAIM_PERIOD
        ) revert BadTiming(t.drawWindow, t.drawGrace, t.claimPeriod);
        timing = t;
        emit TimingSet(t.drawWindow, t.drawGrace, t.claimPeriod);
    }
}
