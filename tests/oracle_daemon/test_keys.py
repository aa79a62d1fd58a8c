"""Loading the daemon's keys: the ECVRF prover from its keystore, the sending account."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eth_account import Account

from oracle import ecvrf, keystore
from oracle.daemon.keys import (
    TX_KEY_ENV,
    TX_PASSWORD_ENV,
    EcvrfProver,
    KeyLoadError,
    dev_account,
    load_prover,
    load_tx_account,
)

SECRET = 0xC0FFEE


def test_prover_proves_the_seed_the_coordinator_derives() -> None:
    prover = EcvrfProver.from_secret(SECRET)
    assert prover.key_hash == ecvrf.key_hash(ecvrf.public_key(SECRET))
    block_hash = bytes(range(32))
    proven = prover.prove(pre_seed=42, block_hash=block_hash)
    assert proven.seed == ecvrf.request_seed(42, block_hash)
    proof = ecvrf.prove(SECRET, proven.seed)
    assert proven.proof == proof.as_solidity()
    assert proven.output == ecvrf.verify(proof, proven.seed)
    assert str(SECRET) not in repr(prover) and hex(SECRET) not in repr(prover)


def test_load_prover_reads_the_keystore_with_env_or_file_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "vrf.json"
    keystore.save_key(SECRET, path, "pw", kdf_iterations=2**4)
    monkeypatch.setenv(keystore.PASSWORD_ENV, "pw")
    assert load_prover(path).key_hash == EcvrfProver.from_secret(SECRET).key_hash
    monkeypatch.delenv(keystore.PASSWORD_ENV)
    with pytest.raises(KeyLoadError):
        load_prover(path)
    password_file = tmp_path / "pw.txt"
    password_file.write_text("wrong\n")
    with pytest.raises(KeyLoadError, match="decrypt"):
        load_prover(path, password_file)
    password_file.write_text("pw\n")
    assert load_prover(path, password_file).public_key == ecvrf.public_key(SECRET)


def test_tx_account_from_env_dev_index_or_keystore(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dev3 = dev_account(3)
    monkeypatch.delenv(TX_KEY_ENV, raising=False)
    with pytest.raises(KeyLoadError, match=TX_KEY_ENV):
        load_tx_account(None, 1337)
    monkeypatch.setenv(TX_KEY_ENV, "0x" + bytes(dev3.key).hex())
    assert load_tx_account(None, 1337).address == dev3.address
    assert load_tx_account("dev:3", 1337).address == dev3.address
    with pytest.raises(KeyLoadError, match="dev chain"):
        load_tx_account("dev:3", 1)

    path = tmp_path / "sender.json"
    path.write_text(json.dumps(Account.encrypt(dev3.key, "s3cret", iterations=2**4)))
    monkeypatch.delenv(TX_PASSWORD_ENV, raising=False)
    with pytest.raises(KeyLoadError, match=TX_PASSWORD_ENV):
        load_tx_account(str(path), 1)
    monkeypatch.setenv(TX_PASSWORD_ENV, "s3cret")
    assert load_tx_account(str(path), 1).address == dev3.address
    with pytest.raises(KeyLoadError, match="no keystore"):
        load_tx_account(str(tmp_path / "missing.json"), 1)
