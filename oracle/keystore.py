"""The oracle's secret key at rest: a Web3 Secret Storage (v3) keystore, as eth_account writes.

The password never travels on a command line (where `ps` and shell history would see it): it
comes from the FAIRSTAKE_ORACLE_PASSWORD environment variable or from a file.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from eth_account import Account

from oracle.ecvrf import N

PASSWORD_ENV = "FAIRSTAKE_ORACLE_PASSWORD"
DEFAULT_KEYSTORE = Path(".data/oracle-keystore.json")


class KeystoreError(Exception):
    """The keystore or its password is missing, unreadable or wrong."""


def generate_secret() -> int:
    """A uniformly random secret key in [1, n) from the OS CSPRNG."""
    return secrets.randbelow(N - 1) + 1


def read_password(password_file: Path | None = None) -> str:
    """The keystore password: the file's first line if a file is given, else the environment."""
    if password_file is not None:
        try:
            lines = password_file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise KeystoreError(f"cannot read password file {password_file}: {exc.strerror}") from exc
        password = lines[0] if lines else ""
    else:
        password = os.environ.get(PASSWORD_ENV, "")
    if not password:
        source = f"password file {password_file}" if password_file else f"${PASSWORD_ENV}"
        raise KeystoreError(f"no keystore password: {source} is empty or unset")
    return password


def save_key(secret: int, path: Path, password: str, *, kdf_iterations: int | None = None) -> None:
    """Encrypt `secret` (scrypt by default) into a new keystore file readable only by its owner.

    Refuses to overwrite: replacing an oracle key silently would orphan its registration.
    `kdf_iterations` lowers the scrypt work factor (a power of two), for tests only.
    """
    if not 0 < secret < N:
        raise ValueError("secret key must be in [1, n)")
    if path.exists():
        raise KeystoreError(f"{path} already exists; refusing to overwrite an oracle key")
    # always 32 bytes: eth_account would encode an int minimally and reject short keys
    keystore = Account.encrypt(secret.to_bytes(32, "big"), password, kdf="scrypt", iterations=kdf_iterations)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise KeystoreError(f"cannot create {path}: {exc.strerror}") from exc
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(keystore, handle)


def load_key(path: Path, password: str) -> int:
    """Decrypt the secret key from a keystore file."""
    try:
        keystore: Any = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise KeystoreError(f"cannot read keystore {path}: {exc.strerror}") from exc
    except ValueError as exc:
        raise KeystoreError(f"keystore {path} is not JSON") from exc
    try:
        secret = int.from_bytes(Account.decrypt(keystore, password), "big")
    except ValueError as exc:  # eth_account's wrong-password error is a ValueError ("MAC mismatch")
        raise KeystoreError(f"cannot decrypt keystore {path}: {exc}") from exc
    except (KeyError, TypeError) as exc:
        raise KeystoreError(f"keystore {path} is not a Web3 Secret Storage file") from exc
    if not 0 < secret < N:
        raise KeystoreError(f"keystore {path} holds no valid secp256k1 secret key")
    return secret
