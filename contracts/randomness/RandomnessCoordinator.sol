// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

import {IRandomnessConsumer} from "../interfaces/IRandomnessConsumer.sol";
import {IRandomnessCoordinator} from "../interfaces/IRandomnessCoordinator.sol";
import {VRFVerifier} from "./VRFVerifier.sol";

/// @title RandomnessCoordinator
/// @notice Chainlink-VRF-compatible randomness for Fairstake games. Governance (the owner, a
/// TimelockController in deployment) registers oracle keys and consumers; a registered consumer
/// requests; anyone holding a valid ECVRF proof fulfils before the deadline block; anyone expires
/// a request after it. Storage holds one word per live request: the hash of its RequestCommitment.
///
/// The callback runs with exactly the requested gas or the fulfil reverts, so a fulfiller cannot
/// make a consumer's callback fail by under-supplying gas; a consumer that reverts, runs out of gas
/// or returns huge data cannot make the fulfil fail or cost the fulfiller more than its allowance.
contract RandomnessCoordinator is IRandomnessCoordinator, Ownable {
    /// @notice Most random words one request may ask for.
    uint32 public constant MAX_NUM_WORDS = 500;
    /// @notice Gas given to onRandomnessExpired: enough for a game to refund its stakes.
    uint32 public constant EXPIRY_CALLBACK_GAS = 200_000;
    /// @notice Largest timeout: the request block's hash must still be readable at the deadline.
    uint64 public constant MAX_TIMEOUT_BLOCKS = 255;
    /// @dev Kept back for the CALL itself (warm account access plus the check's own opcodes) when
    /// checking that the callee can be given its whole allowance.
    uint256 private constant CALL_OVERHEAD_GAS = 1_000;

    /// @notice Blocks after the request block until a request may be expired.
    uint64 public immutable timeoutBlocks;
    /// @notice Largest callbackGasLimit a consumer may request.
    uint32 public immutable maxCallbackGasLimit;

    /// @dev One slot per consumer. The nonce survives deregistration, so request ids never repeat.
    struct ConsumerState {
        uint64 nonce;
        bool registered;
    }

    mapping(address consumer => ConsumerState) private _consumers;
    mapping(bytes32 keyHash => bool) private _keys;
    mapping(uint256 requestId => bytes32 commitmentHash) private _commitments;

    /// @notice The timeout is zero or above MAX_TIMEOUT_BLOCKS.
    error BadTimeout(uint64 timeoutBlocks);
    /// @notice A public key offered for registration is not a point of secp256k1.
    error KeyNotOnCurve(uint256[2] pk);

    /// @param initialOwner governance (a TimelockController in deployment)
    /// @param timeoutBlocks_ blocks from request to deadline, 1..255
    /// @param maxCallbackGasLimit_ cap on the callback gas a consumer may request
    constructor(address initialOwner, uint64 timeoutBlocks_, uint32 maxCallbackGasLimit_) Ownable(initialOwner) {
        if (timeoutBlocks_ == 0 || timeoutBlocks_ > MAX_TIMEOUT_BLOCKS) revert BadTimeout(timeoutBlocks_);
        timeoutBlocks = timeoutBlocks_;
        maxCallbackGasLimit = maxCallbackGasLimit_;
    }

    // ------------------------------------------------------------------ governance

    /// @notice Owner only: accept proofs made with the secret key of `pk`.
    /// @return keyHash keccak256(abi.encode(pk)), the id consumers request with
    function registerKey(uint256[2] calldata pk) external onlyOwner returns (bytes32 keyHash) {
        if (!VRFVerifier.isOnCurve(pk[0], pk[1])) revert KeyNotOnCurve(pk);
        keyHash = _hashOfKey(pk);
        if (_keys[keyHash]) revert KeyAlreadyRegistered(keyHash);
        _keys[keyHash] = true;
        emit OracleKeyRegistered(keyHash, pk);
    }

    /// @notice Owner only: stop accepting proofs and requests for `keyHash`. Requests still
    /// pending for it can then only expire.
    function deregisterKey(bytes32 keyHash) external onlyOwner {
        if (!_keys[keyHash]) revert UnknownKey(keyHash);
        delete _keys[keyHash];
        emit OracleKeyDeregistered(keyHash);
    }

    /// @notice Owner only: allow or forbid `consumer` to request. Its pending requests are
    /// unaffected either way.
    function setConsumer(address consumer, bool registered) external onlyOwner {
        _consumers[consumer].registered = registered;
        emit ConsumerSet(consumer, registered);
    }

    // ------------------------------------------------------------------ requests

    /// @inheritdoc IRandomnessCoordinator
    function requestRandomness(bytes32 keyHash, uint32 callbackGasLimit, uint32 numWords)
        external
        returns (uint256 requestId)
    {
        ConsumerState storage state = _consumers[msg.sender];
        if (!state.registered) revert NotConsumer(msg.sender);
        if (!_keys[keyHash]) revert UnknownKey(keyHash);
        if (numWords == 0 || numWords > MAX_NUM_WORDS) revert BadNumWords(numWords);
        if (callbackGasLimit > maxCallbackGasLimit) revert CallbackGasTooHigh(callbackGasLimit, maxCallbackGasLimit);

        uint64 nonce = state.nonce + 1;
        state.nonce = nonce;
        uint256 preSeed = uint256(keccak256(abi.encode(keyHash, msg.sender, nonce)));
        requestId = _requestId(keyHash, preSeed);
        uint64 blockNum = uint64(block.number);
        uint64 deadlineBlock = blockNum + timeoutBlocks;
        _commitments[requestId] = keccak256(
            abi.encode(
                RequestCommitment({
                    blockNum: blockNum,
                    deadlineBlock: deadlineBlock,
                    callbackGasLimit: callbackGasLimit,
                    numWords: numWords,
                    consumer: msg.sender,
                    keyHash: keyHash,
                    preSeed: preSeed
                })
            )
        );
        emit RandomnessRequested(
            requestId, keyHash, msg.sender, preSeed, blockNum, deadlineBlock, callbackGasLimit, numWords
        );
    }

    /// @inheritdoc IRandomnessCoordinator
    /// @dev Reverts with InsufficientGasForCallback when the transaction cannot give the
    /// consumer its full callbackGasLimit.
    function fulfil(Proof calldata proof, RequestCommitment calldata rc) external returns (uint256 output) {
        (, output) = _fulfil(proof, rc, false);
    }

    /// @inheritdoc IRandomnessCoordinator
    /// @dev Skipped (no event, no revert): entries whose request is no longer stored (fulfilled
    /// or expired) and entries past their deadline block. Any other failure reverts the batch.
    function fulfilBatch(Proof[] calldata proofs, RequestCommitment[] calldata rcs) external {
        uint256 count = proofs.length;
        if (count != rcs.length) revert LengthMismatch();
        for (uint256 i; i < count; ++i) {
            _fulfil(proofs[i], rcs[i], true);
        }
    }

    /// @inheritdoc IRandomnessCoordinator
    function expire(RequestCommitment calldata rc) external {
        uint256 requestId = _checkCommitment(rc);
        if (block.number <= rc.deadlineBlock) revert NotExpiredYet(requestId, rc.deadlineBlock);
        delete _commitments[requestId];
        bool success = _callWithExactGas(
            rc.consumer, EXPIRY_CALLBACK_GAS, abi.encodeCall(IRandomnessConsumer.onRandomnessExpired, (requestId))
        );
        emit RandomnessExpired(requestId, success);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IRandomnessCoordinator
    function isPending(uint256 requestId) external view returns (bool) {
        return _commitments[requestId] != 0;
    }

    /// @notice The stored commitment hash of a pending request (zero once fulfilled or expired).
    function commitmentOf(uint256 requestId) external view returns (bytes32) {
        return _commitments[requestId];
    }

    /// @notice keccak256(abi.encode(rc)): what the coordinator stores for a request.
    function hashOfCommitment(RequestCommitment calldata rc) external pure returns (bytes32) {
        return keccak256(abi.encode(rc));
    }

    /// @inheritdoc IRandomnessCoordinator
    /// @dev Reverts with one of VRFVerifier's errors naming the first check that failed. Like
    /// Chainlink's verifier it uses `seed`, not proof.seed.
    function verifyProof(Proof calldata proof, uint256 seed) external view returns (uint256 output) {
        return VRFVerifier.verify(proof, seed);
    }

    /// @inheritdoc IRandomnessCoordinator
    function hashOfKey(uint256[2] calldata pk) external pure returns (bytes32) {
        return _hashOfKey(pk);
    }

    /// @notice Whether proofs made with the key `keyHash` are accepted.
    function isKeyRegistered(bytes32 keyHash) external view returns (bool) {
        return _keys[keyHash];
    }

    /// @notice Whether `consumer` may request randomness.
    function isConsumer(address consumer) external view returns (bool) {
        return _consumers[consumer].registered;
    }

    /// @notice The nonce of `consumer`'s latest request (0 before its first); the next request
    /// uses nonce + 1.
    function nonceOf(address consumer) external view returns (uint64) {
        return _consumers[consumer].nonce;
    }

    /// @notice requestId = keccak256(abi.encode(keyHash, preSeed)).
    function requestIdOf(bytes32 keyHash, uint256 preSeed) external pure returns (uint256) {
        return _requestId(keyHash, preSeed);
    }

    // ------------------------------------------------------------------ internals

    /// @return fulfilled false when skipped (only with `skipIfNotPending`)
    function _fulfil(Proof calldata proof, RequestCommitment calldata rc, bool skipIfNotPending)
        private
        returns (bool fulfilled, uint256 output)
    {
        uint256 requestId = _requestId(rc.keyHash, rc.preSeed);
        bytes32 stored = _commitments[requestId];
        if (stored == 0) {
            if (skipIfNotPending) return (false, 0);
            revert UnknownRequest(requestId);
        }
        if (stored != keccak256(abi.encode(rc))) revert CommitmentMismatch(requestId);
        if (block.number > rc.deadlineBlock) {
            if (skipIfNotPending) return (false, 0);
            revert RequestExpired(requestId, rc.deadlineBlock);
        }
        bytes32 keyHash = _hashOfKey(proof.pk);
        if (keyHash != rc.keyHash) revert KeyMismatch(rc.keyHash, keyHash);
        if (!_keys[keyHash]) revert UnknownKey(keyHash);
        uint256 seed = _seedOf(rc);
        if (proof.seed != seed) revert SeedMismatch(seed, proof.seed);

        output = VRFVerifier.verify(proof, seed);
        delete _commitments[requestId];
        bool success =
            _callWithExactGas(rc.consumer, rc.callbackGasLimit, _onRandomnessCall(requestId, output, rc.numWords));
        emit RandomnessFulfilled(requestId, seed, output, proof, success);
        return (true, output);
    }

    /// @dev The requestId of a stored request matching `rc`, or a revert.
    function _checkCommitment(RequestCommitment calldata rc) private view returns (uint256 requestId) {
        requestId = _requestId(rc.keyHash, rc.preSeed);
        bytes32 stored = _commitments[requestId];
        if (stored == 0) revert UnknownRequest(requestId);
        if (stored != keccak256(abi.encode(rc))) revert CommitmentMismatch(requestId);
    }

    /// @dev keccak256(abi.encodePacked(preSeed, blockhash(blockNum))). The deadline check comes
    /// first, so the hash is only unavailable when fulfilling in the request's own block.
    function _seedOf(RequestCommitment calldata rc) private view returns (uint256) {
        bytes32 requestBlockHash = blockhash(rc.blockNum);
        if (requestBlockHash == 0) revert BlockhashUnavailable(rc.blockNum);
        return uint256(keccak256(abi.encodePacked(rc.preSeed, requestBlockHash)));
    }

    /// @dev Calldata of onRandomness(requestId, words), words[i] = keccak256(abi.encode(output, i)),
    /// written straight into one buffer instead of building the array and then encoding it.
    function _onRandomnessCall(uint256 requestId, uint256 output, uint256 numWords)
        private
        pure
        returns (bytes memory data)
    {
        bytes4 selector = IRandomnessConsumer.onRandomness.selector;
        assembly ("memory-safe") {
            data := mload(0x40)
            let length := add(0x64, shl(5, numWords))
            mstore(data, length)
            mstore(add(data, 0x20), selector)
            mstore(add(data, 0x24), requestId)
            mstore(add(data, 0x44), 0x40)
            mstore(add(data, 0x64), numWords)
            let word := add(data, 0x84)
            mstore(0x00, output)
            for { let i := 0 } lt(i, numWords) { i := add(i, 1) } {
                mstore(0x20, i)
                mstore(word, keccak256(0x00, 0x40))
                word := add(word, 0x20)
            }
            mstore(0x40, word)
        }
    }

    /// @dev Calls `target` with exactly `gasAmount` gas, copying no return data. Reverts when
    /// this frame cannot give that much under EIP-150's 63/64 rule; returns false when the
    /// target has no code, reverts or runs out of gas.
    function _callWithExactGas(address target, uint256 gasAmount, bytes memory data) private returns (bool success) {
        // Warms the account, so the CALL below costs a fixed 100 gas for access.
        if (target.code.length == 0) return false;
        uint256 available = gasleft();
        uint256 needed = CALL_OVERHEAD_GAS + gasAmount + gasAmount / 63 + 1;
        if (available < needed) revert InsufficientGasForCallback(available, needed);
        assembly ("memory-safe") {
            success := call(gasAmount, target, 0, add(data, 0x20), mload(data), 0, 0)
        }
    }

    function _requestId(bytes32 keyHash, uint256 preSeed) private pure returns (uint256) {
        return uint256(keccak256(abi.encode(keyHash, preSeed)));
    }

    function _hashOfKey(uint256[2] calldata pk) private pure returns (bytes32 keyHash) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            calldatacopy(m, pk, 0x40)
            keyHash := keccak256(m, 0x40)
        }
    }
}
