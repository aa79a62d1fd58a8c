"""Protection follows the person (issue 13): a second wallet attested to the same person as a
self-excluded wallet is refused, and the page says why beside Place bet before anything is sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from eth_utils import keccak
from playwright.sync_api import Page, expect
from web3.exceptions import ContractCustomError
from web_page import DESKTOP, ETH, ETHER, PHONE, chain_time, connect, screenshot
from web_platform import ATTESTOR_INDEX
from web_stack import Stack
from web_wallet import TestWallet

from fairstake import signing
from fairstake.rules.dice import encode_choice as dice_choice

DAY = 86_400
# dev accounts no other test uses: (the wallet that self-excludes, the person's second wallet)
WALLETS = {"desktop": (10, 11), "phone": (13, 14)}


def attest(stack: Stack, wallet: str, subject: bytes) -> None:
    """The attestor's signed KYC attestation binding `wallet` to `subject`, submitted by the wallet."""
    registry, w3 = stack.contract("PlayerRegistry"), stack.web3
    now = chain_time(stack)
    expiry, jurisdiction = now + 365 * DAY, signing.jurisdiction_hash("MT")
    typed = signing.kyc_attestation(registry.address, w3.eth.chain_id, wallet, 1, expiry, jurisdiction, 1, now, subject)
    signature = signing.sign(typed, signing.dev_private_key(ATTESTOR_INDEX)).signature
    tx = registry.functions.attest((wallet, 1, expiry, jurisdiction, 1, now, subject), signature)
    w3.eth.wait_for_transaction_receipt(tx.transact({"from": wallet}))


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_second_wallet_of_a_self_excluded_person_is_refused(
    open_page: Callable[[TestWallet], Page], stack: Stack, size: str
) -> None:
    first, second = (stack.dev_account(i) for i in WALLETS[size])
    person = signing.subject_id(b"web test attestor salt", f"person of the {size} test")
    for wallet in (first, second):
        attest(stack, wallet, person)
    registry, w3 = stack.contract("PlayerRegistry"), stack.web3
    w3.eth.wait_for_transaction_receipt(registry.functions.selfExclude(184 * DAY).transact({"from": first}))
    until = registry.functions.exclusionEnd(first).call()
    assert registry.functions.isExcluded(second).call()  # the chain binds the person, not the address

    page = open_page(TestWallet(rpc_url=stack.rpc_url, account=second))
    page.set_viewport_size(DESKTOP if size == "desktop" else PHONE)
    connect(page, stack, second)
    expect(page.locator("#exclusion-status")).to_contain_text("You are self-excluded until")
    expect(page.locator("#person-status")).to_contain_text("bound to your verified identity")
    page.select_option("#dice-source", value="wallet")
    page.fill("#dice-stake", "0.01")
    bet, refusal = page.get_by_role("button", name="Place bet"), page.locator("#dice-refusal")
    expect(bet).to_be_disabled()
    expect(refusal).to_have_attribute("data-error", "SelfExcluded")
    expect(refusal).to_contain_text("You are self-excluded until")
    expected_until: Any = page.evaluate("(s) => new Date(s * 1000).toLocaleString()", until)
    expect(refusal).to_contain_text(expected_until)
    screenshot(page, page.locator("#dice"), f"dice-person-excluded-{size}")

    # Not the page's opinion alone: the Dice contract refuses the second wallet's stake too.
    dice = stack.contract("Dice")
    with pytest.raises(ContractCustomError) as refused:
        dice.functions.placeBet(ETH, ETHER // 100, dice_choice(50), ETHER // 100).call(
            {"from": second, "value": ETHER // 100}
        )
    selector = "0x" + keccak(text="SelfExcluded(address,uint40)")[:4].hex()
    assert str(refused.value.data).startswith(selector)
