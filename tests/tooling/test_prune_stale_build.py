"""brownie must never reuse an artifact built from sources that moved or changed: the bootstrap
drops the artifacts whose source is gone, or whose sources (its own or any it was compiled from)
changed since the last prune, and keeps every other one."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from fairstake import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "tools" / "prune_stale_build.py"
RECORD = "build/.source-sha1.json"


def _artifact(path: Path, source: str | None, *compiled_from: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    sources = {str(i): s for i, s in enumerate([*([source] if source else []), *compiled_from])}
    path.write_text(
        json.dumps({"contractName": path.stem, **({"sourcePath": source} if source else {}), "allSourcePaths": sources})
    )
    return path


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def _record_as_built(root: Path, *sources: str) -> None:
    """The record a previous prune left: each source's SHA-1 when brownie compiled from it."""
    (root / "build").mkdir(exist_ok=True)
    hashes = {s: hashlib.sha1((root / s).read_bytes()).hexdigest() for s in sources}
    (root / RECORD).write_text(json.dumps(hashes))


def _prune(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), "build"], cwd=root, capture_output=True, text=True, check=True)


DICE, BASE, CHEAT, OZ = (
    "contracts/games/dice/Dice.sol",
    "contracts/games/base/ChanceGame.sol",
    "contracts/test/CheatingDice.sol",
    "node_modules/@oz/Ownable.sol",
)


def test_artifacts_of_vanished_sources_are_dropped(tmp_path: Path) -> None:
    _write(tmp_path, {DICE: "// moved here", CHEAT: "// derives from Dice", OZ: "//"})
    _record_as_built(tmp_path, DICE, CHEAT, OZ)
    kept = [
        _artifact(tmp_path / "build/contracts/Dice.json", DICE, OZ),
        _artifact(tmp_path / "build/contracts/Ownable.json", OZ),
        _artifact(tmp_path / "build/deployments/map.json", None),  # not an artifact of a source
    ]
    dropped = [
        _artifact(tmp_path / "build/contracts/ChanceGame.json", "contracts/games/ChanceGame.sol"),  # moved away
        _artifact(tmp_path / "build/contracts/IOld.json", "contracts/interfaces/IOld.sol"),  # deleted
        # an interface's ABI (no source list, errors from its imports): always regenerated
        _artifact(tmp_path / "build/interfaces/IVault.json", None),
        _artifact(tmp_path / "build/contracts/Broken.json", None),  # no source recorded
        # its own source is there, one it was compiled from moved (brownie opens them all)
        _artifact(tmp_path / "build/contracts/CheatingDice.json", CHEAT, "contracts/games/Dice.sol"),
    ]
    done = _prune(tmp_path)
    assert [p for p in kept if p.exists()] == kept
    assert [p for p in dropped if p.exists()] == []
    assert done.stdout == ""  # ./run's own output (a --json report) stays clean
    assert "dropped 4 stale artifacts" in done.stderr
    assert "Broken.json: its source (none) is gone" in done.stderr
    assert "CheatingDice.json: its source contracts/games/Dice.sol is gone" in done.stderr


def test_a_changed_base_drops_every_contract_built_on_it(tmp_path: Path) -> None:
    """The hazard brownie leaves: it recompiles a contract only when its own file changed."""
    _write(tmp_path, {DICE: "// Dice is ChanceGame", BASE: "// event Settled(a, b, c, d)", CHEAT: "// is Dice"})
    _record_as_built(tmp_path, DICE, BASE, CHEAT)
    base = _artifact(tmp_path / "build/contracts/ChanceGame.json", BASE)
    dice = _artifact(tmp_path / "build/contracts/Dice.json", DICE, BASE)
    cheat = _artifact(tmp_path / "build/contracts/CheatingDice.json", CHEAT, DICE, BASE)
    other = _artifact(tmp_path / "build/contracts/Vault.json", "contracts/vault/Vault.sol")
    _write(tmp_path, {"contracts/vault/Vault.sol": "// unchanged"})
    _record_as_built(tmp_path, DICE, BASE, CHEAT, "contracts/vault/Vault.sol")

    assert _prune(tmp_path).stderr == ""  # nothing changed yet
    _write(tmp_path, {BASE: "// event Settled(a, b, c)"})  # an edit of the base alone
    done = _prune(tmp_path)
    assert not base.exists() and not dice.exists() and not cheat.exists() and other.exists()
    assert "dropped 3 stale artifacts" in done.stderr and f"{BASE} changed since it was compiled" in done.stderr

    # brownie recompiles them from the edited base; the next prune keeps them
    rebuilt = [
        _artifact(tmp_path / "build/contracts/ChanceGame.json", BASE),
        _artifact(tmp_path / "build/contracts/Dice.json", DICE, BASE),
    ]
    assert _prune(tmp_path).stderr == "" and all(p.exists() for p in rebuilt)


