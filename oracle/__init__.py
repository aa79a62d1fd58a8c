"""The randomness oracle: the ECVRF prover/verifier (Chainlink VRF v2 compatible), its key
store, the randomness audit, and the daemon (oracle.daemon) built on them. The `fairstake vrf`
and `fairstake oracle` commands are in ops.cli."""
