"""EIP-55 addresses for both ends of the backend: the indexer checksums every address it decodes,
the API every address a client sends."""

from __future__ import annotations

try:
    from faster_eth_utils import to_checksum_address as _checksum
except ImportError:  # pragma: no cover - depends on the environment
    from eth_utils import to_checksum_address as _checksum

_CHECKSUMS: dict[str, str] = {}


def to_checksum_address(address: str) -> str:
    """EIP-55 form, memoised: the same players and contracts appear in event after event."""
    cached = _CHECKSUMS.get(address)
    if cached is None:
        if len(_CHECKSUMS) > 1_000_000:
            _CHECKSUMS.clear()
        cached = _CHECKSUMS[address] = _checksum(address)
    return cached
