"""Proof of reserves from the chain alone: for every token of the manifest, what the Vault holds
at the audited block against everything it owes (players' free balances, locks and pools,
the bankroll, pending bankroll deposits, accrued fees), read from the Vault's own views at that
block. The Vault's invariant (contracts/vault/Vault.sol) is balance >= liabilities; an audit
that finds less fails."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fairstake.manifest import ETH
from fairstake.units import token_units
from ops.auditor.reader import AuditReport, ChainReader, attributes

# the ERC-20 balanceOf, enough ABI for any token the Vault may hold
_BALANCE_OF_ABI = [
    {
        "name": "balanceOf",
        "type": "function",
        "stateMutability": "view",
        "inputs": [{"name": "owner", "type": "address"}],
        "outputs": [{"name": "", "type": "uint256"}],
    }
]


@dataclass(frozen=True)
class Solvency:
    """One token's reserves at the audited block, in base units."""

    symbol: str
    token: str
    decimals: int
    balance: int
    free: int
    locked: int
    bankroll: int
    pending: int
    fees: int

    @property
    def liabilities(self) -> int:
        return self.free + self.locked + self.bankroll + self.pending + self.fees

    @property
    def solvent(self) -> bool:
        return self.balance >= self.liabilities

    def units(self, amount: int) -> str:
        return f"{token_units(amount, self.decimals)} {self.symbol}"

    def line(self) -> str:
        """The report's line, in token units."""
        verdict = "OK" if self.solvent else "NOT SOLVENT"
        return (
            f"solvency {self.symbol}: the Vault holds {self.units(self.balance)} >= liabilities "
            f"{self.units(self.liabilities)} (free {self.units(self.free)}, locked {self.units(self.locked)}, "
            f"bankroll {self.units(self.bankroll)}, pending deposits {self.units(self.pending)}, "
            f"fees {self.units(self.fees)}): {verdict}"
        )

    @property
    def surplus(self) -> int:
        return self.balance - self.liabilities

    def as_dict(self) -> dict[str, Any]:
        return attributes(
            self, "symbol token decimals balance liabilities free locked bankroll pending fees surplus solvent"
        )


def audit_solvency(reader: ChainReader, report: AuditReport) -> None:
    """Each manifest token's reserves at the last audited block; a shortfall is a mismatch."""
    if not reader.has("Vault"):
        return
    vault = reader.contract("Vault")
    block = reader.to_block
    for symbol, token in sorted(reader.manifest.tokens.items()):
        address = reader.w3.to_checksum_address(token.address)

        def view(name: str, address: str = address) -> int:
            return int(getattr(vault.functions, name)(address).call(block_identifier=block))

        if token.address.lower() == ETH:
            balance = int(reader.w3.eth.get_balance(vault.address, block_identifier=block))
        else:
            erc20 = reader.w3.eth.contract(address=address, abi=_BALANCE_OF_ABI)
            balance = int(erc20.functions.balanceOf(vault.address).call(block_identifier=block))
        pending_assets = vault.functions.bankrollPending(address).call(block_identifier=block)[0]
        row = Solvency(
            symbol=symbol,
            token=token.address,
            decimals=token.decimals,
            balance=balance,
            free=view("freeBalanceTotal"),
            locked=view("lockedTotal"),
            bankroll=view("bankrollAssets"),
            pending=int(pending_assets),
            fees=view("accruedFees"),
        )
        report.solvency.append(row)
        if not row.solvent:
            owes = f"the Vault holds {row.units(row.balance)}, owes {row.units(row.liabilities)}"
            report.flag("solvency", symbol, owes)
