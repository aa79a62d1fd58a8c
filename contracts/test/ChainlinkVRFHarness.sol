// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// Chainlink's reference verifier, fetched by tools/bootstrap.sh into .deps/ (not committed).
import {VRF} from "@chainlink/contracts/src/v0.8/vrf/VRF.sol";

/// @title ChainlinkVRFHarness
/// @notice Exposes Chainlink's internal VRF verification so tests can check that a proof one
/// verifier accepts the other accepts too, and compare gas.
contract ChainlinkVRFHarness is VRF {
    /// @notice Chainlink's `_randomValueFromVRFProof`: the output, or a revert for an invalid proof.
    function randomValueFromVRFProof(Proof calldata proof, uint256 seed) external view returns (uint256) {
        return _randomValueFromVRFProof(proof, seed);
    }

    /// @notice As randomValueFromVRFProof, plus the gas the verification used.
    function measureRandomValueFromVRFProof(Proof calldata proof, uint256 seed)
        external
        view
        returns (uint256 output, uint256 gasUsed)
    {
        uint256 before = gasleft();
        output = _randomValueFromVRFProof(proof, seed);
        gasUsed = before - gasleft();
    }
}
