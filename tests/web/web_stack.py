"""The platform the browser tests drive, in one of two ways:
- a running stack: set FAIRSTAKE_WEB_API_URL to an API that serves web/dist at `/` and the
  deployment manifest at GET /deployment (e.g. `./run up --no-simulate`, http://127.0.0.1:8000),
  and optionally FAIRSTAKE_WEB_RPC_URL (default: the manifest's rpcUrl). Its chain must be a dev
  chain (unlocked dev-mnemonic accounts) with an oracle daemon and the indexer running.
- a local stack (default): see web_platform.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from web3 import Web3

from fairstake import PROJECT_ROOT

PLAYER_INDEX = 7  # the dev account playing in the page; no other fixture uses it
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class Stack:
    """Where the page, the API and the chain are, and what is deployed."""

    api_url: str
    rpc_url: str
    manifest: dict[str, Any]
    oracle_pid: int | None = None  # the local stack's oracle daemon (its own process group)

    @property
    def web3(self) -> Web3:
        return Web3(Web3.HTTPProvider(self.rpc_url, request_kwargs={"timeout": 30}))

    def contract(self, name: str) -> Any:
        info = self.manifest["contracts"][name]
        return self.web3.eth.contract(address=Web3.to_checksum_address(info["address"]), abi=info["abi"])

    def token(self, symbol: str) -> dict[str, Any]:
        token: dict[str, Any] = self.manifest["tokens"][symbol]
        return token

    def has(self, name: str) -> bool:
        return name in self.manifest["contracts"]

    @contextlib.contextmanager
    def oracle_paused(self) -> Iterator[None]:
        """The local oracle daemon frozen (SIGSTOP) meanwhile, so requests made now go unanswered;
        it carries on afterwards. A running stack's oracle is not ours to stop: skipped there."""
        if self.oracle_pid is None:
            pytest.skip("pausing the oracle needs the local stack")
        os.killpg(self.oracle_pid, signal.SIGSTOP)
        try:
            yield
        finally:
            os.killpg(self.oracle_pid, signal.SIGCONT)

    def dev_account(self, index: int) -> str:
        """Development account `index` (unlocked on the node)."""
        accounts: list[str] = list(self.web3.eth.accounts)
        return accounts[index]


def build_web() -> None:
    subprocess.run([str(PROJECT_ROOT / "tools" / "build-web.sh")], check=True, cwd=PROJECT_ROOT)


def ensure_chromium() -> str:
    subprocess.run([str(PROJECT_ROOT / "tools" / "chromium.sh")], check=True)
    return str(CHROMIUM)


def fetch_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def running_stack() -> Stack | None:
    api_url = os.environ.get("FAIRSTAKE_WEB_API_URL", "").rstrip("/")
    if not api_url:
        return None
    manifest = fetch_json(f"{api_url}/deployment")
    rpc_url = os.environ.get("FAIRSTAKE_WEB_RPC_URL") or manifest.get("rpcUrl", "")
    return Stack(api_url=api_url, rpc_url=rpc_url, manifest=manifest)


def wait_indexed(stack: Stack, timeout: float = 60.0) -> None:
    """Until the indexer behind the API has reached the chain's current head."""
    head = stack.web3.eth.block_number
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if int(fetch_json(f"{stack.api_url}/health").get("indexed_block", -1)) >= head:
            return
        time.sleep(0.2)
    raise AssertionError(f"the indexer did not reach block {head} within {timeout:.0f}s")
