// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPlayerRegistry} from "../../interfaces/IPlayerRegistry.sol";
import {IVault} from "../../interfaces/IVault.sol";
import {IMatchErrors} from "../../interfaces/IGameErrors.sol";
import {SignedResults} from "../base/SignedResults.sol";

/// @title Match
/// @notice A skill match: 2 to 16 players stake the same entry in one token into a Vault pool.
/// The creator fixes entry, seats, the payout split by rank (basis points summing to 10000, for
/// up to `maxPlayers` places) and a result deadline. Once every seat is taken, the result (the
/// full ranking, first place first) is submitted with an EIP-712 signature of a registered
/// referee or co-signed by all players, and paid by the split (see SignedResults for rounding).
/// A signed empty ranking voids the match (e.g. a draw): every entry is refunded.
/// The creator may cancel before the match is full; with no result by the deadline anyone may
/// refund the entries (and the Vault's own deadline backstop refunds any lock directly).
///
/// EIP-712: domain ("Fairstake Match", "1", chainId, this contract);
/// MatchResult(uint256 matchId,uint256 nonce,address[] ranking).
contract Match is IMatchErrors, SignedResults {
    enum Status {
        None,
        Open,
        Full,
        Settled,
        Cancelled,
        Voided,
        Expired
    }

    /// @dev Two slots plus the packed split.
    struct Game {
        address token;
        uint64 deadline; // results accepted until (inclusive), refunds after; also the lock deadline
        uint8 maxPlayers;
        uint8 joined;
        uint8 places;
        Status status;
        uint128 entry;
        uint112 poolId;
        uint16 rakeBps;
        uint256 shares; // 16 bits per place, first place lowest
    }

    uint256 public constant MAX_PLAYERS = 16;
    bytes32 public constant RESULT_TYPEHASH = keccak256("MatchResult(uint256 matchId,uint256 nonce,address[] ranking)");

    uint256 public matchCount;
    mapping(uint256 matchId => Game) internal _games;
    mapping(uint256 matchId => address) public creatorOf;

    event MatchCreated(
        uint256 indexed matchId,
        address indexed creator,
        address indexed token,
        uint256 entry,
        uint8 maxPlayers,
        uint16[] shares,
        uint16 rakeBps,
        uint64 deadline,
        uint256 poolId
    );
    event PlayerJoined(uint256 indexed matchId, address indexed player, uint256 seat, uint256 lockId);
    event MatchFull(uint256 indexed matchId);
    /// @param referee the signing referee; address(0) when co-signed by all players
    event MatchSettled(
        uint256 indexed matchId, address indexed referee, address[] ranking, uint256[] payouts, uint256 rake
    );
    event MatchVoided(uint256 indexed matchId, address indexed referee);
    event MatchCancelled(uint256 indexed matchId);
    event MatchExpired(uint256 indexed matchId);

    constructor(IVault vault_, IPlayerRegistry registry_, address owner_)
        SignedResults("Fairstake Match", RESULT_TYPEHASH, vault_, registry_, owner_)
    {}

    // ------------------------------------------------------------------ players

    /// @notice Create a match. The creator does not take a seat; call `join` to play.
    /// @param shares payout split by rank in basis points (1..maxPlayers places, summing to 10000)
    /// @param deadline unix time until which a result is accepted (at most 30 days ahead: the Vault's longest lock)
    function create(address token, uint128 entry, uint8 maxPlayers, uint16[] calldata shares, uint64 deadline)
        external
        returns (uint256 matchId)
    {
        if (entry == 0) revert ZeroAmount();
        if (maxPlayers < 2 || maxPlayers > MAX_PLAYERS) revert BadPlayerCount(maxPlayers);
        if (shares.length > maxPlayers) revert BadShares();
        uint256 packed = _packShares(shares);
        _checkDeadline(deadline);
        uint256 poolId = vault.openPool(token);
        matchId = ++matchCount;
        uint16 rake = rakeBps;
        _games[matchId] = Game({
            token: token,
            deadline: deadline,
            maxPlayers: maxPlayers,
            joined: 0,
            places: uint8(shares.length),
            status: Status.Open,
            entry: entry,
            poolId: uint112(poolId),
            rakeBps: rake,
            shares: packed
        });
        creatorOf[matchId] = msg.sender;
        emit MatchCreated(matchId, msg.sender, token, entry, maxPlayers, shares, rake, deadline, poolId);
    }

    /// @notice Take a seat: locks the entry from your Vault balance (ETH may be sent along and is
    /// deposited first). Subject to the PlayerRegistry (exclusion, limits, KYC).
    function join(uint256 matchId) external payable returns (uint256 seat) {
        Game memory g = _games[matchId];
        if (g.status != Status.Open) revert MatchNotOpen(matchId, uint8(g.status));
        if (block.timestamp >= g.deadline) revert ResultDeadlinePassed(matchId, g.deadline);
        uint256 lockId;
        (seat, lockId) = _enter(matchId, msg.sender, g.token, g.entry, g.deadline, g.poolId);
        Game storage stored = _games[matchId];
        // slither-disable-next-line reentrancy-eth -- _enter only calls the immutable Vault and registry; neither calls back
        stored.joined = g.joined + 1;
        emit PlayerJoined(matchId, msg.sender, seat, lockId);
        if (g.joined + 1 == g.maxPlayers) {
            stored.status = Status.Full;
            emit MatchFull(matchId);
        }
    }

    /// @notice Creator: cancel a match that is not full yet; every entry is refunded.
    function cancel(uint256 matchId) external {
        Game memory g = _games[matchId];
        if (msg.sender != creatorOf[matchId]) revert NotCreator(msg.sender);
        if (g.status != Status.Open) revert MatchNotOpen(matchId, uint8(g.status));
        _games[matchId].status = Status.Cancelled;
        emit MatchCancelled(matchId);
        _refundAll(matchId, g);
    }

    // ------------------------------------------------------------------ results
    // A result (`submitResult`, `submitCoSignedResult`: SignedResults) ranks every player, first
    // place first; an empty ranking voids the match and refunds everyone. Only a full match takes
    // a co-signed result.

    /// @notice Anyone, after the deadline passed without a result: refund every entry still locked.
    function expire(uint256 matchId) external {
        Game memory g = _expirable(matchId, false);
        _games[matchId].status = Status.Expired;
        emit MatchExpired(matchId);
        _refundAll(matchId, g);
    }

    /// @notice Anyone, after the deadline passed without a result: refund the entry in `seat`.
    function refundEntry(uint256 matchId, uint256 seat) external {
        Game memory g = _expirable(matchId, true);
        if (seat >= g.joined) revert NotEntrant(address(0));
        _refundEntry(matchId, seat, g.token, g.entry, g.poolId);
    }

    // ------------------------------------------------------------------ views

    /// @notice A match's parameters and state.
    function matchInfo(uint256 matchId)
        external
        view
        returns (
            address token,
            uint256 entry,
            uint8 maxPlayers,
            uint8 joined,
            uint16[] memory shares,
            uint16 rake,
            uint64 deadline,
            Status status,
            uint256 poolId
        )
    {
        Game memory g = _games[matchId];
        return (
            g.token,
            g.entry,
            g.maxPlayers,
            g.joined,
            _unpackShares(g.shares, g.places),
            g.rakeBps,
            g.deadline,
            g.status,
            g.poolId
        );
    }

    /// @notice The players by seat (join order, the order co-signatures are given in).
    function playersOf(uint256 matchId) external view returns (address[] memory players) {
        return _playersOf(matchId, 0, MAX_PLAYERS);
    }

    // ------------------------------------------------------------------ internals

    function _finish(uint256 matchId, address[] calldata ranking, address referee) internal override {
        Game memory g = _games[matchId];
        if (g.status == Status.None) revert UnknownMatch(matchId);
        _requireResultDue(matchId, g.deadline);
        if (g.status != Status.Open && g.status != Status.Full) revert AlreadyFinished(matchId, uint8(g.status));
        if (ranking.length == 0) {
            _games[matchId].status = Status.Voided;
            emit MatchVoided(matchId, referee);
            _refundAll(matchId, g);
            return;
        }
        if (g.status != Status.Full) revert MatchNotFull(matchId, uint8(g.status));
        if (ranking.length != g.joined) revert BadRankingLength(g.joined, ranking.length);
        _requireDistinctEntrants(matchId, ranking);
        _games[matchId].status = Status.Settled;
        (uint256[] memory payouts, uint256 rake) =
            _distribute(g.poolId, g.entry, g.joined, g.rakeBps, g.shares, g.places, ranking.length);
        _payRanked(matchId, g.poolId, g.token, g.entry, ranking, payouts);
        emit MatchSettled(matchId, referee, ranking, payouts, rake);
    }

    /// @dev A match past its deadline without a result (`orExpired`: or already expired).
    function _expirable(uint256 matchId, bool orExpired) internal view returns (Game memory g) {
        g = _games[matchId];
        if (g.status == Status.None) revert UnknownMatch(matchId);
        bool unresolved = g.status == Status.Open || g.status == Status.Full;
        if (!unresolved && !(orExpired && g.status == Status.Expired)) {
            revert AlreadyFinished(matchId, uint8(g.status));
        }
        if (block.timestamp <= g.deadline) revert DeadlineNotPassed(matchId, g.deadline);
    }

    function _refundAll(uint256 matchId, Game memory g) internal {
        _refundEntries(matchId, 0, g.joined, g.token, g.entry, g.poolId);
    }

    /// @dev Only a full table co-signs: otherwise the players seated so far (or nobody, with zero
    /// signatures) could void a lobby others are about to join.
    function _coSigners(uint256 matchId) internal view override returns (uint256) {
        Game memory g = _games[matchId];
        if (g.status == Status.None) revert UnknownMatch(matchId);
        if (g.status == Status.Open) revert MatchNotFull(matchId, uint8(g.status));
        return g.joined;
    }

    function _seatCount(uint256 matchId) internal view override returns (uint256) {
        return _games[matchId].joined;
    }
}
