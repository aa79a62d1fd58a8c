from brownie import accounts, network, web3

NETWORK_TO_CHAIN = {"development": "anvil", "ganache-cli": "ganache"}


def test_the_chain_is_the_one_asked_for_with_funded_dev_accounts(chain_kind: str) -> None:
    # The node itself says what it is ("anvil/v1.x", "Ganache/v7.x/..."): a suite meant for ganache
    # that silently ran on anvil (or the reverse) fails here.
    assert chain_kind == NETWORK_TO_CHAIN[network.show_active()]
    assert web3.client_version.lower().startswith(chain_kind + "/"), web3.client_version
    assert len(accounts) >= 10
    assert accounts[0].balance() >= 10**24
    assert web3.eth.chain_id == 1337
