"""Every contract the platform deploys fits the EVM's code-size limit (EIP-170: 24,576 bytes of
runtime code): anvil and ganache refuse a larger one, and so does every public chain. The Vault
carries the most rules and sits closest to it, so a change that pushes it over fails here, with
the figure, rather than in a deployment."""

from __future__ import annotations

import json

import pytest

from fairstake import PROJECT_ROOT

EIP170_LIMIT = 24_576
DEPLOYED = (
    "Vault",
    "VaultBankroll",
    "VaultTimelock",
    "PlayerRegistry",
    "RandomnessCoordinator",
    "Dice",
    "Jackpot",
    "Match",
    "Tournament",
    "Wheel",
    "Plinko",
)


@pytest.mark.parametrize("name", DEPLOYED)
def test_runtime_code_fits_eip170(name: str) -> None:
    artifact = json.loads((PROJECT_ROOT / "build" / "contracts" / f"{name}.json").read_text())
    size = len(artifact["deployedBytecode"]) // 2
    assert 0 < size <= EIP170_LIMIT, f"{name} is {size} bytes of runtime code, over {EIP170_LIMIT}"
