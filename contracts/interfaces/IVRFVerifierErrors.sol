// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IVRFVerifierErrors
/// @notice Why VRFVerifier rejects a proof: the coordinator's `fulfil` reverts with these.
interface IVRFVerifierErrors {
    /// @notice The public key is not a point of secp256k1 (or a coordinate is not below p).
    error PublicKeyNotOnCurve();
    /// @notice Gamma is not a point of secp256k1.
    error GammaNotOnCurve();
    /// @notice The c·Γ witness is not a point of secp256k1.
    error CGammaWitnessNotOnCurve();
    /// @notice The s·H witness is not a point of secp256k1.
    error SHashWitnessNotOnCurve();
    /// @notice c or s is zero (ecrecover cannot check a product by zero).
    error ZeroScalar();
    /// @notice c or s is not below the group order n.
    error ScalarNotReduced();
    /// @notice uWitness is the zero address (what ecrecover returns on failure).
    error ZeroUWitness();
    /// @notice uWitness is not the address of c·pk + s·G.
    error WrongUWitness();
    /// @notice cGammaWitness is not c·Γ.
    error WrongCGammaWitness();
    /// @notice sHashWitness is not s·H, H = hashToCurve(pk, seed).
    error WrongSHashWitness();
    /// @notice c·Γ and s·H share their x-coordinate, so their sum cannot be formed by a chord.
    error WitnessesNotDistinct();
    /// @notice zInv is not the inverse of the projective z of c·Γ + s·H.
    error ZInvMismatch();
    /// @notice c is not the challenge hash of (H, pk, Γ, V, address(U)): the proof is invalid.
    error WrongChallenge();
    /// @notice The modexp precompile (0x05) failed; never happens on a conforming chain.
    error ModExpFailed();
}
