// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ISharedErrors} from "./Shared.sol";
import {IVRFVerifierErrors} from "./IVRFVerifierErrors.sol";

/// @title IRandomnessCoordinator
/// @notice Chainlink-VRF-compatible randomness: registered consumers request (each with the
/// oracle key governance set for it), registered oracle keys fulfil with an ECVRF proof the
/// chain verifies, anyone expires a request that was not fulfilled by its deadline.
///
/// Seed flow: requestId = preSeed = keccak256(abi.encode(consumer, salt)), `salt` the consumer's
/// own number for the request (a game of chance uses its Vault lock id), so a consumer can tell
/// its request's id from its own records, whichever key governance has set since; the proven seed is
/// keccak256(abi.encodePacked(preSeed, blockhash(requestBlock))), the hash read from the chain
/// or, past BLOCKHASH's 256-block window, from the copy anyone stored with `storeBlockhash`.
///
/// Provider bonds: every oracle key is backed by a bond per token. Each request reserves from
/// its key's bond the most its expiry can cost (its `Slash`); fulfilment releases the
/// reservation, expiry pays it out (to a beneficiary credited in the Vault, and the rest to the
/// bankroll or burnt) and a request the free bond cannot cover is refused. So withholding a
/// result always costs the key's bond what the consumer's rules say it is worth.
interface IRandomnessCoordinator is ISharedErrors, IVRFVerifierErrors {
    /// @notice What a request costs its key's bond if it expires, fixed when it is made.
    /// @param token the bond's token (address(0) = ETH)
    /// @param amount reserved from the key's bond; all of it is paid out on expiry
    /// @param beneficiary credited `beneficiaryAmount` in the Vault on expiry
    /// @param beneficiaryAmount <= amount
    /// @param residualToBankroll where `amount - beneficiaryAmount` goes on expiry: the token's
    /// bankroll in the Vault as a gain, the protocol fee taken from it (true), or burnt to
    /// BURN_ADDRESS, a sink nobody shares in (false)
    struct Slash {
        address token;
        uint96 amount;
        address beneficiary;
        uint88 beneficiaryAmount;
        bool residualToBankroll;
    }

    /// @notice A key's bond in one token, as returned by {bondOf}.
    /// @param free what new requests may reserve or the operator may start unbonding
    struct BondView {
        uint256 total;
        uint256 reserved;
        uint256 unbonding;
        uint64 unbondableAt;
        uint256 free;
    }

    /// @notice An ECVRF proof in Chainlink's layout (13 words).
    struct Proof {
        uint256[2] pk;
        uint256[2] gamma;
        uint256 c;
        uint256 s;
        uint256 seed;
        address uWitness;
        uint256[2] cGammaWitness;
        uint256[2] sHashWitness;
        uint256 zInv;
    }

    /// @notice What the coordinator committed to at request time, the request's bond reservation
    /// (its `Slash`) included; supplied back on fulfil/expire and checked against the stored hash,
    /// so storage holds one word per request, whatever it reserved.
    struct RequestCommitment {
        uint64 blockNum;
        uint64 deadlineBlock;
        uint64 deadlineTime;
        uint32 callbackGasLimit;
        uint32 numWords;
        address consumer;
        bytes32 keyHash;
        uint256 preSeed;
        address bondToken;
        uint96 bondAmount;
        address beneficiary;
        uint88 beneficiaryAmount;
        bool residualToBankroll;
        bytes32 data;
    }

    /// @notice Only this call's data is needed to re-verify the proof later. The request
    /// expires once both deadlines have passed, or `deadlineTime` plus the timeout again has
    /// passed whatever the block number (see {RandomnessCoordinator-isExpired}). Its fields are
    /// the request's RequestCommitment, which fulfil and expire take back: the bond reservation
    /// (`bondToken`, `bondAmount`, zero for none) and who its expiry pays are in it, and so is
    /// `data`, the consumer's own word handed back with the result. Two commitment fields are
    /// not repeated, the log itself carries them: `preSeed` is `requestId`, and `blockNum` is
    /// the block number of the log (the request's block).
    event RandomnessRequested(
        uint256 indexed requestId,
        bytes32 indexed keyHash,
        address indexed consumer,
        uint64 deadlineBlock,
        uint64 deadlineTime,
        uint32 callbackGasLimit,
        uint32 numWords,
        address bondToken,
        uint96 bondAmount,
        address beneficiary,
        uint88 beneficiaryAmount,
        bool residualToBankroll,
        bytes32 data
    );
    /// @notice An expired request's reservation was paid out of its key's bond.
    /// @param residual amount - beneficiaryAmount, to the bankroll or burnt as `residualToBankroll` says
    event BondSlashed(
        uint256 indexed requestId,
        bytes32 indexed keyHash,
        address indexed token,
        address beneficiary,
        uint256 beneficiaryAmount,
        uint256 residual,
        bool residualToBankroll
    );
    event BondDeposited(bytes32 indexed keyHash, address indexed token, address indexed from, uint256 amount);
    /// @notice `amount` stops backing new requests and can be withdrawn from `unbondableAt`.
    event BondUnbonding(bytes32 indexed keyHash, address indexed token, uint256 amount, uint64 unbondableAt);
    event BondWithdrawn(bytes32 indexed keyHash, address indexed token, address to, uint256 amount);
    event KeyOperatorSet(bytes32 indexed keyHash, address indexed operator);
    event BlockhashStored(uint256 indexed blockNum, bytes32 blockHash);
    /// @param callbackSuccess false when the consumer reverted or ran out of gas (never reverts the fulfil)
    event RandomnessFulfilled(
        uint256 indexed requestId, uint256 seed, uint256 output, Proof proof, bool callbackSuccess
    );
    event RandomnessExpired(uint256 indexed requestId, bool callbackSuccess);
    event OracleKeyRegistered(bytes32 indexed keyHash, uint256[2] pk, address operator);
    event OracleKeyDeregistered(bytes32 indexed keyHash);
    /// @notice `consumer` now requests with `keyHash` (zero: it may not request).
    event ConsumerSet(address indexed consumer, bytes32 keyHash);

