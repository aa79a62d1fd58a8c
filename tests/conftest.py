"""Test session setup: every run gets its own local chain on a free port.

brownie attaches to a chain that already listens where its network config points, so we
start anvil (network `development`, the default) or ganache (`--network ganache-cli`)
ourselves and point brownie at it. Parallel test runs therefore never share a chain.

Import brownie's compiled internals (brownie._config, ...) inside functions only: brownie
hashes the source of every project-local module a conftest or test imports at top level,
and the venv lives inside the project, so a top-level import of a mypyc .so breaks it.
"""

from __future__ import annotations

import os

import pytest

from ops.chain import LocalChain

NETWORK_TO_CHAIN = {"development": "anvil", "ganache-cli": "ganache"}
_chain: LocalChain | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _chain
    from brownie._config import CONFIG

    option = config.getoption("network", default=None)
    network = (option[0] if isinstance(option, list) else option) or "development"
    kind = NETWORK_TO_CHAIN.get(network)
    if kind is None or hasattr(config, "workerinput"):
        return
    # Test modules read it at import (collection comes after this hook): contract_support.ganache_share.
    os.environ["FAIRSTAKE_TEST_CHAIN"] = kind
    _chain = LocalChain(kind=kind).start()
    settings = CONFIG.networks[network]
    settings["host"] = "http://127.0.0.1"
    settings.setdefault("cmd_settings", {})["port"] = _chain.port


def pytest_sessionstart(session: pytest.Session) -> None:
    """Every run draws its examples afresh: no example database.

    brownie's hypothesis profiles keep one database under ~/.brownie, shared by every run on
    the machine. Replaying it makes hypothesis 6.27 shrink its saved pareto front during
    generation, and those shrink attempts overrun and fail the data_too_large health check
    of tests with few examples. Runs on the same machine must not depend on each other.
    Called after brownie's pytest_configure (which loads its profiles) and before collection,
    where @settings(...) copies the default.
    """
    from hypothesis import settings

    current = settings._current_profile  # type: ignore[attr-defined]
    settings.register_profile("fairstake", parent=settings.get_profile(current), database=None)
    settings.load_profile("fairstake")
    _ride_out_dropped_transactions()
    _faster_rpc()


def _faster_rpc() -> None:
    """Three costs that have nothing to do with what a test checks, measured on the system
    stateful test (about a third of its time together):

    - web3's validation middleware asks the node for eth_chainId before every call, estimate and
      transaction: half of all requests. A provider talks to one chain for its whole life, so each
      provider remembers the answer (web3's own request cache, limited to eth_chainId).
    - requests looks for proxy settings in the environment on every request (it walks os.environ
      twice). The tests talk only to local chains: their sessions ignore the environment.
    - brownie's chain.sleep/mine/snapshot/revert check who called them with inspect.stack(), which
      reads the source line of every frame on the stack (tens of milliseconds each under pytest).
      brownie only looks at the calling frame's `self`, so it gets the frames without their source.
    """
    import sys
    from types import SimpleNamespace

    import requests
    from web3 import HTTPProvider

    original = HTTPProvider.__init__
    if getattr(original, "fast_rpc", False):
        return

    def local_session() -> requests.Session:
        session = requests.Session()
        session.trust_env = False
        return session

    def init(self, endpoint_uri=None, request_kwargs=None, session=None, **kwargs):  # type: ignore[no-untyped-def]
        original(self, endpoint_uri, request_kwargs, session or local_session(), **kwargs)
        self.cache_allowed_requests = True
        self.cacheable_requests = {"eth_chainId"}

    init.fast_rpc = True  # type: ignore[attr-defined]
    HTTPProvider.__init__ = init  # type: ignore[method-assign]
    from brownie.network import web3

    if isinstance(web3.provider, HTTPProvider):  # brownie connected already
        from web3._utils.http_session_manager import HTTPSessionManager

        web3.provider._request_session_manager = HTTPSessionManager(explicit_session=local_session())
        web3.provider.cache_allowed_requests = True
        web3.provider.cacheable_requests = {"eth_chainId"}

    class FramesWithoutSource:
        def __getattr__(self, name: str) -> object:
            return getattr(inspect, name)

        @staticmethod
        def stack(context: int = 1) -> list[SimpleNamespace]:
            frames, frame = [], sys._getframe(1)
            while frame is not None:
                frames.append(SimpleNamespace(frame=frame))
                frame = frame.f_back
            return frames

    import importlib
    import inspect

    importlib.import_module("brownie.network.rpc").inspect = FramesWithoutSource()


def _ride_out_dropped_transactions() -> None:
    """A brownie/anvil race on a loaded machine: brownie sees the sender's nonce advance before
    anvil serves the transaction by hash, marks it dropped and, finding no replacement, raises
    "Tx dropped without known replacement" although it was mined (it failed a long system soak
    and can fail any test under load). Then wait for the receipt by hash and carry on with the
    mined transaction; brownie's own code afterwards raises its revert, if it reverted, as usual."""
    from brownie.exceptions import TransactionError
    from brownie.network import account, chain, web3

    original = account._PrivateKeyAccount._await_confirmation
    if getattr(original, "rides_out_drops", False):
        return

    def await_confirmation(self, receipt, required_confs, gas_strategy, gas_iter):  # type: ignore[no-untyped-def]
        try:
            return original(self, receipt, required_confs, gas_strategy, gas_iter)
        except TransactionError as exc:
            if "dropped without known replacement" not in str(exc):
                raise
            web3.eth.wait_for_transaction_receipt(receipt.txid, timeout=60, poll_latency=0.2)
            return chain.get_transaction(receipt.txid)

    await_confirmation.rides_out_drops = True  # type: ignore[attr-defined]
    account._PrivateKeyAccount._await_confirmation = await_confirmation


def pytest_unconfigure(config: pytest.Config) -> None:
    global _chain
    if _chain is not None:
        _chain.stop()
        _chain = None


def pytest_report_header(config: pytest.Config) -> str | None:
    return f"fairstake chain: {_chain.kind} at {_chain.url}" if _chain else None


@pytest.fixture(scope="session")
def chain_kind() -> str:
    """'anvil' or 'ganache': the chain the contract tests run on."""
    return _chain.kind if _chain else "anvil"


@pytest.fixture(autouse=True)
def isolation(fn_isolation: None) -> None:
    """Every test starts from the same chain state (brownie snapshots and reverts)."""


@pytest.fixture(scope="session")
def reverts_with():
    """`with reverts_with("ErrorName"):` expects a revert with that custom error (any arguments)."""
    import re

    import brownie

    def _reverts_with(error: str):  # type: ignore[no-untyped-def]
        return brownie.reverts(revert_pattern=rf"{re.escape(error)}(: .*)?")

    return _reverts_with
