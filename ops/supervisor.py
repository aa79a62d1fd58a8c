"""Start the platform's long-running processes and make sure none outlives the supervisor.

Each child runs in its own session (process group), so stopping it also stops whatever it
started (anvil's node wrapper, uvicorn workers). Stop order is the reverse of start order:
clients of the chain stop before the chain does.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path


class SupervisorError(RuntimeError):
    """A supervised process failed to start or died."""


@dataclass
class Child:
    name: str
    process: subprocess.Popen
    log_path: Path


@dataclass
class Supervisor:
    log_dir: Path
    children: list[Child] = field(default_factory=list)

    def start(self, name: str, argv: Sequence[str], env: dict[str, str] | None = None) -> Child:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.log_dir / f"{name}.log"
        log = open(log_path, "ab")  # noqa: SIM115 - owned by the child for its lifetime
        process = subprocess.Popen(
            list(argv),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )
        log.close()
        child = Child(name, process, log_path)
        self.children.append(child)
        return child

    def wait_until(self, child: Child, ready: Callable[[], bool], timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if child.process.poll() is not None:
                raise SupervisorError(
                    f"{child.name} exited with code {child.process.returncode}; see {child.log_path}\n"
                    + tail(child.log_path)
                )
            if ready():
                return
            time.sleep(0.2)
        raise SupervisorError(f"{child.name} was not ready within {timeout:.0f}s; see {child.log_path}")

    def check_alive(self) -> None:
        for child in self.children:
            if child.process.poll() is not None:
                raise SupervisorError(
                    f"{child.name} died with code {child.process.returncode}; see {child.log_path}\n"
                    + tail(child.log_path)
                )

    def stop_all(self, grace: float = 10.0) -> None:
        for child in reversed(self.children):
            _stop_group(child.process, grace)
        self.children.clear()

    @contextlib.contextmanager
    def running(self) -> Iterator[Supervisor]:
        """Stop every child on exit, including on Ctrl-C and SIGTERM."""
        previous = signal.getsignal(signal.SIGTERM)
        previous_int = signal.getsignal(signal.SIGINT)

        def _terminate(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, _terminate)
        # Ctrl-C stops everything even when this process inherited SIGINT ignored (started as a
        # background job of a script, or under nohup): Python then installs no handler of its own.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            yield self
        finally:
            self.stop_all()
            signal.signal(signal.SIGTERM, previous)
            signal.signal(signal.SIGINT, previous_int)


def _stop_group(process: subprocess.Popen, grace: float) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def http_ok(url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return 200 <= int(response.status) < 300
    except OSError:
        return False
