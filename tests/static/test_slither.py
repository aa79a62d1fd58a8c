"""Static analysis: Slither finds no unresolved High or Medium issue in the production contracts.

Slither reads a fresh compilation made here, never brownie's build/ folder: brownie writes one
artifact per contract, so a file that only re-exports (OpenZeppelin's interfaces/IERC20.sol,
imported by SafeERC20 through IERC1363) has no artifact and crytic-compile's brownie reader fails
with "... does not exist"; and stale artifacts fail with "Source map ... falls outside the cached
source". Instead the project's own solc (the solc-js adapter brownie uses) compiles every
production source with brownie's settings to ASTs only (no code generation, ~30 s) into a
Hardhat-style build-info, which `tools/slither.sh` reads through crytic-compile's Hardhat reader.

Accepted findings are excluded inline in the Solidity source, each with its reason:
    // slither-disable-next-line <detector> -- <why it is not a problem>
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from fairstake import PROJECT_ROOT

SOLC_VERSION = "0.8.28"
# Test doubles and attackers are not deployed; slither.sh filters them out as well.
EXCLUDED_SOURCES = ("contracts/test/",)
BLOCKING_IMPACTS = ("High", "Medium")
DISABLE_COMMENT = re.compile(r"//\s*slither-disable-next-line\s+(?P<detectors>[\w,-]+)(?P<rest>.*)$")


def production_sources(root: Path) -> dict[str, dict[str, str]]:
    """Every project Solidity file outside the excluded folders, keyed as brownie keys them."""
    sources = {}
    for path in sorted((root / "contracts").rglob("*.sol")):
        name = path.relative_to(root).as_posix()
        if not name.startswith(EXCLUDED_SOURCES):
            sources[name] = {"content": path.read_text()}
    return sources


def solc_remapping(brownie_entry: str) -> str:
    """brownie's "@openzeppelin=node_modules/@openzeppelin" as solc's "@openzeppelin/=node_modules/@openzeppelin/"."""
    prefix, target = brownie_entry.split("=", 1)
    return f"{prefix.rstrip('/')}/={target.rstrip('/')}/"


def standard_json_input(root: Path) -> dict[str, Any]:
    """solc standard-JSON input with brownie-config.yaml's compiler settings, asking for ASTs only."""
    compiler = yaml.safe_load((root / "brownie-config.yaml").read_text())["compiler"]
    solc = compiler["solc"]
    return {
        "language": "Solidity",
        "sources": production_sources(root),
        "settings": {
            "evmVersion": compiler["evm_version"],
            "optimizer": solc["optimizer"],
            "remappings": [solc_remapping(entry) for entry in solc.get("remappings", [])],
            "outputSelection": {"*": {"": ["ast"], "*": ["abi"]}},
        },
    }


def compile_build_info(root: Path, out_dir: Path) -> Path:
    """Compile with the project's solc and write `out_dir/build-info/fairstake.json`.

    crytic-compile's Hardhat reader wants bytecode and source maps per contract; Slither's
    detectors work on the AST, so those are left empty rather than paying for code generation.
    """
    from solcx.install import get_executable

    solc_input = standard_json_input(root)
    done = subprocess.run(
        [str(get_executable(SOLC_VERSION)), "--standard-json"],
        input=json.dumps(solc_input),
        capture_output=True,
        text=True,
        cwd=root,
        timeout=600,
        check=True,
    )
    output = json.loads(done.stdout)
    errors = [e["formattedMessage"] for e in output.get("errors", []) if e["severity"] == "error"]
    assert not errors, "\n".join(errors)
    empty = {"object": "", "sourceMap": ""}
    for contracts in output["contracts"].values():
        for info in contracts.values():
            info["evm"] = {"bytecode": dict(empty), "deployedBytecode": dict(empty)}
    build_info = out_dir / "build-info" / "fairstake.json"
    build_info.parent.mkdir(parents=True)
    build_info.write_text(json.dumps({"solcVersion": SOLC_VERSION, "input": solc_input, "output": output}))
    return build_info


def run_slither(root: Path, artifacts: Path, report: Path) -> dict[str, Any]:
    """tools/slither.sh on the build-info in `artifacts`; returns the JSON report."""
    subprocess.run(
        [
            str(root / "tools" / "slither.sh"),
            "--json",
            str(report),
            "--compile-force-framework",
            "hardhat",
            "--hardhat-ignore-compile",
            "--npx-disable",
            "--hardhat-artifacts-directory",
            str(artifacts),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert report.exists(), "slither wrote no report"
    result: dict[str, Any] = json.loads(report.read_text())
    assert result["success"], result.get("error")
    return result


def describe(finding: dict[str, Any]) -> str:
    return f"[{finding['impact']}] {finding['check']}: {finding['description'].strip()}"


@pytest.fixture(scope="module")
def slither_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("slither")
    compile_build_info(PROJECT_ROOT, work / "artifacts")
    return run_slither(PROJECT_ROOT, work / "artifacts", work / "slither.json")


def test_no_unresolved_high_or_medium_findings(slither_report: dict[str, Any]) -> None:
    findings = slither_report["results"].get("detectors", [])
    blocking = [describe(f) for f in findings if f["impact"] in BLOCKING_IMPACTS]
    assert not blocking, "\n\n".join(blocking)


def test_slither_analysed_the_production_contracts_only(slither_report: dict[str, Any]) -> None:
    """Guards the test itself: an analysis that skipped the contracts would report nothing, and
    one that analysed test doubles or OpenZeppelin would report on them."""
    findings = slither_report["results"].get("detectors", [])
    files = {
        element["source_mapping"]["filename_relative"]
        for finding in findings
        for element in finding["elements"]
        if "source_mapping" in element
    }
    production = set(production_sources(PROJECT_ROOT))
    assert "contracts/vault/Vault.sol" in files
    assert files <= production, files - production


def test_every_exclusion_names_a_detector_and_gives_a_reason() -> None:
    exclusions = 0
    for name, source in production_sources(PROJECT_ROOT).items():
        for number, line in enumerate(source["content"].splitlines(), start=1):
            if "slither-disable" not in line:
                continue
            match = DISABLE_COMMENT.search(line)
            assert match, f"{name}:{number}: only slither-disable-next-line <detector> is allowed"
            reason = match["rest"].strip()
            assert reason.startswith("--") and len(reason) > 10, f"{name}:{number}: give a reason after --"
            exclusions += 1
    assert exclusions > 0
