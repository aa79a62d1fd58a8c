"""The well-known development chain: its mnemonic, so anvil and ganache derive the same accounts,
and its chain id. Core facts, because the oracle daemon and EIP-712 signing refuse or allow dev
accounts by them, while starting such a chain is the operator tooling's job (ops.chain)."""

DEV_MNEMONIC = "test test test test test test test test test test test junk"
DEV_CHAIN_ID = 1337
