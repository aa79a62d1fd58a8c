// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRandomnessConsumer} from "../interfaces/IRandomnessConsumer.sol";

/// @title MockCoordinator
/// @notice Test double of the RandomnessCoordinator for game tests: the same request ids
/// (keccak256(abi.encode(keyHash, keccak256(abi.encode(keyHash, consumer, nonce))))), the same
/// deadline rule and the same callbacks (exact callback gas, never reverting on the consumer),
/// but the test chooses the words instead of proving them.
contract MockCoordinator {
    struct Request {
        address consumer;
        uint64 blockNum;
        uint64 deadlineBlock;
        uint32 callbackGasLimit;
        uint32 numWords;
    }

    /// @notice Blocks after the request block until a request may be expired.
    uint64 public immutable timeoutBlocks;
    /// @notice Gas given to onRandomnessExpired (the real coordinator's EXPIRY_CALLBACK_GAS is 50,000).
    uint32 public immutable expiryCallbackGas;

    mapping(address consumer => uint64) public nonceOf;
    mapping(uint256 requestId => Request) public requests;

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
    /// @param gasUsed gas the consumer's callback used (execution inside the call)
    event Delivered(uint256 indexed requestId, bool callbackSuccess, uint256 gasUsed);
    event Expired(uint256 indexed requestId, bool callbackSuccess, uint256 gasUsed);

    error UnknownRequest(uint256 requestId);
    error RequestExpired(uint256 requestId, uint64 deadlineBlock);
    error NotExpiredYet(uint256 requestId, uint64 deadlineBlock);
    error BadNumWords(uint32 numWords);

    constructor(uint64 timeoutBlocks_, uint32 expiryCallbackGas_) {
        timeoutBlocks = timeoutBlocks_;
        expiryCallbackGas = expiryCallbackGas_;
    }

    /// @notice As the real coordinator, for any caller.
    function requestRandomness(bytes32 keyHash, uint32 callbackGasLimit, uint32 numWords)
        external
        returns (uint256 requestId)
    {
        if (numWords == 0) revert BadNumWords(numWords);
        uint64 nonce = ++nonceOf[msg.sender];
        uint256 preSeed = uint256(keccak256(abi.encode(keyHash, msg.sender, nonce)));
        requestId = uint256(keccak256(abi.encode(keyHash, preSeed)));
        uint64 deadlineBlock = uint64(block.number) + timeoutBlocks;
        requests[requestId] = Request(msg.sender, uint64(block.number), deadlineBlock, callbackGasLimit, numWords);
        emit RandomnessRequested(
            requestId, keyHash, msg.sender, preSeed, uint64(block.number), deadlineBlock, callbackGasLimit, numWords
        );
    }

    /// @notice Deliver chosen words (as many as requested) with exactly the requested callback gas.
    function deliver(uint256 requestId, uint256[] calldata words) external returns (bool success) {
        Request memory request = _pending(requestId);
        if (block.number > request.deadlineBlock) revert RequestExpired(requestId, request.deadlineBlock);
        if (words.length != request.numWords) revert BadNumWords(uint32(words.length));
        delete requests[requestId];
        uint256 gasUsed;
        (success, gasUsed) = _call(
            request.consumer,
            request.callbackGasLimit,
            abi.encodeCall(IRandomnessConsumer.onRandomness, (requestId, words))
        );
        emit Delivered(requestId, success, gasUsed);
    }

    /// @notice Deliver the words the real coordinator derives from a VRF output:
    /// words[i] = keccak256(abi.encode(output, i)).
    function deliverOutput(uint256 requestId, uint256 output) external returns (bool success) {
        uint256[] memory words = new uint256[](_pending(requestId).numWords);
        for (uint256 i; i < words.length; ++i) {
            words[i] = uint256(keccak256(abi.encode(output, i)));
        }
        return this.deliver(requestId, words);
    }

    /// @notice Expire a request after its deadline block, notifying the consumer like the real one.
    function expireRequest(uint256 requestId) external returns (bool success) {
        Request memory request = _pending(requestId);
        if (block.number <= request.deadlineBlock) revert NotExpiredYet(requestId, request.deadlineBlock);
        delete requests[requestId];
        uint256 gasUsed;
        (success, gasUsed) = _call(
            request.consumer,
            expiryCallbackGas,
            abi.encodeCall(IRandomnessConsumer.onRandomnessExpired, (requestId))
        );
        emit Expired(requestId, success, gasUsed);
    }

    /// @notice Whether `requestId` is still waiting.
    function isPending(uint256 requestId) external view returns (bool) {
        return requests[requestId].consumer != address(0);
    }

    function _pending(uint256 requestId) private view returns (Request memory request) {
        request = requests[requestId];
        if (request.consumer == address(0)) revert UnknownRequest(requestId);
    }

    function _call(address target, uint256 gasAmount, bytes memory data)
        private
        returns (bool success, uint256 gasUsed)
    {
        uint256 before = gasleft();
        assembly ("memory-safe") {
            success := call(gasAmount, target, 0, add(data, 0x20), mload(data), 0, 0)
        }
        gasUsed = before - gasleft();
    }
}
