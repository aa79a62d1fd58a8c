"""Amounts in whole tokens, for people: exact decimals, never floats."""

from __future__ import annotations


def token_units(amount: int, decimals: int) -> str:
    """`amount` base units as an exact decimal of whole tokens: 2185300000000000000000 wei -> "2,185.3"
    (no float, so a difference of one base unit still shows)."""
    whole, fraction = divmod(abs(amount), 10**decimals)
    text = f"{whole:,}" + ("." + str(fraction).rjust(decimals, "0").rstrip("0") if fraction else "")
    return f"-{text}" if amount < 0 else text
