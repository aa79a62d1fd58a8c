// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title AdversarialFulfiller
/// @notice A fulfiller that chooses exactly how much gas the coordinator gets, to try to make a
/// consumer's callback run out of gas while the fulfilment itself succeeds. `probe` is meant for
/// eth_call: it reports the outcome and reads a view in the same (discarded) state.
contract AdversarialFulfiller {
    /// @notice Call `target` with `data` and exactly `gasAmount` gas.
    /// @return ok whether the call succeeded
    /// @return result its return or revert data
    function callWithGas(address target, bytes calldata data, uint256 gasAmount)
        public
        returns (bool ok, bytes memory result)
    {
        (ok, result) = target.call{gas: gasAmount}(data);
    }

    /// @notice `callWithGas`, then a static call of `view_` with `viewData` on the resulting state.
    function probe(address target, bytes calldata data, uint256 gasAmount, address view_, bytes calldata viewData)
        external
        returns (bool ok, bytes memory result, bytes memory viewResult)
    {
        (ok, result) = callWithGas(target, data, gasAmount);
        bool viewOk;
        (viewOk, viewResult) = view_.staticcall(viewData);
        require(viewOk, "view failed");
    }
}
