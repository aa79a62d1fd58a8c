"""`fairstake referee sign` and `fairstake attest sign`: EIP-712 signatures from an encrypted
keystore, printed as one JSON object ready to submit on chain.

Passwords never go on the command line (they would land in shell history and `ps`): they come
from FAIRSTAKE_REFEREE_PASSWORD / FAIRSTAKE_ATTESTOR_PASSWORD or from --password-file.
Bad input prints a one-line error and exits 2; nothing here prints a traceback.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from eth_account import Account

from fairstake import signing
from ops.cli import fail

REFEREE_PASSWORD_ENV = "FAIRSTAKE_REFEREE_PASSWORD"
ATTESTOR_PASSWORD_ENV = "FAIRSTAKE_ATTESTOR_PASSWORD"

referee_app = typer.Typer(no_args_is_help=True, help="Referee tools: sign skill-game results.")
attest_app = typer.Typer(no_args_is_help=True, help="KYC attestor tools: sign attestations.")

KeystoreOption = Annotated[
    Path, typer.Option("--keystore", help="Encrypted JSON keystore (geth / eth-account format).")
]
PasswordFileOption = Annotated[
    Path | None,
    typer.Option("--password-file", help="File whose first line is the keystore password (else the env var)."),
]


class CliError(Exception):
    """Input the command cannot use; the message is shown as is."""


def _password(env_var: str, password_file: Path | None) -> str:
    if password_file is not None:
        try:
            lines = password_file.read_text().splitlines()
        except OSError as exc:
            raise CliError(f"cannot read the password file {password_file}: {exc.strerror}") from None
        return lines[0] if lines else ""
    password = os.environ.get(env_var)
    if password is None:
        raise CliError(f"no password: set {env_var} or pass --password-file")
    return password


def load_key(keystore: Path, password: str) -> bytes:
    """Decrypt a keystore file; CliError on a missing file, bad JSON or a wrong password."""
    try:
        encrypted = json.loads(keystore.read_text())
    except OSError as exc:
        raise CliError(f"cannot read the keystore {keystore}: {exc.strerror}") from None
    except json.JSONDecodeError:
        raise CliError(f"{keystore} is not a JSON keystore") from None
    try:
        return bytes(Account.decrypt(encrypted, password))
    except ValueError as exc:
        raise CliError(f"cannot decrypt {keystore}: {exc}") from None
    except (KeyError, TypeError):
        raise CliError(f"{keystore} is not a valid keystore") from None


def _parse_addresses(text: str) -> list[str]:
    return [signing.checksum(part.strip()) for part in text.split(",") if part.strip()]


def _run(build: Callable[[], dict[str, Any]]) -> None:
    """Run a command body, turning expected input errors into a message and exit code 2."""
    try:
        typer.echo(json.dumps(build()))
    except (CliError, signing.SigningError) as exc:
        fail(str(exc))


@referee_app.command("sign")
def referee_sign(
    contract: Annotated[str, typer.Option("--contract", help="Match or Tournament contract address.")],
    chain_id: Annotated[int, typer.Option("--chain-id", min=0, help="Chain id the contract lives on.")],
    keystore: KeystoreOption,
    nonce: Annotated[int, typer.Option("--nonce", min=0, help="The game's current resultNonce.")] = 0,
    match_id: Annotated[int | None, typer.Option("--match-id", min=0, help="Sign a Match result.")] = None,
    tournament_id: Annotated[
        int | None, typer.Option("--tournament-id", min=0, help="Sign a Tournament result.")
    ] = None,
    ranking: Annotated[
        str | None,
        typer.Option("--ranking", help="Comma-separated addresses, first place first (tournaments: winners)."),
    ] = None,
    void: Annotated[bool, typer.Option("--void", help="Sign an empty ranking: void and refund.")] = False,
    password_file: PasswordFileOption = None,
) -> None:
    """Sign a Match or Tournament result (EIP-712) with the referee key; prints the signature JSON."""

    def build() -> dict[str, Any]:
        if (match_id is None) == (tournament_id is None):
            raise CliError("give exactly one of --match-id and --tournament-id")
        if void == (ranking is not None):
            raise CliError("give either --ranking or --void")
        players = [] if void else _parse_addresses(ranking or "")
        if not void and not players:
            raise CliError("--ranking lists no address (use --void to void the game)")
        if match_id is not None:
            typed = signing.match_result(contract, chain_id, match_id, nonce, players)
            game_field = {"matchId": match_id}
        else:
            assert tournament_id is not None
            typed = signing.tournament_result(contract, chain_id, tournament_id, nonce, players)
            game_field = {"tournamentId": tournament_id}
        key = load_key(keystore, _password(REFEREE_PASSWORD_ENV, password_file))
        signed = signing.sign(typed, key)
        return {
            "type": typed["primaryType"],
            "contract": typed["domain"]["verifyingContract"],
            "chainId": chain_id,
            **game_field,
            "nonce": nonce,
            "ranking": players,
            **signed.to_json(),
        }

    _run(build)


@attest_app.command("sign")
def attest_sign(
    registry: Annotated[str, typer.Option("--registry", help="PlayerRegistry contract address.")],
    chain_id: Annotated[int, typer.Option("--chain-id", min=0, help="Chain id the registry lives on.")],
    player: Annotated[str, typer.Option("--player", help="The verified player's address.")],
    level: Annotated[int, typer.Option("--level", min=0, max=255, help="KYC level attested.")],
    expiry: Annotated[int, typer.Option("--expiry", min=1, help="Unix time the attestation ends.")],
    jurisdiction: Annotated[
        str, typer.Option("--jurisdiction", help="Jurisdiction code, e.g. MT; only its hash goes on chain.")
    ],
    subject: Annotated[
        str,
        typer.Option(
            "--subject",
            help="The person's subject id (0x + 64 hex): a salted hash of the attestor's own reference to the "
            "person, the same for every wallet of that person (see fairstake.signing.subject_id).",
        ),
    ],
    keystore: KeystoreOption,
    nonce: Annotated[
        int | None,
        typer.Option("--nonce", min=1, help="Must exceed the player's last accepted nonce (default: now)."),
    ] = None,
    password_file: PasswordFileOption = None,
) -> None:
    """Sign a KYC attestation (EIP-712) with the attestor key; prints the signature JSON, including
    the `attestation` tuple to pass to PlayerRegistry.attest. It is dated now (`issuedAt`, this
    machine's clock): the registry refuses it if the player's KYC was revoked at or after that
    second, or if the chain's clock has not reached it yet."""

    def build() -> dict[str, Any]:
        now = int(time.time())
        if expiry <= now:
            raise CliError(f"--expiry {expiry} is in the past")
        chosen_nonce = nonce if nonce is not None else now
        if chosen_nonce > signing.UINT64_MAX or expiry > signing.UINT64_MAX:
            raise CliError("--nonce and --expiry must fit in uint64")
        jurisdiction_hash = signing.jurisdiction_hash(jurisdiction)
        try:
            subject_bytes = bytes.fromhex(subject.removeprefix("0x"))
        except ValueError as exc:
            raise CliError(f"--subject {subject!r} is not hex") from exc
        try:
            typed = signing.kyc_attestation(
                registry, chain_id, player, level, expiry, jurisdiction_hash, chosen_nonce, now, subject_bytes
            )
        except signing.SigningError as exc:
            raise CliError(str(exc)) from exc
        key = load_key(keystore, _password(ATTESTOR_PASSWORD_ENV, password_file))
        signed = signing.sign(typed, key)
        checksummed = signing.checksum(player)
        return {
            "type": "KycAttestation",
            "registry": typed["domain"]["verifyingContract"],
            "chainId": chain_id,
            "attestation": [
                checksummed,
                level,
                expiry,
                "0x" + jurisdiction_hash.hex(),
                chosen_nonce,
                now,
                "0x" + subject_bytes.hex(),
            ],
            "jurisdiction": jurisdiction.strip().upper(),
            **signed.to_json(),
        }

    _run(build)
