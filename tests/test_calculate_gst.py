"""calculate() in other tax schemes than VAT: the same arithmetic over each scheme's
categories (PINT A-NZ and SG for GST), and breakdown groups of a second scheme kept as
given (PINT MY's tourism tax). Hand-computed figures; the rules cited are the packs'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from peppol_ubl.arithmetic import CATEGORIES, GST_CATEGORIES, TAX_SCHEMES
from peppol_ubl.calculation import calculate, vat_key
from peppol_ubl.errors import CalculationError
from peppol_ubl.model import Invoice

D = Decimal


def _invoice(scheme: str | None, items: list[dict[str, Any]], **extra: Any) -> Invoice:
    header = {"currency": "AUD", **({"tax_scheme": scheme} if scheme else {})}
    return Invoice.model_validate({"header": header, "buyer": {"name": "B"}, "items": items, **extra})


def _line(price: int, category: str, rate: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"name": "x", "price": price, "quantity": 1, "tax_category": category,
            **({"tax_rate": rate} if rate is not None else {}), **fields}


def test_the_vat_table_is_the_en_16931_one_and_gst_has_a_nz_and_singapore_codes() -> None:
    assert TAX_SCHEMES == {"VAT": CATEGORIES, "GST": GST_CATEGORIES}
    assert set(CATEGORIES) == {"S", "L", "M", "Z", "E", "AE", "K", "G", "O", "B"}
    # aligned-ibrp-cl-01-aunz and BR-CL-17/18-GST-SG list these, and they do not overlap
    assert set(GST_CATEGORIES) == {"S", "Z", "E", "G", "O", "SR", "SRCA-S", "SRCA-C", "ZR", "ES33", "ESN33",
                                   "DS", "OS", "NA", "NG", "SRRC", "SROVR-RS", "SROVR-LVG", "SRLVG"}


def test_an_australian_invoice_is_computed_as_in_vat() -> None:
    out = calculate(_invoice("GST", [_line(34900, "S", "10", quantity=4), _line(8950, "Z", "0", quantity=2),
                                     _line(12000, "E")]))
    groups = [(g.category_code, g.rate, g.taxable_amount, g.tax_amount, g.tax_scheme) for g in out.tax_breakdown or []]
    # 349.00 × 4 = 1396.00, GST 10 % = 139.60; 89.50 × 2 = 179.00 zero-rated; 120.00 input-taxed
    assert groups == [("S", D(10), 139600, 13960, None), ("Z", D(0), 17900, 0, None), ("E", D(0), 12000, 0, None)]
    assert out.totals is not None
    assert (out.totals.tax_exclusive_amount, out.totals.tax_amount, out.totals.payable_amount) == (169500, 13960, 183460)


def test_a_nz_asks_no_exemption_reason_where_en_16931_does() -> None:
    """PINT A-NZ and A-NZ BIS have no -10 rule for E, G and O; EN 16931 has BR-E-10."""
    assert calculate(_invoice("GST", [_line(1000, "E"), _line(1000, "G")])).tax_breakdown
    with pytest.raises(CalculationError) as raised:
        calculate(_invoice(None, [_line(1000, "E")]))
    assert raised.value.code == "PU-CALC-EXEMPTION-MISSING"


@pytest.mark.parametrize(("category", "rate", "code", "rule"), [
    ("S", "0", "PU-CALC-VAT-RATE", "aligned-ibrp-s-05-aunz"),
    ("O", "10", "PU-CALC-VAT-RATE", None),
    ("SR", None, "PU-CALC-VAT-RATE", None),                     # BR-48-GST-SG: a rate but for NG
    ("AE", "0", "PU-CALC-VAT-CATEGORY-UNKNOWN", None),          # not a GST code
])
def test_gst_categories_keep_their_own_rules(category: str, rate: str | None, code: str, rule: str | None) -> None:
    with pytest.raises(CalculationError) as raised:
        vat_key(category, None if rate is None else D(rate), "items[0]", scheme="GST")
    assert (raised.value.code, raised.value.path.split(".")[0]) == (code, "items[0]")
    assert rule is None or rule in str(raised.value)


def test_singapore_categories_have_a_rate_but_ng() -> None:
    assert vat_key("SR", D(9), "items[0]", scheme="GST") == ("SR", D(9))
    assert vat_key("ZR", D(0), "items[0]", scheme="GST") == ("ZR", D(0))
    assert vat_key("NG", None, "items[0]", scheme="GST") == ("NG", None)
    out = calculate(_invoice("GST", [_line(97000, "SR", "9")]))
    assert [(g.taxable_amount, g.tax_amount) for g in out.tax_breakdown or []] == [(97000, 8730)]


def test_a_scheme_without_categories_is_an_error() -> None:
    with pytest.raises(CalculationError) as raised:
        calculate(_invoice("AAL", [_line(1000, "TTX")]))
    assert (raised.value.code, raised.value.path) == ("PU-CALC-TAX-SCHEME-UNKNOWN", "header.tax_scheme")


def test_a_group_of_another_scheme_is_kept_as_given_and_counts_in_the_tax_total() -> None:
    """PINT MY: the sales tax (VAT; S 6 % here, MY's own codes are not in the VAT table)
    computed from the line; the tourism tax (AAL, TTX, 10.00
    a night for 2 nights) is not a rate of the line and is kept."""
    tourism = {"tax_scheme": "AAL", "category_code": "TTX", "taxable_amount": 20000, "tax_amount": 2000}
    out = calculate(_invoice(None, [_line(20000, "S", "6")],
                             tax_breakdown=[tourism]))
    assert [(g.tax_scheme, g.category_code, g.taxable_amount, g.tax_amount) for g in out.tax_breakdown or []] == [
        (None, "S", 20000, 1200), ("AAL", "TTX", 20000, 2000)]
    assert out.totals is not None and (out.totals.tax_amount, out.totals.tax_inclusive_amount) == (3200, 23200)


def test_a_group_of_another_scheme_needs_its_amounts() -> None:
    with pytest.raises(CalculationError) as raised:
        calculate(_invoice(None, [_line(20000, "S", "6")],
                           tax_breakdown=[{"tax_scheme": "AAL", "category_code": "TTX", "taxable_amount": 20000}]))
    assert (raised.value.code, raised.value.path) == ("PU-CALC-TAX-GROUP-AMOUNT", "tax_breakdown[0].tax_amount")
