"""What the registry tests share: sending a call that the registry refuses."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import history
from brownie.exceptions import VirtualMachineError


def mined_refusal(call: Any, *args: Any) -> tuple[str, int]:
    """Send `call` even though it reverts, so it is mined (at the time a test chose): its revert
    message and its block's timestamp. The last of `args` is the transaction dict."""
    tx_args = {**args[-1], "gas_limit": 1_000_000, "allow_revert": True}
    with pytest.raises(VirtualMachineError) as caught:
        call(*args[:-1], tx_args)
    assert history[-1].status == 0
    return str(caught.value.revert_msg), int(history[-1].timestamp)


def refusal(call: Any, *args: Any) -> str:
    """The revert message of `call`, sent and mined although it reverts."""
    return mined_refusal(call, *args)[0]
