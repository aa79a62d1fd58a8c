"""The chain-only auditor: re-verify every randomness proof and recompute every outcome and
payout from the chain alone (events, block hashes) and the deployment manifest's addresses and
ABIs; no indexer and no operator data. It ends with the Vault's reserves per token (solvency).

This package only reads: the facts come from events (reader: randomness and bonds; audits: the
games', each named by its game's module in ops.auditor.games) and the verdicts from the audit
policy (fairstake.audit, oracle.audit), the same policy the audit API applies to the indexed rows.
"""

from __future__ import annotations

from web3 import Web3

from fairstake.games import GAMES, by_name, part
from fairstake.manifest import Manifest
from ops.auditor.audits import GameAudit
from ops.auditor.reader import AuditReport, ChainReader, audit_bonds, audit_randomness
from ops.auditor.solvency import audit_solvency

__all__ = ["AuditReport", "run_audit"]


def game_audit(name: str) -> GameAudit:
    """The chain-only audit of the registered game `name`: AUDIT of ops.auditor.games.<name>."""
    found: GameAudit = part(by_name(name), "ops.auditor.games", "AUDIT")
    return found


def run_audit(w3: Web3, manifest: Manifest, from_block: int | None = None, to_block: int | None = None) -> AuditReport:
    start = manifest.deployment_block if from_block is None else from_block
    end = int(w3.eth.block_number) if to_block is None else to_block
    reader = ChainReader(w3, manifest, start, end)
    report = AuditReport(start, end)
    verified = audit_randomness(reader, report)
    audit_bonds(reader, report)
    for game in GAMES:
        game_audit(game.name)(reader, report, verified)
    audit_solvency(reader, report)
    return report
