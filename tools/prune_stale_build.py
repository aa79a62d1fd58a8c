"""Drop compiled artifacts brownie would wrongly reuse.

Two cases, both dropped so that brownie compiles them afresh on its next run:

* a source is gone: a contract moved or deleted since the last build (a pull of a restructure,
  a branch switch) leaves its artifact in build/, and brownie then refuses to load the project
  ("Unable to load project": it opens every artifact's sourcePath);
* a source changed that the artifact was compiled from but that is not its own file: brownie
  recompiles a contract only when its own file's hash changed, so an edited interface or base
  contract leaves every contract built on it stale (an event's old signature, a compile error
  that only a fresh clone shows). The sources' hashes as of the last prune are kept in
  `build/.source-sha1.json`; every artifact compiled from a file whose hash differs, or is not
  recorded, goes. With no record at all (a build older than this check), every artifact goes;
* the compiler settings changed (brownie-config.yaml's `compiler` section): brownie compares only
  the solc version and the optimizer settings with an artifact's, not `viaIR`, so switching the
  IR pipeline on or off would leave every artifact built by the other pipeline. The record keeps
  a hash of the whole section; when it differs (or a record has none), every artifact goes.

brownie's interface ABIs (build/interfaces) record no source list, and an ABI includes the errors
its imports declare: they are always dropped, silently, and brownie regenerates them (an ABI
extraction, not a compilation).

Run from the project root: `python tools/prune_stale_build.py build`."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

RECORD = ".source-sha1.json"
CONFIG = "brownie-config.yaml"
# the record's entry for the compiler settings (no source file has this name)
COMPILER_KEY = CONFIG + ":compiler"
# Where brownie compiles from: the project's contracts and its remappings' targets
# (brownie-config.yaml: @openzeppelin, @chainlink).
SOURCE_ROOTS = ("contracts", "node_modules/@openzeppelin", ".deps/chainlink")


def _sources(artifact: Path) -> list[str]:
    """Every source the artifact was compiled from, its own first; [""] when unreadable."""
    try:
        data = json.loads(artifact.read_text())
        return [str(data.get("sourcePath") or ""), *map(str, (data.get("allSourcePaths") or {}).values())]
    except (OSError, ValueError, AttributeError):
        return [""]


def _artifacts(build: Path) -> list[Path]:
    return sorted(build.glob("contracts/*.json"))


class _Hashes(dict[str, str]):
    """Each source's SHA-1, read from disk once however many artifacts were compiled from it."""

    def __missing__(self, source: str) -> str:
        digest = self[source] = hashlib.sha1(Path(source).read_bytes()).hexdigest()
        return digest


def _compiler_settings_hash() -> str | None:
    """SHA-1 of brownie-config.yaml's `compiler` section (None without the file)."""
    try:
        text = Path(CONFIG).read_text()
    except OSError:
        return None
    import yaml  # brownie's own dependency, in the venv the bootstrap runs this with

    section = (yaml.safe_load(text) or {}).get("compiler")
    return hashlib.sha1(json.dumps(section, sort_keys=True).encode()).hexdigest()


def _record(build: Path) -> dict[str, str] | None:
    try:
        loaded = json.loads((build / RECORD).read_text())
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


def stale_artifacts(build: Path, compiled_from: dict[Path, list[str]], hashes: _Hashes) -> list[tuple[Path, str]]:
    """(artifact, why) for every contract artifact whose source, or any source it was
    compiled from (`allSourcePaths`: a test contract deriving from a moved game), is missing
    relative to the current directory (the project root), or changed since the last prune."""
    record = _record(build)
    settings_changed = record is not None and record.get(COMPILER_KEY) != _compiler_settings_hash()
    found = []
    for artifact, sources in compiled_from.items():
        missing = next((source for source in sources if not source or not Path(source).is_file()), None)
        if missing is not None:
            found.append((artifact, f"its source {missing or '(none)'} is gone"))
        elif record is None:
            found.append((artifact, "no record of the sources it was compiled from"))
        elif settings_changed:
            found.append((artifact, f"the compiler settings in {CONFIG} changed since it was compiled"))
        else:
            changed = next((source for source in sources if record.get(source) != hashes[source]), None)
            if changed is not None:
                found.append((artifact, f"{changed} changed since it was compiled"))
    return found


def record_sources(build: Path, kept: list[list[str]], hashes: _Hashes) -> None:
    """Remember the hash of every Solidity file brownie may compile from next (under SOURCE_ROOTS)
    and of every source a kept artifact was compiled from."""
    sources = {str(path) for root in SOURCE_ROOTS for path in Path(root).rglob("*.sol")}
    for compiled_from in kept:
        sources.update(source for source in compiled_from if source and Path(source).is_file())
    record = {source: hashes[source] for source in sorted(sources)}
    settings = _compiler_settings_hash()
    if settings is not None:
        record[COMPILER_KEY] = settings
    build.mkdir(parents=True, exist_ok=True)  # a fresh checkout has no build folder yet
    (build / RECORD).write_text(json.dumps(record, indent=0, sort_keys=True))


def main(argv: list[str]) -> int:
    build = Path(argv[1] if len(argv) > 1 else "build")
    # every artifact read, and every source hashed, once
    compiled_from = {artifact: _sources(artifact) for artifact in _artifacts(build)}
    hashes = _Hashes()
    stale = stale_artifacts(build, compiled_from, hashes)
    for artifact, _ in stale:
        artifact.unlink()
        del compiled_from[artifact]
    for interface in build.glob("interfaces/*.json"):
        interface.unlink()
    if stale:
        # one line per build, not per artifact: a changed interface drops dozens
        shown = "; ".join(f"{artifact.name}: {why}" for artifact, why in stale[:3])
        more = f" and {len(stale) - 3} more" if len(stale) > 3 else ""
        print(f"[bootstrap] dropped {len(stale)} stale artifacts ({shown}{more})", file=sys.stderr)
    record_sources(build, list(compiled_from.values()), hashes)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
