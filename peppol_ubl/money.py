"""Money: integer cents inside, decimal strings at the edges.

Every amount of the model is an ``int`` number of cents (1/100 of the currency unit,
as in the JSON contract). This module owns the two conversions and the single rounding
rule of the library: half away from zero, to whole cents (EN 16931 calculation chapter:
amounts are rounded to two decimals; the direction for the half case is ours, stated
once here).

Cents fit a signed 64-bit integer (``MAX_CENTS``, so every amount is below
92,233,720,368,547,758.08 in size, as in the databases and languages the numbers travel
to), and an amount is converted only when that is exact: at most 28 significant digits
in cents (``Decimal``'s default precision; more would be rounded twice). Anything else
raises :class:`AmountRangeError`. The conversions use a context of their own, never the
caller's ``decimal`` context.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, Inexact, InvalidOperation, Overflow, Underflow

__all__ = [
    "MAX_CENTS", "SIGNIFICANT_DIGITS", "AmountRangeError", "cents_from_decimal", "format_cents",
    "parse_amount", "round_half_away",
]

MAX_CENTS = 2**63 - 1
"""The largest number of cents (a signed 64-bit integer); ``-MAX_CENTS`` the smallest."""
SIGNIFICANT_DIGITS = 28
"""The most significant digits an amount in cents may have to be rounded exactly."""

_ONE = Decimal(1)
_HALF_BEYOND = Decimal(MAX_CENTS) + Decimal("0.5")
"""The smallest size of a number of cents that rounds beyond ``MAX_CENTS``."""
_AMOUNT_BEYOND = _HALF_BEYOND.scaleb(-2)
_EXACT = Context(prec=SIGNIFICANT_DIGITS, traps=[Inexact, InvalidOperation, Overflow, Underflow])
_ROUNDING = Context(prec=SIGNIFICANT_DIGITS, rounding=ROUND_HALF_UP, traps=[InvalidOperation])


class AmountRangeError(ValueError):
    """An amount whose cents do not fit a signed 64-bit integer, or that cannot be
    rounded to cents exactly (more than 28 significant digits)."""


def round_half_away(value: Decimal) -> int:
    """Round a number of cents to a whole number of cents, half away from zero.

    ``Decimal.quantize`` with ``ROUND_HALF_UP`` rounds ties away from zero for both
    signs (-2.5 -> -3), which is exactly the rule we want. Raises
    :class:`AmountRangeError` when the result would not fit in ``MAX_CENTS``.
    """
    if not value.is_finite() or value.copy_abs() >= _HALF_BEYOND:
        raise AmountRangeError(f"{_short(value)} cents do not fit a signed 64-bit integer "
                               f"(at most {MAX_CENTS})")
    return int(value.quantize(_ONE, context=_ROUNDING))


def cents_from_decimal(value: Decimal) -> int:
    """Convert an amount in currency units to cents, rounding half away from zero.

    Raises :class:`AmountRangeError` when the cents would not fit a signed 64-bit integer
    or the amount has more significant digits than can be rounded exactly.
    """
    if not value.is_finite():
        raise AmountRangeError(f"{value} is not an amount")
    if value.copy_abs() >= _AMOUNT_BEYOND:
        raise AmountRangeError(f"the amount {_short(value)} does not fit: its cents must fit a "
                               f"signed 64-bit integer (at most ±{format_cents(MAX_CENTS)})")
    try:
        cents = value.scaleb(2, context=_EXACT)
    except (Inexact, InvalidOperation, Overflow, Underflow):
        raise AmountRangeError(f"the amount {_short(value)} has more significant digits than "
                               f"can be rounded to cents exactly ({SIGNIFICANT_DIGITS})") from None
    return round_half_away(cents)


def _short(value: Decimal) -> str:
    """A number for messages, shortened: never a million digits."""
    text = str(value)
    return text if len(text) <= 40 else f"{text[:20]}…{text[-8:]} ({len(text)} characters)"


def format_cents(cents: int) -> str:
    """Format cents as a UBL amount with exactly two decimals: 1234 -> '12.34'."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole}.{frac:02d}"


_NUMBER_CHARACTERS = frozenset("0123456789.-+")


def parse_amount(text: str) -> Decimal:
    """Parse a UBL amount (``100``, ``-3.00``, `` 12.5 ``) into an exact Decimal.

    Raises ``ValueError`` for anything that is not a plain finite decimal number.
    """
    stripped = text.strip()
    if not stripped or not _NUMBER_CHARACTERS.issuperset(stripped):
        raise ValueError(f"not a decimal amount: {text!r}")
    try:
        value = Decimal(stripped)
    except InvalidOperation as exc:
        raise ValueError(f"not a decimal amount: {text!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not a decimal amount: {text!r}")
    return value
