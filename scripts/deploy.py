"""brownie's entry point for `brownie run scripts/deploy.py`: the deployment itself is the
importable module ops.deploy (the CLI and the tests import it from there)."""

from ops.deploy import main

__all__ = ["main"]
