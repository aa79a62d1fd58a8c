"""LP positions and pending bankroll requests, indexed from the real platform (ops/deploy.py):
one LP's claimed deposit, pending deposit and pending redeem; another's cancelled deposit and
cancelled-then-claimed redeem. The indexed positions, free balances and solvency must equal the
Vault's own views, and the API's /lp view must show them."""

from __future__ import annotations

from pathlib import Path

import pytest
from brownie import accounts, chain
from deployed import DeployedPlatform
from starlette.testclient import TestClient
from support import ETH, api_fixtures, get_json, table_rows

from backend.store import schema
from ops import bankroll
from ops.deployment import LIQUIDITY_PROVIDER

ETHER = 10**18
SECRET = 0x1B_0051_7105


class Scenario(DeployedPlatform):
    def __init__(self, folder: Path) -> None:
        super().__init__(folder, SECRET)
        self.vault = vault = self.contracts["Vault"]
        self.first, self.second = accounts[LIQUIDITY_PROVIDER], accounts[8]
        first, second = self.first, self.second
        bankroll.deposit(vault, ETH, 100 * ETHER, first)
        bankroll.deposit(vault, ETH, 50 * ETHER, second)
        # second: a deposit it takes back, a redeem it cancels, then one claimed by someone else
        bankroll.request_deposit(vault, ETH, 7 * ETHER, second)
        vault.cancelBankrollDeposit(ETH, {"from": second})
        vault.requestBankrollRedeem(ETH, vault.sharesOf(second, ETH) // 2, {"from": second})
        vault.cancelBankrollRedeem(ETH, {"from": second})
        vault.requestBankrollRedeem(ETH, vault.sharesOf(second, ETH) // 5, {"from": second})
        bankroll.pass_delay(vault)
        chain.sleep(int(vault.CLAIM_GRACE()))  # then anyone may claim it
        vault.claimBankrollRedeem(ETH, second, {"from": first})
        # first: requests left pending
        bankroll.request_deposit(vault, ETH, 3 * ETHER, first)
        vault.requestBankrollRedeem(ETH, vault.sharesOf(first, ETH) // 4, {"from": first})


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return Scenario(tmp_path_factory.mktemp("lp"))


indexed, client = api_fixtures("scenario", kinds=("sqlite",))


def test_positions_and_requests_equal_the_vault(scenario: Scenario, indexed: str) -> None:
    vault = scenario.vault
    positions = {(r["provider"], r["token"]): r for r in table_rows(indexed, schema.lp_positions)}
    for lp in (scenario.first, scenario.second):
        row = positions[(str(lp), ETH)]
        deposit, deposit_at, redeem, redeem_at = (int(v) for v in vault.bankrollRequests(ETH, lp))
        assert row["shares"] == int(vault.sharesOf(lp, ETH))
        assert (row["pending_assets"], row["pending_shares"]) == (deposit, redeem)
        assert (row["deposit_claimable_at"] if deposit else 0, row["redeem_claimable_at"] if redeem else 0) == (
            deposit_at,
            redeem_at,
        )
    second = positions[(str(scenario.second), ETH)]
    assert (
        second["deposited"] == 50 * ETHER
        and second["withdrawn"] == int(vault.balanceOf(scenario.second, ETH)) - 7 * ETHER
    )
    totals = {r["token"]: r for r in table_rows(indexed, schema.token_totals)}[ETH]
    assert totals["bankroll_pending"] == int(vault.bankrollPending(ETH)[0]) == 3 * ETHER
    assert totals["bankroll"] == int(vault.bankrollAssets(ETH))
    assert totals["bankroll_shares"] == int(vault.totalShares(ETH))


def test_api_shows_positions_balances_and_solvency(scenario: Scenario, client: TestClient) -> None:
    vault = scenario.vault
    view = get_json(client, f"/lp/{scenario.first}")
    (eth,) = view["positions"]
    deposit, deposit_at, redeem, redeem_at = (int(v) for v in vault.bankrollRequests(ETH, scenario.first))
    assert eth["shares"] == str(vault.sharesOf(scenario.first, ETH))
    assert (eth["pending_deposit"], eth["deposit_claimable_at"]) == (str(deposit), deposit_at)
    assert (eth["pending_redeem_shares"], eth["redeem_claimable_at"]) == (str(redeem), redeem_at)
    second = get_json(client, f"/lp/{scenario.second}")["positions"][0]
    assert second["deposit_claimable_at"] is None and second["redeem_claimable_at"] is None
    assert get_json(client, f"/lp/{accounts[9]}")["positions"] == []
    player = get_json(client, f"/players/{scenario.second}")
    free = {b["token"]: b for b in player["balances"]}[ETH]["free"]
    assert int(free) == int(vault.balanceOf(scenario.second, ETH))  # cancelled deposit + claimed redeem
    report = get_json(client, "/audit/solvency")
    row = next(r for r in report["tokens"] if r["token"] == ETH)
    assert row["bankroll_pending"] == str(3 * ETHER)
    assert row["views_match_events"] is True and row["solvent"] is True, row
