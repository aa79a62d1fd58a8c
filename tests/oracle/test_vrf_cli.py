"""`fairstake vrf keygen|prove|verify` through the real command tree, and the keystore module.

Keystores made through the CLI use eth_account's production scrypt cost (about a second per
encrypt/decrypt), so one is made per module and shared; keystore unit tests use a cheap KDF.
"""

from __future__ import annotations

import dataclasses
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from ops.cli.main import app
from oracle import ecvrf
from oracle.keystore import PASSWORD_ENV, KeystoreError, load_key, read_password, save_key
from oracle.proof import Proof

PASSWORD = "correct horse battery staple"
runner = CliRunner()


def run(*args: str, password: str | None = PASSWORD, stdin: str | None = None) -> Result:
    return runner.invoke(app, ["vrf", *args], env={PASSWORD_ENV: password}, input=stdin)


def assert_clean_failure(result: Result, code: int, message: str) -> None:
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


@pytest.fixture(scope="module")
def keystore(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    path = tmp_path_factory.mktemp("oracle") / "keys" / "oracle.json"
    result = run("keygen", "--keystore", str(path))
    assert result.exit_code == 0, result.output
    return path, json.loads(result.stdout)


@pytest.fixture(scope="module")
def proof_document(keystore: tuple[Path, dict[str, Any]]) -> dict[str, Any]:
    result = run("prove", "--seed", "123456789", "--keystore", str(keystore[0]))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_keygen_writes_an_owner_only_keystore_and_prints_pk_and_key_hash(
    keystore: tuple[Path, dict[str, Any]],
) -> None:
    path, printed = keystore
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    secret = load_key(path, PASSWORD)
    pk = ecvrf.public_key(secret)
    assert printed["pk"] == [f"0x{v:064x}" for v in pk]
    assert printed["keyHash"] == "0x" + ecvrf.key_hash(pk).hex()
    assert PASSWORD not in path.read_text()


def test_keygen_refuses_to_overwrite_a_key(keystore: tuple[Path, dict[str, Any]]) -> None:
    before = keystore[0].read_bytes()
    assert_clean_failure(run("keygen", "--keystore", str(keystore[0])), 2, "refusing to overwrite")
    assert keystore[0].read_bytes() == before


def test_keygen_and_prove_need_a_password_from_env_or_file(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    assert_clean_failure(run("keygen", "--keystore", str(path), password=None), 2, PASSWORD_ENV)
    assert not path.exists()
    password_file = tmp_path / "password"
    password_file.write_text("from a file\n")
    result = run("keygen", "--keystore", str(path), "--password-file", str(password_file), password=None)
    assert result.exit_code == 0, result.output
    result = run("prove", "--seed", "7", "--keystore", str(path), "--password-file", str(password_file), password=None)
    assert result.exit_code == 0, result.output
    assert ecvrf.verify(Proof.from_json(json.loads(result.stdout)), 7)


def test_no_command_takes_a_password_on_the_command_line(tmp_path: Path) -> None:
    for command in ("keygen", "prove", "verify"):
        help_text = run(command, "--help").stdout
        assert "--password-file" in help_text or command == "verify"
        assert "--password " not in help_text and "--password=" not in help_text
    result = run("keygen", "--keystore", str(tmp_path / "k.json"), "--password", "hunter2")
    assert result.exit_code == 2
    assert "No such option" in result.stderr
    assert not (tmp_path / "k.json").exists()


def test_prove_prints_a_proof_that_verifies_for_that_seed(
    keystore: tuple[Path, dict[str, Any]], proof_document: dict[str, Any]
) -> None:
    proof = Proof.from_json(proof_document)
    assert proof.seed == 123456789
    assert ecvrf.verify(proof, 123456789)
    assert proof == ecvrf.prove(load_key(keystore[0], PASSWORD), 123456789)
    assert [f"0x{v:064x}" for v in proof.pk] == keystore[1]["pk"]


def test_prove_rejects_a_bad_seed_wrong_password_or_missing_keystore(
    keystore: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path = str(keystore[0])
    assert_clean_failure(run("prove", "--seed", "0xzz", "--keystore", path), 2, "--seed")
    assert_clean_failure(run("prove", "--seed", str(2**256), "--keystore", path), 2, "uint256")
    assert_clean_failure(run("prove", "--seed", "1", "--keystore", path, password="wrong"), 2, "cannot decrypt")
    missing = str(tmp_path / "missing.json")
    assert_clean_failure(run("prove", "--seed", "1", "--keystore", missing), 2, "cannot read keystore")


def test_verify_prints_the_output_and_exits_0(proof_document: dict[str, Any], tmp_path: Path) -> None:
    file = tmp_path / "proof.json"
    file.write_text(json.dumps(proof_document))
    expected = ecvrf.verify(Proof.from_json(proof_document))
    for args in (["verify", str(file)], ["verify", str(file), "--seed", hex(123456789)]):
        result = run(*args, password=None)
        assert result.exit_code == 0, result.output
        printed = json.loads(result.stdout)
        assert printed["valid"] is True
        assert int(printed["output"], 16) == expected
    from_stdin = run("verify", "-", password=None, stdin=json.dumps(proof_document))
    assert from_stdin.exit_code == 0
    assert json.loads(from_stdin.stdout)["output"] == printed["output"]


def test_verify_exits_1_with_the_reason_for_an_invalid_proof(proof_document: dict[str, Any], tmp_path: Path) -> None:
    proof = Proof.from_json(proof_document)
    file = tmp_path / "proof.json"
    file.write_text(json.dumps(dataclasses.replace(proof, z_inv=proof.z_inv ^ 1).to_json()))
    assert_clean_failure(run("verify", str(file)), 1, "invalid proof: zInv is not the inverse")
    file.write_text(json.dumps(proof_document))
    assert_clean_failure(run("verify", str(file), "--seed", "1"), 1, "invalid proof: proof is for a different seed")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        (b"\xff\xfe not text", "cannot read"),
        (b"{not json", "is not valid JSON"),
        (b'{"pk": [1, 2]}', "malformed proof: missing key(s)"),
        (b"[1, 2, 3]", "malformed proof: a proof must be a JSON object"),
    ],
)
def test_verify_exits_2_for_unusable_input(content: bytes | None, message: str, tmp_path: Path) -> None:
    file = tmp_path / "proof.json"
    if content is not None:
        file.write_bytes(content)
    assert_clean_failure(run("verify", str(file)), 2, message)


def test_verify_exits_2_for_a_malformed_seed_option(proof_document: dict[str, Any], tmp_path: Path) -> None:
    file = tmp_path / "proof.json"
    file.write_text(json.dumps(proof_document))
    assert_clean_failure(run("verify", str(file), "--seed", "seven"), 2, "--seed")


def test_keystore_round_trip_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "k.json"
    save_key(0xC0FFEE, path, "pw", kdf_iterations=2**4)  # 29 leading zero bytes
    assert load_key(path, "pw") == 0xC0FFEE
    with pytest.raises(KeystoreError, match="already exists"):
        save_key(1, path, "pw", kdf_iterations=2**4)
    with pytest.raises(ValueError):
        save_key(0, tmp_path / "zero.json", "pw", kdf_iterations=2**4)
    with pytest.raises(KeystoreError, match="cannot decrypt"):
        load_key(path, "not the password")
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{")
    with pytest.raises(KeystoreError, match="not JSON"):
        load_key(garbage, "pw")
    garbage.write_text('{"version": 3}')
    with pytest.raises(KeystoreError, match="not a Web3 Secret Storage file"):
        load_key(garbage, "pw")


def test_read_password_prefers_the_file_and_rejects_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "from env")
    assert read_password() == "from env"
    file = tmp_path / "pw"
    file.write_text("from file\nsecond line ignored\n")
    assert read_password(file) == "from file"
    file.write_text("")
    with pytest.raises(KeystoreError, match="empty or unset"):
        read_password(file)
    with pytest.raises(KeystoreError, match="cannot read password file"):
        read_password(tmp_path / "absent")
    monkeypatch.delenv(PASSWORD_ENV)
    with pytest.raises(KeystoreError, match=PASSWORD_ENV):
        read_password()
