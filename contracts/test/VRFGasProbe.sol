// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRandomnessCoordinator} from "../interfaces/IRandomnessCoordinator.sol";
import {VRFVerifier} from "../randomness/VRFVerifier.sol";

/// @title VRFGasProbe
/// @notice Measures the execution gas of VRFVerifier.verify alone (no transaction, calldata or
/// dispatch costs), for the gas benchmark, and exposes its hash-to-curve.
contract VRFGasProbe {
    /// @notice Verify `proof` for `seed`; returns the output and the gas the verification used.
    function measureVerify(IRandomnessCoordinator.Proof calldata proof, uint256 seed)
        external
        view
        returns (uint256 output, uint256 gasUsed)
    {
        uint256 before = gasleft();
        output = VRFVerifier.verify(proof, seed);
        gasUsed = before - gasleft();
    }

    /// @notice VRFVerifier.hashToCurve, for comparison with the Python prover.
    function hashToCurve(uint256[2] calldata pk, uint256 seed) external view returns (uint256[2] memory point) {
        (point[0], point[1]) = VRFVerifier.hashToCurve(pk[0], pk[1], seed);
    }
}
