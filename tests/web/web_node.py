"""The page's JS modules run by node, for the agreement tests that compare them with the Python
rules: a module script reads its input as JSON on stdin and writes its answer as JSON."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from fairstake import PROJECT_ROOT


def run_node(script: str, payload: Any) -> Any:
    """Run the ES-module `script` (imports relative to the project root) on `payload`; its JSON answer."""
    done = subprocess.run(
        ["node", "--input-type=module", "-e", script],
        input=json.dumps(payload),
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout)
