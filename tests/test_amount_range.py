"""Amounts that cents cannot hold: beyond a signed 64-bit integer, or more significant
digits than can be rounded exactly. validate reports them, parse_report refuses them with
the element's XPath, pre-flight answers 412, and nothing raises decimal's exceptions."""

from __future__ import annotations

import re
from decimal import Decimal, localcontext
from pathlib import Path

import pytest
from shared import EXAMPLES

from peppol_ubl.errors import ParseError
from peppol_ubl.model import Invoice
from peppol_ubl.money import MAX_CENTS, AmountRangeError, cents_from_decimal, round_half_away
from peppol_ubl.sending import preflight
from peppol_ubl.ubl.reader import parse_report
from peppol_ubl.validation.api import validate

BASE = EXAMPLES / "peppol" / "examples" / "base-example.xml"
STANDARD = Path(__file__).resolve().parents[1] / "fixtures" / "invoices" / "standard-several-rates.json"
PAYABLE = "/*:Invoice[1]/*:LegalMonetaryTotal[1]/*:PayableAmount[1]"
LARGEST = "92233720368547758.07"  # MAX_CENTS / 100
SMALLEST_REFUSED = "92233720368547758.08"


def with_payable(text: str) -> bytes:
    data = BASE.read_bytes()
    changed = re.sub(rb'(<cbc:PayableAmount currencyID="EUR">)[^<]*', b"\\g<1>" + text.encode(), data)
    assert changed != data
    return changed


def test_the_largest_amount_is_a_signed_64_bit_number_of_cents() -> None:
    assert MAX_CENTS == 2**63 - 1
    assert cents_from_decimal(Decimal(LARGEST)) == MAX_CENTS
    assert cents_from_decimal(Decimal("-" + LARGEST)) == -MAX_CENTS


@pytest.mark.parametrize("text", [SMALLEST_REFUSED, "-" + SMALLEST_REFUSED, "92233720368547758.075",
                                  "1" + "0" * 30, "1" + "0" * 1_000])
def test_amounts_whose_cents_do_not_fit_are_refused(text: str) -> None:
    with pytest.raises(AmountRangeError, match="64-bit"):
        cents_from_decimal(Decimal(text))


def test_digits_that_cannot_be_rounded_exactly_are_refused() -> None:
    # 0.0049999…9 rounds to 0 cents; rounded to 28 digits first it would become 0.005 and 1 cent
    with pytest.raises(AmountRangeError, match="significant digits"):
        cents_from_decimal(Decimal("0.00" + "4" + "9" * 30))
    assert cents_from_decimal(Decimal("0.00" + "4" + "9" * 25)) == 0
    assert cents_from_decimal(Decimal("1." + "0" * 40)) == 100  # trailing zeros are exact


def test_rounding_does_not_depend_on_the_callers_decimal_context() -> None:
    with localcontext() as context:
        context.prec = 3
        assert round_half_away(Decimal("123456.5")) == 123457
        assert cents_from_decimal(Decimal("98765.435")) == 9876544
    with pytest.raises(AmountRangeError):
        round_half_away(Decimal(MAX_CENTS) + Decimal("0.5"))
    assert round_half_away(Decimal(MAX_CENTS) + Decimal("0.49")) == MAX_CENTS


@pytest.mark.parametrize("text", [SMALLEST_REFUSED, "1" + "0" * 30, "0.00" + "4" + "9" * 30])
def test_validate_reports_the_element(text: str) -> None:
    report = validate(with_payable(text), ruleset="en16931@1.3.16")
    assert not report.ok
    ranged = [f for f in report.findings if f.rule_id == "PU-TOTALS-RANGE"]
    assert [(f.severity, f.layer, f.location) for f in ranged] == [("fatal", "totals", PAYABLE)]
    assert "PayableAmount" in ranged[0].message
    assert len(ranged[0].message) < 400  # the value is shortened, never quoted whole


