// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

import {IPlayerRegistry} from "../../interfaces/IPlayerRegistry.sol";
import {ISignedResults} from "../../interfaces/ISignedResults.sol";
import {LOCK_DURATION_CAP} from "../../interfaces/Shared.sol";
import {IVault} from "../../interfaces/IVault.sol";
import {PoolEntry} from "./PoolEntry.sol";

/// @title SignedResults
/// @notice What skill games (Match, Tournament) share: entries staked into a Vault pool through
/// pooled locks, results signed with EIP-712 by a registered referee key or co-signed by every
/// entrant, payouts by a basis-point table out of the pool with capped rake, and refunds that
/// tolerate the Vault's deadline backstop having refunded a lock first. A game supplies its
/// packed header's reads (`_seatCount`, `_coSigners`) and what a result does (`_finish`).
///
/// Payout rounding (mirrored by fairstake/rules): rake = total * rakeBps / 10000 (floor);
/// net = total - rake; place i gets net * share[i] / 10000 (floor) for the places that have a
/// ranked player; everything left (rounding dust and the shares of places nobody filled) goes to
/// the first-ranked player.
abstract contract SignedResults is ISignedResults, EIP712, Ownable2Step {
    uint256 public constant MAX_RAKE_BPS = 1000;
    uint256 public constant MAX_PLACES = 16;
    uint256 public constant MAX_DURATION = LOCK_DURATION_CAP; // the Vault's longest lock
    uint256 internal constant BPS = 10_000;
    address internal constant ETH = address(0);

    /// @dev The EIP-712 type of the game's result (its own names for the id and the ranking).
    bytes32 private immutable _resultTypehash;

    IVault public immutable vault;
    /// @notice The player registry the Vault asks before each entry is locked and tells of each
    /// counted entry's payout or refund; the game never calls it (kept for clients and the wiring checks).
    IPlayerRegistry public immutable registry;

    /// @notice Rake for games created from now on (each game keeps the rate it was created with).
    uint16 public rakeBps;
    mapping(address referee => bool) public isReferee;
    /// @notice The nonce a result for game `id` must be signed with; a referee bumps it to revoke
    /// results signed earlier (e.g. after finding a mistake) before anyone submits them.
    mapping(uint256 id => uint256) public resultNonce;

    mapping(uint256 id => mapping(uint256 index => Entry)) internal _entries;
    /// @dev index + 1 of `player`'s entry in game `id` (0: not entered)
    mapping(uint256 id => mapping(address player => uint256)) internal _seatOf;

    constructor(
        string memory name,
        bytes32 resultTypehash,
        IVault vault_,
        IPlayerRegistry registry_,
        address owner_
    ) EIP712(name, "1") Ownable(owner_) {
        if (address(vault_) == address(0) || address(registry_) == address(0)) revert ZeroAddress();
        _resultTypehash = resultTypehash;
        vault = vault_;
        registry = registry_;
    }

    // ------------------------------------------------------------------ governance

    /// @notice Owner: register or deregister a referee key (the game server's result signer).
    function setReferee(address referee, bool registered) external onlyOwner {
        if (referee == address(0)) revert ZeroAddress();
        isReferee[referee] = registered;
        emit RefereeSet(referee, registered);
    }

    /// @notice Owner: rake in basis points for games created from now on, at most MAX_RAKE_BPS.
    function setRake(uint16 bps) external onlyOwner {
        if (bps > MAX_RAKE_BPS) revert RakeAboveCap(bps, MAX_RAKE_BPS);
        rakeBps = bps;
        emit RakeSet(bps);
    }

    /// @notice Referee: revoke every result signed so far for game `id`.
    function invalidateResults(uint256 id) external {
        if (!isReferee[msg.sender]) revert NotReferee(msg.sender);
        uint256 nonce = ++resultNonce[id];
        emit ResultsInvalidated(id, nonce);
    }

    // ------------------------------------------------------------------ results

    /// @inheritdoc ISignedResults
    function submitResult(uint256 id, address[] calldata ranking, bytes calldata signature) external {
        address referee = _requireReferee(resultDigest(id, resultNonce[id], ranking), signature);
        _finish(id, ranking, referee);
    }

    /// @inheritdoc ISignedResults
    function submitCoSignedResult(uint256 id, address[] calldata ranking, bytes[] calldata signatures) external {
        uint256 count = _coSigners(id);
        _requireCoSigned(id, count, resultDigest(id, resultNonce[id], ranking), signatures);
        _finish(id, ranking, address(0));
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc ISignedResults
    function resultDigest(uint256 id, uint256 nonce, address[] calldata ranking) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(abi.encode(_resultTypehash, id, nonce, keccak256(abi.encodePacked(ranking))))
        );
    }

    /// @inheritdoc ISignedResults
    function entryOf(uint256 id, uint256 index) external view returns (address player, uint256 lockId) {
        Entry memory e = _entries[id][index];
        return (e.player, e.lockId);
    }

    // ------------------------------------------------------------------ internals: the game's part

    /// @dev Apply a result whose signature was checked: settle by `ranking`, or void on an empty one.
    /// `referee` is the signer, address(0) when co-signed by every entrant.
    function _finish(uint256 id, address[] calldata ranking, address referee) internal virtual;

    /// @dev How many entrants must co-sign a result of game `id`; reverts when the game takes no
    /// co-signed result now.
    function _coSigners(uint256 id) internal view virtual returns (uint256);

    /// @dev Number of entries of game `id`; implemented by the game from its packed header.
    function _seatCount(uint256 id) internal view virtual returns (uint256);

    // ------------------------------------------------------------------ internals: entries

    /// @dev Optional ETH deposit (msg.value) and a pooled lock for `player`; the Vault asks the player
    /// registry before it locks.
    function _enter(uint256 id, address player, address token, uint256 amount, uint64 deadline, uint256 poolId)
        internal
        returns (uint256 seat, uint256 lockId)
    {
        if (_seatOf[id][player] != 0) revert AlreadyEntered(player);
        if (msg.value != 0) {
            if (token != ETH) revert WrongEthValue(0, msg.value);
            // slither-disable-next-line unused-return -- ETH deposits credit exactly msg.value; lock() checks the balance
            vault.depositFor{value: msg.value}(player, ETH, msg.value);
        }
        lockId = vault.lock(player, token, amount, amount, 0, deadline, poolId);
        seat = _seatCount(id);
        _entries[id][seat] = Entry(player, uint96(lockId));
        // slither-disable-next-line reentrancy-eth -- only the immutable Vault and registry are called; neither calls back
        _seatOf[id][player] = seat + 1;
    }

    /// @dev Refund entry `index` unless already refunded. A lock the Vault's deadline backstop
    /// already refunded is recorded as refunded; any other Vault error bubbles up.
    /// The Vault keeps only a hash of each lock's terms: they are rebuilt here from the entry and
    /// the game's token, entry amount and pool, exactly as `_enter` locked them.
    function _refundEntry(uint256 id, uint256 index, address token, uint256 amount, uint256 poolId) internal {
        Entry memory e = _entries[id][index];
        if (e.lockId == 0) return;
        _entries[id][index].lockId = 0;
        bool viaBackstop;
        try vault.refund(e.lockId, PoolEntry.lockTerms(e.player, token, amount, poolId)) {}
        catch (bytes memory reason) {
            if (reason.length < 4 || bytes4(reason) != IVault.LockNotOpen.selector) {
                assembly ("memory-safe") {
                    revert(add(reason, 0x20), mload(reason))
                }
            }
            viaBackstop = true;
        }
        emit EntryRefunded(id, e.player, e.lockId, viaBackstop);
    }

    /// @dev Refund entries `fromIndex` .. `end - 1` of game `id` (each unless already refunded).
    function _refundEntries(uint256 id, uint256 fromIndex, uint256 end, address token, uint256 amount, uint256 poolId)
        internal
    {
        for (uint256 i = fromIndex; i < end; ++i) {
            _refundEntry(id, i, token, amount, poolId);
        }
    }

    /// @dev The players of entries `fromIndex` .. `fromIndex + count - 1` of game `id`, clamped to its entries.
    function _playersOf(uint256 id, uint256 fromIndex, uint256 count) internal view returns (address[] memory players) {
        uint256 total = _seatCount(id);
        uint256 end = fromIndex + count > total ? total : fromIndex + count;
        players = new address[](end > fromIndex ? end - fromIndex : 0);
        for (uint256 i; i < players.length; ++i) {
            players[i] = _entries[id][fromIndex + i].player;
        }
    }

    // ------------------------------------------------------------------ internals: results

    /// @dev Reverts once the result deadline of game `id` has passed (results are accepted until it, inclusive).
    function _requireResultDue(uint256 id, uint64 deadline) internal view {
        if (block.timestamp > deadline) revert ResultDeadlinePassed(id, deadline);
    }

    /// @dev The signer of `digest`, rejecting malformed and high-s signatures.
    function _recover(bytes32 digest, bytes calldata signature) internal pure returns (address signer) {
        ECDSA.RecoverError err;
        // slither-disable-next-line unused-return -- the third value only details err, which is checked
        (signer, err,) = ECDSA.tryRecover(digest, signature);
        if (err == ECDSA.RecoverError.InvalidSignatureS) revert MalleableSignature();
        if (err != ECDSA.RecoverError.NoError) revert InvalidSignature();
    }

    /// @dev Reverts unless a registered referee signed `digest`; returns the referee.
    function _requireReferee(bytes32 digest, bytes calldata signature) internal view returns (address referee) {
        referee = _recover(digest, signature);
        if (!isReferee[referee]) revert UnknownReferee(referee);
    }

    /// @dev Reverts unless entry i's player signed `digest` in `signatures[i]`, for every entry.
    /// Contract wallets sign through ERC-1271.
    function _requireCoSigned(uint256 id, uint256 count, bytes32 digest, bytes[] calldata signatures) internal view {
        if (signatures.length != count) revert SignatureCountMismatch(count, signatures.length);
        for (uint256 i; i < count; ++i) {
            address player = _entries[id][i].player;
            bool ok = player.code.length == 0
                ? _recover(digest, signatures[i]) == player
                : _isValidErc1271(player, digest, signatures[i]);
            if (!ok) revert BadCoSignature(i, player);
        }
    }

    /// @dev OpenZeppelin's SignatureChecker pulls in Cancun-only code (mcopy); this is its ERC-1271 half.
    function _isValidErc1271(address wallet, bytes32 digest, bytes calldata signature) internal view returns (bool) {
        try IERC1271(wallet).isValidSignature(digest, signature) returns (bytes4 magic) {
            return magic == IERC1271.isValidSignature.selector;
        } catch {
            return false;
        }
    }

    /// @dev Reverts unless every address in `ranking` is a distinct entrant of game `id`.
    function _requireDistinctEntrants(uint256 id, address[] calldata ranking) internal view {
        for (uint256 i; i < ranking.length; ++i) {
            if (_seatOf[id][ranking[i]] == 0) revert NotEntrant(ranking[i]);
            for (uint256 j; j < i; ++j) {
                if (ranking[j] == ranking[i]) revert DuplicateInRanking(ranking[i]);
            }
        }
    }

    /// @dev Pay the pool of `entries` stakes out by the share table: close the pool, take rake,
    /// then credit the `ranked` players with `_payRanked`.
    function _distribute(
        uint256 poolId,
        uint256 stake,
        uint256 entries,
        uint256 rake_,
        uint256 packedShares,
        uint256 places,
        uint256 ranked
    ) internal returns (uint256[] memory amounts, uint256 rake) {
        (amounts, rake) = _payouts(stake * entries, rake_, packedShares, places, ranked);
        vault.closePool(poolId);
        if (rake != 0) vault.takePoolFee(poolId, rake);
    }

    /// @dev Credit `amounts[i]` to `ranking[i]` from game `id`'s closed pool, each against the
    /// player's own entry lock (rebuilt as `_enter` locked it), so the Vault reports the payout to
    /// the registry exactly when it counted that entry's stake, and once.
    function _payRanked(
        uint256 id,
        uint256 poolId,
        address token,
        uint256 stake,
        address[] calldata ranking,
        uint256[] memory amounts
    ) internal {
        for (uint256 i; i < amounts.length; ++i) {
            if (amounts[i] != 0) _payEntry(id, poolId, token, stake, ranking[i], amounts[i]);
        }
    }

    /// @dev Pay `amount` to `player` from game `id`'s closed pool against the player's entry lock.
    function _payEntry(uint256 id, uint256 poolId, address token, uint256 stake, address player, uint256 amount)
        private
    {
        vault.payLockFromPool(
            _entries[id][_seatOf[id][player] - 1].lockId, PoolEntry.lockTerms(player, token, stake, poolId), amount
        );
    }

    /// @dev The payout rule (see the contract notes); `ranked` players, the first ranked first.
    function _payouts(uint256 total, uint256 rakeBps_, uint256 packedShares, uint256 places, uint256 ranked)
        internal
        pure
        returns (uint256[] memory amounts, uint256 rake)
    {
        rake = total * rakeBps_ / BPS;
        uint256 net = total - rake;
        amounts = new uint256[](ranked);
        uint256 paidPlaces = ranked < places ? ranked : places;
        // slither-disable-next-line uninitialized-local -- an accumulator starting at zero
        uint256 paid;
        for (uint256 i; i < paidPlaces; ++i) {
            uint256 amount = net * ((packedShares >> (16 * i)) & 0xffff) / BPS;
            amounts[i] = amount;
            paid += amount;
        }
        amounts[0] += net - paid;
    }

    /// @dev Validates a share table (1..MAX_PLACES entries summing to 10000) and packs it 16 bits each.
    function _packShares(uint16[] calldata shares) internal pure returns (uint256 packed) {
        if (shares.length == 0 || shares.length > MAX_PLACES) revert BadShares();
        // slither-disable-next-line uninitialized-local -- an accumulator starting at zero
        uint256 sum;
        for (uint256 i; i < shares.length; ++i) {
            sum += shares[i];
            packed |= uint256(shares[i]) << (16 * i);
        }
        if (sum != BPS) revert BadShares();
    }

    function _unpackShares(uint256 packed, uint256 places) internal pure returns (uint16[] memory shares) {
        shares = new uint16[](places);
        for (uint256 i; i < places; ++i) {
            shares[i] = uint16(packed >> (16 * i));
        }
    }

    function _checkDeadline(uint256 deadline) internal view {
        if (deadline <= block.timestamp || deadline > block.timestamp + MAX_DURATION) revert BadDeadline(deadline);
    }
}
