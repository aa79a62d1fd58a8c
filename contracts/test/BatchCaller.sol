// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title BatchCaller
/// @notice Makes many calls to one target in a single transaction, bubbling up the first
/// failure. Tests use it as an owner that can change a lot of configuration cheaply.
contract BatchCaller {
    /// @notice Call `target` with each entry of `calls`, in order.
    function callAll(address target, bytes[] calldata calls) external {
        for (uint256 i; i < calls.length; ++i) {
            (bool ok, bytes memory result) = target.call(calls[i]);
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(result, 32), mload(result))
                }
            }
        }
    }
}
