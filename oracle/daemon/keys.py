"""The daemon's two keys: the ECVRF key that proves (oracle.keystore) and the ordinary
Ethereum account that pays for fulfil transactions."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount

from fairstake.devchain import DEV_CHAIN_ID, DEV_MNEMONIC
from oracle import ecvrf, keystore
from oracle.daemon.work import Proven

TX_KEY_ENV = "FAIRSTAKE_ORACLE_TX_KEY"
TX_PASSWORD_ENV = "FAIRSTAKE_ORACLE_TX_PASSWORD"
DEV_PREFIX = "dev:"


class KeyLoadError(ValueError):
    """A key could not be loaded; the message says what to provide."""


def dev_account(index: int) -> LocalAccount:
    """The `index`-th account of the development mnemonic (anvil's and ganache's funded ones)."""
    Account.enable_unaudited_hdwallet_features()
    return Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")


def load_tx_account(spec: str | None, chain_id: int, password_file: Path | None = None) -> LocalAccount:
    """The sending account.

    `spec` is a path to an Ethereum JSON keystore (password from FAIRSTAKE_ORACLE_TX_PASSWORD
    or `password_file`), or `dev:N` for the N-th development account (dev chain only). With no
    spec the hex private key in FAIRSTAKE_ORACLE_TX_KEY is used."""
    if spec is None:
        key = os.environ.get(TX_KEY_ENV)
        if not key:
            raise KeyLoadError(f"no sending account: pass --from-account or set {TX_KEY_ENV}")
        return Account.from_key(key.strip())
    if spec.startswith(DEV_PREFIX):
        if chain_id != DEV_CHAIN_ID:
            raise KeyLoadError(f"dev accounts are only for the dev chain (id {DEV_CHAIN_ID}), not {chain_id}")
        return dev_account(int(spec[len(DEV_PREFIX) :]))
    path = Path(spec)
    if not path.exists():
        raise KeyLoadError(f"no keystore at {path}")
    if password_file is not None:
        password = password_file.read_text().rstrip("\n")
    elif TX_PASSWORD_ENV in os.environ:
        password = os.environ[TX_PASSWORD_ENV]
    else:
        raise KeyLoadError(f"the keystore {path} needs a password: set {TX_PASSWORD_ENV} or pass a password file")
    try:
        private_key = Account.decrypt(json.loads(path.read_text()), password)
    except ValueError as exc:
        raise KeyLoadError(f"cannot decrypt {path}: {exc}") from None
    return Account.from_key(private_key)


@dataclass(frozen=True)
class EcvrfProver:
    """Proves request seeds with one ECVRF secret key (oracle.ecvrf)."""

    secret: int = field(repr=False)
    public_key: tuple[int, int]
    key_hash: bytes

    @classmethod
    def from_secret(cls, secret: int) -> EcvrfProver:
        public = ecvrf.public_key(secret)
        return cls(secret=secret, public_key=public, key_hash=ecvrf.key_hash(public))

    def prove(self, pre_seed: int, block_hash: bytes) -> Proven:
        seed = ecvrf.request_seed(pre_seed, block_hash)
        proof = ecvrf.prove(self.secret, seed)
        return Proven(seed=seed, proof=proof.as_solidity(), output=ecvrf.output_of(proof.gamma))


def load_prover(keystore_path: Path, password_file: Path | None = None) -> EcvrfProver:
    """The prover for the ECVRF key in `keystore_path` (password: FAIRSTAKE_ORACLE_PASSWORD or
    `password_file`)."""
    try:
        secret = keystore.load_key(keystore_path, keystore.read_password(password_file))
    except keystore.KeystoreError as exc:
        raise KeyLoadError(str(exc)) from None
    return EcvrfProver.from_secret(secret)
