// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IRandomnessCoordinator
/// @notice Chainlink-VRF-compatible randomness: registered consumers request, registered
/// oracle keys fulfil with an ECVRF proof the chain verifies, anyone expires a request that
/// was not fulfilled by its deadline.
///
/// Seed flow: preSeed = keccak256(abi.encode(keyHash, consumer, nonce));
/// requestId = keccak256(abi.encode(keyHash, preSeed)); the proven seed is
/// keccak256(abi.encodePacked(preSeed, blockhash(requestBlock))).
interface IRandomnessCoordinator {
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

    /// @notice What the coordinator committed to at request time; supplied back on fulfil/expire
    /// and checked against the stored hash, so storage holds one word per request.
    struct RequestCommitment {
        uint64 blockNum;
        uint64 deadlineBlock;
        uint32 callbackGasLimit;
        uint32 numWords;
        address consumer;
        bytes32 keyHash;
        uint256 preSeed;
    }

    /// @notice Only this call's data is needed to re-verify the proof later.
    event RandomnessRequested(
        uint256 indexed requestId,
        bytes32 indexed keyHash,
        address indexed consumer,
        uint256 preSeed,
        uint64 blockNum,
        uint64 deadlineBlock,
        uint32 callbackGasLimit,
        uint32 numWords
    );
    /// @param callbackSuccess false when the consumer reverted or ran out of gas (never reverts the fulfil)
    event RandomnessFulfilled(
        uint256 indexed requestId, uint256 seed, uint256 output, Proof proof, bool callbackSuccess
    );
    event RandomnessExpired(uint256 indexed requestId, bool callbackSuccess);
    event OracleKeyRegistered(bytes32 indexed keyHash, uint256[2] pk);
    event OracleKeyDeregistered(bytes32 indexed keyHash);
    event ConsumerSet(address indexed consumer, bool registered);

    error NotConsumer(address caller);
    error UnknownKey(bytes32 keyHash);
    error KeyAlreadyRegistered(bytes32 keyHash);
    error BadNumWords(uint32 numWords);
    error CallbackGasTooHigh(uint32 callbackGasLimit, uint32 max);
    error UnknownRequest(uint256 requestId);
    error CommitmentMismatch(uint256 requestId);
    error SeedMismatch(uint256 expected, uint256 proven);
    error KeyMismatch(bytes32 expected, bytes32 proven);
    error BlockhashUnavailable(uint64 blockNum);
    error RequestExpired(uint256 requestId, uint64 deadlineBlock);
    error NotExpiredYet(uint256 requestId, uint64 deadlineBlock);
    error InsufficientGasForCallback(uint256 available, uint256 needed);
    error LengthMismatch();

    /// @notice Registered consumer only: request `numWords` random words.
    function requestRandomness(bytes32 keyHash, uint32 callbackGasLimit, uint32 numWords)
        external
        returns (uint256 requestId);

    /// @notice Anyone (in practice the oracle daemon): fulfil one request with a valid proof.
    function fulfil(Proof calldata proof, RequestCommitment calldata rc) external returns (uint256 output);

    /// @notice Fulfil several requests in one transaction; a request already fulfilled or expired
    /// is skipped with an event-free no-op so a batch never fails for one late entry.
    function fulfilBatch(Proof[] calldata proofs, RequestCommitment[] calldata rcs) external;

    /// @notice Anyone: expire a request whose deadline block has passed unfulfilled.
    function expire(RequestCommitment calldata rc) external;

    /// @notice Whether `requestId` is still waiting (requested, not fulfilled, not expired).
    function isPending(uint256 requestId) external view returns (bool);

    /// @notice Verify a proof for `seed` and return its output (reverts on an invalid proof).
    function verifyProof(Proof calldata proof, uint256 seed) external view returns (uint256 output);

    /// @notice keyHash of a public key: keccak256(abi.encode(pk)).
    function hashOfKey(uint256[2] calldata pk) external pure returns (bytes32);
}
