"""Fairstake: shared Python core (rules, manifest, chain helpers) and the `fairstake` CLI."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
