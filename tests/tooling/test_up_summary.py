"""The `up` summary speaks in token units: the solvency lines read "2,185.3 ETH", not wei, and
stay exact to the last base unit (no float rounding hides a one-wei shortfall)."""

from __future__ import annotations

import pytest

from fairstake.manifest import ETH, Manifest, Token
from fairstake.units import token_units
from ops.simulation import solvency_lines

USDS = "0x5FbDB2315678afecb367f032d93F642f64180aa3"


@pytest.mark.parametrize(
    ("amount", "decimals", "expected"),
    [
        (2_185_300_000_000_000_000_000, 18, "2,185.3"),
        (1, 18, "0.000000000000000001"),
        (2_185_300_000_000_000_000_001, 18, "2,185.300000000000000001"),
        (5_000_000_000_000, 6, "5,000,000"),
        (1_234_567, 6, "1.234567"),
        (0, 6, "0"),
        (-1_500_000, 6, "-1.5"),
        (42, 0, "42"),
    ],
)
def test_token_units_are_exact(amount: int, decimals: int, expected: str) -> None:
    assert token_units(amount, decimals) == expected


def test_solvency_lines_name_the_token_and_its_units() -> None:
    manifest = Manifest(
        chain_id=1337,
        rpc_url="",
        deployment_block=0,
        tokens={"ETH": Token("ETH", ETH, 18), "USDS": Token("USDS", USDS, 6)},
    )
    solvency = {
        "tokens": [
            {
                "token": ETH,
                "symbol": "ETH",
                "balance": "2185300000000000000000",
                "liabilities": "2185300000000000000000",
                "solvent": True,
            },
            {
                "token": USDS.lower(),
                "symbol": "USDS",
                "balance": "5000000000000",
                "liabilities": "5000000000001",
                "solvent": False,
            },
            {"token": "0x" + "ab" * 20, "symbol": None, "balance": None, "liabilities": "7", "solvent": None},
        ]
    }
    assert solvency_lines(solvency, manifest) == [
        "  solvency ETH: balance 2,185.3 ETH >= liabilities 2,185.3 ETH: OK",
        "  solvency USDS: balance 5,000,000 USDS >= liabilities 5,000,000.000001 USDS: NOT SOLVENT",
        f"  solvency 0x{'ab' * 20}: balance unknown >= liabilities 7 0x{'ab' * 20}: NOT SOLVENT",
    ]
