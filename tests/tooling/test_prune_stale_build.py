"""A contract moved since the last build must not stop brownie from loading the project: the
bootstrap drops the artifacts whose source is gone and keeps every other one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fairstake import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "tools" / "prune_stale_build.py"
DICE, CHEAT = "contracts/games/dice/Dice.sol", "contracts/test/CheatingDice.sol"


def _artifact(path: Path, source: str | None, *compiled_from: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    sources = {str(i): s for i, s in enumerate([*([source] if source else []), *compiled_from])}
    path.write_text(
        json.dumps({"contractName": path.stem, **({"sourcePath": source} if source else {}), "allSourcePaths": sources})
    )
    return path


def test_only_artifacts_of_vanished_sources_are_dropped(tmp_path: Path) -> None:
    (tmp_path / "contracts/games/dice").mkdir(parents=True)
    (tmp_path / "contracts/games/dice/Dice.sol").write_text("// moved here")
    (tmp_path / "contracts/test").mkdir(parents=True)
    (tmp_path / "contracts/test/CheatingDice.sol").write_text("// derives from Dice")
    (tmp_path / "node_modules/@oz").mkdir(parents=True)
    (tmp_path / "node_modules/@oz/Ownable.sol").write_text("//")
    kept = [
        _artifact(
            tmp_path / "build/contracts/Dice.json", "contracts/games/dice/Dice.sol", "node_modules/@oz/Ownable.sol"
        ),
        _artifact(tmp_path / "build/contracts/Ownable.json", "node_modules/@oz/Ownable.sol"),
        _artifact(tmp_path / "build/deployments/map.json", None),  # not an artifact of a source
    ]
    dropped = [
        _artifact(tmp_path / "build/contracts/ChanceGame.json", "contracts/games/ChanceGame.sol"),  # moved away
        _artifact(tmp_path / "build/interfaces/IOld.json", "contracts/interfaces/IOld.sol"),  # deleted
        _artifact(tmp_path / "build/contracts/Broken.json", None),  # no source recorded
        # its own source is there, one it was compiled from moved (brownie opens them all)
        _artifact(
            tmp_path / "build/contracts/CheatingDice.json",
            "contracts/test/CheatingDice.sol",
            "contracts/games/Dice.sol",
        ),
    ]
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "build"], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert [p for p in kept if p.exists()] == kept
    assert [p for p in dropped if p.exists()] == []
    assert done.stdout == ""  # ./run's own output (a --json report) stays clean
    assert "contracts/games/ChanceGame.sol" in done.stderr and "IOld" in done.stderr
    assert "CheatingDice.json: its source contracts/games/Dice.sol is gone" in done.stderr


def test_a_clean_build_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts/Vault.sol").write_text("//")
    artifact = _artifact(tmp_path / "build/contracts/Vault.json", "contracts/Vault.sol")
    done = subprocess.run([sys.executable, str(SCRIPT), "build"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0 and artifact.exists() and done.stderr == ""
