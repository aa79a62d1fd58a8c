"""Every listing filter answers a value it cannot match with a 422 naming the parameter and what it
takes (like /bets?status=), and the live feed says so when it cannot serve a subscription as asked.
The API here runs over an empty store with a manifest naming two tokens and three contracts:
validation does not depend on what is indexed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from backend.api.app import Settings, create_app
from fairstake.manifest import ETH, DeployedContract, Manifest, Token

USDS = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
CONTRACTS = {"Dice": "0x" + "11" * 20, "Match": "0x" + "22" * 20, "Vault": "0x" + "33" * 20}
# The statuses the indexer writes (backend/store/projections/: bets.py, jackpot.py, skill.py), per listing.
STATUSES = {
    "/bets": ["pending", "won", "lost", "refundable", "refunded", "timed_out"],
    "/jackpot/rounds": ["open", "drawing", "drawn", "claimed", "refundable", "rolled_over", "closed"],
    "/matches": ["open", "full", "settled", "voided", "cancelled", "expired"],
    "/tournaments": ["open", "full", "settled", "voided", "cancelled", "expired"],
}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    manifest = Manifest(
        chain_id=1337,
        rpc_url="",
        deployment_block=0,
        contracts={name: DeployedContract(name, address, 1, []) for name, address in CONTRACTS.items()},
        tokens={"ETH": Token("ETH", ETH, 18), "USDS": Token("USDS", USDS, 6)},
    )
    path = manifest.save(tmp_path / "deployment.json")
    app = create_app(Settings(db=f"sqlite:///{tmp_path / 'store.db'}", deployment=path))
    with TestClient(app) as c:
        yield c


@pytest.mark.parametrize("path", list(STATUSES))
def test_status_filters_take_exactly_the_indexed_statuses(client: TestClient, path: str) -> None:
    for status in STATUSES[path]:
        assert client.get(f"{path}?status={status}").status_code == 200, (path, status)
    response = client.get(f"{path}?status=finished")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith("status:"), detail
    assert all(f"'{status}'" in detail for status in STATUSES[path]), detail


@pytest.mark.parametrize("path", ["/audit/events", "/audit/events/export"])
def test_contract_filters_take_the_manifest_names(client: TestClient, path: str) -> None:
    for name in CONTRACTS:
        assert client.get(f"{path}?contract={name}").status_code == 200, name
    response = client.get(f"{path}?contract=Roulette")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith("contract:") and "'Roulette'" in detail and "Dice, Match, Vault" in detail, detail


@pytest.mark.parametrize("path", ["/bets", "/jackpot/rounds", "/leaderboard"])
def test_token_filters_take_symbols_and_addresses(client: TestClient, path: str) -> None:
    for value in ("ETH", "eth", "USDS", "Usds", ETH, USDS, USDS.lower()):
        assert client.get(f"{path}?token={value}").status_code == 200, value
    response = client.get(f"{path}?token=DOGE")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith("token:") and "'DOGE'" in detail and "ETH, USDS" in detail, detail
    assert client.get(f"{path}?token=0x1").status_code == 422


def test_leaderboard_names_the_token_it_ranks(client: TestClient) -> None:
    # the symbol resolves to the manifest's address, which the response reports
    assert client.get("/leaderboard?token=usds").json()["token"] == USDS
    assert client.get(f"/leaderboard?token={USDS.lower()}").json()["token"] == USDS
    assert client.get("/leaderboard").json()["token"] == ETH


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("since=abc", "since:"),
        ("since=-1", "since:"),
        ("since=1e3", "since:"),
        ("since=99999999999999999999", "since:"),
        ("contracts=Dice,Roulette", "contracts:"),
    ],
)
def test_live_feed_refuses_a_subscription_it_cannot_serve(client: TestClient, query: str, parameter: str) -> None:
    with client.websocket_connect(f"/ws/events?{query}") as socket:
        message = socket.receive_json()
        assert message["type"] == "error" and message["detail"].startswith(parameter), message
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_json()
        assert closed.value.code == 1008


@pytest.mark.parametrize("query", ["since=0", "since=123", "contracts=Dice,Match", "events=*&contracts=Vault"])
def test_live_feed_serves_a_valid_subscription(client: TestClient, query: str) -> None:
    with client.websocket_connect(f"/ws/events?{query}") as socket:
        assert socket.receive_json() == {"type": "hello", "latest_uid": None}


@pytest.mark.parametrize("value", [f"{USDS}%0A", "ETH%0A", "%C2%B2", "0x" + "g" * 40])
def test_look_alike_tokens_are_refused(client: TestClient, value: str) -> None:
    response = client.get(f"/bets?token={value}")
    assert response.status_code == 422 and response.json()["detail"].startswith("token:")


@pytest.mark.parametrize("since", ["%C2%B2", "1%0A", "%D9%A1"])
def test_live_feed_takes_ascii_uids_only(client: TestClient, since: str) -> None:
    with client.websocket_connect(f"/ws/events?since={since}") as socket:
        message = socket.receive_json()
        assert message["type"] == "error" and message["detail"].startswith("since:"), message