    error NotConsumer(address caller);
    error UnknownKey(bytes32 keyHash);
    error KeyAlreadyRegistered(bytes32 keyHash);
    error BadNumWords(uint32 numWords);
    error CallbackGasTooHigh(uint32 callbackGasLimit, uint32 max);
    error UnknownRequest(uint256 requestId);
    /// @notice The consumer's salt names a request that is still pending.
    error RequestExists(uint256 requestId);
    error CommitmentMismatch(uint256 requestId);
    error SeedMismatch(uint256 expected, uint256 proven);
    error KeyMismatch(bytes32 expected, bytes32 proven);
    error BlockhashUnavailable(uint64 blockNum);
    error RequestExpired(uint256 requestId, uint64 deadlineBlock, uint64 deadlineTime);
    error NotExpiredYet(uint256 requestId, uint64 deadlineBlock, uint64 deadlineTime);
    /// @notice The key's free bond in `token` cannot cover the request's slash.
    error BondTooSmall(bytes32 keyHash, address token, uint256 free, uint256 needed);
    /// @notice A deposit would take the key's bond in the token, less what is unbonding
    /// (`bonded` = free + reserved), above `cap` (the coordinator's MAX_BOND).
    error BondAboveCap(uint256 bonded, uint256 amount, uint256 cap);
    /// @notice A slash whose beneficiary share exceeds its amount, or pays a zero address.
    error BadSlash();
    /// @notice Only the key's operator may unbond, withdraw or hand the key over.
    error NotKeyOperator(bytes32 keyHash, address caller);
    /// @notice The unbonding amount is not withdrawable before `unbondableAt`.
    error StillUnbonding(uint64 unbondableAt);
    error NothingUnbonding();
    /// @notice The block's hash is out of BLOCKHASH's window or already stored.
    error CannotStoreBlockhash(uint256 blockNum);
    error InsufficientGasForCallback(uint256 available, uint256 needed);
    /// @notice A timeout is zero or above its cap.
    error BadTimeout(uint64 timeoutBlocks, uint64 timeoutSeconds);
    /// @notice A public key offered for registration is not a point of secp256k1.
    error KeyNotOnCurve(uint256[2] pk);

    /// @notice Registered consumer only: request `numWords` random words from the oracle key set
    /// for the caller ({keyOf}), reserving `slash` from that key's bond (a zero amount reserves
    /// nothing). The key goes into the request's commitment, so a later rotation leaves it be.
    /// @param salt the consumer's number for this request, never reused (a pending one reverts
    /// with RequestExists): the request id is keccak256(abi.encode(consumer, salt))
    /// @param data the consumer's own word, committed with the request and handed back with its
    /// result or expiry, so a consumer need not store what a request is for
    function requestRandomness(
        uint32 callbackGasLimit,
        uint32 numWords,
        Slash calldata slash,
        uint64 salt,
        bytes32 data
    ) external returns (uint256 requestId);

    /// @notice Anyone (in practice the oracle daemon): fulfil one request with a valid proof.
    function fulfil(Proof calldata proof, RequestCommitment calldata rc) external returns (uint256 output);

    /// @notice Fulfil several requests in one transaction; a request already fulfilled or expired
    /// is skipped with an event-free no-op so a batch never fails for one late entry.
    function fulfilBatch(Proof[] calldata proofs, RequestCommitment[] calldata rcs) external;

    /// @notice Anyone: expire a request whose deadline has passed unfulfilled, paying its slash
    /// out of the key's bond and then telling the consumer.
    function expire(RequestCommitment calldata rc) external;

    /// @notice Anyone: keep the hash of block `blockNum` (one of the last 256) so requests made in
    /// it stay fulfillable after BLOCKHASH forgets it. The oracle daemon does it for its requests.
    function storeBlockhash(uint256 blockNum) external;

    /// @notice Most seconds after a request until it is expired whatever the block number.
    function maxFulfilDelay() external view returns (uint64);

    /// @notice Whether `requestId` is still waiting (requested, not fulfilled, not expired).
    function isPending(uint256 requestId) external view returns (bool);

    /// @notice Verify a proof for `seed` and return its output (reverts on an invalid proof).
    function verifyProof(Proof calldata proof, uint256 seed) external view returns (uint256 output);

    /// @notice The id of `consumer`'s request with `salt`: keccak256(abi.encode(consumer, salt)),
    /// which is also its preSeed.
    function requestIdOf(address consumer, uint64 salt) external pure returns (uint256);

    /// @notice The oracle key `consumer`'s requests use (zero: it may not request).
    function keyOf(address consumer) external view returns (bytes32);

    /// @notice keyHash of a public key: keccak256(abi.encode(pk)).
    function hashOfKey(uint256[2] calldata pk) external pure returns (bytes32);
}
