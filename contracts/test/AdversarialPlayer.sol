// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/// @title AdversarialPlayer
/// @notice A player contract that misbehaves on purpose. It acts through `execute`/`multicall`
/// (deposit, bet, join, withdraw ... as itself) and, whenever it receives ETH, does what its
/// configured `Mode` says: accept, revert, burn all its gas, or re-enter a chosen target with
/// chosen calldata. As an ERC-1271 wallet it answers signature checks the same way. It records
/// every re-entry's outcome so tests can assert what the attack achieved.
contract AdversarialPlayer is IERC1271 {
    enum Mode {
        Accept,
        Revert,
        BurnGas,
        Reenter
    }

    struct Call {
        address target;
        uint256 value;
        bytes data;
    }

    Mode public mode;
    /// @notice Re-entry target and calldata used in `Reenter` mode.
    address public reentryTarget;
    bytes public reentryData;
    /// @notice Bubble a failed re-entry up (reverting the payment) instead of swallowing it.
    bool public bubble;
    uint256 public reentries;
    bool public lastReentrySucceeded;
    bytes public lastReentryResult;
    /// @notice ETH received while accepting.
    uint256 public received;

    error Rejected();

    /// @notice Choose what receiving ETH and signature checks do from now on.
    function setMode(Mode mode_, address target, bytes calldata data, bool bubble_) external {
        mode = mode_;
        reentryTarget = target;
        reentryData = data;
        bubble = bubble_;
    }

    /// @notice Call `target` as this contract, bubbling any revert.
    function execute(address target, uint256 value, bytes calldata data) external payable returns (bytes memory) {
        return _call(target, value, data);
    }

    /// @notice Several calls as this contract in one transaction, bubbling the first revert.
    function multicall(Call[] calldata calls) external payable {
        for (uint256 i; i < calls.length; ++i) {
            _call(calls[i].target, calls[i].value, calls[i].data);
        }
    }

    receive() external payable {
        Mode current = mode;
        if (current == Mode.Revert) revert Rejected();
        if (current == Mode.BurnGas) _burnAllGas();
        if (current == Mode.Reenter && reentries == 0) {
            _reenter();
            return;
        }
        received += msg.value;
    }

    /// @inheritdoc IERC1271
    /// @dev Accept mode signs everything, so the wallet co-signs any result.
    function isValidSignature(bytes32, bytes calldata) external view returns (bytes4) {
        Mode current = mode;
        if (current == Mode.Revert) revert Rejected();
        if (current == Mode.BurnGas) _burnAllGas();
        return IERC1271.isValidSignature.selector;
    }

    function _reenter() private {
        reentries += 1;
        (bool ok, bytes memory result) = reentryTarget.call(reentryData);
        lastReentrySucceeded = ok;
        lastReentryResult = result;
        if (!ok && bubble) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }

    function _call(address target, uint256 value, bytes calldata data) private returns (bytes memory result) {
        bool ok;
        (ok, result) = target.call{value: value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }

    function _burnAllGas() private pure {
        while (true) {}
    }
}
