"""Building blocks shared by every part of the invoice contract.

The JSON contract (seed 002) is mirrored field by field. Conventions:

* amounts are ``int`` cents (:data:`Cents`); JSON floats are refused for amounts;
* quantities, rates and percentages are ``Decimal`` (a JSON ``12.345`` becomes exactly
  ``Decimal("12.345")``), never ``float``; they serialise as strings to stay exact;
* dates accept ``YYYY-MM-DD`` or an ISO date-time and serialise as ``YYYY-MM-DD``;
* unknown keys are refused, so a misspelt field name is an error, not silently dropped;
* models are immutable: the library's steps return new models.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict

__all__ = [
    "Cents",
    "ContractModel",
    "CountryCode",
    "CurrencyCode",
    "Date",
    "Email",
    "Percentage",
    "Quantity",
    "SignedPercentage",
    "TaxScheme",
    "Text",
    "UnitAmount",
    "VATEX_MAX_LENGTH",
    "text",
]

VATEX_MAX_LENGTH = 30
"""Max length of VAT exemption reason codes. The seed contract says 10, but real VATEX
codes are longer (``VATEX-EU-AE`` has 11 characters, ``VATEX-FR-298SEXDECIESA`` 22),
so the documented limit would forbid values EN 16931 requires; we allow 30."""


class ContractModel(BaseModel):
    """Base of every contract model: strict keys, immutable, exact numbers."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=False,
        allow_inf_nan=False,
        ser_json_inf_nan="strings",
    )


def _to_date(value: Any) -> Any:
    """Accept a date, a datetime, ``YYYY-MM-DD`` or an ISO date-time; keep the date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str) and len(value) > 10 and value[10] in "Tt ":
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
        except ValueError:
            return value  # let the date validator report it
    return value


Cents = Annotated[int, Strict()]
"""An amount in cents (1/100 of the currency unit)."""

Quantity = Annotated[Decimal, Field(allow_inf_nan=False)]
"""An exact decimal quantity (may be negative on corrections)."""

UnitAmount = Annotated[Decimal, Field(allow_inf_nan=False)]
"""An exact amount in currency units (not cents), for unit prices (BT-146 … BT-148),
which EN 16931 allows with more than two decimals."""

Percentage = Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False)]
"""A percentage or VAT rate, 0 to 100 inclusive."""

SignedPercentage = Annotated[Decimal, Field(ge=-100, le=100, allow_inf_nan=False)]
"""An allowance or charge percentage, -100 to 100 inclusive: a negative percentage of a
positive base is the negative amount of a corrective invoice (PINT A-NZ's negative
invoice examples write their allowances and charges so)."""

TaxScheme = Annotated[str, Field(min_length=1, max_length=10)]
"""A tax scheme code (``TaxScheme/ID``, UN/ECE 5153): ``VAT``, ``GST``, ``AAL`` …"""

Date = Annotated[dt.date, BeforeValidator(_to_date)]
"""A calendar date; date-times are accepted and reduced to their date."""

CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
"""ISO 3166-1 alpha-2 country code (two capital letters)."""

CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
"""ISO 4217 currency code (three capital letters)."""

Email = Annotated[str, Field(max_length=255, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
"""An e-mail address (one ``@``, a dotted domain, no spaces)."""

Text = str | None


def text(max_length: int | None = None) -> Any:
    """A ``Field`` for an optional string of at most ``max_length`` characters."""
    return Field(default=None, max_length=max_length)
