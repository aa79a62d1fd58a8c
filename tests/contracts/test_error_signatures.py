"""One signature per custom error name across the deployed contracts, and every error they can
raise declared in an interface (contracts/interfaces/). A client decodes a revert by its 4-byte
selector: with two signatures for one name (RakeAboveCap once had three) a decoder built from one
contract's ABI names the wrong error, or none, for another's. Reads the compiled ABIs brownie
writes (build/contracts for the contracts, build/interfaces for the interfaces)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from fairstake import PROJECT_ROOT

BUILD = PROJECT_ROOT / "build"
# What ops/deploy.py deploys. VaultTimelock is OpenZeppelin's TimelockController unchanged, so
# it takes part in the one-signature check but not in the declared-in-our-interfaces one.
OURS = ("Vault", "VaultBankroll", "PlayerRegistry", "RandomnessCoordinator", "Dice", "Jackpot", "Match", "Tournament")
DEPLOYED = (*OURS, "VaultTimelock")
OPENZEPPELIN = "node_modules/@openzeppelin/contracts/"


def _type(item: Mapping[str, Any]) -> str:
    kind = str(item["type"])
    if kind.startswith("tuple"):
        return "(" + ",".join(_type(c) for c in item["components"]) + ")" + kind[len("tuple") :]
    return kind


def error_signatures(abi: Iterable[Mapping[str, Any]]) -> set[str]:
    """The canonical signatures (the text a selector hashes) of an ABI's errors."""
    return {
        f"{item['name']}({','.join(_type(i) for i in item.get('inputs', []))})"
        for item in abi
        if item["type"] == "error"
    }


def conflicting_names(abis: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, set[str]]:
    """Error names that carry more than one signature across `abis` (contract name -> ABI)."""
    by_name: dict[str, set[str]] = {}
    for abi in abis.values():
        for signature in error_signatures(abi):
            by_name.setdefault(signature.split("(", 1)[0], set()).add(signature)
    return {name: signatures for name, signatures in by_name.items() if len(signatures) > 1}


def _abi(folder: str, name: str) -> list[dict[str, Any]]:
    abi: list[dict[str, Any]] = json.loads((BUILD / folder / f"{name}.json").read_text())["abi"]
    return abi


@pytest.fixture(scope="module")
def deployed_abis() -> dict[str, list[dict[str, Any]]]:
    return {name: _abi("contracts", name) for name in DEPLOYED}


@pytest.fixture(scope="module")
def interface_errors() -> set[str]:
    """Errors declared in contracts/interfaces/, and OpenZeppelin's (Ownable, SafeCast, ECDSA...):
    the contracts inherit those, and OpenZeppelin declares each name once too."""
    declared: set[str] = set()
    for path in sorted((BUILD / "interfaces").glob("*.json")):
        declared |= error_signatures(json.loads(path.read_text())["abi"])
    for path in sorted((BUILD / "contracts").glob("*.json")):
        artifact = json.loads(path.read_text())
        if str(artifact.get("sourcePath", "")).startswith(OPENZEPPELIN):
            declared |= error_signatures(artifact["abi"])
    return declared


def test_each_error_name_has_one_signature(deployed_abis: dict[str, list[dict[str, Any]]]) -> None:
    assert conflicting_names(deployed_abis) == {}


def test_every_deployed_error_is_declared_in_an_interface(
    deployed_abis: dict[str, list[dict[str, Any]]], interface_errors: set[str]
) -> None:
    undeclared = {
        name: sorted(error_signatures(abi) - interface_errors)
        for name, abi in deployed_abis.items()
        if name in OURS and error_signatures(abi) - interface_errors
    }
    assert undeclared == {}


def test_the_abis_read_hold_the_errors_clients_decode(
    deployed_abis: dict[str, list[dict[str, Any]]], interface_errors: set[str]
) -> None:
    """Guards the two tests above against reading empty or wrong ABIs: the signatures were
    written down from the interfaces' source, and the ones unified are the ones a client decodes."""
    assert "RakeAboveCap(uint256,uint256)" in error_signatures(deployed_abis["Jackpot"])
    assert "RakeAboveCap(uint256,uint256)" in error_signatures(deployed_abis["Vault"])
    assert "WrongEthValue(uint256,uint256)" in error_signatures(deployed_abis["RandomnessCoordinator"])
    assert "NotRefundable(uint256,uint8)" in error_signatures(deployed_abis["Tournament"])
    assert "LengthMismatch(uint256,uint256)" in error_signatures(deployed_abis["Dice"])
    assert "BadDeadline(uint256)" in interface_errors
    assert "StakeOutOfRange(uint256,uint256,uint256)" in interface_errors
    assert "OwnableUnauthorizedAccount(address)" in interface_errors


def test_a_second_signature_or_an_undeclared_error_is_reported() -> None:
    """The checks fail on what they exist to catch: RakeAboveCap as Jackpot declared it before the
    unification (uint16, uint16) beside the Vault's (uint256, uint256)."""

    def error(name: str, *types: str) -> dict[str, Any]:
        return {"type": "error", "name": name, "inputs": [{"name": "", "type": t} for t in types]}

    vault = [error("RakeAboveCap", "uint256", "uint256"), error("ZeroAmount")]
    jackpot = [error("RakeAboveCap", "uint16", "uint16"), error("ZeroAmount")]
    assert conflicting_names({"Vault": vault, "Jackpot": jackpot}) == {
        "RakeAboveCap": {"RakeAboveCap(uint256,uint256)", "RakeAboveCap(uint16,uint16)"}
    }
    assert error_signatures(jackpot) - error_signatures(vault) == {"RakeAboveCap(uint16,uint16)"}
