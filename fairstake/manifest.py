"""The deployment manifest: what `ops/deploy.py` writes and the oracle, indexer, API and
auditor CLI read. Plain JSON so any tool can consume it.

{
  "version": 1, "chainId": 1337, "rpcUrl": "http://127.0.0.1:8545", "deploymentBlock": 1,
  "contracts": {"Vault": {"address": "0x..", "block": 3, "abi": [...]}, ...},
  "tokens": {"ETH": {"address": "0x000..0", "decimals": 18}, "USDS": {"address": "0x..", "decimals": 6}},
  "oracle": {"keyHash": "0x..", "publicKey": ["0x..", "0x.."]},
  "eip712": {"Match": {"domain": {"name": "Fairstake Match", "version": "1"}, "primaryType": "MatchResult",
             "types": {"MatchResult": [...]}, "typeString": "MatchResult(uint256 matchId,...)"}, ...}
}
"eip712" is written for integrators (the signed structs of Match, Tournament, PlayerRegistry) and
not read back: it follows from the code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fairstake import PROJECT_ROOT
from fairstake.signing import manifest_types

# Where `up` writes it (ops.platform.DEFAULT_DATA_DIR) and every tool looks by default, so
# `audit verify`, the oracle and the indexer find the running platform without options.
DEFAULT_MANIFEST = PROJECT_ROOT / ".data" / "platform" / "deployment.json"
ETH = "0x0000000000000000000000000000000000000000"


class ManifestError(ValueError):
    """The manifest file is missing or malformed."""


@dataclass(frozen=True)
class DeployedContract:
    name: str
    address: str
    block: int
    abi: list[dict[str, Any]]


@dataclass(frozen=True)
class Token:
    symbol: str
    address: str
    decimals: int


@dataclass
class Manifest:
    chain_id: int
    rpc_url: str
    deployment_block: int
    contracts: dict[str, DeployedContract] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    oracle: dict[str, Any] = field(default_factory=dict)

    def contract(self, name: str) -> DeployedContract:
        try:
            return self.contracts[name]
        except KeyError:
            raise ManifestError(f"the manifest has no contract named {name!r}") from None

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "chainId": self.chain_id,
            "rpcUrl": self.rpc_url,
            "deploymentBlock": self.deployment_block,
            "contracts": {
                c.name: {"address": c.address, "block": c.block, "abi": c.abi} for c in self.contracts.values()
            },
            "tokens": {t.symbol: {"address": t.address, "decimals": t.decimals} for t in self.tokens.values()},
            "oracle": self.oracle,
            "eip712": manifest_types(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        try:
            if data.get("version") != 1:
                raise ManifestError(f"unsupported manifest version {data.get('version')!r}")
            return cls(
                chain_id=int(data["chainId"]),
                rpc_url=str(data.get("rpcUrl", "")),
                deployment_block=int(data["deploymentBlock"]),
                contracts={
                    name: DeployedContract(name, str(c["address"]), int(c["block"]), list(c["abi"]))
                    for name, c in data["contracts"].items()
                },
                tokens={sym: Token(sym, str(t["address"]), int(t["decimals"])) for sym, t in data["tokens"].items()},
                oracle=dict(data.get("oracle", {})),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, ManifestError):
                raise
            raise ManifestError(f"malformed manifest: {exc!r}") from None

    def save(self, path: Path = DEFAULT_MANIFEST) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=1))
        tmp.replace(path)
        return path


def load_manifest(path: Path | str = DEFAULT_MANIFEST) -> Manifest:
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise ManifestError(f"no deployment manifest at {path}: deploy first (./run up or scripts/deploy.py)") from None
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{path} is not valid JSON: {exc}") from None
    return Manifest.from_json(data)
