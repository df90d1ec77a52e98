"""Hypothesis strategies for invoices to calculate (a local stand-in until a shared
``peppol_ubl.testing.strategies`` exists).

``invoices()`` gives complete, writable contract invoices with ``calculate_totals`` set:
one to six lines with prices, quantities (negative ones too), base quantities, line
allowances and charges (fixed or percentage, with or without a base), document
allowances and charges, several VAT rates, prepaid and rounding amounts, invoices and
credit notes, exact sub-cent unit prices. By default the VAT categories are S, Z and E,
which need no other party data to be valid; ``ALL_VAT_GROUPS`` adds L, M, AE, K, G, O.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from peppol_ubl.model import Invoice
from peppol_ubl.money import cents_from_decimal

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

_BASE: dict[str, Any] = {
    "header": {"invoice_number": "PROP-1", "issue_date": "2026-11-02", "due_date": "2026-12-02",
               "currency": "EUR", "buyer_reference": "REF-1"},
    "seller": {"endpoint_id": {"scheme": "0208", "value": "0412345614"}, "name": "Seller NV",
               "company_id": {"scheme": "0208", "value": "0412345614"},
               "vat_number": "BE0412345614",
               "address": {"city": "Brussels", "postal_code": "1000", "country": "BE"}},
    "buyer": {"endpoint_id": {"scheme": "0088", "value": "5412345000006"}, "name": "Buyer BV",
              "address": {"city": "Antwerp", "postal_code": "2000", "country": "BE"}},
    "payment": {"terms": "Net 30 days"},
}

_quantities = st.decimals(min_value=Decimal("-500"), max_value=Decimal("5000"), places=3,
                          allow_nan=False, allow_infinity=False).filter(lambda q: q != 0)
_base_quantities = st.sampled_from([None, Decimal(1), Decimal(2), Decimal(3), Decimal(12),
                                    Decimal("0.5"), Decimal(100)])
_percentages = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50"), places=2,
                           allow_nan=False, allow_infinity=False)


@st.composite
def _allowance_charge(draw: st.DrawFn) -> dict[str, Any]:
    """A fixed amount, a percentage of the default base, or a percentage of a given base."""
    entry: dict[str, Any] = {"reason": "Adjustment"}
    kind = draw(st.sampled_from(["amount", "percentage", "percentage-of-base"]))
    if kind == "amount":
        entry["amount"] = draw(st.integers(min_value=1, max_value=50_000))
    else:
        entry["percentage"] = draw(_percentages)
        if kind == "percentage-of-base":
            entry["base_amount"] = draw(st.integers(min_value=1, max_value=5_000_000))
    return entry


@st.composite
def _line(draw: st.DrawFn, group: dict[str, Any]) -> dict[str, Any]:
    line: dict[str, Any] = {"name": "Item", "quantity": draw(_quantities), "unit_code": "C62",
                            **group}
    if draw(st.integers(min_value=0, max_value=4)) == 0:  # an exact sub-cent unit price
        exact = draw(st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=4))
        line.update(price=cents_from_decimal(exact), price_amount=exact)
    else:
        line["price"] = draw(st.integers(min_value=0, max_value=2_000_000))
    base_quantity = draw(_base_quantities)
    if base_quantity is not None:
        line["base_quantity"] = base_quantity
    line["allowances"] = draw(st.lists(_allowance_charge(), max_size=2)) or None
    line["charges"] = draw(st.lists(_allowance_charge(), max_size=1)) or None
    return line


@st.composite
def _document_level(draw: st.DrawFn, groups: list[dict[str, Any]]) -> dict[str, Any]:
    return {**draw(_allowance_charge()), **draw(st.sampled_from(groups))}


@st.composite
def invoices(draw: st.DrawFn, vat_groups: list[dict[str, Any]] = VAT_GROUPS) -> Invoice:
    """A writable invoice or credit note with ``calculate_totals`` set, its lines and
    document allowances/charges in one to three of ``vat_groups``."""
    groups = draw(st.lists(st.sampled_from(vat_groups), min_size=1, max_size=3,
                           unique_by=lambda g: (g["tax_category"], g.get("tax_rate"))))
    items = draw(st.lists(st.sampled_from(groups).flatmap(_line), min_size=1, max_size=6))
    data: dict[str, Any] = {**_BASE, "calculate_totals": True, "items": items}
    type_code = draw(st.sampled_from(["380", "381"]))
    data["header"] = {**_BASE["header"], "invoice_type_code": type_code}
    if type_code == "381":  # a credit note's due date would need payment means
        del data["header"]["due_date"]
    data["allowances"] = draw(st.lists(_document_level(groups), max_size=2)) or None
    data["charges"] = draw(st.lists(_document_level(groups), max_size=2)) or None
    totals: dict[str, Any] = {}
    if draw(st.booleans()):
        totals["paid_amount"] = draw(st.integers(min_value=0, max_value=100_000))
    if draw(st.booleans()):
        totals["payable_rounding_amount"] = draw(st.integers(min_value=-99, max_value=99))
    data["totals"] = totals or None
    return Invoice.model_validate(data)
