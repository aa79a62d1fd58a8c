// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRandomnessConsumer} from "../interfaces/IRandomnessConsumer.sol";
import {IRandomnessCoordinator} from "../interfaces/IRandomnessCoordinator.sol";

/// @title TestConsumer
/// @notice Test double for IRandomnessConsumer: requests through the coordinator and records
/// every callback, or misbehaves on purpose (reverts, burns all its gas, returns a huge payload)
/// so tests can show the coordinator is immune to it, or ignores the words (for gas figures).
contract TestConsumer is IRandomnessConsumer {
    enum Behaviour {
        Record,
        Revert,
        BurnAllGas,
        ReturnBomb,
        /// @dev Accept the words and store nothing: the cheapest real callback, for gas figures.
        Ignore
    }

    IRandomnessCoordinator public immutable coordinator;
    IRandomnessCoordinator.Slash private _slash;
    IRandomnessCoordinator.Slash private _lastSlash;
    Behaviour public behaviour;
    /// @notice Bytes returned (as revert data) in ReturnBomb mode.
    uint256 public bombSize;

    mapping(uint256 requestId => uint256[] words) private _words;
    mapping(uint256 requestId => bool) public fulfilled;
    mapping(uint256 requestId => bool) public expired;
    /// @notice gasleft() on entry of the latest callback.
    uint256 public lastEntryGas;
    uint256 public lastRequestId;
    uint256 public callbackCount;
    /// @notice The salt of the latest request (each request takes the next one).
    uint64 public salt;
    /// @notice The data word the next requests carry ({setData}).
    bytes32 public data;
    /// @notice The data word handed over with the latest recorded callback.
    bytes32 public lastData;

    error NotCoordinator(address caller);
    error ConsumerRefuses(uint256 requestId);

    constructor(IRandomnessCoordinator coordinator_) {
        coordinator = coordinator_;
    }

    /// @notice Choose how the next callbacks behave.
    function setBehaviour(Behaviour behaviour_, uint256 bombSize_) external {
        behaviour = behaviour_;
        bombSize = bombSize_;
    }

    /// @notice The bond reservation of the next requests (zero: none).
    function setSlash(IRandomnessCoordinator.Slash calldata slash_) external {
        _slash = slash_;
    }

    /// @notice The data word of the next requests.
    function setData(bytes32 data_) external {
        data = data_;
    }

    /// @notice Use `salt_` as the previous salt: the next request takes salt_ + 1 (to reuse one).
    function setSalt(uint64 salt_) external {
        salt = salt_;
    }

    /// @notice Request randomness as this consumer (with the key the coordinator keeps for it),
    /// reserving the slash set by {setSlash}.
    function request(uint32 callbackGasLimit, uint32 numWords) external returns (uint256 requestId) {
        requestId = coordinator.requestRandomness(callbackGasLimit, numWords, _slash, ++salt, data);
        lastRequestId = requestId;
    }

    /// @notice Request and fulfil in one transaction (the request block's hash is not yet known).
    function requestAndFulfil(
        uint32 callbackGasLimit,
        uint32 numWords,
        IRandomnessCoordinator.Proof calldata proof,
        uint256 preSeed,
        uint64 timeoutBlocks,
        uint64 timeoutSeconds
    ) external {
        IRandomnessCoordinator.Slash memory slash = _slash;
        coordinator.requestRandomness(callbackGasLimit, numWords, slash, ++salt, data);
        IRandomnessCoordinator.RequestCommitment memory rc = IRandomnessCoordinator.RequestCommitment({
            blockNum: uint64(block.number),
            deadlineBlock: uint64(block.number) + timeoutBlocks,
            deadlineTime: uint64(block.timestamp) + timeoutSeconds,
            callbackGasLimit: callbackGasLimit,
            numWords: numWords,
            consumer: address(this),
            keyHash: coordinator.keyOf(address(this)),
            preSeed: preSeed,
            bondToken: slash.token,
            bondAmount: slash.amount,
            beneficiary: slash.beneficiary,
            beneficiaryAmount: slash.beneficiaryAmount,
            residualToBankroll: slash.residualToBankroll,
            data: data
        });
        coordinator.fulfil(proof, rc);
    }

    /// @notice The words delivered for `requestId`.
    function wordsOf(uint256 requestId) external view returns (uint256[] memory) {
        return _words[requestId];
    }

    /// @notice The slash handed over with the latest recorded callback.
    function lastSlash() external view returns (IRandomnessCoordinator.Slash memory) {
        return _lastSlash;
    }

    /// @inheritdoc IRandomnessConsumer
    function onRandomness(
        uint256 requestId,
        uint256[] calldata words,
        IRandomnessCoordinator.Slash calldata slash,
        bytes32 data_
    ) external {
        uint256 entryGas = gasleft();
        if (msg.sender != address(coordinator)) revert NotCoordinator(msg.sender);
        _misbehave(requestId);
        if (behaviour == Behaviour.Ignore) return;
        lastEntryGas = entryGas;
        fulfilled[requestId] = true;
        _words[requestId] = words;
        _lastSlash = slash;
        lastData = data_;
        ++callbackCount;
    }

    /// @inheritdoc IRandomnessConsumer
    function onRandomnessExpired(uint256 requestId, IRandomnessCoordinator.Slash calldata slash, bytes32 data_)
        external
    {
        uint256 entryGas = gasleft();
        if (msg.sender != address(coordinator)) revert NotCoordinator(msg.sender);
        _misbehave(requestId);
        lastEntryGas = entryGas;
        expired[requestId] = true;
        _lastSlash = slash;
        lastData = data_;
        ++callbackCount;
    }

    function _misbehave(uint256 requestId) private view {
        Behaviour b = behaviour;
        if (b == Behaviour.Revert) revert ConsumerRefuses(requestId);
        if (b == Behaviour.BurnAllGas) {
            while (true) {}
        }
        if (b == Behaviour.ReturnBomb) {
            uint256 size = bombSize;
            assembly ("memory-safe") {
                revert(0, size)
            }
        }
    }
}
