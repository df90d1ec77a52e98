"""Money: integer cents inside, decimal strings at the edges.

Every amount of the model is an ``int`` number of cents (1/100 of the currency unit,
as in the JSON contract). This module owns the two conversions and the single rounding
rule of the library: half away from zero, to whole cents (EN 16931 calculation chapter:
amounts are rounded to two decimals; the direction for the half case is ours, stated
once here).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = ["cents_from_decimal", "format_cents", "parse_amount", "round_half_away"]

_ONE = Decimal(1)
_HUNDRED = Decimal(100)


def round_half_away(value: Decimal) -> int:
    """Round a number of cents to a whole number of cents, half away from zero.

    ``Decimal.quantize`` with ``ROUND_HALF_UP`` rounds ties away from zero for both
    signs (-2.5 -> -3), which is exactly the rule we want.
    """
    return int(value.quantize(_ONE, rounding=ROUND_HALF_UP))


def cents_from_decimal(value: Decimal) -> int:
    """Convert an amount in currency units to cents, rounding half away from zero."""
    return round_half_away(value * _HUNDRED)


def format_cents(cents: int) -> str:
    """Format cents as a UBL amount with exactly two decimals: 1234 -> '12.34'."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole}.{frac:02d}"


def parse_amount(text: str) -> Decimal:
    """Parse a UBL amount (``100``, ``-3.00``, `` 12.5 ``) into an exact Decimal.

    Raises ``ValueError`` for anything that is not a plain finite decimal number.
    """
    stripped = text.strip()
    if not stripped or any(c not in "0123456789.-+" for c in stripped):
        raise ValueError(f"not a decimal amount: {text!r}")
    try:
        value = Decimal(stripped)
    except InvalidOperation as exc:
        raise ValueError(f"not a decimal amount: {text!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not a decimal amount: {text!r}")
    return value
