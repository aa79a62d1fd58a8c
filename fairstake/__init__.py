"""Fairstake's core, the bottom tier (ARCHITECTURE.md): the rules, the audit policy, the deployment
manifest, EIP-712 signing and the dev chain's facts. It imports nothing else of the project."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