def test_a_build_without_a_record_is_compiled_afresh(tmp_path: Path) -> None:
    _write(tmp_path, {"contracts/Vault.sol": "//"})
    artifact = _artifact(tmp_path / "build/contracts/Vault.json", "contracts/Vault.sol")
    done = _prune(tmp_path)
    assert not artifact.exists() and "no record of the sources it was compiled from" in done.stderr
    record = json.loads((tmp_path / RECORD).read_text())
    assert record == {"contracts/Vault.sol": hashlib.sha1(b"//").hexdigest()}


def test_a_checkout_without_a_build_folder_gets_a_record(tmp_path: Path) -> None:
    """A fresh checkout has no build folder: the prune records the sources for brownie's first
    compile instead of failing (which left no record, so the next run dropped that whole build)."""
    _write(tmp_path, {"contracts/Vault.sol": "//"})
    done = _prune(tmp_path)
    assert done.stderr == ""
    assert json.loads((tmp_path / RECORD).read_text()) == {"contracts/Vault.sol": hashlib.sha1(b"//").hexdigest()}


def test_a_clean_build_is_left_alone(tmp_path: Path) -> None:
    _write(tmp_path, {"contracts/Vault.sol": "//"})
    _record_as_built(tmp_path, "contracts/Vault.sol")
    artifact = _artifact(tmp_path / "build/contracts/Vault.json", "contracts/Vault.sol")
    done = _prune(tmp_path)
    assert done.returncode == 0 and artifact.exists() and done.stderr == ""


def test_changed_compiler_settings_drop_every_artifact(tmp_path: Path) -> None:
    """brownie compares only the solc version and the optimizer with an artifact's settings, so
    switching `viaIR` would otherwise leave every artifact built by the other pipeline."""
    legacy = "compiler:\n  solc:\n    version: 0.8.28\n    optimizer: {enabled: true, runs: 1000}\n"
    via_ir = "compiler:\n  solc:\n    version: 0.8.28\n    viaIR: true\n    optimizer: {enabled: true, runs: 1000}\n"
    _write(tmp_path, {"contracts/Vault.sol": "//", "brownie-config.yaml": legacy})
    _record_as_built(tmp_path, "contracts/Vault.sol")
    artifact = _artifact(tmp_path / "build/contracts/Vault.json", "contracts/Vault.sol")
    # a record from before the settings were recorded: the build's pipeline is unknown
    done = _prune(tmp_path)
    assert not artifact.exists() and "compiler settings in brownie-config.yaml changed" in done.stderr

    artifact = _artifact(tmp_path / "build/contracts/Vault.json", "contracts/Vault.sol")  # rebuilt
    assert _prune(tmp_path).stderr == "" and artifact.exists()
    _write(tmp_path, {"brownie-config.yaml": legacy + "hypothesis:\n  max_examples: 5\n"})  # not the compiler's
    assert _prune(tmp_path).stderr == "" and artifact.exists()
    _write(tmp_path, {"brownie-config.yaml": via_ir})
    done = _prune(tmp_path)
    assert not artifact.exists() and "dropped 1 stale artifacts" in done.stderr
