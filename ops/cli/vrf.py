"""`fairstake vrf`: oracle key generation, proving and verification from the command line.

Exit codes: 0 success; 1 the proof is invalid (verify only); 2 the input is unusable
(unreadable or malformed file, bad seed, missing/wrong password, keystore problems).
Results go to stdout as JSON, diagnostics to stderr as one line, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from ops.cli import EXIT_BAD_INPUT, fail
from oracle import ecvrf
from oracle.keystore import (
    DEFAULT_KEYSTORE,
    KeystoreError,
    generate_secret,
    load_key,
    read_password,
    save_key,
)
from oracle.proof import InvalidProof, MalformedProof, Proof, hex_word, parse_uint256

EXIT_INVALID = 1

vrf_app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="ECVRF oracle keys, proofs and verification (Chainlink VRF v2 compatible).",
)

_KEYSTORE_OPTION = typer.Option(DEFAULT_KEYSTORE, "--keystore", help="Web3 Secret Storage keystore file.")
_PASSWORD_FILE_OPTION = typer.Option(
    None,
    "--password-file",
    help="File whose first line is the keystore password (default: $FAIRSTAKE_ORACLE_PASSWORD).",
)


@vrf_app.command("keygen")
def keygen_command(keystore: Path = _KEYSTORE_OPTION, password_file: Path | None = _PASSWORD_FILE_OPTION) -> None:
    """Create a new oracle key in an encrypted keystore; print its public key and keyHash."""
    try:
        password = read_password(password_file)
        secret = generate_secret()
        save_key(secret, keystore, password)
    except KeystoreError as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    pk = ecvrf.public_key(secret)
    _emit(
        {
            "keystore": str(keystore),
            "pk": [hex_word(v) for v in pk],
            "keyHash": "0x" + ecvrf.key_hash(pk).hex(),
        }
    )


@vrf_app.command("prove")
def prove_command(
    seed: str = typer.Option(..., "--seed", help="The seed to prove: decimal or 0x-hex uint256."),
    keystore: Path = _KEYSTORE_OPTION,
    password_file: Path | None = _PASSWORD_FILE_OPTION,
) -> None:
    """Print the proof JSON for SEED under the keystore's key."""
    try:
        seed_value = parse_uint256(seed, "--seed")
        secret = load_key(keystore, read_password(password_file))
    except (MalformedProof, KeystoreError) as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    _emit(ecvrf.prove(secret, seed_value).to_json())


@vrf_app.command("verify")
def verify_command(
    proof_file: str = typer.Argument(..., metavar="PROOF.json", help="Proof JSON file, or - for stdin."),
    seed: str | None = typer.Option(None, "--seed", help="Also require the proof to be for this seed."),
) -> None:
    """Verify a proof as the on-chain verifier would; print its output (exit 1 if invalid)."""
    try:
        text = sys.stdin.read() if proof_file == "-" else Path(proof_file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {proof_file}: {getattr(exc, 'strerror', None) or exc}", EXIT_BAD_INPUT)
    try:
        document = json.loads(text)
    except ValueError as exc:
        fail(f"{proof_file} is not valid JSON: {exc}", EXIT_BAD_INPUT)
    try:
        proof = Proof.from_json(document)
        expected_seed = None if seed is None else parse_uint256(seed, "--seed")
    except MalformedProof as exc:
        fail(f"malformed proof: {exc}", EXIT_BAD_INPUT)
    try:
        output = ecvrf.verify(proof, expected_seed)
    except InvalidProof as exc:
        fail(f"invalid proof: {exc.reason}", EXIT_INVALID)
    _emit(
        {
            "valid": True,
            "output": hex_word(output),
            "seed": hex_word(proof.seed),
            "keyHash": "0x" + ecvrf.key_hash(proof.pk).hex(),
        }
    )


def _emit(document: dict[str, Any]) -> None:
    typer.echo(json.dumps(document, indent=2))
