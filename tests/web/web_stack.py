"""The platform the browser tests drive.

Two modes:
- a running stack: set FAIRSTAKE_WEB_API_URL (the API serving web/dist at `/` and the
  deployment manifest at GET /deployment) and optionally FAIRSTAKE_WEB_RPC_URL (default: the
  manifest's rpcUrl). The chain must have unlocked dev accounts (anvil/ganache dev mnemonic).
- a local stack (default): the test session's chain (tests/conftest.py) with the core deployed
  by scripts/deploy.py, served by `serve_bare` (web/dist + /deployment, no indexer).
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import os
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from web3 import Web3

from fairstake import PROJECT_ROOT

WEB_DIST = PROJECT_ROOT / "web" / "dist"
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
    indexed: bool  # True when the API (indexer, audit, live feed) is behind api_url

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
    return Stack(api_url=api_url, rpc_url=rpc_url, manifest=manifest, indexed=True)


def _handler(root: Path, manifest: dict[str, Any]) -> type[BaseHTTPRequestHandler]:
    manifest_body = json.dumps(manifest).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            path = self.path.split("?", 1)[0]
            if path == "/deployment":
                self._send(200, manifest_body, "application/json")
                return
            target = (root / path.lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if root.resolve() not in target.parents or not target.is_file():
                self._send(404, b'{"detail": "not found"}', "application/json")
                return
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            self._send(200, target.read_bytes(), kind)

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature of the base
            return

    return Handler


@contextlib.contextmanager
def serve_bare(manifest: dict[str, Any], root: Path = WEB_DIST) -> Iterator[str]:
    """Serve the built page and the manifest on a free local port (no API behind it)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(root, manifest))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
