// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRandomnessCoordinator} from "../interfaces/IRandomnessCoordinator.sol";
import {IVRFVerifierErrors} from "../interfaces/IVRFVerifierErrors.sol";

/// @title VRFVerifier
/// @notice Verifies ECVRF proofs on secp256k1, bit-compatible with Chainlink VRF v2/v2.5
/// (contracts/src/v0.8/vrf/VRF.sol): the same hash-to-curve, challenge hash and output hash, so a
/// proof one verifier accepts the other accepts too, and both derive the same output.
///
/// The proof carries witnesses so the chain never multiplies points itself: each scalar
/// multiplication is checked with one `ecrecover` (ecrecover(h, v, r, s) returns the address of
/// r⁻¹·(s·R − h·G), where R is the point with x = r and y-parity v), and the one point addition
/// needs no inversion because the prover supplies the inverse `zInv` of its projective z.
///
/// Stricter than Chainlink in one place only: c and s must be reduced (< n). Chainlink accepts
/// s + n for s (it only uses s modulo n), which gives a second encoding of the same proof; here
/// every valid proof has exactly one encoding.
library VRFVerifier {
    /// @dev Order of the secp256k1 group (n).
    uint256 internal constant GROUP_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    /// @dev Characteristic of the secp256k1 base field (p).
    uint256 internal constant FIELD_SIZE = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F;
    /// @dev (p + 1) / 4 as a literal (inline assembly takes literals only). p ≡ 3 (mod 4), so a
    /// square root of a quadratic residue a is a^((p + 1) / 4).
    uint256 private constant SQRT_POWER = 0x3fffffffffffffffffffffffffffffffffffffffffffffffffffffffbfffff0c;

    // Domain-separation prefixes, as in Chainlink's vrf.go.
    uint256 private constant HASH_TO_CURVE_PREFIX = 1;
    uint256 private constant CHALLENGE_PREFIX = 2;
    uint256 private constant OUTPUT_PREFIX = 3;

    // Calldata offsets of the Proof fields (the struct is static: 13 words in declaration order).
    uint256 private constant PK_OFFSET = 0x00;
    uint256 private constant GAMMA_OFFSET = 0x40;

    /// @notice Verifies `proof` for `seed` and returns its output keccak256(abi.encode(3, gamma)).
    /// @dev Like Chainlink, the proof's own `seed` field is ignored: callers bind the seed they
    /// expect (the coordinator also checks proof.seed against the derived seed).
    function verify(IRandomnessCoordinator.Proof calldata proof, uint256 seed)
        internal
        view
        returns (uint256 output)
    {
        _checkScalarsAndUWitness(proof);
        _checkPointsOnCurve(proof);
        _checkUWitness(proof);
        (uint256 hX, uint256 hY) = hashToCurve(proof.pk[0], proof.pk[1], seed);
        _checkProducts(proof, hX, hY);
        (uint256 vX, uint256 vY) = _witnessSum(proof);
        if (_challenge(proof, hX, hY, vX, vY) != proof.c) revert IVRFVerifierErrors.WrongChallenge();
        output = outputOf(proof);
    }

    /// @notice The VRF output of a proof: keccak256(abi.encode(3, gamma)).
    function outputOf(IRandomnessCoordinator.Proof calldata proof) internal pure returns (uint256 output) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, OUTPUT_PREFIX)
            calldatacopy(add(m, 0x20), add(proof, GAMMA_OFFSET), 0x40)
            output := keccak256(m, 0x60)
        }
    }

    /// @notice Whether (x, y) is an affine point of secp256k1 with both coordinates below p.
    function isOnCurve(uint256 x, uint256 y) internal pure returns (bool) {
        if (x >= FIELD_SIZE || y >= FIELD_SIZE) return false;
        return mulmod(y, y, FIELD_SIZE) == addmod(mulmod(x, mulmod(x, x, FIELD_SIZE), FIELD_SIZE), 7, FIELD_SIZE);
    }

    /// @notice Chainlink's hash-to-curve: x = keccak(1 ‖ pk ‖ seed), re-hashed while x ≥ p;
    /// y = √(x³+7) with even parity; if x³+7 has no root, restart from keccak(x).
    /// @dev Each candidate costs one modexp call; half of all x are on the curve, so two on average.
    function hashToCurve(uint256 pkX, uint256 pkY, uint256 seed) internal view returns (uint256 x, uint256 y) {
        bool ok;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, HASH_TO_CURVE_PREFIX)
            mstore(add(m, 0x20), pkX)
            mstore(add(m, 0x40), pkY)
            mstore(add(m, 0x60), seed)
            x := keccak256(m, 0x80)
            // modexp input: three 32-byte lengths, then base (set per candidate), exponent, modulus.
            mstore(m, 0x20)
            mstore(add(m, 0x20), 0x20)
            mstore(add(m, 0x40), 0x20)
            mstore(add(m, 0x80), SQRT_POWER)
            mstore(add(m, 0xa0), FIELD_SIZE)
            ok := 1
            for {} 1 {} {
                for {} iszero(lt(x, FIELD_SIZE)) {} {
                    mstore(0x00, x)
                    x := keccak256(0x00, 0x20)
                }
                let ySquared := addmod(mulmod(x, mulmod(x, x, FIELD_SIZE), FIELD_SIZE), 7, FIELD_SIZE)
                mstore(add(m, 0x60), ySquared)
                ok := and(ok, staticcall(gas(), 0x05, m, 0xc0, 0x00, 0x20))
                y := mload(0x00)
                if eq(mulmod(y, y, FIELD_SIZE), ySquared) { break }
                if iszero(ok) { break }
                mstore(0x00, x)
                x := keccak256(0x00, 0x20)
            }
            // y is never 0 (secp256k1 has no point of order 2), so p − y stays below p.
            if and(y, 1) { y := sub(FIELD_SIZE, y) }
        }
        if (!ok) revert IVRFVerifierErrors.ModExpFailed();
    }

    function _checkScalarsAndUWitness(IRandomnessCoordinator.Proof calldata proof) private pure {
        uint256 c = proof.c;
        uint256 s = proof.s;
        if (c == 0 || s == 0) revert IVRFVerifierErrors.ZeroScalar();
        if (c >= GROUP_ORDER || s >= GROUP_ORDER) revert IVRFVerifierErrors.ScalarNotReduced();
        if (proof.uWitness == address(0)) revert IVRFVerifierErrors.ZeroUWitness();
    }

    function _checkPointsOnCurve(IRandomnessCoordinator.Proof calldata proof) private pure {
        if (!isOnCurve(proof.pk[0], proof.pk[1])) revert IVRFVerifierErrors.PublicKeyNotOnCurve();
        if (!isOnCurve(proof.gamma[0], proof.gamma[1])) revert IVRFVerifierErrors.GammaNotOnCurve();
        if (!isOnCurve(proof.cGammaWitness[0], proof.cGammaWitness[1])) revert IVRFVerifierErrors.CGammaWitnessNotOnCurve();
        if (!isOnCurve(proof.sHashWitness[0], proof.sHashWitness[1])) revert IVRFVerifierErrors.SHashWitnessNotOnCurve();
    }

    /// @dev U = c·pk + s·G as ecrecover(−s·pkX, parity(pkY), pkX, c·pkX):
    /// pkX⁻¹·(c·pkX·pk − (−s·pkX)·G) = c·pk + s·G.
    function _checkUWitness(IRandomnessCoordinator.Proof calldata proof) private view {
        uint256 pkX = proof.pk[0];
        uint256 s = proof.s;
        address computed;
        unchecked {
            computed = _ecrecover(
                GROUP_ORDER - mulmod(pkX, s, GROUP_ORDER), proof.pk[1], pkX, mulmod(proof.c, pkX, GROUP_ORDER)
            );
        }
        if (computed != proof.uWitness) revert IVRFVerifierErrors.WrongUWitness();
    }

    function _checkProducts(IRandomnessCoordinator.Proof calldata proof, uint256 hX, uint256 hY) private view {
        if (!_isProduct(proof.gamma[0], proof.gamma[1], proof.c, proof.cGammaWitness[0], proof.cGammaWitness[1])) {
            revert IVRFVerifierErrors.WrongCGammaWitness();
        }
        if (!_isProduct(hX, hY, proof.s, proof.sHashWitness[0], proof.sHashWitness[1])) {
            revert IVRFVerifierErrors.WrongSHashWitness();
        }
    }

    /// @dev Whether (qX, qY) = scalar·(pX, pY), as ecrecover(0, parity(pY), pX, scalar·pX) =
    /// pX⁻¹·(scalar·pX·P) compared with the address of Q. scalar is in [1, n) here.
    function _isProduct(uint256 pX, uint256 pY, uint256 scalar, uint256 qX, uint256 qY)
        private
        view
        returns (bool)
    {
        return _ecrecover(0, pY, pX, mulmod(scalar, pX, GROUP_ORDER)) == _addressOf(qX, qY);
    }

    /// @dev V = c·Γ + s·H from the (checked) witnesses. Chainlink's projective sum of
    /// P = cGammaWitness and Q = sHashWitness has z = (Qx − Px)^5, so with zInv = z⁻¹ the
    /// chord's inverse run is (Qx − Px)⁴·zInv, checked by multiplying it back to 1.
    function _witnessSum(IRandomnessCoordinator.Proof calldata proof) private pure returns (uint256 x, uint256 y) {
        uint256 pX = proof.cGammaWitness[0];
        uint256 pY = proof.cGammaWitness[1];
        uint256 qX = proof.sHashWitness[0];
        if (pX == qX) revert IVRFVerifierErrors.WitnessesNotDistinct();
        unchecked {
            // All coordinates are below p (checked on curve), so p − v never wraps.
            uint256 run = addmod(qX, FIELD_SIZE - pX, FIELD_SIZE);
            uint256 runSquared = mulmod(run, run, FIELD_SIZE);
            uint256 runInverse = mulmod(mulmod(runSquared, runSquared, FIELD_SIZE), proof.zInv, FIELD_SIZE);
            if (mulmod(runInverse, run, FIELD_SIZE) != 1) revert IVRFVerifierErrors.ZInvMismatch();
            uint256 slope = mulmod(addmod(proof.sHashWitness[1], FIELD_SIZE - pY, FIELD_SIZE), runInverse, FIELD_SIZE);
            x = addmod(addmod(mulmod(slope, slope, FIELD_SIZE), FIELD_SIZE - pX, FIELD_SIZE), FIELD_SIZE - qX, FIELD_SIZE);
            y = addmod(mulmod(slope, addmod(pX, FIELD_SIZE - x, FIELD_SIZE), FIELD_SIZE), FIELD_SIZE - pY, FIELD_SIZE);
        }
    }

    /// @dev keccak256(abi.encodePacked(2, H, pk, Γ, V, uWitness)): 9 words and a 20-byte address.
    function _challenge(IRandomnessCoordinator.Proof calldata proof, uint256 hX, uint256 hY, uint256 vX, uint256 vY)
        private
        pure
        returns (uint256 c)
    {
        address uWitness = proof.uWitness;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, CHALLENGE_PREFIX)
            mstore(add(m, 0x20), hX)
            mstore(add(m, 0x40), hY)
            // pk and gamma are adjacent in the proof: one copy of four words.
            calldatacopy(add(m, 0x60), add(proof, PK_OFFSET), 0x80)
            mstore(add(m, 0xe0), vX)
            mstore(add(m, 0x100), vY)
            mstore(add(m, 0x120), shl(96, uWitness))
            c := keccak256(m, 0x134)
        }
    }

    function _addressOf(uint256 x, uint256 y) private pure returns (address a) {
        assembly ("memory-safe") {
            mstore(0x00, x)
            mstore(0x20, y)
            a := and(keccak256(0x00, 0x40), 0xffffffffffffffffffffffffffffffffffffffff)
        }
    }

    /// @dev ecrecover without Solidity's memory allocation; returns address(0) on failure
    /// (the precompile then returns no data, so the zeroed output word stays zero).
    function _ecrecover(uint256 digest, uint256 yParitySource, uint256 r, uint256 s)
        private
        view
        returns (address signer)
    {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, digest)
            mstore(add(m, 0x20), add(27, and(yParitySource, 1)))
            mstore(add(m, 0x40), r)
            mstore(add(m, 0x60), s)
            mstore(0x00, 0)
            pop(staticcall(gas(), 0x01, m, 0x80, 0x00, 0x20))
            signer := mload(0x00)
        }
    }
}
