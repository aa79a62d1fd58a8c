"""The package's dependencies: a plain install (what the oracle daemon, the indexer and the API
run from) brings everything the core, the oracle and the backend import, and neither eth-brownie
nor playwright, which are extras. Checked against the installed distributions' own metadata."""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import re
import sys
import tomllib

from fairstake import PROJECT_ROOT

SERVICE_PACKAGES = ("fairstake", "oracle", "backend")
OWN = {"fairstake", "oracle", "backend", "ops"}


def _name(requirement: str) -> str:
    found = re.match(r"[A-Za-z0-9_.\-]+", requirement)
    assert found is not None, requirement
    return re.sub(r"[-_.]+", "-", found.group(0)).lower()


def _closure(requirements: list[str]) -> set[str]:
    """Every distribution a plain install of `requirements` pulls in (extras not taken)."""
    seen: set[str] = set()
    stack = [_name(r) for r in requirements]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            wanted = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue  # a platform-conditional dependency not installed here
        stack.extend(_name(r) for r in wanted if "extra ==" not in r)
    return seen


def _imports(package: str) -> set[str]:
    names: set[str] = set()
    for path in (PROJECT_ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names - OWN - set(sys.stdlib_module_names)


def _project() -> dict[str, object]:
    project: dict[str, object] = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    return project


def test_a_plain_install_brings_what_the_services_import_and_no_tooling_extra() -> None:
    dependencies = _project()["dependencies"]
    assert isinstance(dependencies, list)
    installed = _closure(dependencies)
    assert "eth-brownie" not in installed and "playwright" not in installed
    distributions = metadata.packages_distributions()
    missing = {
        name: distributions.get(name)
        for package in SERVICE_PACKAGES
        for name in _imports(package)
        if not any(_name(d) in installed for d in distributions.get(name, []))
    }
    assert missing == {}


def test_the_extras_bring_the_tooling() -> None:
    extras = _project()["optional-dependencies"]
    assert isinstance(extras, dict)
    assert "eth-brownie" in _closure(extras["brownie"])
    assert "playwright" in _closure(extras["browser"])
    test_extra = {_name(r) for r in extras["test"]}
    assert {"pytest", "hypothesis", "import-linter"} <= test_extra
