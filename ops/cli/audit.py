"""`fairstake audit verify`: the auditor's chain-only re-verification."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from fairstake.manifest import DEFAULT_MANIFEST, ManifestError, load_manifest
from fairstake.units import token_units
from ops.cli import fail

audit_app = typer.Typer(no_args_is_help=True, help="Auditor tools that trust nothing but the chain.")


@audit_app.command("verify")
def verify_command(
    rpc: Annotated[
        str | None, typer.Option("--rpc", help="JSON-RPC URL of any node of the chain (default: the manifest's).")
    ] = None,
    deployment: Annotated[Path, typer.Option("--deployment", help="Deployment manifest (JSON).")] = DEFAULT_MANIFEST,
    from_block: Annotated[
        int | None, typer.Option("--from-block", min=0, help="First block (default: deployment block).")
    ] = None,
    to_block: Annotated[int | None, typer.Option("--to-block", min=0, help="Last block (default: latest).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON object.")] = False,
) -> None:
    """Re-verify every randomness proof and recompute every outcome and payout from the chain
    alone. Exit 0 when everything matches, 1 on any mismatch, 2 on unusable input."""
    from web3 import Web3

    from ops.auditor import run_audit

    try:
        manifest = load_manifest(deployment)
    except ManifestError as exc:
        fail(str(exc))
    rpc = rpc or manifest.rpc_url
    if not rpc:
        fail(f"{deployment} names no RPC URL: pass --rpc")
    w3 = Web3(Web3.HTTPProvider(rpc, request_kwargs={"timeout": 30}))
    try:
        chain_id = int(w3.eth.chain_id)
    except Exception as exc:  # noqa: BLE001 - any transport failure is "cannot reach the node"
        fail(f"cannot reach {rpc}: {exc}")
    if chain_id != manifest.chain_id:
        fail(f"{rpc} is chain {chain_id}, the manifest is for chain {manifest.chain_id}")
    if from_block is not None and to_block is not None and from_block > to_block:
        fail("--from-block is after --to-block")
    report = run_audit(w3, manifest, from_block, to_block)
    if as_json:
        typer.echo(json.dumps(report.as_dict()))
    else:
        typer.echo(f"blocks {report.from_block}..{report.to_block}")
        typer.echo(
            f"randomness requests: {report.requests}, proofs re-verified: {report.proofs_checked}, "
            f"expired: {report.expired}"
        )
        for game, tally in sorted(report.games.items()):
            rtp = ", ".join(f"{token} {value:.4f}" for token, value in sorted(tally.rtp().items())) or "-"
            typer.echo(f"{game}: {tally.bets} bets checked, RTP {rtp}")  # Jackpot: one bet per ticket purchase
        for bond in (b for _, b in sorted(report.bonds.items())):
            symbol, decimals = next(
                ((t, k.decimals) for t, k in manifest.tokens.items() if k.address.lower() == bond.token.lower()),
                (bond.token, 0),
            )

            def units(amount: int, symbol: str = symbol, decimals: int = decimals) -> str:
                return f"{token_units(amount, decimals)} {symbol}"

            agrees = {True: ", agrees with the coordinator", False: ", DIFFERS from the coordinator", None: ""}
            typer.echo(
                f"bond {bond.key_hash[:10]}… {symbol}: total {units(bond.total)} (deposited {units(bond.deposited)} "
                f"- withdrawn {units(bond.withdrawn)} - slashed {units(bond.slashed)}), reserved "
                f"{units(bond.reserved)} by {bond.open_reservations} open requests, unbonding "
                f"{units(bond.unbonding)}, free {units(bond.free)}; {bond.reservations} reservations, "
                f"{bond.released} released, {bond.slashes} slashed{agrees[bond.matches_chain]}"
            )
        for row in report.solvency:
            typer.echo(row.line())
        typer.echo(f"mismatches: {len(report.mismatches)}")
        for m in report.mismatches:
            typer.echo(f"  MISMATCH {m.kind} {m.ref}: {m.detail}")
    raise typer.Exit(0 if report.ok else 1)
