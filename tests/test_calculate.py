"""calculate(): hand-computed table tests per step, then properties over generated invoices."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from peppol_ubl.calculation import (
    allowance_charge_amount,
    calculate,
    line_net_amount,
    vat_key,
)
from peppol_ubl.codes import CODES
from peppol_ubl.errors import CalculationError
from peppol_ubl.model import AllowanceCharge, Invoice, Item
from peppol_ubl.ubl import to_xml
from peppol_ubl.catalogue import get_ruleset
from peppol_ubl.validation.schematron import run_schematron

from official import official_cen
from strategies_calc import ALL_VAT_GROUPS, invoices

D = Decimal


def _invoice(items: list[dict[str, Any]], **extra: Any) -> Invoice:
    return Invoice.model_validate({"header": {"currency": "EUR"}, "buyer": {"name": "B"},
                                   "items": items, **extra})


def _item(**fields: Any) -> Item:
    return Item.model_validate({"name": "x", "tax_category": "S", "tax_rate": "25", **fields})


# --- step 1: line net amount BT-131 -------------------------------------------------------

@pytest.mark.parametrize(("price", "quantity", "base_quantity", "net"), [
    (1999, "3", None, 5997),            # 19.99 × 3
    (333, "1", "2", 167),               # 3.33 ÷ 2 = 1.665 -> 1.67 (half away from zero)
    (333, "-1", "2", -167),             # -1.665 -> -1.67
    (1, "0.5", None, 1),                # 0.005 -> 0.01
    (1, "-0.5", None, -1),              # -0.005 -> -0.01
    (1, "0.4999", None, 0),             # 0.004999 -> 0.00
    (1200, "5", "12", 500),             # 12.00 per 12 units, 5 units
    (1000, "1.005", None, 1005),
    (2500, "-4", None, -10000),         # a correction line
    (100, "1", "3", 33),                # 0.333… -> 0.33
    (200, "1", "3", 67),                # 0.666… -> 0.67
])
def test_line_gross_amount_rounding(price: int, quantity: str, base_quantity: str | None,
                                    net: int) -> None:
    item = _item(price=price, quantity=quantity, base_quantity=base_quantity)
    assert line_net_amount(item, "items[0]").line_extension_amount == net


def test_an_exact_sub_cent_price_is_used_instead_of_its_rounding() -> None:
    item = _item(price=35, price_amount="0.3492", quantity="1000")   # 349.20, not 350.00
    assert line_net_amount(item, "items[0]").line_extension_amount == 34920
    item = _item(price=0, price_amount="0.0049", quantity="-1")      # -0.0049 -> -0.00
    assert line_net_amount(item, "items[0]").line_extension_amount == 0


def test_line_allowances_and_charges_are_rounded_separately() -> None:
    # gross 59.97; 10 % allowance = 5.997 -> 6.00; charge 2.50; 1.5 % charge = 0.89955 -> 0.90
    item = _item(price=1999, quantity="3",
                 allowances=[{"percentage": "10"}],
                 charges=[{"amount": 250}, {"percentage": "1.5"}])
    out = line_net_amount(item, "items[0]")
    assert out.allowances is not None and out.charges is not None
    assert (out.allowances[0].amount, out.allowances[0].base_amount) == (600, 5997)
    assert (out.charges[1].amount, out.charges[1].base_amount) == (90, 5997)
    assert out.line_extension_amount == 5997 - 600 + 250 + 90


@pytest.mark.parametrize(("base", "percentage", "amount"), [
    (1000, "2.5", 25),
    (101, "0.5", 1),       # 0.505 -> 0.01
    (-101, "0.5", -1),     # -0.505 -> -0.01
    (100, "0.5", 1),       # 0.50 cent -> 1 cent
    (-100, "0.5", -1),
    (99, "0.5", 0),        # 0.495 cent -> 0
    (12345, "100", 12345),
])
def test_percentage_of_a_given_base(base: int, percentage: str, amount: int) -> None:
    entry = AllowanceCharge(percentage=D(percentage), base_amount=base)
    out = allowance_charge_amount(entry, 999_999, "items[0].allowances[0]")
    assert (out.amount, out.base_amount) == (amount, base)


def test_a_given_amount_within_r040_slack_is_kept_and_its_base_filled() -> None:
    entry = AllowanceCharge(amount=601, percentage=D(10))  # 10 % of 59.97 = 5.997
    assert allowance_charge_amount(entry, 5997, "p") == entry.model_copy(
        update={"base_amount": 5997})


@pytest.mark.parametrize(("fields", "path", "code"), [
    ({"base_quantity": "0"}, "items[0].base_quantity", "PU-CALC-BASE-QUANTITY"),
    ({"base_quantity": "-1"}, "items[0].base_quantity", "PU-CALC-BASE-QUANTITY"),
    ({"allowances": [{"reason": "r"}]}, "items[0].allowances[0].percentage", "PU-CALC-ALLOWANCE-AMOUNT"),
    ({"charges": [{"amount": 1}, {"base_amount": 100}]}, "items[0].charges[1].percentage",
     "PU-CALC-ALLOWANCE-AMOUNT"),
    ({"allowances": [{"amount": 1, "base_amount": 100}]}, "items[0].allowances[0].percentage",
     "PU-CALC-ALLOWANCE-BASE"),
    ({"allowances": [{"amount": 602, "percentage": "10"}]}, "items[0].allowances[0].amount",
     "PU-CALC-ALLOWANCE-MISMATCH"),
])
def test_impossible_line_arithmetic_names_the_field(fields: dict[str, Any], path: str, code: str) -> None:
    item = _item(price=1999, quantity="3", **fields)
    with pytest.raises(CalculationError) as raised:
        line_net_amount(item, "items[0]")
    assert (raised.value.path, raised.value.code) == (path, code)
    assert CODES[code].layer == "calculation"


def test_error_path_counts_lines_from_zero() -> None:
    lines = [{"name": "x", "price": 100, "quantity": 1, "tax_rate": "25"}] * 3
    lines.append({"name": "y", "price": 100, "quantity": 1, "tax_rate": "25",
                  "allowances": [{"reason": "no amount"}]})
    with pytest.raises(CalculationError) as raised:
        calculate(_invoice(lines))
    assert raised.value.path == "items[3].allowances[0].percentage"


# --- step 2: document allowances and charges BT-92/BT-99 ----------------------------------

def test_document_percentage_defaults_to_the_sum_of_line_net_amounts() -> None:
    out = calculate(_invoice(
        [{"name": "a", "price": 10000, "quantity": 1, "tax_rate": "25"},
         {"name": "b", "price": 5050, "quantity": 1, "tax_rate": "25"}],
        allowances=[{"percentage": "3"}],                      # 3 % of 150.50 = 4.515 -> 4.52
        charges=[{"percentage": "10", "base_amount": 1005}]))  # 10 % of 10.05 = 1.005 -> 1.01
    assert out.allowances is not None and out.charges is not None
    assert (out.allowances[0].amount, out.allowances[0].base_amount) == (452, 15050)
    assert (out.charges[0].amount, out.charges[0].base_amount) == (101, 1005)
    assert out.totals is not None
    assert (out.totals.allowance_total_amount, out.totals.charge_total_amount) == (452, 101)
    assert out.totals.tax_exclusive_amount == 15050 - 452 + 101


def test_document_allowance_without_vat_takes_the_single_line_group() -> None:
    out = calculate(_invoice([{"name": "a", "price": 1000, "quantity": 1, "tax_rate": "21"}],
                             allowances=[{"amount": 100}]))
    assert out.allowances is not None
    assert (out.allowances[0].tax_category, out.allowances[0].tax_rate) == ("S", D(21))


def test_document_allowance_without_vat_among_several_groups_is_an_error() -> None:
    invoice = _invoice([{"name": "a", "price": 1000, "quantity": 1, "tax_rate": "21"},
                        {"name": "b", "price": 1000, "quantity": 1, "tax_rate": "6"}],
                       charges=[{"amount": 100}])
    with pytest.raises(CalculationError) as raised:
        calculate(invoice)
    assert raised.value.path == "charges[0].tax_category"


# --- step 3: VAT categories and breakdown BG-23 ------------------------------------------

@pytest.mark.parametrize(("category", "rate", "key"), [
    (None, "19", ("S", D(19))),
    ("S", "7.5", ("S", D("7.5"))),
    ("Z", None, ("Z", D(0))),
    ("E", "0", ("E", D(0))),
    ("AE", None, ("AE", D(0))),
    ("O", None, ("O", None)),
    ("O", "0", ("O", None)),
    ("L", "0", ("L", D(0))),
])
def test_vat_key_defaults(category: str | None, rate: str | None,
                          key: tuple[str, Decimal | None]) -> None:
    assert vat_key(category, None if rate is None else D(rate), "items[0]") == key


@pytest.mark.parametrize(("category", "rate", "field"), [
    (None, None, "tax_category"),
    (None, "0", "tax_category"),
    ("S", None, "tax_rate"),
    ("S", "0", "tax_rate"),
    ("O", "5", "tax_rate"),
    ("Z", "5", "tax_rate"),
    ("M", None, "tax_rate"),
    ("X", "5", "tax_category"),
])
def test_vat_key_refusals(category: str | None, rate: str | None, field: str) -> None:
    with pytest.raises(CalculationError) as raised:
        vat_key(category, None if rate is None else D(rate), "items[2]")
    assert raised.value.path == f"items[2].{field}"


def test_breakdown_groups_by_category_and_rate_and_rounds_each_group_once() -> None:
    out = calculate(_invoice(
        [{"name": "a", "price": 1001, "quantity": 1, "tax_rate": "25"},    # 10.01
         {"name": "b", "price": 1001, "quantity": 1, "tax_rate": "25.0"},  # same group
         {"name": "c", "price": 10, "quantity": 1, "tax_rate": "25"},      # 0.10
         {"name": "d", "price": 2000, "quantity": 1, "tax_rate": "12.5"},
         {"name": "e", "price": 500, "quantity": 1, "tax_category": "Z"},
         {"name": "f", "price": 700, "quantity": 1, "tax_category": "E",
          "tax_exemption_reason_code": "VATEX-EU-132"}],
        allowances=[{"amount": 10, "tax_category": "S", "tax_rate": "12.5"}]))
    groups = [(g.category_code, g.rate, g.taxable_amount, g.tax_amount, g.exemption_reason_code)
              for g in out.tax_breakdown or []]
    assert groups == [
        ("S", D(25), 2012, 503, None),         # 20.12 × 25 % = 5.03
        ("S", D("12.5"), 1990, 249, None),     # 19.90 × 12.5 % = 2.4875 -> 2.49
        ("Z", D(0), 500, 0, None),
        ("E", D(0), 700, 0, "VATEX-EU-132"),
    ]
    assert out.totals is not None and out.totals.tax_amount == 752


@pytest.mark.parametrize(("price", "tax"), [(10, 3), (-10, -3), (30, 8), (-30, -8), (6, 2)])
def test_group_vat_rounds_half_away_from_zero(price: int, tax: int) -> None:
    # 0.10 × 25 % = 0.025 -> 0.03; 0.30 × 25 % = 0.075 -> 0.08; 0.06 × 25 % = 0.015 -> 0.02
    out = calculate(_invoice([{"name": "a", "price": abs(price), "quantity": 1 if price > 0
                               else -1, "tax_rate": "25"}]))
    assert out.tax_breakdown is not None and out.tax_breakdown[0].tax_amount == tax


def test_category_o_has_no_rate_and_no_vat() -> None:
    out = calculate(_invoice([{"name": "a", "price": 1000, "quantity": 2, "tax_category": "O",
                               "tax_exemption_reason": "Not subject to VAT"}]))
    assert out.tax_breakdown is not None
    group = out.tax_breakdown[0]
    assert (group.rate, group.taxable_amount, group.tax_amount) == (None, 2000, 0)
    assert out.items[0].tax_rate is None


@pytest.mark.parametrize("category", ["E", "AE", "K", "G", "O"])
def test_exempt_categories_need_a_reason(category: str) -> None:
    invoice = _invoice([{"name": "a", "price": 100, "quantity": 1, "tax_rate": "25"},
                        {"name": "b", "price": 100, "quantity": 1, "tax_category": category}])
    with pytest.raises(CalculationError) as raised:
        calculate(invoice)
    assert raised.value.path == "items[1].tax_exemption_reason"


@pytest.mark.parametrize(("category", "rate"), [("S", "25"), ("Z", "0"), ("L", "7"),
                                                ("M", "2")])
def test_taxed_categories_refuse_a_reason(category: str, rate: str) -> None:
    invoice = _invoice([{"name": "a", "price": 100, "quantity": 1, "tax_category": category,
                         "tax_rate": rate, "tax_exemption_reason_code": "VATEX-EU-79-C"}])
    with pytest.raises(CalculationError) as raised:
        calculate(invoice)
    assert raised.value.path == "items[0].tax_exemption_reason_code"


def test_reason_comes_from_the_given_breakdown_and_conflicts_are_refused() -> None:
    lines = [{"name": "a", "price": 100, "quantity": 1, "tax_category": "AE"}]
    given = [{"category_code": "AE", "exemption_reason_code": "VATEX-EU-AE"}]
    out = calculate(_invoice(lines, tax_breakdown=given))
    assert out.tax_breakdown is not None
    assert out.tax_breakdown[0].exemption_reason_code == "VATEX-EU-AE"
    lines.append({**lines[0], "tax_exemption_reason_code": "VATEX-EU-IC"})
    with pytest.raises(CalculationError) as raised:
        calculate(_invoice(lines, tax_breakdown=given))
    assert raised.value.path == "tax_breakdown[0].exemption_reason_code"


def test_a_bad_given_breakdown_entry_is_named_by_its_own_fields() -> None:
    lines = [{"name": "a", "price": 100, "quantity": 1, "tax_category": "E",
              "tax_exemption_reason": "Exempt"}]
    given = [{"category_code": "E", "rate": "5", "exemption_reason": "Exempt"}]
    with pytest.raises(CalculationError) as raised:
        calculate(_invoice(lines, tax_breakdown=given))
    assert raised.value.path == "tax_breakdown[0].rate"


# --- step 4: document totals BT-106 … BT-115 ---------------------------------------------

def test_totals_with_prepaid_and_rounding() -> None:
    out = calculate(_invoice(
        [{"name": "a", "price": 1999, "quantity": 3, "tax_rate": "25"}],
        header={"currency": "EUR", "rounding_amount": -1},
        totals={"paid_amount": 1000, "line_extension_amount": 1}))   # a stale input total
    assert out.totals is not None
    assert out.totals.model_dump(exclude_none=True) == {
        "line_extension_amount": 5997, "tax_exclusive_amount": 5997,
        "tax_amount": 1499,                                   # 14.9925 -> 14.99
        "tax_inclusive_amount": 7496, "paid_amount": 1000, "payable_rounding_amount": -1,
        "payable_amount": 7496 - 1000 - 1}


def test_a_credit_note_is_computed_like_an_invoice() -> None:
    out = calculate(_invoice(
        [{"name": "a", "price": 4999, "quantity": "2", "tax_rate": "21",
          "allowances": [{"percentage": "5"}]}],
        header={"currency": "EUR", "invoice_type_code": "381"}))
    assert out.is_credit_note and out.totals is not None
    assert out.items[0].line_extension_amount == 9998 - 500      # 5 % of 99.98 = 4.999
    assert (out.totals.tax_amount, out.totals.payable_amount) == (1995, 9498 + 1995)


def test_vat_currency_needs_the_converted_vat_total() -> None:
    lines = [{"name": "a", "price": 1000, "quantity": 1, "tax_rate": "25"}]
    header = {"currency": "EUR", "vat_currency": "SEK"}
    with pytest.raises(CalculationError) as raised:
        calculate(_invoice(lines, header=header))
    assert raised.value.path == "totals.tax_amount_in_vat_currency"
    with pytest.raises(CalculationError):
        calculate(_invoice(lines, header=header, totals={"tax_amount_in_vat_currency": -2900}))
    out = calculate(_invoice(lines, header=header, totals={"tax_amount_in_vat_currency": 2900}))
    assert out.totals is not None and out.totals.tax_amount_in_vat_currency == 2900


def test_calculate_is_pure_and_idempotent() -> None:
    invoice = _invoice([{"name": "a", "price": 1999, "quantity": 3, "tax_rate": "25",
                         "allowances": [{"percentage": "10"}]}])
    before = invoice.model_dump()
    once = calculate(invoice)
    assert invoice.model_dump() == before
    assert invoice.items[0].line_extension_amount is None
    assert calculate(once) == once


# --- properties ---------------------------------------------------------------------------

def _round(value: Fraction) -> int:
    """Independent oracle: half away from zero on exact fractions."""
    magnitude = int(abs(value) + Fraction(1, 2))
    return magnitude if value >= 0 else -magnitude


def _percent_of(base: int, percentage: Decimal) -> int:
    return _round(Fraction(base) * Fraction(percentage) / 100)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoices(ALL_VAT_GROUPS))
def test_property_every_identity_holds_exactly_in_cents(invoice: Invoice) -> None:
    out = calculate(invoice)
    assert out.totals is not None and out.tax_breakdown is not None
    for item in out.items:
        base_quantity = item.base_quantity or Decimal(1)
        price = Fraction(item.price) if item.price_amount is None else \
            Fraction(item.price_amount) * 100
        gross = _round(price * Fraction(item.quantity) / Fraction(base_quantity))
        entries = [*(item.allowances or []), *(item.charges or [])]
        for entry in entries:
            if entry.percentage is not None:
                assert entry.base_amount is not None and entry.amount is not None
                assert entry.amount == _percent_of(entry.base_amount, entry.percentage)
        assert item.line_extension_amount == (gross - sum(a.amount or 0 for a in item.allowances
                                                          or []) + sum(c.amount or 0 for c in
                                                                       item.charges or []))
    allowances, charges = out.allowances or [], out.charges or []
    totals = out.totals
    assert totals.line_extension_amount == sum(i.line_extension_amount or 0 for i in out.items)
    assert (totals.allowance_total_amount or 0) == sum(a.amount or 0 for a in allowances)
    assert (totals.charge_total_amount or 0) == sum(c.amount or 0 for c in charges)
    assert totals.tax_exclusive_amount == ((totals.line_extension_amount or 0)
                                           - (totals.allowance_total_amount or 0)
                                           + (totals.charge_total_amount or 0))
    assert totals.tax_amount == sum(g.tax_amount or 0 for g in out.tax_breakdown)
    assert totals.tax_inclusive_amount == (totals.tax_exclusive_amount or 0) + totals.tax_amount
    assert totals.payable_amount == ((totals.tax_inclusive_amount or 0)
                                     - (totals.paid_amount or 0)
                                     + (out.rounding_amount or 0))
    keys = [(g.category_code, g.rate) for g in out.tax_breakdown]
    assert len(keys) == len(set(keys))
    for group in out.tax_breakdown:
        def member(entry: Item | Any, group: Any = group) -> bool:
            return (entry.tax_category, entry.tax_rate) == (group.category_code, group.rate)
        assert group.taxable_amount == (
            sum(i.line_extension_amount or 0 for i in out.items if member(i))
            + sum(c.amount or 0 for c in charges if member(c))
            - sum(a.amount or 0 for a in allowances if member(a)))
        rate = group.rate or Decimal(0)
        assert group.tax_amount == _round(Fraction(group.taxable_amount or 0)
                                          * Fraction(rate) / 100)
    assert sum(g.taxable_amount or 0 for g in out.tax_breakdown) == totals.tax_exclusive_amount


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoices())
def test_property_built_xml_passes_the_official_cen_xslt_and_our_peppol_rules(
        invoice: Invoice) -> None:
    xml = to_xml(invoice)
    assert [f for f in official_cen(xml) if f[1] == "fatal"] == []
    ours = run_schematron(get_ruleset("peppol-bis-3@3.0.19"), xml)
    assert [(f.rule_id, f.location) for f in ours if f.severity == "fatal"] == []
