"""The tiers' import direction (ARCHITECTURE.md) holds, and the check that says so can fail.

The contracts live in pyproject.toml ([tool.importlinter]); import-linter reads the source files
(it imports nothing). Each negative case copies the four packages into a temporary tree, adds
one import that goes the wrong way, and expects exactly the contract it breaks to be reported:
a check that passes whatever the code does would prove nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fairstake import PROJECT_ROOT

PACKAGES = ("fairstake", "oracle", "backend", "ops")
TIERS = "Tiers: ops (tooling) > backend > oracle > fairstake (core)"
ORACLE_MATH = "The oracle's ECVRF math stands apart from its daemon"
BACKEND_FLOW = "Backend: data flows ingest -> store -> api"
PURE_RULES = "The core's rules depend on nothing else of the project"
GAME_FACTS = "A game's registration holds facts and rules only"
ALL_CONTRACTS = (TIERS, ORACLE_MATH, BACKEND_FLOW, PURE_RULES, GAME_FACTS)


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    # The tree under test comes first on the path, so the copy (not the checkout) is analysed.
    env = {**os.environ, "PYTHONPATH": str(root)}
    entry = "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())"
    command = [sys.executable, "-c", entry]
    return subprocess.run(
        [*command, "--no-cache", "--no-logo"], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )


def _copy_tree(target: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(PROJECT_ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT_ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def _verdicts(output: str) -> dict[str, str]:
    """contract name -> KEPT | BROKEN, from lint-imports' report."""
    found = {}
    for line in output.splitlines():
        for name in ALL_CONTRACTS:
            for verdict in ("KEPT", "BROKEN"):
                if line.strip() == f"{name} {verdict}":
                    found[name] = verdict
    return found


def test_the_tree_keeps_every_contract() -> None:
    result = _lint(PROJECT_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _verdicts(result.stdout) == dict.fromkeys(ALL_CONTRACTS, "KEPT")


@pytest.mark.parametrize(
    ("module", "upward_import", "broken"),
    [
        # the core reaching up into the operator tooling
        ("fairstake/manifest.py", "import ops.chain", TIERS),
        # the oracle reaching up into the backend
        ("oracle/proof.py", "import backend.rpc", TIERS),
        # the backend reaching up into the tooling
        ("backend/api/app.py", "import ops.supervisor", TIERS),
        # the ECVRF math depending on the daemon that uses it
        ("oracle/ecvrf.py", "import oracle.daemon.work", ORACLE_MATH),
        # the store depending on the API that reads it
        ("backend/store/schema.py", "import backend.api.models", BACKEND_FLOW),
        # the API reaching into the indexer (they share only the store)
        ("backend/api/deps.py", "import backend.ingest.decoder", BACKEND_FLOW),
        # the rules depending on deployment facts
        # (and so the games' registrations, which import the rules)
        ("fairstake/rules/dice.py", "import fairstake.manifest", (PURE_RULES, GAME_FACTS)),
        # a game's registration pulling in the audit policy built on its rules
        ("fairstake/games/dice.py", "import fairstake.audit", GAME_FACTS),
    ],
)
def test_an_upward_import_breaks_its_contract(
    tmp_path: Path, module: str, upward_import: str, broken: str | tuple[str, ...]
) -> None:
    root = _copy_tree(tmp_path)
    before = _lint(root)
    assert before.returncode == 0, before.stdout + before.stderr
    source = root / module
    source.write_text(source.read_text() + f"\n{upward_import}  # the injected wrong-way import\n")
    after = _lint(root)
    assert after.returncode != 0
    expected = dict.fromkeys(ALL_CONTRACTS, "KEPT") | dict.fromkeys(
        (broken,) if isinstance(broken, str) else broken, "BROKEN"
    )
    assert _verdicts(after.stdout) == expected, after.stdout
    assert upward_import.split()[1] in after.stdout  # the report names the offending import
