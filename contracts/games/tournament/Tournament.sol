// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPlayerRegistry} from "../../interfaces/IPlayerRegistry.sol";
import {IVault} from "../../interfaces/IVault.sol";
import {ITournamentErrors} from "../../interfaces/IGameErrors.sol";
import {SignedResults} from "../base/SignedResults.sol";

/// @title Tournament
/// @notice A skill tournament: entrants pay an entry fee in one token into a Vault pool until the
/// registration deadline (or until full). The result is the ranked list of winners for the prize
/// table (basis points per place, summing to 10000, up to 16 places), signed with EIP-712 by a
/// registered referee or co-signed by every entrant, and accepted until the result deadline.
/// With fewer entrants than places, only `entrants` winners are ranked and the unfilled places'
/// shares go to first place with the rounding dust (see SignedResults). A signed empty list voids
/// the tournament. Refunds (cancel, void, or no result by the deadline) run in batches because a
/// tournament may have thousands of entrants; the Vault's deadline backstop works as well.
///
/// EIP-712: domain ("Fairstake Tournament", "1", chainId, this contract);
/// TournamentResult(uint256 tournamentId,uint256 nonce,address[] winners).
contract Tournament is ITournamentErrors, SignedResults {
    enum Status {
        None,
        Open,
        Settled,
        Cancelled,
        Voided,
        Expired
    }

    /// @dev Three slots plus the packed prize table.
    struct Game {
        address token;
        uint40 registrationDeadline; // entries accepted before
        uint40 resultDeadline; // results accepted until (inclusive), refunds after; also the lock deadline
        uint8 places;
        Status status;
        uint128 entryFee;
        uint112 poolId;
        uint16 rakeBps;
        uint32 entrants;
        uint32 maxEntrants;
        uint256 prizes; // 16 bits per place, first place lowest
    }

    uint256 public constant MIN_ENTRANTS = 2;
    uint256 public constant MAX_ENTRANTS = 4096;
    bytes32 public constant RESULT_TYPEHASH =
        keccak256("TournamentResult(uint256 tournamentId,uint256 nonce,address[] winners)");

    uint256 public tournamentCount;
    mapping(uint256 tournamentId => Game) internal _games;
    mapping(uint256 tournamentId => address) public creatorOf;

    event TournamentCreated(
        uint256 indexed tournamentId,
        address indexed creator,
        address indexed token,
        uint256 entryFee,
        uint32 maxEntrants,
        uint16[] prizes,
        uint16 rakeBps,
        uint40 registrationDeadline,
        uint40 resultDeadline,
        uint256 poolId
    );
    event Entered(uint256 indexed tournamentId, address indexed player, uint256 index, uint256 lockId);
    /// @param referee the signing referee; address(0) when co-signed by all entrants
    event TournamentSettled(
        uint256 indexed tournamentId, address indexed referee, address[] winners, uint256[] payouts, uint256 rake
    );
    event TournamentVoided(uint256 indexed tournamentId, address indexed referee);
    event TournamentCancelled(uint256 indexed tournamentId, address indexed by);
    event TournamentExpired(uint256 indexed tournamentId);

    constructor(IVault vault_, IPlayerRegistry registry_, address owner_)
        SignedResults("Fairstake Tournament", RESULT_TYPEHASH, vault_, registry_, owner_)
    {}

    // ------------------------------------------------------------------ organisers and players

    /// @notice Create a tournament. The creator does not enter; call `enter` to play.
    /// @param prizes prize table in basis points by place (1..16 places, at most maxEntrants, summing to 10000)
    /// @param registrationDeadline entries are accepted before this unix time
    /// @param resultDeadline a result is accepted until this time (at most 30 days ahead)
    function create(
        address token,
        uint128 entryFee,
        uint32 maxEntrants,
        uint16[] calldata prizes,
        uint40 registrationDeadline,
        uint40 resultDeadline
    ) external returns (uint256 tournamentId) {
        if (entryFee == 0) revert ZeroAmount();
        if (maxEntrants < MIN_ENTRANTS || maxEntrants > MAX_ENTRANTS) revert BadEntrantCount(maxEntrants);
        if (prizes.length > maxEntrants) revert BadShares();
        uint256 packed = _packShares(prizes);
        if (registrationDeadline <= block.timestamp || registrationDeadline >= resultDeadline) {
            revert BadRegistrationDeadline(registrationDeadline);
        }
        _checkDeadline(resultDeadline);
        uint256 poolId = vault.openPool(token);
        tournamentId = ++tournamentCount;
        uint16 rake = rakeBps;
        _games[tournamentId] = Game({
            token: token,
            registrationDeadline: registrationDeadline,
            resultDeadline: resultDeadline,
            places: uint8(prizes.length),
            status: Status.Open,
            entryFee: entryFee,
            poolId: uint112(poolId),
            rakeBps: rake,
            entrants: 0,
            maxEntrants: maxEntrants,
            prizes: packed
        });
        creatorOf[tournamentId] = msg.sender;
        emit TournamentCreated(
            tournamentId,
            msg.sender,
            token,
            entryFee,
            maxEntrants,
            prizes,
            rake,
            registrationDeadline,
            resultDeadline,
            poolId
        );
    }

    /// @notice Enter: locks the entry fee from your Vault balance (ETH may be sent along and is
    /// deposited first). Subject to the PlayerRegistry (exclusion, limits, KYC).
    function enter(uint256 tournamentId) external payable returns (uint256 index) {
        Game memory g = _games[tournamentId];
        if (g.status != Status.Open) revert NotOpen(tournamentId, uint8(g.status));
        if (block.timestamp >= g.registrationDeadline) revert RegistrationClosed(tournamentId);
        if (g.entrants >= g.maxEntrants) revert TournamentFull(tournamentId);
        uint256 lockId;
        (index, lockId) = _enter(tournamentId, msg.sender, g.token, g.entryFee, g.resultDeadline, g.poolId);
        // slither-disable-next-line reentrancy-eth -- _enter only calls the immutable Vault and registry; neither calls back
        _games[tournamentId].entrants = g.entrants + 1;
        emit Entered(tournamentId, msg.sender, index, lockId);
    }

    /// @notice Cancel: the creator while registration is open, or anyone once registration closed
    /// with fewer than MIN_ENTRANTS. Entries are then refunded through `refundEntries`.
    function cancel(uint256 tournamentId) external {
        Game memory g = _games[tournamentId];
        if (g.status != Status.Open) revert NotOpen(tournamentId, uint8(g.status));
        bool closed = _registrationClosed(g);
        bool allowed = closed ? g.entrants < MIN_ENTRANTS : msg.sender == creatorOf[tournamentId];
        if (!allowed) revert CannotCancel(tournamentId);
        _games[tournamentId].status = Status.Cancelled;
        emit TournamentCancelled(tournamentId, msg.sender);
    }

    // ------------------------------------------------------------------ results
    // A result (`submitResult`, `submitCoSignedResult`: SignedResults) is accepted once
    // registration has closed: the winners ranked for the prize table (min(places, entrants) of
    // them, first place first); an empty list voids the tournament.

    /// @notice Anyone: refund up to `count` entries from `fromIndex` of a cancelled or voided
    /// tournament, or of one whose result deadline passed without a result (which expires it).
    function refundEntries(uint256 tournamentId, uint256 fromIndex, uint256 count) external {
        Game memory g = _games[tournamentId];
        if (g.status == Status.Open && block.timestamp > g.resultDeadline) {
            g.status = Status.Expired;
            _games[tournamentId].status = Status.Expired;
            emit TournamentExpired(tournamentId);
        }
        if (g.status != Status.Cancelled && g.status != Status.Voided && g.status != Status.Expired) {
            revert NotRefundable(tournamentId, uint8(g.status));
        }
        uint256 end = fromIndex + count;
        if (end > g.entrants) end = g.entrants;
        _refundEntries(tournamentId, fromIndex, end, g.token, g.entryFee, g.poolId);
    }

    // ------------------------------------------------------------------ views

    /// @notice A tournament's parameters and state.
    function tournamentInfo(uint256 tournamentId)
        external
        view
        returns (
            address token,
            uint256 entryFee,
            uint32 maxEntrants,
            uint32 entrants,
            uint16[] memory prizes,
            uint16 rake,
            uint40 registrationDeadline,
            uint40 resultDeadline,
            Status status,
            uint256 poolId
        )
    {
        Game memory g = _games[tournamentId];
        return (
            g.token,
            g.entryFee,
            g.maxEntrants,
            g.entrants,
            _unpackShares(g.prizes, g.places),
            g.rakeBps,
            g.registrationDeadline,
            g.resultDeadline,
            g.status,
            g.poolId
        );
    }

    /// @notice Entrants `fromIndex` .. `fromIndex + count - 1` in entry order (clamped).
    function entrantsOf(uint256 tournamentId, uint256 fromIndex, uint256 count)
        external
        view
        returns (address[] memory players)
    {
        return _playersOf(tournamentId, fromIndex, count);
    }

    // ------------------------------------------------------------------ internals

    function _finish(uint256 tournamentId, address[] calldata winners, address referee) internal override {
        Game memory g = _games[tournamentId];
        if (g.status != Status.Open) revert NotOpen(tournamentId, uint8(g.status));
        if (!_registrationClosed(g)) revert RegistrationStillOpen(tournamentId);
        _requireResultDue(tournamentId, g.resultDeadline);
        if (winners.length == 0) {
            _games[tournamentId].status = Status.Voided;
            emit TournamentVoided(tournamentId, referee);
            return;
        }
        if (g.entrants < MIN_ENTRANTS) revert NotEnoughEntrants(g.entrants);
        uint256 expected = g.entrants < g.places ? g.entrants : g.places;
        if (winners.length != expected) revert BadWinnersLength(expected, winners.length);
        _requireDistinctEntrants(tournamentId, winners);
        _games[tournamentId].status = Status.Settled;
        (uint256[] memory payouts, uint256 rake) =
            _distribute(g.poolId, g.entryFee, g.entrants, g.rakeBps, g.prizes, g.places, winners.length);
        _payRanked(tournamentId, g.poolId, g.token, g.entryFee, winners, payouts);
        emit TournamentSettled(tournamentId, referee, winners, payouts, rake);
    }

    function _registrationClosed(Game memory g) internal view returns (bool) {
        return block.timestamp >= g.registrationDeadline || g.entrants >= g.maxEntrants;
    }

    function _coSigners(uint256 tournamentId) internal view override returns (uint256) {
        Game memory g = _games[tournamentId];
        if (g.status == Status.None) revert UnknownTournament(tournamentId);
        return g.entrants;
    }

    function _seatCount(uint256 tournamentId) internal view override returns (uint256) {
        return _games[tournamentId].entrants;
    }
}
