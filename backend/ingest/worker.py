"""The fetch worker: a child process (`python -m backend.ingest.worker`) running a RangeFetcher
ahead of the writer, so fetching and decoding run in parallel with the database transactions.

Protocol over the child's stdin/stdout, as length-prefixed pickles (a private pipe between two
processes of the same program): the parent sends its setup, then ("start", epoch, next_block,
parent_hash) or ("stop",); the child answers (epoch, message). After a `Reorg` message the child
idles until the next "start"; the parent drops messages of older epochs. The child exits on
"stop", on EOF, or by itself when its parent dies (it holds no state worth keeping).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Mapping
from typing import IO, Any

from backend.ingest.fetcher import FetchConfig, Message, RangeFetcher, Reorg, gc_paused
from backend.rpc import RpcClient

Contracts = Mapping[str, tuple[str, list[dict[str, Any]]]]
_HEADER = struct.Struct("!Q")


def send(stream: IO[bytes], obj: object) -> None:
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    """The next object, or raises EOFError when the other side closed the pipe."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(header)
    payload = stream.read(size)
    if len(payload) < size:
        raise EOFError
    return pickle.loads(payload)


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL us when the parent dies (a SIGKILLed indexer leaves no orphan)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)


def _reader(stream: IO[bytes], out: queue.Queue[Any]) -> None:
    try:
        while True:
            out.put(receive(stream))
    except (EOFError, OSError, ValueError):
        out.put(("stop",))


def worker_main() -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the message pipe
    rpc_url, contracts, config, parent_pid = receive(stdin)
    commands: queue.Queue[Any] = queue.Queue()
    threading.Thread(target=_reader, args=(stdin, commands), daemon=True).start()
    fetcher = RangeFetcher(RpcClient(rpc_url), contracts, config, 0, None, as_tuples=True)
    epoch = -1
    running = False
    while os.getppid() == parent_pid:
        try:
            command = commands.get_nowait() if running else commands.get(timeout=0.5)
        except queue.Empty:
            command = None
        if command is not None:
            if command[0] == "stop":
                return
            _, epoch, next_block, parent_hash = command
            fetcher.restart(next_block, parent_hash)
            running = True
        if not running:
            continue
        with gc_paused():
            message: Message | None = fetcher.next_message()
            if message is None:
                continue
            try:
                send(stdout, (epoch, message))
            except (BrokenPipeError, OSError):
                return
        if isinstance(message, Reorg):
            running = False


class FetchWorker:
    """Parent-side handle of the worker process."""

    def __init__(self, rpc_url: str, contracts: Contracts, config: FetchConfig, *, prefetch: int = 3) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "backend.ingest.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=False,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self._stdin = self.process.stdin
        # A bounded queue: the reader thread stops reading when it is full, the pipe fills up
        # and the worker blocks, so it never runs more than a few batches ahead.
        self._messages: queue.Queue[Any] = queue.Queue(maxsize=prefetch)
        self.epoch = 0
        send(self._stdin, (rpc_url, dict(contracts), config, os.getpid()))
        threading.Thread(target=_reader, args=(self.process.stdout, self._messages), daemon=True).start()

    def start_at(self, next_block: int, parent_hash: str | None) -> None:
        self.epoch += 1
        send(self._stdin, ("start", self.epoch, next_block, parent_hash))

    def get(self, timeout: float) -> Message | None:
        """The next message of the current epoch, or None on timeout."""
        while True:
            try:
                item = self._messages.get(timeout=timeout)
            except queue.Empty:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the fetch worker exited with code {self.process.returncode}") from None
                return None
            if item == ("stop",):
                raise RuntimeError(f"the fetch worker stopped (exit code {self.process.wait()})")
            epoch, message = item
            if epoch == self.epoch:
                return message

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            send(self._stdin, ("stop",))
            self._stdin.close()
        try:
            self.process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=3)


if __name__ == "__main__":
    worker_main()