def test_the_largest_amount_is_read_and_checked() -> None:
    report = validate(with_payable(LARGEST), ruleset="en16931@1.3.16", rules=False)
    assert "PU-TOTALS-RANGE" not in {f.rule_id for f in report.findings}
    assert "BR-CO-16" in {f.rule_id for f in report.findings}
    assert parse_report(with_payable(LARGEST)).invoice.totals.payable_amount == MAX_CENTS


@pytest.mark.parametrize("text", [SMALLEST_REFUSED, "1" + "0" * 30])
def test_the_reader_raises_a_parse_error_with_the_xpath(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_report(with_payable(text))
    assert caught.value.xpath == PAYABLE
    assert "64-bit" in caught.value.reason


def test_a_price_that_cannot_be_rounded_is_a_parse_error() -> None:
    data = re.sub(rb'(<cbc:PriceAmount currencyID="EUR">)[^<]*', b"\\g<1>" + b"1" * 40, BASE.read_bytes(),
                  count=1)
    with pytest.raises(ParseError) as caught:
        parse_report(data)
    assert caught.value.xpath == "/*:Invoice[1]/*:InvoiceLine[1]/*:Price[1]/*:PriceAmount[1]"


@pytest.mark.parametrize("text", [SMALLEST_REFUSED, "1" + "0" * 30])
def test_preflight_answers_412_with_the_reason(text: str) -> None:
    result = preflight(with_payable(text), ruleset="en16931@1.3.16")
    assert result.status == 412
    assert "PU-TOTALS-RANGE" in {reason.rule_id for reason in result.reasons}


HUGE = "9" * 40
TINY = "0." + "0" * 40 + "1"


@pytest.mark.parametrize(("pattern", "replacement", "count"), [
    (rb"(<cbc:InvoicedQuantity[^>]*>)[^<]*", HUGE, 1),
    (rb"(<cbc:PriceAmount[^>]*>)[^<]*", HUGE, 1),
    (rb"(<cbc:Percent>)[^<]*", HUGE, 0),
    (rb"(<cbc:PriceAmount[^>]*>[^<]*</cbc:PriceAmount>)", f"<cbc:BaseQuantity>{TINY}</cbc:BaseQuantity>", 1),
], ids=["quantity", "price", "rate", "base-quantity"])
def test_huge_numbers_in_the_arithmetic_are_findings(pattern: bytes, replacement: str, count: int) -> None:
    """A quantity, price or rate so large (or a base quantity so small) that the recomputed
    amount overflows cents is a finding on the part that cannot be checked."""
    data = re.sub(pattern, b"\\g<1>" + replacement.encode(), BASE.read_bytes(), count=count)
    assert data != BASE.read_bytes()
    report = validate(data, rules=False)  # the line arithmetic is Peppol's (R120)
    assert "PU-TOTALS-RANGE" in {f.rule_id for f in report.findings}
    assert preflight(data).status == 412


def test_a_million_digit_quantity_does_not_overflow_decimal() -> None:
    data = re.sub(rb"(<cbc:InvoicedQuantity[^>]*>)[^<]*", b"\\g<1>" + b"9" * 1_000_001, BASE.read_bytes(),
                  count=1)
    report = validate(data, schema=False, rules=False)
    assert "PU-TOTALS-RANGE" in {f.rule_id for f in report.findings}


def test_preflight_of_a_model_whose_calculation_overflows_is_412() -> None:
    invoice = Invoice.model_validate_json(STANDARD.read_text())
    assert invoice.calculate_totals
    item = invoice.items[0].model_copy(update={"quantity": Decimal("1E40")})
    result = preflight(invoice.model_copy(update={"items": [item]}))
    assert result.status == 412
    assert [reason.rule_id for reason in result.reasons] == ["PU-PREFLIGHT-BUILD"]
    assert "64-bit" in result.reasons[0].message
