"""Operator tooling: the command line, the local platform (chain, deployment, oracle, indexer,
API, simulated players), the chain-only auditor and every benchmark. The top tier: it may import
the core (fairstake), the oracle and the backend; nothing imports it."""
