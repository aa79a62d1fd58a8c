"""The randomness oracle: the ECVRF prover/verifier (Chainlink VRF v2 compatible), its key
store and the `fairstake vrf` commands."""
