"""`fairstake referee sign` and `fairstake attest sign`: output, password handling, bad input."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from eth_account import Account
from typer.testing import CliRunner

from fairstake import signing
from ops.cli.main import app

PASSWORD = "correct horse battery staple"
CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
PLAYERS = [Account.from_key(bytes([i]) * 32).address for i in range(1, 4)]

runner = CliRunner()


@pytest.fixture(scope="module")
def signer() -> Account:
    return Account.from_key(b"\x42" * 32)


@pytest.fixture(scope="module")
def keystore(tmp_path_factory: pytest.TempPathFactory, signer: Account) -> Path:
    path = tmp_path_factory.mktemp("keys") / "referee.json"
    # pbkdf2 with few iterations keeps the test fast; real keystores use scrypt.
    path.write_text(json.dumps(Account.encrypt(signer.key, PASSWORD, kdf="pbkdf2", iterations=2)))
    return path


def _referee(args: list[str], password: str | None = PASSWORD) -> tuple[int, str, str]:
    env = {"FAIRSTAKE_REFEREE_PASSWORD": password} if password is not None else {}
    result = runner.invoke(app, ["referee", "sign", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def _attest(args: list[str], password: str | None = PASSWORD) -> tuple[int, str, str]:
    env = {"FAIRSTAKE_ATTESTOR_PASSWORD": password} if password is not None else {}
    result = runner.invoke(app, ["attest", "sign", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def _match_args(keystore: Path, *extra: str) -> list[str]:
    return ["--contract", CONTRACT, "--chain-id", "1337", "--keystore", str(keystore), *extra]


def test_referee_signs_a_match_result(keystore: Path, signer: Account) -> None:
    code, out, _ = _referee(
        _match_args(keystore, "--match-id", "7", "--nonce", "2", "--ranking", ",".join(PLAYERS).lower())
    )
    assert code == 0
    payload = json.loads(out)
    typed = signing.match_result(CONTRACT, 1337, 7, 2, PLAYERS)
    assert payload["type"] == "MatchResult"
    assert (payload["matchId"], payload["nonce"], payload["ranking"]) == (7, 2, PLAYERS)
    assert payload["signer"] == signer.address
    assert payload["digest"] == "0x" + signing.digest(typed).hex()
    assert signing.recover(typed, bytes.fromhex(payload["signature"][2:])) == signer.address


def test_referee_signs_tournament_and_void(keystore: Path, signer: Account) -> None:
    code, out, _ = _referee(_match_args(keystore, "--tournament-id", "3", "--ranking", PLAYERS[1]))
    assert code == 0
    payload = json.loads(out)
    typed = signing.tournament_result(CONTRACT, 1337, 3, 0, [PLAYERS[1]])
    assert payload["type"] == "TournamentResult" and payload["tournamentId"] == 3
    assert signing.recover(typed, bytes.fromhex(payload["signature"][2:])) == signer.address

    code, out, _ = _referee(_match_args(keystore, "--match-id", "9", "--void"))
    assert code == 0
    typed = signing.match_result(CONTRACT, 1337, 9, 0, [])
    assert json.loads(out)["digest"] == "0x" + signing.digest(typed).hex()


def test_password_file(keystore: Path, tmp_path: Path, signer: Account) -> None:
    password_file = tmp_path / "password"
    password_file.write_text(PASSWORD + "\n")
    code, out, _ = _referee(
        _match_args(keystore, "--match-id", "1", "--ranking", PLAYERS[0], "--password-file", str(password_file)),
        password=None,
    )
    assert code == 0 and json.loads(out)["signer"] == signer.address


@pytest.mark.parametrize(
    ("extra", "password", "message"),
    [
        (["--match-id", "1", "--ranking", PLAYERS[0]], None, "FAIRSTAKE_REFEREE_PASSWORD"),
        (["--match-id", "1", "--ranking", PLAYERS[0]], "wrong", "cannot decrypt"),
        (["--match-id", "1", "--ranking", "0x1234"], PASSWORD, "not an address"),
        (["--match-id", "1", "--tournament-id", "2", "--ranking", PLAYERS[0]], PASSWORD, "exactly one"),
        (["--ranking", PLAYERS[0]], PASSWORD, "exactly one"),
        (["--match-id", "1"], PASSWORD, "--ranking or --void"),
        (["--match-id", "1", "--ranking", PLAYERS[0], "--void"], PASSWORD, "--ranking or --void"),
        (["--match-id", "1", "--ranking", " , "], PASSWORD, "no address"),
    ],
)
def test_referee_bad_input(keystore: Path, extra: list[str], password: str | None, message: str) -> None:
    code, out, err = _referee(_match_args(keystore, *extra), password=password)
    assert code == 2
    assert out == ""
    assert message in err and "Traceback" not in err


def test_bad_keystore_and_contract(tmp_path: Path, keystore: Path) -> None:
    code, _, err = _referee(
        [
            "--contract",
            CONTRACT,
            "--chain-id",
            "1",
            "--keystore",
            str(tmp_path / "missing.json"),
            "--match-id",
            "1",
            "--ranking",
            PLAYERS[0],
        ]
    )
    assert code == 2 and "cannot read the keystore" in err
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    code, _, err = _referee(_match_args(junk, "--match-id", "1", "--ranking", PLAYERS[0]))
    assert code == 2 and "not a JSON keystore" in err
    code, _, err = _referee(
        [
            "--contract",
            "nope",
            "--chain-id",
            "1",
            "--keystore",
            str(keystore),
            "--match-id",
            "1",
            "--ranking",
            PLAYERS[0],
        ]
    )
    assert code == 2 and "not an address" in err


SUBJECT = bytes(range(1, 33))  # a person's subject id, as the attestor would derive it


def _attest_args(keystore: Path, *extra: str, expiry: int | None = None) -> list[str]:
    return [
        "--registry", CONTRACT, "--chain-id", "1337", "--player", PLAYERS[0], "--level", "2",
        "--expiry", str(expiry or int(time.time()) + 86400), "--jurisdiction", " mt ",
        "--subject", "0x" + SUBJECT.hex(), "--keystore", str(keystore), *extra,
    ]  # fmt: skip


def test_attestor_signs(keystore: Path, signer: Account) -> None:
    expiry = int(time.time()) + 86400
    before = int(time.time())
    code, out, _ = _attest(_attest_args(keystore, "--nonce", "5", expiry=expiry))
    assert code == 0
    payload = json.loads(out)
    mt = signing.jurisdiction_hash("MT")
    issued_at = payload["attestation"][5]
    assert before <= issued_at <= int(time.time())  # dated when signed
    assert payload["attestation"] == [PLAYERS[0], 2, expiry, "0x" + mt.hex(), 5, issued_at, "0x" + SUBJECT.hex()]
    assert payload["jurisdiction"] == "MT"
    typed = signing.kyc_attestation(CONTRACT, 1337, PLAYERS[0], 2, expiry, mt, 5, issued_at, SUBJECT)
    assert signing.recover(typed, bytes.fromhex(payload["signature"][2:])) == signer.address


def test_attestor_default_nonce_is_the_time(keystore: Path) -> None:
    before = int(time.time())
    code, out, _ = _attest(_attest_args(keystore))
    assert code == 0 and before <= json.loads(out)["attestation"][4] <= int(time.time())


@pytest.mark.parametrize(
    ("extra", "expiry", "password", "message"),
    [
        ([], None, None, "FAIRSTAKE_ATTESTOR_PASSWORD"),
        ([], 1, PASSWORD, "in the past"),
        (["--nonce", str(2**64)], None, PASSWORD, "uint64"),
        (["--level", "256"], None, PASSWORD, "255"),
        (["--subject", "0x" + "00" * 32], None, PASSWORD, "not all zero"),
        (["--subject", "0x1234"], None, PASSWORD, "32 bytes"),
        (["--subject", "nothex"], None, PASSWORD, "not hex"),
    ],
)
def test_attestor_bad_input(
    keystore: Path, extra: list[str], expiry: int | None, password: str | None, message: str
) -> None:
    code, out, err = _attest(_attest_args(keystore, *extra, expiry=expiry), password=password)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err
