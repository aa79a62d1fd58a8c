// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ISignedResultsErrors} from "./IGameErrors.sol";

/// @title ISignedResults
/// @notice What every skill game (Match, Tournament) shows its clients alike: the staked entries,
/// the referee keys and rake, and results signed with EIP-712 by a referee or co-signed by every
/// entrant. A game is addressed by its id (`matchId`, `tournamentId`); its own interface adds how
/// it is created, entered and refunded.
interface ISignedResults is ISignedResultsErrors {
    /// @notice A staked entry. `lockId == 0` once refunded (Vault lock ids start at 1).
    struct Entry {
        address player;
        uint96 lockId;
    }

    event RefereeSet(address indexed referee, bool registered);
    event RakeSet(uint16 bps);
    /// @notice A referee revoked every result signed so far for game `id`; results must now use `nonce`.
    event ResultsInvalidated(uint256 indexed id, uint256 nonce);
    /// @param viaBackstop the Vault had already refunded the lock through its deadline backstop
    event EntryRefunded(uint256 indexed id, address indexed player, uint256 lockId, bool viaBackstop);

    /// @notice Owner: register or deregister a referee key (the game server's result signer).
    function setReferee(address referee, bool registered) external;

    /// @notice Owner: rake in basis points for games created from now on.
    function setRake(uint16 bps) external;

    /// @notice Referee: revoke every result signed so far for game `id`.
    function invalidateResults(uint256 id) external;

    /// @notice Submit a result of game `id` signed by a registered referee. Anyone may submit.
    /// `ranking` lists the ranked entrants, first place first; an empty ranking voids the game.
    function submitResult(uint256 id, address[] calldata ranking, bytes calldata signature) external;

    /// @notice Submit a result of game `id` co-signed by every entrant (`signatures[i]` by the
    /// entrant in seat i, in entry order); an empty ranking co-signed by all voids the game.
    function submitCoSignedResult(uint256 id, address[] calldata ranking, bytes[] calldata signatures) external;

    /// @notice The EIP-712 digest a referee or entrant signs for a result of game `id`.
    function resultDigest(uint256 id, uint256 nonce, address[] calldata ranking) external view returns (bytes32);

    /// @notice Entry `index` of game `id`: its player and Vault lock (lockId 0 once refunded).
    function entryOf(uint256 id, uint256 index) external view returns (address player, uint256 lockId);
}
