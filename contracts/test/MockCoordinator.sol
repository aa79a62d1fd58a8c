// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IRandomnessConsumer} from "../interfaces/IRandomnessConsumer.sol";
import {IRandomnessCoordinator} from "../interfaces/IRandomnessCoordinator.sol";
import {IVault} from "../interfaces/IVault.sol";

/// @title MockCoordinator
/// @notice Test double of the RandomnessCoordinator for game tests: the same request ids
/// (keccak256(abi.encode(consumer, salt)), also the preSeed), the same data word handed back, the same
/// deadline rule (blocks and seconds), the same callbacks (exact callback gas, never reverting on
/// the consumer) and the same slash payments on expiry, paid from this contract's own balance
/// (tests fund it) instead of a key's bond; but the test chooses the words instead of proving them.
contract MockCoordinator {
    struct Request {
        address consumer;
        uint64 blockNum;
        uint64 deadlineBlock;
        uint64 deadlineTime;
        uint32 callbackGasLimit;
        uint32 numWords;
    }

    address public constant BURN_ADDRESS = 0x000000000000000000000000000000000000dEaD;

    IVault public immutable vault;
    /// @notice Blocks after the request block until a request may be expired.
    uint64 public immutable timeoutBlocks;
    /// @notice Seconds after the request until a request may be expired.
    uint64 public immutable timeoutSeconds;
    /// @notice Gas given to onRandomnessExpired.
    uint32 public immutable expiryCallbackGas;

    mapping(uint256 requestId => Request) public requests;
    mapping(address consumer => bytes32 keyHash) private _keys;
    mapping(uint256 requestId => bytes32) private _data;
    mapping(uint256 requestId => IRandomnessCoordinator.Slash) private _slashes;

    /// @param gasUsed gas the consumer's callback used (execution inside the call)
    event Delivered(uint256 indexed requestId, bool callbackSuccess, uint256 gasUsed);
    event Expired(uint256 indexed requestId, bool callbackSuccess, uint256 gasUsed);

    error UnknownRequest(uint256 requestId);
    error RequestExpired(uint256 requestId, uint64 deadlineBlock, uint64 deadlineTime);
    error NotExpiredYet(uint256 requestId, uint64 deadlineBlock, uint64 deadlineTime);
    error BadNumWords(uint32 numWords);

    constructor(IVault vault_, uint64 timeoutBlocks_, uint64 timeoutSeconds_, uint32 expiryCallbackGas_) {
        vault = vault_;
        timeoutBlocks = timeoutBlocks_;
        timeoutSeconds = timeoutSeconds_;
        expiryCallbackGas = expiryCallbackGas_;
    }

    /// @notice Funds for slash payments in ETH.
    receive() external payable {}

    /// @notice As the real coordinator's, for anyone (tests set keys without governance): the key
    /// `consumer`'s requests carry. The mock accepts requests from any caller whatever its key.
    function setConsumer(address consumer, bytes32 keyHash) external {
        _keys[consumer] = keyHash;
        emit IRandomnessCoordinator.ConsumerSet(consumer, keyHash);
    }

    /// @notice As the real coordinator: the key `consumer`'s requests use.
    function keyOf(address consumer) external view returns (bytes32) {
        return _keys[consumer];
    }

    /// @notice As the real coordinator, for any caller (with the key set for it, zero if none);
    /// the slash is recorded, not reserved.
    function requestRandomness(
        uint32 callbackGasLimit,
        uint32 numWords,
        IRandomnessCoordinator.Slash calldata slash,
        uint64 salt,
        bytes32 data
    ) external returns (uint256 requestId) {
        if (numWords == 0) revert BadNumWords(numWords);
        requestId = this.requestIdOf(msg.sender, salt);
        if (requests[requestId].consumer != address(0)) revert IRandomnessCoordinator.RequestExists(requestId);
        Request memory request = Request({
            consumer: msg.sender,
            blockNum: uint64(block.number),
            deadlineBlock: uint64(block.number) + timeoutBlocks,
            deadlineTime: uint64(block.timestamp) + timeoutSeconds,
            callbackGasLimit: callbackGasLimit,
            numWords: numWords
        });
        requests[requestId] = request;
        if (slash.amount != 0) _slashes[requestId] = slash;
        _data[requestId] = data;
        _emitRequested(requestId, _keys[msg.sender], request, slash, data);
    }

    /// @dev The real coordinator's RandomnessRequested: the commitment's fields (but preSeed and
    /// blockNum, which the log carries), the slash included.
    function _emitRequested(
        uint256 requestId,
        bytes32 keyHash,
        Request memory request,
        IRandomnessCoordinator.Slash calldata slash,
        bytes32 data
    ) private {
        emit IRandomnessCoordinator.RandomnessRequested(
            requestId,
            keyHash,
            request.consumer,
            request.deadlineBlock,
            request.deadlineTime,
            request.callbackGasLimit,
            request.numWords,
            slash.token,
            slash.amount,
            slash.beneficiary,
            slash.beneficiaryAmount,
            slash.residualToBankroll,
            data
        );
    }

    /// @notice Deliver chosen words (as many as requested) with exactly the requested callback gas.
    function deliver(uint256 requestId, uint256[] calldata words) external returns (bool success) {
        Request memory request = _pending(requestId);
        if (_expired(request)) revert RequestExpired(requestId, request.deadlineBlock, request.deadlineTime);
        if (words.length != request.numWords) revert BadNumWords(uint32(words.length));
        delete requests[requestId];
        IRandomnessCoordinator.Slash memory slash = _slashes[requestId]; // handed back, as the real one does
        delete _slashes[requestId];
        bytes32 data = _data[requestId];
        delete _data[requestId];
        uint256 gasUsed;
        (success, gasUsed) = _call(
            request.consumer,
            request.callbackGasLimit,
            abi.encodeCall(IRandomnessConsumer.onRandomness, (requestId, words, slash, data))
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

    /// @notice Expire a request after its deadline: pay its slash like the real coordinator (from
    /// this contract's balance), then notify the consumer.
    function expireRequest(uint256 requestId) external returns (bool success) {
        Request memory request = _pending(requestId);
        if (!_expired(request)) revert NotExpiredYet(requestId, request.deadlineBlock, request.deadlineTime);
        delete requests[requestId];
        IRandomnessCoordinator.Slash memory slash = _slashes[requestId];
        delete _slashes[requestId];
        if (slash.amount != 0) _paySlash(slash);
        bytes32 data = _data[requestId];
        delete _data[requestId];
        uint256 gasUsed;
        (success, gasUsed) = _call(
            request.consumer,
            expiryCallbackGas,
            abi.encodeCall(IRandomnessConsumer.onRandomnessExpired, (requestId, slash, data))
        );
        emit Expired(requestId, success, gasUsed);
    }

    /// @notice As the real coordinator: keccak256(abi.encode(consumer, salt)).
    function requestIdOf(address consumer, uint64 salt) external pure returns (uint256) {
        return uint256(keccak256(abi.encode(consumer, salt)));
    }

    /// @notice Whether `requestId` is still waiting.
    function isPending(uint256 requestId) external view returns (bool) {
        return requests[requestId].consumer != address(0);
    }

    /// @notice The slash recorded for a pending request.
    function slashOf(uint256 requestId) external view returns (IRandomnessCoordinator.Slash memory) {
        return _slashes[requestId];
    }

    /// @notice As the real coordinator: a request resolves within twice the timeout in seconds.
    function maxFulfilDelay() external view returns (uint64) {
        return 2 * timeoutSeconds;
    }

    function _paySlash(IRandomnessCoordinator.Slash memory slash) private {
        uint256 residual = uint256(slash.amount) - slash.beneficiaryAmount;
        uint256 toBankroll = slash.residualToBankroll ? residual : 0;
        uint256 intoVault = slash.beneficiaryAmount + toBankroll;
        if (intoVault != 0) {
            if (slash.token == address(0)) {
                vault.payIn{value: intoVault}(slash.beneficiary, slash.token, slash.beneficiaryAmount, toBankroll);
            } else {
                IERC20(slash.token).approve(address(vault), intoVault);
                vault.payIn(slash.beneficiary, slash.token, slash.beneficiaryAmount, toBankroll);
            }
        }
        if (!slash.residualToBankroll && residual != 0) {
            if (slash.token == address(0)) {
                (bool sent,) = BURN_ADDRESS.call{value: residual}("");
                require(sent);
            } else {
                require(IERC20(slash.token).transfer(BURN_ADDRESS, residual));
            }
        }
    }

    function _expired(Request memory request) private view returns (bool) {
        return block.timestamp > request.deadlineTime
            && (block.number > request.deadlineBlock || block.timestamp > uint256(request.deadlineTime) + timeoutSeconds);
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
