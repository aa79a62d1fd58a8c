"""The real PlayerRegistry as the Vault tests of player protection use it: wired to the module's
Vault, with a KYC attestor, and the attestations that bind wallets to a person."""

from __future__ import annotations

from typing import Any

from brownie import accounts, chain
from contract_support import DAY, ETHER, deploy_wired_registry
from vault_helpers import ETH

from fairstake import signing

ATTESTOR = 8  # dev account index of the registry's KYC attestor


def wired_registry(vault: Any, owner: Any) -> Any:
    """The real PlayerRegistry wired to the Vault as the deployment does, with the attestor; no game
    registered in it."""
    deployed = deploy_wired_registry(vault, owner)
    deployed.setAttestor(accounts[ATTESTOR], True, {"from": owner})
    return deployed


def deposit_each(vault: Any, players: tuple[Any, ...], amount: int = 10 * ETHER) -> int:
    """`amount` of ETH into each player's Vault balance."""
    for player in players:
        vault.depositFor(player, ETH, amount, {"from": player, "value": amount})
    return amount


def attest(registry: Any, wallet: Any, person: bytes) -> None:
    """A level-1 attestation binding `wallet` to `person`, valid for a year."""
    now = chain[-1].timestamp
    typed = signing.kyc_attestation(
        registry.address, chain.id, wallet.address, 1, now + 365 * DAY, signing.jurisdiction_hash("MT"), 1, now, person
    )
    signature = signing.sign(typed, signing.dev_private_key(ATTESTOR)).signature
    message = typed["message"]
    struct = (wallet.address, 1, message["expiry"], message["jurisdictionHash"], 1, now, person)
    registry.attest(struct, signature, {"from": wallet})
