"""Drop compiled artifacts whose source file is gone.

A contract moved or deleted since the last build (a pull of a restructure, a branch switch)
leaves its artifact in build/, and brownie then refuses to load the project ("Unable to load
project": it opens every artifact's sourcePath). Dropping those artifacts is enough: brownie
compiles whatever is missing on its next run. Run from the project root:
`python tools/prune_stale_build.py build`."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def stale_artifacts(build: Path) -> list[tuple[Path, str]]:
    """(artifact, a missing source) for every contract or interface artifact whose source, or any
    source it was compiled from (`allSourcePaths`: a test contract deriving from a moved game),
    is missing relative to the current directory (the project root)."""
    found = []
    for artifact in sorted([*build.glob("contracts/*.json"), *build.glob("interfaces/*.json")]):
        try:
            data = json.loads(artifact.read_text())
            sources = [str(data.get("sourcePath") or ""), *map(str, (data.get("allSourcePaths") or {}).values())]
        except (OSError, ValueError, AttributeError):
            sources = [""]
        missing = next((source for source in sources if not source or not Path(source).is_file()), None)
        if missing is not None:
            found.append((artifact, missing))
    return found


def main(argv: list[str]) -> int:
    build = Path(argv[1] if len(argv) > 1 else "build")
    for artifact, source in stale_artifacts(build):
        artifact.unlink()
        print(f"[bootstrap] dropped {artifact}: its source {source or '(none)'} is gone", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
