"""Money as the platform shows it: 元 with two decimals ("1400.00"), on pages and in files alike."""

from __future__ import annotations

from decimal import Decimal

CENT = Decimal("0.01")


def as_yuan(amount: Decimal | int | None) -> str:
    """`amount` in 元 with exactly two decimals; a sum over no rows (None) is 0.00. A database sum
    may come back as 1750 or 1750.5 (SQLite sums decimals as floats), never as the page should read."""
    return f"{Decimal(amount or 0).quantize(CENT):.2f}"
