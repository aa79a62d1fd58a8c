from brownie import accounts, web3


def test_chain_has_funded_dev_accounts(chain_kind: str) -> None:
    assert len(accounts) >= 10
    assert accounts[0].balance() >= 10**24
    assert web3.eth.chain_id == 1337
