"""Hypothesis strategies for the arithmetic: the shared ``invoices()`` strategy, re-cut.

``invoices(vat_groups)`` draws a valid domestic invoice or credit note from
:func:`peppol_ubl.testing.strategies.invoices` (prices, quantities — negative ones too —,
base quantities, line and document allowances and charges, percentages with and without
a base) and then puts its lines and document allowances/charges into one to three of
``vat_groups``, and sometimes gives exact sub-cent unit prices, a prepaid amount and a
rounding amount. ``VAT_GROUPS`` keeps documents valid (S, Z, E); ``ALL_VAT_GROUPS`` adds
L, M, AE, K, G and O for the arithmetic (a valid document would need more party data).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from peppol_ubl.model import Invoice
from peppol_ubl.money import cents_from_decimal
from peppol_ubl.testing import strategies as shared

__all__ = ["ALL_VAT_GROUPS", "VAT_GROUPS", "invoices"]

VAT_GROUPS: list[dict[str, Any]] = [
    {"tax_category": "S", "tax_rate": Decimal("25")},
    {"tax_category": "S", "tax_rate": Decimal("21")},
    {"tax_category": "S", "tax_rate": Decimal("12.5")},
    {"tax_category": "S", "tax_rate": Decimal("6")},
    {"tax_category": "Z", "tax_rate": Decimal("0")},
    {"tax_category": "E", "tax_rate": Decimal("0"), "tax_exemption_reason": "Exempt"},
]

ALL_VAT_GROUPS: list[dict[str, Any]] = [
    *VAT_GROUPS,
    {"tax_category": "L", "tax_rate": Decimal("7")},
    {"tax_category": "M", "tax_rate": Decimal("4.5")},
    {"tax_category": "AE", "tax_exemption_reason_code": "VATEX-EU-AE"},
    {"tax_category": "K", "tax_exemption_reason_code": "VATEX-EU-IC"},
    {"tax_category": "G", "tax_exemption_reason_code": "VATEX-EU-G"},
    {"tax_category": "O", "tax_exemption_reason_code": "VATEX-EU-O"},
]
"""Every VAT category (for the arithmetic; a valid document needs more party data)."""

_TAX_FIELDS = ("tax_category", "tax_rate", "tax_exemption_reason", "tax_exemption_reason_code")


def _regroup(entry: dict[str, Any], group: dict[str, Any]) -> dict[str, Any]:
    kept = {key: value for key, value in entry.items() if key not in _TAX_FIELDS}
    return {**kept, **group}


@st.composite
def invoices(draw: st.DrawFn, vat_groups: list[dict[str, Any]] = VAT_GROUPS) -> Invoice:
    """A writable invoice or credit note with ``calculate_totals`` set, its lines and
    document allowances/charges in one to three of ``vat_groups``."""
    data = draw(shared.invoices(scenarios=["domestic"], max_lines=6)).model_dump(exclude_none=True)
    groups = draw(st.lists(st.sampled_from(vat_groups), min_size=1, max_size=3,
                           unique_by=lambda g: (g["tax_category"], g.get("tax_rate"))))
    choose = st.sampled_from(groups)
    data["items"] = [_regroup(item, draw(choose)) for item in data["items"]]
    for item in data["items"]:
        if draw(st.integers(min_value=0, max_value=4)) == 0:  # an exact sub-cent unit price
            exact = draw(st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=4))
            item.update(price=cents_from_decimal(exact), price_amount=exact)
    for key in ("allowances", "charges"):
        if key in data:
            data[key] = [_regroup(entry, draw(choose)) for entry in data[key]]
    totals: dict[str, Any] = {}
    if draw(st.booleans()):
        totals["paid_amount"] = draw(st.integers(min_value=0, max_value=100_000))
    if draw(st.booleans()):
        totals["payable_rounding_amount"] = draw(st.integers(min_value=-99, max_value=99))
    data["totals"] = totals or None
    return Invoice.model_validate(data)
